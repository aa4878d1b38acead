import { useEffect, useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import type { TypedDataPayload } from "../wallet/types.js";
import { officerApi, type Decision } from "./api.js";
import type { SectionProps } from "./sections.js";
import { roleLabel } from "./SessionPanel.js";
import { useAction } from "./useAction.js";

const REVOCATION_REASONS = [1, 2, 3, 4, 9] as const;
const stateLabel = (state: string) => `officer.state.${state}` as MessageKey;

/**
 * One permit as an officer of it sees it: public fields, the applicant's sealed data, documents, steps,
 * and the actions the signed-in officer's roles allow now. Every act — completing, deciding, issuing,
 * revoking — is signed here with the officer's key (EIP-712 data from the API); the service relays it.
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

  const { busy, act } = useAction(report, load);
  /** Typed data from the API, signed with the officer's key, then submitted. */
  const signAndSend = (typed: () => Promise<TypedDataPayload>, send: (typed: TypedDataPayload, signature: string) => Promise<unknown>) => async () => {
    const data = await typed();
    report({ kind: "busy", key: "officer.busySigning" });
    const signature = await signer!.signTypedData(data);
    report({ kind: "busy", key: "officer.busySending" });
    await send(data, signature);
  };
  const decide = (decision: Decision) =>
    act(
      signAndSend(
        () => officerApi.stepTypedData(number, decision),
        (typed, signature) => officerApi.decide(number, decision, typed, signature),
      ),
      { kind: "ok", key: "officer.doneDecided" },
    );
  const complete = () =>
    act(
      signAndSend(
        () => officerApi.completionTypedData(number),
        (typed, signature) => officerApi.complete(number, typed, signature),
      ),
      { kind: "ok", key: "officer.doneCompleted" },
    );
  const issue = () =>
    act(
      signAndSend(
        async () => (await officerApi.issuanceDraft(number)).typedData,
        (typed, signature) => officerApi.issue(number, typed, signature),
      ),
      { kind: "ok", key: "officer.doneIssued" },
    );

  if (!permit) return <p>{t("loading")}</p>;

  const holds = (role: string) => session.roles.some((r) => r.role === role && r.municipalityId === permit.municipality?.id);
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
            {t(roleLabel(s.role))}:{" "}
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
            <div class="officer-actions">
              <button type="button" disabled={busy || !canSign} onClick={() => decide("approve")}>
                {t("officer.approve")}
              </button>
              <button type="button" class="officer-danger" disabled={busy || !canSign} onClick={() => decide("reject")}>
                {t("officer.reject")}
              </button>
            </div>
          </>
        )}
        {permit.state === "Applied" && holds("PERMIT_OFFICER") && (
          <>
            <p class="officer-hint">{t("officer.completeHint")}</p>
            {!canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
            <button type="button" disabled={busy || !canSign} onClick={complete}>
              {t("officer.markComplete")}
            </button>
          </>
        )}
        {permit.state === "Approved" && holds("PERMIT_OFFICER") && (
          <>
            <p class="officer-hint">{t("officer.issueHint")}</p>
            {!canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
            <button type="button" disabled={busy || !canSign} onClick={issue}>
              {t("officer.issue")}
            </button>
          </>
        )}
        {permit.state === "Issued" && issuingRole && holds(issuingRole) && (
          <form
            class="officer-revoke"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const reasonCode = Number(form.get("reasonCode"));
              const reason = String(form.get("reason") ?? "");
              let draftId = "";
              act(
                signAndSend(
                  async () => {
                    const draft = await officerApi.revocationDraft(number, reasonCode, reason);
                    draftId = draft.draftId;
                    return draft.typedData;
                  },
                  (typed, signature) => officerApi.revoke(number, draftId, typed, signature),
                ),
                { kind: "ok", key: "officer.doneRevoked" },
              );
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
      </section>
    </article>
  );
}
