import { useEffect, useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import { ActionStatus } from "../officer/status.js";
import { useAction } from "../officer/useAction.js";
import type { LedgerSigner } from "../wallet/types.js";
import { adminApi, type TownPlan } from "./adminApi.js";
import { sendAdminCall } from "./adminCall.js";
import { planWords } from "./planWords.js";
import { checkDraft, type TownDraft } from "./townDraft.js";

const coded = (code: string) => Object.assign(new Error(code), { code });

/**
 * Apply the file: the service plans the admin's transactions that make the chain match it (each with
 * what it does); the admin reviews them and any problem, then signs each one with their own key, one by
 * one, and the service relays it after simulating it; last, the profile's bytes — whose SHA-256 the
 * publishProfile transaction put on the chain — are stored beside it. A call that fails stops the run;
 * applying again goes on from there, and reviewing again plans what is still missing.
 */
export function ApplyPanel(props: { draft: TownDraft; signer: LedgerSigner | null; onApplied: () => Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { signer } = props;
  const [problems, setProblems] = useState<string[]>([]);
  const [plan, setPlan] = useState<TownPlan | null>(null);
  const [sent, setSent] = useState(0);
  const { busy, act, statusAt } = useAction();

  // Another file, another plan.
  useEffect(() => {
    setPlan(null);
    setProblems([]);
    setSent(0);
  }, [props.draft]);

  const review = () =>
    act(
      "apply",
      async (progress) => {
        setPlan(null);
        setSent(0);
        const checked = checkDraft(props.draft);
        setProblems(checked.problems);
        if (!checked.profile) throw coded("TOWN_PROFILE_INVALID");
        progress({ kind: "busy", key: "admin.planning" });
        const planned = await adminApi.plan(checked.profile);
        setPlan(planned);
        return planned;
      },
      (planned) =>
        planned.problems.length > 0
          ? { kind: "error", error: coded("PLAN_PROBLEMS") }
          : { kind: "ok", key: planned.calls.length > 0 ? "admin.planReady" : "admin.planEmpty", values: { count: planned.calls.length } },
    );

  const apply = () =>
    act(
      "apply",
      async (progress) => {
        if (!plan || !signer) return;
        for (let index = sent; index < plan.calls.length; index++) {
          const call = plan.calls[index];
          progress({ kind: "busy", key: "admin.sending", values: { n: index + 1, total: plan.calls.length, method: call.method } });
          await sendAdminCall(signer, call);
          setSent(index + 1);
        }
        progress({ kind: "busy", key: "admin.storing" });
        await adminApi.storeProfile(plan.municipalityId, plan.profile.body);
        await props.onApplied();
      },
      { kind: "ok", key: "admin.applied" },
    );

  const notAdmin = plan && signer && plan.admin && plan.admin.toLowerCase() !== signer.address.toLowerCase();
  const canApply = plan !== null && plan.problems.length === 0 && signer !== null && !notAdmin;
  return (
    <section class="admin-apply" aria-labelledby="apply-title" data-testid="apply-panel">
      <h4 id="apply-title">{t("admin.applyTitle")}</h4>
      <p class="hint">{t("admin.applyIntro")}</p>
      {problems.length > 0 && (
        <div class="error" data-testid="draft-problems">
          <p>{t("admin.draftProblems")}</p>
          <ul translate={false}>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {plan && (
        <>
          {plan.problems.length > 0 && (
            <div class="error" data-testid="plan-problems">
              <p>{t("admin.planProblems")}</p>
              <ul translate={false}>
                {plan.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          )}
          {notAdmin && <p class="officer-warning">{t("admin.notTownAdmin")}</p>}
          {plan.calls.length > 0 && (
            <>
              <p>{t("admin.planCalls", { count: plan.calls.length })}</p>
              <ol class="admin-plan" data-testid="plan-calls">
                {plan.calls.map((call, index) => (
                  <li key={index} data-method={call.method} data-done={String(index < sent)}>
                    <span aria-hidden="true">{index < sent ? "✓ " : ""}</span>
                    {index < sent && <span class="visually-hidden">{t("admin.callDone")} </span>}
                    <Value>{planWords(i18n, props.draft, call.reason)}</Value>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
      <p class="actions">
        <button type="button" class="button--secondary" disabled={busy} onClick={review}>
          {t("admin.review")}
        </button>
        {plan && (
          <button type="button" disabled={busy || !canApply} onClick={apply}>
            {plan.calls.length > 0 ? t("admin.applySign", { count: plan.calls.length - sent }) : t("admin.applyStore")}
          </button>
        )}
      </p>
      {!signer && <p class="hint">{t("admin.unlockToApply")}</p>}
      <ActionStatus status={statusAt("apply")} />
    </section>
  );
}
