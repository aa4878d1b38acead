import { formatEther } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { CATALOGUES, useI18n, type MessageKey } from "../i18n/index.js";
import { useMunicipalityNames } from "./municipalityNames.js";
import type { SectionProps } from "./sections.js";

/** What the tab reads of /api/health (app/server/services/health.ts; codes in docs/monitoring.md). */
interface HealthProblem {
  code: string;
  severity: "error" | "warning";
  message: string;
  since?: string;
  municipalityId?: number;
  municipalityCode?: string;
  detail?: string;
}

interface ServiceHealthView {
  ok: boolean;
  problems?: HealthProblem[];
  relayer?: {
    address: string;
    balanceWei: string | null;
    daysLeft: number | null;
    spentOverHours: number;
    checkedAt: string | null;
    roles: { municipalities: number | null };
  };
}

/** The tab asks again this often while it is open; the service answers from readings a few seconds old. */
const REFRESH_MS = 15_000;
/** Beyond this, the number of days says nothing more. */
const MANY_DAYS = 3650;
/** Problems whose sentence says since when already (operations.problem.*: {since}). */
const SINCE_IN_SENTENCE = new Set(["ANCHORING_STALLED", "COMPLAINT_FILING_STALLED"]);

/**
 * /api/health answers 503 with the same report while a serious problem stands: here that is an answer
 * to show, not a failure.
 */
async function serviceHealth(): Promise<ServiceHealthView> {
  const response = await fetch("/api/health", { headers: { accept: "application/json" } });
  const body = (await response.json()) as ServiceHealthView;
  if (typeof body?.ok !== "boolean") throw new Error(`/api/health answered ${response.status}`);
  return body;
}

/**
 * Operations (every signed-in officer): the service's relayer — its balance and the days it lasts at
 * the recent pace — and each problem the service reports (the chain unreachable, the relayer out of
 * funds or low, a municipality where it lacks ANCHOR_SERVICE, anchoring stalled), in the reader's
 * language by its code, with the service's own words under "technical detail".
 */
export function OperationsSection(_props: SectionProps) {
  const { t, date, lang } = useI18n();
  const [health, setHealth] = useState<ServiceHealthView | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const [busy, setBusy] = useState(false);
  const problems = health?.problems ?? [];
  const names = useMunicipalityNames([...new Set(problems.flatMap((p) => (p.municipalityId ? [p.municipalityId] : [])))]);

  async function load() {
    setBusy(true);
    try {
      setHealth(await serviceHealth());
      setUnreachable(false);
    } catch {
      setUnreachable(true);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const number = (value: number, digits: number) => value.toLocaleString(lang === "th" ? "th-TH" : "en-GB", { maximumFractionDigits: digits });
  const relayer = health?.relayer;

  function daysLeft(): string {
    if (!relayer || relayer.balanceWei === null) return t("operations.balanceUnknown");
    if (relayer.daysLeft === null) return t("operations.daysLeftNone", { hours: number(relayer.spentOverHours, 1) });
    if (relayer.daysLeft > MANY_DAYS) return t("operations.daysLeftMany");
    return t("operations.daysLeftValue", { days: number(relayer.daysLeft, 1) });
  }

  function municipality(problem: HealthProblem): string {
    const id = problem.municipalityId ?? 0;
    return names.get(id) ?? t("operations.municipalityNumber", { id });
  }

  function sentence(problem: HealthProblem) {
    const key = `operations.problem.${problem.code}`;
    if (!(key in CATALOGUES.th)) return t("operations.problem.other");
    return (
      <Message
        id={key as MessageKey}
        values={{ municipality: <Value>{municipality(problem)}</Value>, since: problem.since ? date(problem.since) : "" }}
      />
    );
  }

  return (
    <section class="officer-operations" data-testid="operations" aria-labelledby="operations-title">
      <div class="officer-heading">
        <h2 id="operations-title">{t("operations.title")}</h2>
        <button type="button" onClick={() => void load()} disabled={busy}>
          {t("operations.refresh")}
        </button>
      </div>
      <p class="officer-hint">{t("operations.intro")}</p>
      {health === null && !unreachable && <p>{t("operations.loading")}</p>}
      {unreachable && <p class="officer-warning">{t("operations.unavailable")}</p>}
      {health && (
        <>
          <p class={health.ok ? "operations-ok" : "officer-warning"} data-testid="operations-summary" data-ok={String(health.ok)}>
            {t(health.ok ? "operations.allGood" : "operations.notGood")}
          </p>
          {relayer && (
            <div class="officer-block" data-testid="relayer">
              <h3>{t("operations.relayerTitle")}</h3>
              <dl class="officer-fields">
                <dt>{t("operations.address")}</dt>
                <dd>
                  <Value mono>{relayer.address}</Value>
                </dd>
                <dt>{t("operations.balance")}</dt>
                <dd data-testid="relayer-balance" data-wei={relayer.balanceWei ?? ""}>
                  {relayer.balanceWei === null ? t("operations.balanceUnknown") : <Value>{number(Number(formatEther(relayer.balanceWei)), 6)}</Value>}
                </dd>
                <dt>{t("operations.daysLeft")}</dt>
                <dd data-testid="relayer-days-left" data-days={relayer.daysLeft ?? ""}>
                  {daysLeft()}
                  <br />
                  <span class="officer-hint">{t("operations.estimateHow")}</span>
                </dd>
                {relayer.roles.municipalities !== null && (
                  <>
                    <dt>{t("operations.municipalities")}</dt>
                    <dd>{number(relayer.roles.municipalities, 0)}</dd>
                  </>
                )}
                {relayer.checkedAt && (
                  <>
                    <dt>{t("operations.checkedAt")}</dt>
                    <dd>{date(relayer.checkedAt)}</dd>
                  </>
                )}
              </dl>
            </div>
          )}
          <h3>{t("operations.problemsTitle")}</h3>
          {problems.length === 0 ? (
            <p data-testid="operations-no-problems">{t("operations.noProblems")}</p>
          ) : (
            <ul class="operations-problems" data-testid="operations-problems">
              {problems.map((problem, i) => (
                <li key={`${problem.code}-${problem.municipalityId ?? i}`} class={`operations-problem operations-problem--${problem.severity}`} data-code={problem.code} data-severity={problem.severity}>
                  <strong>{t(problem.severity === "error" ? "operations.severity.error" : "operations.severity.warning")}:</strong> {sentence(problem)}{" "}
                  <span class="officer-status__code">
                    (<Message id="operations.code" values={{ code: <Value mono>{problem.code}</Value> }} />)
                  </span>
                  {problem.since && !SINCE_IN_SENTENCE.has(problem.code) && <span class="officer-hint"> {t("operations.since", { time: date(problem.since) })}</span>}
                  <details>
                    <summary>{t("operations.detail")}</summary>
                    <p lang="en" translate={false}>
                      {problem.message}
                      {problem.detail && problem.detail !== problem.message ? ` (${problem.detail})` : ""}
                    </p>
                  </details>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
