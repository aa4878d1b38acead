import { useEffect, useRef, useState } from "preact/hooks";
import { ProofBundleError } from "../../../shared/proofBundleFormat.js";
import { RpcFailedError } from "../../../shared/verifyBundle.js";
import { normalizeComplaintId } from "../../../shared/verifyComplaint.js";
import { packBundle, parseVerifyLink, unpackBundle, type VerifyLinkTarget } from "../../../shared/verifyLink.js";
import { Message, Value } from "../components/Message.js";
import { PermitDetails } from "../components/PermitDetails.js";
import { TownPicker } from "../components/TownPicker.js";
import { DocumentDetails, VerdictHeadline } from "../components/VerdictPanel.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { navigate } from "../router.js";
import { useChosenTown } from "../towns/chosenTown.js";
import { townName } from "../towns/townsApi.js";
import { CertificateResult, CERTIFICATE_TEXT } from "../verify/CertificateResult.js";
import type { CertificateCheck } from "../verify/checkCertificate.js";
import { checkBundle, checkHash, normalizeSha256, sha256OfFile, type CheckStep, type DocumentCheck, type HashOutcome } from "../verify/checkDocument.js";
import { checkPermit, type PermitCheck } from "../verify/checkPermit.js";
import { checkComplaint, checkReceipt, readJsonFile, type ComplaintCheck, type ReceiptCheck } from "../verify/checkRecords.js";
import { NoChainConfigError, ServiceUnavailableError } from "../verify/ledgerApi.js";
import { ComplaintResult, ReceiptResult } from "../verify/RecordResults.js";
import { FileDropZone } from "../components/FileDropZone.js";

type State =
  | { kind: "idle" }
  | { kind: "working"; step: "hashing" | CheckStep }
  | { kind: "document"; result: DocumentCheck; fileName?: string }
  | { kind: "certificate"; result: CertificateCheck; fileName?: string }
  | { kind: "needs-bundle"; sha256: string; fileName?: string }
  | { kind: "permit"; result: PermitCheck }
  | { kind: "receipt"; result: ReceiptCheck }
  | { kind: "complaint"; result: ComplaintCheck }
  | { kind: "error"; message: MessageKey };

const STEP_MESSAGE: Record<"hashing" | CheckStep, MessageKey> = {
  hashing: "stepHashing",
  fetching: "stepFetching",
  checking: "stepChecking",
};

const RECEIPT_VERDICT = { valid: "valid", pending: "pending", invalid: "unauthorised" } as const;
const RECEIPT_TEXT: Record<string, MessageKey> = { valid: "verifier.receiptValidText", pending: "verifier.receiptPendingText", invalid: "verifier.receiptInvalidText" };
const COMPLAINT_TEXT: Record<string, MessageKey> = {
  valid: "verifier.complaintValidText",
  unauthorised: "verifier.complaintUnauthorisedText",
  unknown: "verifier.complaintUnknownText",
};

/** The part of a permit number after its town's code: BLD/2026/000001 (the whole is TH-50-MAEHIA/BLD/2026/000001). */
const NUMBER_IN_TOWN = /^[A-Z0-9]{1,6}\/[0-9]{4}\/[0-9]{1,10}$/i;

// Bundles, receipts and records are a few kB; a larger .json is a document.
const MAX_JSON_BYTES = 1 << 20;

/** What the page shows for a hash's outcome. */
const stateOf = (outcome: HashOutcome, fileName?: string): State =>
  outcome.kind === "needs-bundle" ? { kind: "needs-bundle", sha256: outcome.sha256, fileName } : { ...outcome, fileName };

/** Why there is no verdict, in a sentence the resident can act on. */
function errorMessage(error: unknown): MessageKey {
  if (error instanceof RpcFailedError) return "errorRpc";
  if (error instanceof NoChainConfigError) return "verifier.errorNoChain";
  if (error instanceof ProofBundleError) return "verifier.linkInvalid";
  return "errorApi";
}

/** The Verify page's address for a link's target (the packed bundle stays in the fragment, never sent). */
function addressOf(target: VerifyLinkTarget, lang: "th" | "en"): string {
  switch (target.kind) {
    case "document":
      return hrefFor("/verify", lang, { sha256: target.sha256 }) + (target.bundle ? `#b=${packBundle(target.bundle)}` : "");
    case "permit":
      return hrefFor("/verify", lang, {
        permit: target.number,
        ...(target.version !== undefined ? { v: String(target.version) } : {}),
        ...(target.dataHash ? { h: target.dataHash } : {}),
      });
    case "complaint":
      return hrefFor("/verify", lang, { complaint: target.complaintId });
    case "receipt":
      return hrefFor("/funds/receipts", lang, { receipt: target.receiptId });
  }
}

/**
 * Verify (no sign-in): files dropped or picked (hashed here, never uploaded) — a document, with or without
 * its proof bundle beside it, a pledge receipt, a complaint record — a typed SHA-256, permit number or
 * complaint number, a pasted QR link, or a link opened (/verify?sha256=…[#b=…], ?permit=…&v=…&h=…,
 * ?complaint=…). Every verdict is the chain's, read through its RPC node; with the service down the page
 * still answers for certificates, bundles, receipts and complaints.
 */
export function VerifyPage(props: { url: URL }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State>({ kind: "idle" });
  const [hashText, setHashText] = useState("");
  const [hashError, setHashError] = useState<MessageKey | null>(null);
  const [permitText, setPermitText] = useState("");
  const [complaintText, setComplaintText] = useState("");
  const [complaintError, setComplaintError] = useState(false);
  // The chosen town completes a permit number typed without its town's code.
  const choice = useChosenTown(props.url);
  // Only the latest request may set the state: a slow answer to an older one is dropped.
  const run = useRef(0);

  async function perform(work: (step: (s: "hashing" | CheckStep) => void) => Promise<State>) {
    const mine = ++run.current;
    const step = (s: "hashing" | CheckStep) => mine === run.current && setState({ kind: "working", step: s });
    try {
      const next = await work(step);
      if (mine === run.current) setState(next);
    } catch (error) {
      console.error(error);
      if (mine === run.current) setState({ kind: "error", message: errorMessage(error) });
    }
  }

  const query = props.url.searchParams;
  const linkedSha = query.get("sha256");
  const linkedPermit = query.get("permit");
  const linkedVersion = query.get("v");
  const linkedDataHash = query.get("h");
  const linkedComplaint = query.get("complaint");
  const fragment = props.url.hash;
  useEffect(() => {
    if (linkedSha !== null) {
      const sha256 = normalizeSha256(linkedSha);
      setHashText(linkedSha);
      if (!sha256) {
        setHashError("hashInvalid");
        return;
      }
      const packed = new URLSearchParams(fragment.replace(/^#/, "")).get("b");
      // A QR code carrying the bundle: the verdict needs the chain alone.
      if (packed) void perform(async (step) => ({ kind: "document", result: await checkBundle(unpackBundle(packed), { sha256, from: "given" }, step) }));
      else void perform(async (step) => stateOf(await checkHash(sha256, step)));
    } else if (linkedPermit) {
      setPermitText(linkedPermit);
      const version = linkedVersion && /^\d+$/.test(linkedVersion) ? Number(linkedVersion) : undefined;
      const paper = { version, dataHash: linkedDataHash ?? undefined };
      void perform(async (step) => ({ kind: "permit", result: await checkPermit(linkedPermit, paper, step) }));
    } else if (linkedComplaint) {
      setComplaintText(linkedComplaint);
      const id = normalizeComplaintId(linkedComplaint);
      if (!id) {
        setComplaintError(true);
        return;
      }
      void perform(async (step) => {
        step("checking");
        const result = await checkComplaint(id);
        return result ? { kind: "complaint", result } : { kind: "error", message: "verifier.errorNoComplaintLedger" };
      });
    }
  }, [linkedSha, linkedPermit, linkedVersion, linkedDataHash, linkedComplaint, fragment]);

  /** Several files at once: a document with its proof bundle beside it, or a receipt, or a complaint record. */
  function checkFiles(files: File[]) {
    if (files.length === 0) return;
    void perform(async (step) => {
      step("hashing");
      const documents: File[] = [];
      const json: ReturnType<typeof readJsonFile>[] = [];
      try {
        for (const file of files) {
          const read = /\.json$/i.test(file.name) || file.type === "application/json" ? (file.size <= MAX_JSON_BYTES ? readJsonFile(await file.text()) : { kind: "other" as const }) : { kind: "other" as const };
          if (read.kind === "other") documents.push(file);
          else json.push(read);
        }
      } catch {
        return { kind: "error", message: "errorFile" };
      }
      if (json.some((file) => file.kind === "invalid")) return { kind: "error", message: "verifier.errorInvalidJson" };
      const receipt = json.find((file) => file.kind === "receipt");
      if (receipt && documents.length === 0) return { kind: "receipt", result: await checkReceipt(receipt.receipt) };
      const complaint = json.find((file) => file.kind === "complaint");
      if (complaint && documents.length === 0) {
        const result = await checkComplaint(complaint.claims.complaintId, complaint.claims);
        return result ? { kind: "complaint", result } : { kind: "error", message: "verifier.errorNoComplaintLedger" };
      }
      const bundles = json.flatMap((file) => (file.kind === "bundle" ? [file.bundle] : []));
      const document = documents[0];
      let sha256: string | undefined;
      if (document) {
        try {
          sha256 = await sha256OfFile(document);
        } catch {
          return { kind: "error", message: "errorFile" };
        }
      }
      if (bundles.length > 0) {
        // The bundle given with the document: the service is not asked for one.
        const bundle = bundles.find((b) => b.sha256 === sha256) ?? bundles[0];
        return { kind: "document", result: await checkBundle(bundle, { sha256, from: "given" }, step), fileName: document?.name };
      }
      if (!sha256) return { kind: "error", message: "verifier.errorInvalidJson" };
      return stateOf(await checkHash(sha256, step), document.name);
    });
  }

  function submitHash(event: Event) {
    event.preventDefault();
    const sha256 = normalizeSha256(hashText);
    if (sha256) {
      setHashError(null);
      navigate(hrefFor("/verify", lang, { sha256 }));
      return;
    }
    try {
      const target = parseVerifyLink(hashText.trim());
      setHashError(target ? null : "hashInvalid");
      if (target) navigate(addressOf(target, lang));
    } catch {
      setHashError("verifier.linkInvalid");
    }
  }

  function submitPermit(event: Event) {
    event.preventDefault();
    const text = permitText.trim();
    if (!text) return;
    let target: VerifyLinkTarget | null = null;
    try {
      target = /^https?:\/\//i.test(text) ? parseVerifyLink(text) : null;
    } catch {
      target = null;
    }
    const number = choice.town && NUMBER_IN_TOWN.test(text) ? `${choice.town.code}/${text.toUpperCase()}` : text;
    navigate(target ? addressOf(target, lang) : hrefFor("/verify", lang, { permit: number }));
  }

  function submitComplaint(event: Event) {
    event.preventDefault();
    const id = normalizeComplaintId(complaintText);
    setComplaintError(!id);
    if (id) navigate(hrefFor("/verify", lang, { complaint: id }));
  }

  const headline = headlineOf(state);
  return (
    <>
      <h1>{t("verifyTitle")}</h1>
      <p class="lead">{t("verifyIntro")}</p>

      {/* The result comes first: a QR link opened on a phone shows its verdict without scrolling. */}
      {/* Always rendered, so that screen readers know the live region before a verdict arrives. */}
      <section class="result" aria-labelledby={state.kind === "idle" ? undefined : "result-title"}>
        {state.kind !== "idle" && <h2 id="result-title">{t("resultTitle")}</h2>}
        {/* The verdict is announced when it arrives; the details below are read on request. */}
        <div role="status" aria-live="polite" aria-atomic="true" aria-busy={state.kind === "working"} data-testid="verdict">
          {state.kind === "working" && <p class="working">{t(STEP_MESSAGE[state.step])}</p>}
          {state.kind === "error" && <p class="error">{t(state.message)}</p>}
          {state.kind === "needs-bundle" && (
            <p class="error" data-testid="needs-bundle">
              {t("verifier.needsBundle")}
            </p>
          )}
          {headline && <VerdictHeadline {...headline} />}
        </div>
        {state.kind === "document" && <DocumentDetails result={state.result} fileName={state.fileName} />}
        {state.kind === "certificate" && <CertificateResult result={state.result} fileName={state.fileName} />}
        {state.kind === "permit" && <PermitResult result={state.result} />}
        {state.kind === "receipt" && <ReceiptResult result={state.result} />}
        {state.kind === "complaint" && <ComplaintResult result={state.result} />}
      </section>

      <div class="verify-inputs">
        <section class="panel" aria-labelledby="file-title">
          <h2 id="file-title">{t("fileSectionTitle")}</h2>
          <FileDropZone
            prompt={t("verifier.dropZone")}
            pickLabel={t("verifier.pickFiles")}
            accept="application/pdf,.pdf,application/json,.json"
            testId="drop-zone"
            onFiles={checkFiles}
          />
        </section>

        <section class="panel" aria-labelledby="hash-title">
          <h2 id="hash-title">{t("hashSectionTitle")}</h2>
          <form onSubmit={submitHash} noValidate>
            <label for="sha256-input">{t("hashLabel")}</label>
            <div class="field-row">
              <input
                id="sha256-input"
                name="sha256"
                class="mono"
                autocomplete="off"
                spellcheck={false}
                value={hashText}
                aria-invalid={hashError !== null}
                aria-describedby={hashError ? "sha256-error" : "sha256-hint"}
                onInput={(event) => setHashText(event.currentTarget.value)}
              />
              <button type="submit">{t("check")}</button>
            </div>
            <p id="sha256-hint" class="hint">
              {t("verifier.hashOrLink")}
            </p>
            {hashError && (
              <p id="sha256-error" class="field-error">
                {t(hashError)}
              </p>
            )}
          </form>
        </section>

        <section class="panel" aria-labelledby="permit-input-title">
          <h2 id="permit-input-title">{t("permitSectionTitle")}</h2>
          <TownPicker choice={choice} />
          <form onSubmit={submitPermit}>
            <label for="permit-input">{t("permitNumberLabel")}</label>
            <div class="field-row">
              <input
                id="permit-input"
                name="permit"
                autocomplete="off"
                value={permitText}
                aria-describedby="permit-hint"
                onInput={(event) => setPermitText(event.currentTarget.value)}
              />
              <button type="submit">{t("check")}</button>
            </div>
          </form>
          <p id="permit-hint" class="hint">
            {t("verifier.permitOrLink")}. {t("qrHint")}
          </p>
          {choice.town && (
            <p class="hint" data-testid="permit-town-hint">
              <Message id="towns.permitHint" values={{ town: <Value>{townName(choice.town, lang)}</Value>, code: <Value mono>{`${choice.town.code}/`}</Value> }} />
            </p>
          )}
        </section>

        <section class="panel" aria-labelledby="complaint-input-title">
          <h2 id="complaint-input-title">{t("verifier.complaintSectionTitle")}</h2>
          <form onSubmit={submitComplaint} noValidate>
            <label for="complaint-input">{t("verifier.complaintLabel")}</label>
            <div class="field-row">
              <input
                id="complaint-input"
                name="complaint"
                class="mono"
                autocomplete="off"
                spellcheck={false}
                value={complaintText}
                aria-invalid={complaintError}
                aria-describedby={complaintError ? "complaint-error" : undefined}
                onInput={(event) => setComplaintText(event.currentTarget.value)}
              />
              <button type="submit">{t("check")}</button>
            </div>
            {complaintError && (
              <p id="complaint-error" class="field-error">
                {t("verifier.complaintInvalid")}
              </p>
            )}
          </form>
        </section>
      </div>
    </>
  );
}

/** The large verdict of a result: its word, and the sentence for its kind of record. */
function headlineOf(state: State): Parameters<typeof VerdictHeadline>[0] | null {
  switch (state.kind) {
    case "document":
      return state.result.attachment
        ? { verdict: state.result.verdict, text: "attachedHeadline" }
        : { verdict: state.result.verdict, unauthorised: state.result.unauthorised };
    case "certificate":
    case "permit":
      return { verdict: state.result.verdict, text: CERTIFICATE_TEXT[state.result.verdict] };
    case "receipt":
      return { verdict: RECEIPT_VERDICT[state.result.verification.verdict], text: RECEIPT_TEXT[state.result.verification.verdict] };
    case "complaint":
      return { verdict: state.result.verification.verdict, text: COMPLAINT_TEXT[state.result.verification.verdict] };
    default:
      return null;
  }
}

function PermitResult(props: { result: PermitCheck }) {
  const { t } = useI18n();
  const { result } = props;
  if (!result.permit) {
    return (
      <p class="panel">
        {t("permitNotFound")} <Value>{result.number}</Value>
      </p>
    );
  }
  if (result.certificate) return <CertificateResult result={result.certificate} />;
  return <PermitDetails permit={result.permit} headingLevel={3} />;
}

