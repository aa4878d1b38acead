import type { ComponentChild } from "preact";
import type { Verdict } from "../../../shared/proofBundle.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import type { DocumentCheck } from "../verify/checkDocument.js";
import { Message, Value } from "./Message.js";
import { PermitDetails } from "./PermitDetails.js";

const VERDICT_WORD: Record<Verdict, MessageKey> = {
  valid: "verdictValid",
  revoked: "verdictRevoked",
  superseded: "verdictSuperseded",
  pending: "verdictPending",
  unknown: "verdictUnknown",
};
const VERDICT_TEXT: Record<Verdict, MessageKey> = {
  valid: "verdictValidText",
  revoked: "verdictRevokedText",
  superseded: "verdictSupersededText",
  pending: "verdictPendingText",
  unknown: "verdictUnknownText",
};
const VERDICT_MARK: Record<Verdict, string> = { valid: "✓", revoked: "✗", superseded: "!", pending: "…", unknown: "?" };

/** The verdict, large and plain: a word, a mark that does not rely on colour, and one sentence. */
export function VerdictHeadline(props: { verdict: Verdict }) {
  const { t } = useI18n();
  return (
    <div class={`verdict verdict--${props.verdict}`} data-verdict={props.verdict}>
      <p class="verdict__word">
        <span aria-hidden="true" class="verdict__mark">
          {VERDICT_MARK[props.verdict]}
        </span>{" "}
        {t(VERDICT_WORD[props.verdict])}
      </p>
      <p class="verdict__text">{t(VERDICT_TEXT[props.verdict])}</p>
    </div>
  );
}

export interface PlainCheck {
  ok: boolean;
  text: ComponentChild;
}

const ANCHOR_CHECKS = ["chain-id", "contract-deployed", "root-anchored", "tx-receipt", "anchor-block", "anchor-event", "anchored-at"];
const UNCHANGED_CHECKS = ["document-unchanged", "leaf-matches-document", "proof-valid"];

/** verifyProofBundle's twelve checks, said as the four sentences a resident needs. */
function plainChecks(result: DocumentCheck, t: ReturnType<typeof useI18n>["t"], date: (s: number) => string): PlainCheck[] {
  const byName = new Map(result.checks.map((check) => [check.name, check]));
  const passed = (names: string[]) => names.every((name) => byName.get(name)?.ok !== false);
  const bundle = result.bundle!;
  const issuer = result.issuer;
  const revokedDetail = byName.get("not-revoked")?.detail ?? "";
  const checks: PlainCheck[] = [
    { ok: passed(UNCHANGED_CHECKS), text: t(passed(UNCHANGED_CHECKS) ? "checkUnchangedOk" : "checkUnchangedFail") },
    passed(ANCHOR_CHECKS)
      ? { ok: true, text: <Message id="checkAnchoredOk" values={{ block: <Value>{bundle.blockNumber}</Value>, time: date(bundle.anchoredAt) }} /> }
      : { ok: false, text: t("checkAnchoredFail") },
    issuer?.name
      ? {
          ok: passed(["root-anchored"]) && !issuer.suspended,
          text: <Message id={issuer.suspended ? "checkIssuerSuspended" : "checkIssuerOk"} values={{ name: <Value>{issuer.name}</Value> }} />,
        }
      : { ok: false, text: <Message id="checkIssuerUnknown" values={{ id: <Value>{bundle.municipalityId}</Value> }} /> },
    passed(["not-revoked"])
      ? { ok: true, text: t("checkNotRevokedOk") }
      : { ok: false, text: t(/Revoked/.test(revokedDetail) ? "checkNotRevokedRevoked" : "checkNotRevokedFail") },
  ];
  if (result.permitNumber) checks.push({ ok: !result.superseded, text: t(result.superseded ? "checkCurrentFail" : "checkCurrentOk") });
  return checks;
}

export function CheckList(props: { checks: PlainCheck[] }) {
  const { t } = useI18n();
  return (
    <ul class="checks">
      {props.checks.map((check, i) => (
        <li key={i} class={check.ok ? "check check--ok" : "check check--failed"} data-ok={String(check.ok)}>
          <span class="check__mark" aria-hidden="true">
            {check.ok ? "✓" : "✗"}
          </span>
          <span class="visually-hidden">{t(check.ok ? "passed" : "failed")}: </span>
          <span>{check.text}</span>
        </li>
      ))}
    </ul>
  );
}

/** What was checked, in plain sentences, then every technical check for those who want to repeat it. */
export function DocumentDetails(props: { result: DocumentCheck; fileName?: string }) {
  const { t, lang, date } = useI18n();
  const { result } = props;
  return (
    <section class="panel" aria-labelledby="checks-title">
      <dl class="facts">
        {props.fileName && (
          <>
            <dt>{t("documentLabel")}</dt>
            <dd>
              <Value>{props.fileName}</Value>
            </dd>
          </>
        )}
        <dt>{t("sha256Label")}</dt>
        <dd>
          <Value mono>{result.sha256}</Value>
        </dd>
      </dl>
      {result.permitNumber && (
        <p>
          {t("permitIsCertificate")}{" "}
          <a href={hrefFor(`/permits/${encodeURIComponent(result.permitNumber)}`, lang)}>
            <Value>{result.permitNumber}</Value>
          </a>
        </p>
      )}
      {result.bundle && (
        <>
          <h3 id="checks-title">{t("checksTitle")}</h3>
          <CheckList checks={plainChecks(result, t, (seconds) => date(seconds * 1000))} />
          <details class="technical">
            <summary>{t("technicalTitle")}</summary>
            <p>
              <Message id="checkedAgainst" values={{ url: <Value mono>{result.rpcUrl}</Value>, chainId: <Value>{result.chainId}</Value> }} />
            </p>
            <ul class="raw-checks">
              {result.checks.map((check) => (
                <li key={check.name} data-check={check.name} data-ok={String(check.ok)}>
                  <span aria-hidden="true">{check.ok ? "✓ " : "✗ "}</span>
                  <span class="visually-hidden">{t(check.ok ? "passed" : "failed")}: </span>
                  <strong>{t(`raw.${check.name}` as MessageKey)}</strong>
                  <br />
                  <code lang="en" translate={false} class="raw-detail">
                    {check.detail}
                  </code>
                </li>
              ))}
            </ul>
            <p>
              <a href={`/api/proofs/${result.sha256}`} download={`proof-${result.sha256.slice(2, 14)}.json`}>
                {t("proofDownload")}
              </a>
            </p>
          </details>
        </>
      )}
      {result.permit && <PermitDetails permit={result.permit} headingLevel={3} />}
    </section>
  );
}
