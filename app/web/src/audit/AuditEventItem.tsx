import { Value } from "../components/Message.js";
import { CATALOGUES, useI18n, type MessageKey } from "../i18n/index.js";
import type { AuditEvent, EventStatus } from "./auditTrail.js";

/** Events whose words do not already say the decision (a role granted is "granted"; a step is approved or not). */
const DECISION_SHOWN = new Set(["PermitStepDecided", "ComplaintStatusChanged"]);

/** A catalogue key if the catalogue has it (an event, role or decision this page has words for). */
function useWord() {
  const { t, lang } = useI18n();
  return (key: string): string | null => (key in CATALOGUES[lang] ? t(key as MessageKey) : null);
}

/** A role name from the chain (a Directory role, or who else acts): the page's word for it, else the name as data. */
export function RoleWord(props: { role: string }) {
  const word = useWord()(`audit.role.${props.role}`);
  return word === null ? <Value>{props.role}</Value> : <>{word}</>;
}

/** The name its municipality published on the chain for an address, else the address itself. */
function Person(props: { address: string; name: string | null }) {
  return props.name !== null ? (
    <Value>{props.name}</Value>
  ) : (
    <code translate={false} class="audit-address">
      {props.address}
    </code>
  );
}

/** Under a name, the address it was published for. */
function AddressOf(props: { address: string; name: string | null }) {
  return props.name === null ? null : (
    <p class="audit-address">
      <code translate={false}>{props.address}</code>
    </p>
  );
}

/**
 * One entry of the trail: what happened (the event and its decision in words), who did it (their
 * published name, their role, their address), why (the reason's label and words), the records of an
 * anchored batch with who issued each, when, in which transaction and block, and the chain check's verdict.
 */
export function AuditEventItem(props: { event: AuditEvent; status?: { status: EventStatus; fields: string[] }; showNumber: boolean }) {
  const { t, lang, date } = useI18n();
  const word = useWord();
  const { event: e, status } = props;
  const what = word(`audit.event.${e.event}`);
  const decision = e.decision === null || !DECISION_SHOWN.has(e.event) ? null : word(`audit.decision.${e.decision}`);
  const step = e.event === "PermitStepDecided" ? Number(e.args.stepIndex) + 1 : null;
  const roleGranted = e.contract === "directory" && typeof e.roleNames?.role === "string" ? e.roleNames.role : null;
  const account = e.contract === "directory" && typeof e.args.account === "string" ? e.args.account : null;
  const reasonLabel = e.reason ? e.reason[lang] ?? t("audit.reasonCode", { code: e.reason.code }) : null;
  const certificate =
    (e.event === "PermitIssued" || e.event === "PermitAmended") && typeof e.args.certificateHash === "string" ? e.args.certificateHash : null;
  return (
    <li data-testid="audit-event" data-event={e.event} data-status={status?.status ?? "match"}>
      <p class="timeline__what">
        {step !== null && `${t("audit.step", { step })} · `}
        {what ?? <Value>{e.event}</Value>}
        {decision !== null && ` (${decision})`}
      </p>
      {props.showNumber && e.number !== null && (
        <p>
          {t("audit.permit")} <Value>{e.number}</Value>
        </p>
      )}
      {e.actor !== null && (
        <>
          <p class="audit-who" data-testid="audit-actor">
            {t("audit.by")} <Person address={e.actor} name={e.actorName} />
            {e.actorRole !== null && (
              <>
                {" · "}
                <span class="audit-role" data-role={e.actorRole}>
                  <RoleWord role={e.actorRole} />
                </span>
              </>
            )}
          </p>
          <AddressOf address={e.actor} name={e.actorName} />
        </>
      )}
      {account !== null && (
        <>
          <p>
            {t("audit.officer")}: <Person address={account} name={e.accountName} />
            {roleGranted !== null && (
              <>
                {" · "}
                {t("audit.roleOf")}: <RoleWord role={roleGranted} />
              </>
            )}
          </p>
          <AddressOf address={account} name={e.accountName} />
        </>
      )}
      {e.event === "OfficerNamed" && typeof e.args.name === "string" && (
        <p>
          {t("audit.publishedName")}: <Value>{e.args.name}</Value>
        </p>
      )}
      {e.event === "KeyCompromised" && <p>{t("audit.compromisedSince", { time: date(Number(e.args.since) * 1000) })}</p>}
      {reasonLabel !== null && (
        <p>
          {t("audit.reason")}: {e.reason && e.reason[lang] !== null ? reasonLabel : <Value>{reasonLabel}</Value>}
          {e.reasonWords !== null && (
            <>
              {" — "}
              <Value>“{e.reasonWords}”</Value>
            </>
          )}
        </p>
      )}
      {certificate !== null && (
        <p class="audit-hash">
          {t("audit.certificate", { version: String(e.args.version) })} <code translate={false}>{certificate}</code>
        </p>
      )}
      {e.event === "BatchAnchored" && (
        <p class="audit-hash">
          {t("audit.batchRoot")} <code translate={false}>{String(e.args.root)}</code>
        </p>
      )}
      {e.records !== null && e.records.length > 0 && (
        <details class="audit-records">
          <summary>{e.event === "RecordRevoked" ? t("audit.revokedRecord") : t("audit.records", { count: e.records.length })}</summary>
          <ul>
            {e.records.map((record) => (
              <li key={record.sha256} data-testid="audit-record">
                {word(`audit.record.${record.kind}`) ?? t("audit.record.other")} <code translate={false}>{record.sha256}</code>
                {record.issuer !== null && (
                  <>
                    {" "}
                    {t("audit.issuedBy")} <Person address={record.issuer.address} name={record.issuer.name} />{" "}
                    {record.issuer.name !== null && <code translate={false}>{record.issuer.address}</code>}
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p class="timeline__when">{date(e.time)}</p>
      <p class="timeline__tx">
        {t("audit.tx")} <code translate={false}>{e.txHash}</code> · {t("audit.block", { block: e.blockNumber })}
      </p>
      {status && (
        <p class={`audit-status audit-status--${status.status}`} data-testid="audit-event-check">
          {status.status === "match" ? "✓ " : "✗ "}
          {t(`audit.status.${status.status}` as MessageKey)}
          {status.fields.length > 0 && (
            <>
              {": "}
              <Value>{status.fields.join(", ")}</Value>
            </>
          )}
        </p>
      )}
    </li>
  );
}
