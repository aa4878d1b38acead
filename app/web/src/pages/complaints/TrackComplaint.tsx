import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../apiRequest.js";
import { Value } from "../../components/Message.js";
import { TownPicker } from "../../components/TownPicker.js";
import { OPEN_STATUSES, confirmFix, formOf, reopenComplaint, track, type TrackedComplaint } from "../../complaints/complaintsApi.js";
import { TrackingCode } from "../../complaints/TrackingCode.js";
import { useI18n, type MessageKey } from "../../i18n/index.js";
import { hrefFor } from "../../links.js";
import { useChosenTown } from "../../towns/chosenTown.js";
import { townName } from "../../towns/townsApi.js";

type Action = { kind: "idle" } | { kind: "working" } | { kind: "confirmed" } | { kind: "reopened"; code: string } | { kind: "error"; text: string };

const statusKey = (status: string) => `complaints.status.${status}` as MessageKey;

/**
 * /complaints/track — the resident types their tracking code (or arrives with it in the #fragment from
 * the filing page) and sees the status, the timeline with its transactions and the SLA deadline; once
 * resolved they confirm the fix or reopen it, which gives them a NEW code.
 */
export function TrackComplaintPage(props: { url: URL }) {
  const i18n = useI18n();
  const { t, date } = i18n;
  const [code, setCode] = useState("");
  const [details, setDetails] = useState<TrackedComplaint | null>(null);
  const [loading, setLoading] = useState(false);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [action, setAction] = useState<Action>({ kind: "idle" });
  const [reason, setReason] = useState("");
  const choice = useChosenTown(props.url);
  // Category names in the reader's language come from the form catalogue of the complaint's town (of
  // the chosen town until a complaint is shown).
  const formTown = details?.complaint.municipalityId ?? choice.townId;
  const [categoryNames, setCategoryNames] = useState<Record<string, { name: string; nameTh: string }>>({});
  useEffect(() => {
    if (formTown === null) return;
    formOf(formTown).then((form) => setCategoryNames(Object.fromEntries(form.categories.map((c) => [c.code, c]))), () => {});
  }, [formTown]);

  async function show(which: string) {
    setLoading(true);
    setLookupError(null);
    setDetails(null);
    try {
      setDetails(await track(which));
    } catch (error) {
      setLookupError(errorText(i18n, "complaints", error));
    } finally {
      setLoading(false);
    }
  }

  // A code in the fragment (from "follow this complaint") is taken, then removed from the address bar.
  useEffect(() => {
    const linked = new URLSearchParams(props.url.hash.replace(/^#/, "")).get("code");
    if (!linked) return;
    setCode(linked);
    history.replaceState(history.state, "", props.url.pathname + props.url.search);
    void show(linked);
  }, []);

  async function act(work: () => Promise<{ details: TrackedComplaint; trackingCode?: string }>) {
    setAction({ kind: "working" });
    try {
      const answer = await work();
      setDetails(answer.details);
      if (answer.trackingCode) {
        setCode(answer.trackingCode);
        setAction({ kind: "reopened", code: answer.trackingCode });
      } else setAction({ kind: "confirmed" });
      setReason("");
    } catch (error) {
      setAction({ kind: "error", text: errorText(i18n, "complaints", error) });
    }
  }

  const complaint = details?.complaint;
  const complaintTown = choice.towns?.find((town) => town.id === complaint?.municipalityId);
  const categoryName = (code: string, fallback: string) => {
    const known = categoryNames[code];
    return known ? (i18n.lang === "th" ? known.nameTh : known.name) : <Value>{fallback}</Value>;
  };
  const overdue = complaint && OPEN_STATUSES.includes(complaint.detailedStatus) && Date.now() / 1000 > complaint.dueAt;
  return (
    <>
      <h1>{t("complaints.trackTitle")}</h1>
      <p class="lead">{t("complaints.trackIntro")}</p>
      <TownPicker choice={choice} />
      {choice.townId !== null && (
        <p>
          <a href={hrefFor("/complaints/new", i18n.lang, { town: String(choice.townId) })}>{t("towns.fileHere")}</a>
        </p>
      )}
      <form
        class="panel"
        onSubmit={(event) => {
          event.preventDefault();
          setAction({ kind: "idle" });
          void show(code);
        }}
      >
        <label for="tracking-code-input">{t("complaints.codeInputLabel")}</label>
        <div class="field-row">
          <input
            id="tracking-code-input"
            name="trackingCode"
            class="mono"
            autocomplete="off"
            spellcheck={false}
            aria-describedby="tracking-code-example"
            value={code}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
          <button type="submit">{t("complaints.show")}</button>
        </div>
        <p id="tracking-code-example" class="hint">
          {t("complaints.codeExample")} <Value mono>7K3Q-9PXR-M2D8-WC4T</Value>
        </p>
      </form>

      <div role="status" aria-live="polite" data-testid="track-status">
        {loading && <p class="working">{t("complaints.loadingTrack")}</p>}
        {lookupError && <p class="error">{lookupError}</p>}
        {complaint && (
          <p class={`complaint-status complaint-status--${complaint.detailedStatus}`} data-status={complaint.detailedStatus}>
            {t("complaints.statusLabel")}: <strong>{t(statusKey(complaint.detailedStatus))}</strong>
          </p>
        )}
        {/* A filing is answered once accepted; the chain confirms it blocks later (seconds on a real chain). */}
        {details?.confirmed === false && (
          <p class={details.filing?.state === "refused" ? "error" : "hint"} data-testid="filing-confirmation" data-state={details.filing?.state}>
            {t(details.filing?.state === "refused" ? "complaints.filingRefused" : "complaints.awaitingConfirmation")}
          </p>
        )}
      </div>

      {action.kind === "reopened" && <TrackingCode code={action.code} title={t("complaints.newCodeTitle")} text={t("complaints.newCodeText")} />}

      {details && complaint && (
        <>
          <section class="panel" aria-labelledby="complaint-facts">
            <h2 id="complaint-facts" class="visually-hidden">
              {t("complaints.statusLabel")}
            </h2>
            <dl class="facts">
              {complaintTown && (
                <>
                  <dt>{t("towns.label")}</dt>
                  <dd data-testid="complaint-town">
                    <Value>{townName(complaintTown, i18n.lang)}</Value>
                  </dd>
                </>
              )}
              <dt>{t("complaints.category")}</dt>
              <dd>{categoryName(complaint.serviceCode, complaint.serviceName)}</dd>
              <dt>{t("complaints.filedAt")}</dt>
              <dd>{date(complaint.filedAt * 1000)}</dd>
              <dt>{t("complaints.dueAt")}</dt>
              <dd data-testid="due-at">
                {date(complaint.dueAt * 1000)} {overdue && <strong class="overdue">{t("complaints.overdue")}</strong>}
              </dd>
              {complaint.reopenCount > 0 && (
                <>
                  <dt>{t("complaints.statusLabel")}</dt>
                  <dd>{t("complaints.reopenCount", { count: complaint.reopenCount })}</dd>
                </>
              )}
            </dl>
          </section>

          {complaint.detailedStatus === "resolved" && (
            <section class="panel resolve-answer" aria-labelledby="resolve-title">
              <h2 id="resolve-title">{t("complaints.resolvedAsk")}</h2>
              <p class="actions">
                <button type="button" disabled={action.kind === "working"} onClick={() => act(() => confirmFix(code))}>
                  {t("complaints.confirm")}
                </button>
              </p>
              <label for="reopen-reason">{t("complaints.reopenReasonLabel")}</label>
              <textarea id="reopen-reason" rows={3} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              <p class="actions">
                <button type="button" class="button--secondary" disabled={action.kind === "working"} onClick={() => act(() => reopenComplaint(code, reason))}>
                  {t("complaints.reopen")}
                </button>
              </p>
            </section>
          )}
          <div role="status" aria-live="polite" data-testid="action-status">
            {action.kind === "working" && <p class="working">{t("complaints.working")}</p>}
            {action.kind === "confirmed" && <p>{t("complaints.confirmedDone")}</p>}
            {action.kind === "error" && <p class="error">{action.text}</p>}
          </div>

          <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t("complaints.timelineTitle")}</h2>
            <ol class="timeline" data-testid="timeline">
              {details.history.map((note) => (
                <li key={note.txHash + note.status} data-status={note.status}>
                  <strong>{t(statusKey(note.status))}</strong> · {date(note.at * 1000)}
                  <br />
                  <span class="hint">
                    {t("complaints.transaction")} <Value mono>{note.txHash}</Value>
                  </span>
                  {note.status === "resolved" && note.dataHash && (
                    <>
                      <br />
                      <span class="hint">
                        {t("complaints.evidence")} <Value mono>{note.dataHash}</Value>
                      </span>
                    </>
                  )}
                </li>
              ))}
            </ol>
          </section>

          {details.content && (
            <section class="panel" aria-labelledby="content-title">
              <h2 id="content-title">{t("complaints.yourComplaint")}</h2>
              <dl class="facts">
                {details.content.lat !== null && details.content.long !== null && (
                  <>
                    <dt>{t("complaints.location")}</dt>
                    <dd data-testid="tracked-location">
                      <Value>
                        {details.content.lat.toFixed(5)}, {details.content.long.toFixed(5)}
                      </Value>
                    </dd>
                  </>
                )}
                {details.content.addressString && (
                  <>
                    <dt>{t("complaints.address")}</dt>
                    <dd>
                      <Value>{details.content.addressString}</Value>
                    </dd>
                  </>
                )}
                {details.content.description && (
                  <>
                    <dt>{t("complaints.description")}</dt>
                    <dd data-testid="tracked-description">
                      <Value>{details.content.description}</Value>
                    </dd>
                  </>
                )}
                {details.content.photoSha256 && (
                  <>
                    <dt>{t("complaints.photoAttached")}</dt>
                    <dd data-testid="tracked-photo">
                      <Value mono>{details.content.photoSha256}</Value>
                    </dd>
                  </>
                )}
              </dl>
              {details.contentMatchesChain !== null && (
                <p class={details.contentMatchesChain ? "check check--ok" : "check check--failed"} data-ok={String(details.contentMatchesChain)}>
                  <span aria-hidden="true">{details.contentMatchesChain ? "✓ " : "✗ "}</span>
                  {t(details.contentMatchesChain ? "complaints.contentOk" : "complaints.contentBad")}
                </p>
              )}
            </section>
          )}
        </>
      )}
    </>
  );
}
