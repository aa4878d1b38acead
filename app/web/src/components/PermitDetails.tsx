import { Fragment } from "preact";
import { PERMIT_REVOCATION_REASONS } from "../../../shared/verifyCertificate.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import type { PermitModel } from "../verify/permitModel.js";
import { CertificateDownload } from "./CertificateDownload.js";
import { Message, Value } from "./Message.js";
import { RoleName } from "./RoleName.js";

/** A value the API gives in both languages ({th, en}) or in one. */
function localized(value: PermitModel["type"], lang: "th" | "en"): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  return value[lang] ?? value.th ?? value.en;
}

const shortHash = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-6)}`;

/** The public record of a permit: fields, approval steps, the legal clock. Shows what the API gives. */
/** PermitRegistry's states, in words. */
const STATE_LABELS: Record<string, MessageKey> = {
  Applied: "stateApplied",
  UnderReview: "stateUnderReview",
  Approved: "stateApproved",
  Rejected: "stateRejected",
  Issued: "stateIssued",
  Revoked: "stateRevoked",
};

/** The API's trail steps (app/server/services/permits/trail.ts), in words. */
const STEP_LABELS: Record<string, MessageKey> = {
  applied: "stepApplied",
  "documents-added": "stepDocumentsAdded",
  completed: "stepCompleted",
  decided: "stepDecided",
  approved: "stepApproved",
  rejected: "stepRejected",
  issued: "stepIssued",
  amended: "stepAmended",
  revoked: "stepRevoked",
};

export function PermitDetails(props: { permit: PermitModel; headingLevel?: 2 | 3 }) {
  const { t, lang, date } = useI18n();
  const { permit } = props;
  const H = props.headingLevel === 3 ? "h3" : "h2";
  const H2 = props.headingLevel === 3 ? "h4" : "h3";
  const fields: [MessageKey, string | undefined, boolean?][] = [
    ["fieldNumber", permit.number],
    ["fieldVersion", permit.version?.toString()],
    ["fieldType", localized(permit.type, lang)],
    ["fieldParcel", permit.parcel],
    ["fieldDescription", localized(permit.description, lang)],
    ["fieldMunicipality", localized(permit.municipality, lang)],
    ["fieldStatus", permit.status && (permit.status in STATE_LABELS ? t(STATE_LABELS[permit.status]) : permit.status), permit.status !== undefined && permit.status in STATE_LABELS],
    ["fieldIssuedAt", permit.issuedAt && date(permit.issuedAt), true],
    ["fieldValidUntil", permit.validUntil && `${date(permit.validUntil)}${permit.expired ? ` ${t("verifier.expiredMark")}` : ""}`, true],
    [
      "verifier.fieldRevocationReason",
      permit.revocationReason === undefined ? undefined : `${PERMIT_REVOCATION_REASONS[permit.revocationReason]?.[lang] ?? ""} (${permit.revocationReason})`.trim(),
      true,
    ],
  ];
  const clock = permit.clock;
  return (
    <section class="panel permit" aria-labelledby="permit-title">
      <H id="permit-title">
        {t("permitTitle")} <Value>{permit.number}</Value>
      </H>
      <dl class="facts">
        {fields
          .filter(([, value]) => value !== undefined && value !== "")
          .map(([label, value, translated]) => (
            <Fragment key={label}>
              <dt>{t(label)}</dt>
              <dd>{translated ? value : <Value>{value}</Value>}</dd>
            </Fragment>
          ))}
      </dl>

      {!permit.chainOnly && <H2>{t("timelineTitle")}</H2>}
      {permit.chainOnly ? null : permit.trail.length === 0 ? (
        <p>{t("timelineEmpty")}</p>
      ) : (
        <ol class="timeline">
          {permit.trail.map((step, i) => (
            <li key={i}>
              <p class="timeline__what">
                {step.role ? (
                  <RoleName role={step.role} />
                ) : step.step && step.step in STEP_LABELS ? (
                  t(STEP_LABELS[step.step])
                ) : (
                  step.action && <Value>{step.action}</Value>
                )}
                {(step.decision === "approve" || step.decision === "reject") && ` (${t(step.decision === "approve" ? "stepDecisionApprove" : "stepDecisionReject")})`}
                {step.officer && (
                  <>
                    {" "}
                    {t("stepBy")} <Value mono={step.officer.startsWith("0x")}>{step.officer}</Value>
                  </>
                )}
              </p>
              {step.at && <p class="timeline__when">{date(step.at)}</p>}
              {step.txHash && (
                <p class="timeline__tx">
                  {t("stepTx")}{" "}
                  <code translate={false} title={step.txHash}>
                    {shortHash(step.txHash)}
                  </code>
                </p>
              )}
            </li>
          ))}
        </ol>
      )}

      {clock && (
        <>
          <H2>{t("legalClockTitle")}</H2>
          <dl class="facts">
            {clock.completedAt && (
              <>
                <dt>{t("clockCompleted")}</dt>
                <dd>{date(clock.completedAt)}</dd>
              </>
            )}
            {clock.decidedAt && (
              <>
                <dt>{t("clockDecided")}</dt>
                <dd>{date(clock.decidedAt)}</dd>
              </>
            )}
          </dl>
          <p class={clock.withinStatute === false ? "clock clock--late" : "clock"} data-within={String(clock.withinStatute)}>
            {clock.days === undefined ? (
              t("clockNotStarted")
            ) : (
              <Message
                id={!clock.decidedAt ? "clockRunning" : clock.withinStatute === false ? "clockBeyond" : "clockWithin"}
                values={{ days: clock.days, statute: clock.statuteDays }}
              />
            )}
          </p>
        </>
      )}

      {permit.certificateUrl && (
        <p>
          <a href={permit.certificateUrl} download>
            {t("certificateDownload")}
          </a>
        </p>
      )}
      {!permit.certificateUrl && !permit.chainOnly && (permit.status === "Issued" || permit.status === "Revoked") && permit.number && <CertificateDownload number={permit.number} />}
    </section>
  );
}
