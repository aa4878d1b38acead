import { useEffect, useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { RoleName } from "../components/RoleName.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { sha256OfFile } from "../verify/checkDocument.js";
import type { TypedDataPayload } from "../wallet/types.js";
import { AmendPermitForm } from "./AmendPermit.js";
import { officerApi, type Decision, type PermitChanges } from "./api.js";
import { RejectStep } from "./RejectStep.js";
import type { SectionProps } from "./sections.js";
import { signAndSend } from "./signTypedData.js";
import { ActionStatus, type Report, type Status } from "./status.js";
import { useAction } from "./useAction.js";

const REVOCATION_REASONS = [1, 2, 3, 4, 9] as const;
const stateLabel = (state: string) => `officer.state.${state}` as MessageKey;

/**
 * One permit as an officer of it sees it: public fields, the applicant's sealed data, documents, steps,
 * and the actions the signed-in officer's roles allow now. Every act — completing, deciding, issuing,
 * amending, revoking — is signed here with the officer's key (EIP-712 data from the API); the service
 * relays it. Each act's progress and result show under its own button.
 */
export function PermitReview(props: SectionProps & { number: string; onBack: () => void }) {
  const { t, lang } = useI18n();
  const { signer, session, report, number } = props;
  const [permit, setPermit] = useState<Record<string, any> | null>(null);

  async function load() {
    try {
      setPermit(await officerApi.permit(number));
    } catch (error) {
      report({ kind: "error", error });
      props.onBack();
    }
  }
  useEffect(() => {
    load();
  }, [number]);

  const { busy, act, show, statusAt } = useAction(load);
  /** Typed data from the API, signed with the officer's key, then submitted. */
  const signed =
    <T,>(typed: () => Promise<TypedDataPayload>, send: (typed: TypedDataPayload, signature: string) => Promise<T>) =>
    (progress: Report) =>
      signAndSend(signer!, progress, typed, send);
  /** A decision; a rejection carries its reasons as a note, whose SHA-256 the officer signs with it. */
  const decide = (decision: Decision, reason?: string) => {
    const note = reason ? new File([reason], "reasons.txt", { type: "text/plain" }) : undefined;
    return act(
      "decide",
      signed(
        async () => officerApi.stepTypedData(number, decision, note && (await sha256OfFile(note))),
        (typed, signature) => officerApi.decide(number, decision, typed, signature, note),
      ),
      { kind: "ok", key: decision === "reject" ? "officer.doneRejected" : "officer.doneDecided" },
    );
  };
  const complete = () =>
    act(
      "complete",
      signed(
        () => officerApi.completionTypedData(number),
        (typed, signature) => officerApi.complete(number, typed, signature),
      ),
      { kind: "ok", key: "officer.doneCompleted" },
    );
  const issue = () =>
    act(
      "issue",
      signed(
        async () => (await officerApi.issuanceDraft(number)).typedData,
        (typed, signature) => officerApi.issue(number, typed, signature),
      ),
      { kind: "ok", key: "officer.doneIssued" },
    );
  /** A draft first (the next version rendered, or the reason sealed), then its typed data signed and relayed with its id. */
  const drafted = <T,>(draft: () => Promise<{ draftId: string; typedData: TypedDataPayload }>, send: (draftId: string, typed: TypedDataPayload, signature: string) => Promise<T>) => {
    let draftId = "";
    return signed(
      async () => {
        const made = await draft();
        draftId = made.draftId;
        return made.typedData;
      },
      (typed, signature) => send(draftId, typed, signature),
    );
  };
  const amend = (changes: PermitChanges) =>
    act(
      "amend",
      drafted(
        () => officerApi.amendmentDraft(number, changes),
        (draftId, typed, signature) => officerApi.amend(number, draftId, typed, signature),
      ),
      (amended) => ({ kind: "ok", key: "officer.doneAmended", values: { version: amended.version } }),
    );
  const revoke = (reasonCode: number, reason: string) =>
    act(
      "revoke",
      drafted(
        () => officerApi.revocationDraft(number, reasonCode, reason),
        (draftId, typed, signature) => officerApi.revoke(number, draftId, typed, signature),
      ),
      { kind: "ok", key: "officer.doneRevoked" },
    );

  /** The permit officer's acts of one button, each in the state that allows it. */
  const permitOfficerActs = [
    { at: "complete", state: "Applied", hint: "officer.completeHint", label: "officer.markComplete", press: complete },
    { at: "issue", state: "Approved", hint: "officer.issueHint", label: "officer.issue", press: issue },
  ] as const;

  if (!permit) return <p>{t("loading")}</p>;

  // By name or by id: a role the town defined itself may be known here by its id alone.
  const holds = (role: string) => session.roles.some((r) => (r.role === role || r.roleId === role) && r.municipalityId === permit.municipality?.id);
  const steps: any[] = permit.steps ?? [];
  const awaiting = steps.find((s) => s.awaiting);
  const issuingRole = steps.at(-1)?.role;
  const localized = (value: any) => (value && typeof value === "object" ? (value[lang] ?? value.en ?? value.th) : value);
  const canSign = signer !== null && signer.address.toLowerCase() === session.address.toLowerCase();
  const applicant = permit.applicant ?? {};

  return (
    <article class="officer-review" aria-labelledby="review-title" data-testid="review" data-state={permit.state}>
      <button type="button" class="officer-link" onClick={props.onBack}>
        ← {t("officer.back")}
      </button>
      <h3 id="review-title">
        <Message id="officer.reviewTitle" values={{ number: <Value mono>{permit.number}</Value> }} />
      </h3>
      <h4>{t("officer.publicFields")}</h4>
      <dl class="officer-fields">
        <dt>{t("officer.fieldType")}</dt>
        <dd>
          <Value>{localized(permit.type)}</Value>
        </dd>
        <dt>{t("officer.fieldState")}</dt>
        <dd data-testid="permit-state">{t(stateLabel(permit.state))}</dd>
        <dt>{t("officer.fieldMunicipality")}</dt>
        <dd>
          <Value>{localized(permit.municipality)}</Value>
        </dd>
        <dt>{t("officer.fieldParcel")}</dt>
        <dd>
          <Value>{permit.parcel ?? "—"}</Value>
        </dd>
        <dt>{t("officer.fieldDescription")}</dt>
        <dd>
          <Value>{localized(permit.description) ?? "—"}</Value>
        </dd>
      </dl>

      <h4>{t("officer.applicantTitle")}</h4>
      <p class="officer-hint">{t("officer.applicantNote")}</p>
      <dl class="officer-fields" data-testid="applicant">
        <dt>{t("officer.fieldName")}</dt>
        <dd>
          <Value>{applicant.name}</Value>
        </dd>
        <dt>{t("officer.fieldNationalId")}</dt>
        <dd>
          <Value mono>{applicant.nationalId}</Value>
        </dd>
        <dt>{t("officer.fieldPhone")}</dt>
        <dd>
          <Value>{applicant.phone}</Value>
        </dd>
        <dt>{t("officer.fieldAddress")}</dt>
        <dd>
          <Value>{applicant.address}</Value>
        </dd>
      </dl>

      <h4>{t("officer.documentsTitle")}</h4>
      {(permit.documents ?? []).length === 0 && <p>{t("officer.documentsNone")}</p>}
      <ul class="officer-documents">
        {(permit.documents ?? []).map((d: any) => (
          <li key={d.sha256}>
            {/* Opened from its sealed copy for this signed-in officer (the session cookie goes with the link). */}
            <a href={`/api/permits/${encodeURIComponent(permit.number)}/files/${d.sha256}`} download={d.name ?? undefined}>
              <Value>{d.name ?? d.sha256}</Value>
            </a>{" "}
            · {t("officer.documentSize", { size: d.size })} · <Value mono>{d.sha256}</Value>
          </li>
        ))}
      </ul>

      <h4>{t("officer.stepsTitle")}</h4>
      <ol class="officer-steps" data-testid="steps">
        {steps.map((s) => (
          <li key={s.index} data-role={s.role} data-decision={s.decision ?? (s.awaiting ? "awaiting" : "none")}>
            <RoleName role={s.role} label={s.roleLabel} />:{" "}
            {s.decision === "approve"
              ? t("officer.stepApproved")
              : s.decision === "reject"
                ? t("officer.stepRejected")
                : s.awaiting
                  ? t("officer.stepAwaiting")
                  : t("officer.stepPending")}
            {s.officerName && (
              <>
                {" "}
                · <Value>{s.officerName}</Value>
              </>
            )}
          </li>
        ))}
      </ol>
      <p>
        <a href={hrefFor(`/permits/${encodeURIComponent(permit.number)}`, lang)}>{t("officer.publicPage")}</a>
      </p>

      <section class="officer-decide" aria-labelledby="decide-title">
        <h4 id="decide-title">{t("officer.decideTitle")}</h4>
        {permit.state === "UnderReview" && awaiting && holds(awaiting.role) && (
          <>
            <p class="officer-hint">{t("officer.decideHint")}</p>
            {!canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
            <div class="officer-actions" data-testid="decide-actions">
              <button type="button" disabled={busy || !canSign} onClick={() => decide("approve")}>
                {t("officer.approve")}
              </button>
              <RejectStep number={permit.number} disabled={busy || !canSign} onReject={(reason) => decide("reject", reason)} />
            </div>
          </>
        )}
        <ActionStatus status={statusAt("decide")} />
        {holds("PERMIT_OFFICER") &&
          permitOfficerActs.map((each) => (
            <OneButtonAct
              key={each.at}
              testId={`${each.at}-action`}
              open={permit.state === each.state}
              hint={each.hint}
              label={each.label}
              canSign={canSign}
              busy={busy}
              onPress={each.press}
              status={statusAt(each.at)}
            />
          ))}
        {(permit.state === "Issued" || permit.state === "Revoked") && permit.certificate && (
          <p>
            {/* Opened for this signed-in officer of the permit (the session cookie goes with the link), to print. */}
            <a class="button" href={officerApi.certificateUrl(permit.number)} download data-testid="certificate-print">
              {t("officer.printCertificate", { version: permit.certificate.version })}
            </a>
          </p>
        )}
        {permit.state === "Issued" && issuingRole && holds(issuingRole) && (
          <div class="officer-block" data-testid="amend-action">
            <AmendPermitForm
              key={permit.certificate?.sha256}
              parcel={permit.parcel}
              description={permit.description}
              disabled={busy || !canSign}
              onAmend={amend}
              onRefused={(error) => show("amend", { kind: "error", error })}
            />
            <ActionStatus status={statusAt("amend")} />
          </div>
        )}
        {permit.state === "Issued" && issuingRole && holds(issuingRole) && (
          <form
            class="officer-revoke"
            data-testid="revoke-permit"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              revoke(Number(form.get("reasonCode")), String(form.get("reason") ?? ""));
            }}
          >
            <h5>{t("officer.revokeTitle")}</h5>
            <label>
              {t("officer.revokeReasonCode")}
              <select name="reasonCode">
                {REVOCATION_REASONS.map((code) => (
                  <option key={code} value={code}>
                    {t(`officer.reason${code}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("officer.revokeReason")}
              <textarea name="reason" rows={3} required />
            </label>
            <button type="submit" class="officer-danger" disabled={busy || !canSign}>
              {t("officer.revoke")}
            </button>
          </form>
        )}
        <ActionStatus status={statusAt("revoke")} />
      </section>
    </article>
  );
}

/**
 * A permit officer's act of one button (complete, issue), offered while the permit is in its state; its
 * result stays in its place once the permit has moved on.
 */
function OneButtonAct(props: { testId: string; open: boolean; hint: MessageKey; label: MessageKey; canSign: boolean; busy: boolean; onPress: () => void; status: Status }) {
  const { t } = useI18n();
  if (!props.open && props.status === null) return null;
  return (
    <div data-testid={props.testId}>
      {props.open && (
        <>
          <p class="officer-hint">{t(props.hint)}</p>
          {!props.canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
          <button type="button" disabled={props.busy || !props.canSign} onClick={props.onPress}>
            {t(props.label)}
          </button>
        </>
      )}
      <ActionStatus status={props.status} />
    </div>
  );
}
