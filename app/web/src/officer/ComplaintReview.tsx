import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { formOf, type FormCategory } from "../complaints/complaintsApi.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { chainOf } from "../verify/ledgerApi.js";
import { sha256OfFile } from "../verify/checkDocument.js";
import { ApiError } from "./api.js";
import { CLOSE_OUTCOMES, complaintsApi, type ComplaintAction, type ComplaintDetails } from "./complaintsApi.js";
import { AnswerText, categoryText, isOpen, isOverdue, QuestionText, statusLabel } from "./complaintLabels.js";
import type { SectionProps } from "./sections.js";
import { ActionStatus, codeOf, type Report } from "./status.js";
import { useAction } from "./useAction.js";

// The reasons offered when closing without a fix; the chain keeps the number (reasonCode, non-zero).
const CLOSE_REASONS = [1, 2, 3, 4, 9] as const;
const can: Record<ComplaintAction, readonly string[]> = {
  acknowledge: ["filed", "reopened"],
  start: ["filed", "acknowledged", "reopened"],
  resolve: ["in_progress"],
  close: ["filed", "acknowledged", "in_progress", "reopened"],
};
const DONE: Record<ComplaintAction, MessageKey> = {
  acknowledge: "officerComplaints.doneAcknowledge",
  start: "officerComplaints.doneStart",
  resolve: "officerComplaints.doneResolve",
  close: "officerComplaints.doneClose",
};

/** Where each action's progress and result show: under its own buttons or form. */
const SLOT: Record<ComplaintAction, string> = { acknowledge: "status", start: "status", resolve: "resolve", close: "close" };

/**
 * One complaint as its municipality's complaint officer sees it: the public record, the resident's
 * sealed text, answers (in the reader's language, from the municipality's form) and contact, the status
 * history with each transaction, the sealed files, and the status changes the contract allows now —
 * each a transaction the officer's own key signs (the API prepares the call, checks the signed
 * transaction and relays it).
 */
export function ComplaintReview(props: SectionProps & { complaintId: string; now: number | null; onBack: () => void }) {
  const { t, date } = useI18n();
  const { signer, session, report, complaintId } = props;
  const [details, setDetails] = useState<ComplaintDetails | null>(null);
  const [outcome, setOutcome] = useState<string>(CLOSE_OUTCOMES[0]);
  const [form, setForm] = useState<FormCategory | null>(null);
  const { busy, act, show, statusAt } = useAction();

  useEffect(() => {
    complaintsApi.details(complaintId).then(setDetails, (error) => {
      report({ kind: "error", error });
      props.onBack();
    });
  }, [complaintId]);
  // The category's questions and answers in both languages, from the municipality's filing form.
  const municipalityId = details?.complaint.municipalityId;
  const serviceCode = details?.complaint.serviceCode;
  useEffect(() => {
    if (municipalityId === undefined) return;
    formOf(municipalityId).then((filing) => setForm(filing.categories.find((c) => c.code === serviceCode) ?? null), () => setForm(null));
  }, [municipalityId, serviceCode]);

  /** Prepared call → signed by the officer's key → checked and relayed by the API; then the new state. */
  const perform = (action: ComplaintAction, query: Record<string, string> = {}, evidence?: File) =>
    act(
      SLOT[action],
      async (progress: Report) => {
        const [call, chain] = await Promise.all([complaintsApi.call(complaintId, action, query), chainOf()]);
        progress({ kind: "busy", key: "officer.busySigning" });
        const input = await signer!.submitTransaction(call, chain.rpcUrl).catch((error) => whenStale(action, error));
        progress({ kind: "busy", key: "officer.busySending" });
        const done = await complaintsApi.perform(complaintId, action, input, evidence);
        setDetails(done.details);
        return done;
      },
      (done) => ({ kind: "ok", key: DONE[action], values: { tx: done.txHash } }),
    );

  /**
   * The key could not prepare the transaction (the node refused its gas estimate): most often someone
   * moved the complaint meanwhile. Then the page shows its state now and says so by a code.
   */
  async function whenStale(action: ComplaintAction, error: unknown): Promise<never> {
    if (codeOf(error) !== "UNEXPECTED") throw error;
    const fresh = await complaintsApi.details(complaintId);
    setDetails(fresh);
    if (can[action].includes(fresh.complaint.detailedStatus)) throw error;
    throw Object.assign(new Error(`The complaint is ${fresh.complaint.detailedStatus} now.`), { code: "COMPLAINT_STATE_CHANGED" });
  }

  if (!details) return <p>{t("loading")}</p>;
  const { complaint, content } = details;
  const status = complaint.detailedStatus;
  const canSign = signer !== null && signer.address.toLowerCase() === session.address.toLowerCase();
  const allowed = (action: ComplaintAction) => can[action].includes(status);
  const overdue = isOverdue(complaint, props.now);
  const contact = content ? [content.contact.firstName, content.contact.lastName].filter(Boolean).join(" ") : "";

  return (
    <article class="officer-review" aria-labelledby="complaint-title" data-testid="complaint-review" data-status={status}>
      <button type="button" class="officer-link" onClick={props.onBack}>
        ← {t("officer.back")}
      </button>
      <h3 id="complaint-title" class="complaints-title">
        {t("officerComplaints.reviewTitle")} <Value mono>{complaint.complaintId}</Value>
      </h3>

      <h4>{t("officer.publicFields")}</h4>
      <dl class="officer-fields">
        <dt>{t("officerComplaints.colCategory")}</dt>
        <dd>{categoryText(t, complaint)}</dd>
        <dt>{t("officerComplaints.colStatus")}</dt>
        <dd data-testid="complaint-status">{t(statusLabel(status))}</dd>
        <dt>{t("officerComplaints.fieldArea")}</dt>
        <dd>
          <Value mono>{complaint.area || "—"}</Value>
        </dd>
        <dt>{t("officerComplaints.colFiled")}</dt>
        <dd>{date(complaint.filedAt * 1000)}</dd>
        <dt>{t("officerComplaints.colDue")}</dt>
        <dd>
          {isOpen(complaint) ? date(complaint.dueAt * 1000) : "—"}
          {overdue && <strong class="complaints-badge"> {t("officerComplaints.overdue")}</strong>}
        </dd>
        <dt>{t("officerComplaints.fieldReopened")}</dt>
        <dd>{complaint.reopenCount}</dd>
      </dl>

      <h4>{t("officerComplaints.sealedTitle")}</h4>
      <p class="officer-hint">{t("officerComplaints.sealedNote")}</p>
      {content ? (
        <dl class="officer-fields" data-testid="complaint-content">
          <dt>{t("officerComplaints.fieldDescription")}</dt>
          <dd>
            <Value>{content.description || "—"}</Value>
          </dd>
          <dt>{t("officer.fieldAddress")}</dt>
          <dd>
            <Value>{content.addressString ?? "—"}</Value>
          </dd>
          <dt>{t("officerComplaints.fieldLocation")}</dt>
          <dd>
            <Value mono>{content.lat !== null && content.long !== null ? `${content.lat}, ${content.long}` : "—"}</Value>
          </dd>
          {content.mediaUrl && (
            <>
              <dt>{t("officerComplaints.fieldMedia")}</dt>
              <dd>
                <a href={content.mediaUrl} rel="noreferrer noopener" target="_blank" translate={false}>
                  {content.mediaUrl}
                </a>
              </dd>
            </>
          )}
          {Object.entries(content.attributes).map(([code, value]) => (
            <Fragment key={code}>
              <dt data-question={code}>
                <QuestionText form={form} code={code} />
              </dt>
              <dd data-answer={code}>
                <AnswerText form={form} code={code} value={value} />
              </dd>
            </Fragment>
          ))}
          <dt>{t("officerComplaints.fieldContact")}</dt>
          <dd>
            <Value>{[contact, content.contact.phone, content.contact.email].filter(Boolean).join(" · ") || "—"}</Value>
          </dd>
          <dt>{t("officerComplaints.fieldMatches")}</dt>
          <dd data-testid="content-matches">{details.contentMatchesChain ? t("officerComplaints.matchesYes") : t("officerComplaints.matchesNo")}</dd>
        </dl>
      ) : (
        <p>{t("officerComplaints.noContent")}</p>
      )}

      <h4>{t("officerComplaints.historyTitle")}</h4>
      <ol class="complaints-history" data-testid="complaint-history">
        {details.history.map((note) => (
          <li key={note.txHash} data-status={note.status} data-actor={note.actor}>
            <strong>{t(statusLabel(note.status))}</strong> · {date(note.at * 1000)}
            <br />
            {t("officerComplaints.by")} <Value mono>{note.actor}</Value>
            <br />
            {t("officerComplaints.tx")} <Value mono>{note.txHash}</Value>
          </li>
        ))}
      </ol>

      <h4>{t("officerComplaints.attachmentsTitle")}</h4>
      {details.attachments.length === 0 && <p>{t("officerComplaints.attachmentsNone")}</p>}
      <ul class="officer-documents" data-testid="complaint-attachments">
        {details.attachments.map((a) => (
          <li key={a.sha256}>
            {t(a.kind === "evidence" ? "officerComplaints.kindEvidence" : "officerComplaints.kindOther")}:{" "}
            <a href={complaintsApi.attachmentUrl(complaint.complaintId, a.sha256)} download={a.filename ?? undefined}>
              <Value>{a.filename ?? a.sha256.slice(0, 18)}</Value>
            </a>{" "}
            · SHA-256 <Value mono>{a.sha256}</Value>
          </li>
        ))}
      </ul>

      <section class="officer-decide" aria-labelledby="complaint-actions-title">
        <h4 id="complaint-actions-title">{t("officerComplaints.actionsTitle")}</h4>
        {!isOpen(complaint) && <p>{t("officerComplaints.nothingToDo")}</p>}
        {isOpen(complaint) && (
          <>
            <p class="officer-hint">{t("officerComplaints.actionsHint")}</p>
            {!canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
            <div class="officer-actions">
              {allowed("acknowledge") && (
                <button type="button" disabled={busy || !canSign} onClick={() => perform("acknowledge")}>
                  {t("officerComplaints.acknowledge")}
                </button>
              )}
              {allowed("start") && (
                <button type="button" disabled={busy || !canSign} onClick={() => perform("start")}>
                  {t("officerComplaints.start")}
                </button>
              )}
            </div>
          </>
        )}
        <ActionStatus status={statusAt("status")} />
        {allowed("resolve") && (
          <form
            class="complaints-form"
            data-testid="resolve-form"
            onSubmit={async (event) => {
              event.preventDefault();
              const file = (event.currentTarget.elements.namedItem("evidence") as HTMLInputElement).files?.[0];
              if (!file) return;
              // An empty file is no evidence: refused before anything is signed (the API refuses it too).
              if (file.size === 0) return show("resolve", { kind: "error", error: new ApiError("FILE_EMPTY", 0, file.name) });
              perform("resolve", { evidenceHash: await sha256OfFile(file) }, file);
            }}
          >
            <h5>{t("officerComplaints.resolveTitle")}</h5>
            <label>
              {t("officerComplaints.evidenceFile")}
              <input type="file" name="evidence" required />
            </label>
            <p class="officer-hint">{t("officerComplaints.evidenceHint")}</p>
            <button type="submit" disabled={busy || !canSign}>
              {t("officerComplaints.resolve")}
            </button>
          </form>
        )}
        {/* Outside its form, which is gone once the complaint is resolved. */}
        <ActionStatus status={statusAt("resolve")} />
        {allowed("close") && (
          <form
            class="complaints-form"
            data-testid="close-form"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const query: Record<string, string> = { outcome, reasonCode: String(form.get("reasonCode")) };
              if (outcome === "duplicate") query.duplicateOf = String(form.get("duplicateOf") ?? "").trim();
              perform("close", query);
            }}
          >
            <h5>{t("officerComplaints.closeTitle")}</h5>
            <label>
              {t("officerComplaints.closeOutcome")}
              <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
                {CLOSE_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(statusLabel(o))}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("officerComplaints.closeReason")}
              <select name="reasonCode">
                {CLOSE_REASONS.map((code) => (
                  <option key={code} value={code}>
                    {t(`officerComplaints.reason${code}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            {outcome === "duplicate" && (
              <label>
                {t("officerComplaints.duplicateOf")}
                <input name="duplicateOf" required pattern="^0x[0-9a-fA-F]{64}$" autocomplete="off" spellcheck={false} translate={false} />
              </label>
            )}
            <button type="submit" class="officer-danger" disabled={busy || !canSign}>
              {t("officerComplaints.close")}
            </button>
          </form>
        )}
        <ActionStatus status={statusAt("close")} />
      </section>
    </article>
  );
}
