import { useEffect, useRef, useState } from "preact/hooks";
import { RpcFailedError } from "../../../shared/verifyBundle.js";
import { Message, Value } from "../components/Message.js";
import { PermitDetails } from "../components/PermitDetails.js";
import { CheckList, DocumentDetails, VerdictHeadline } from "../components/VerdictPanel.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { navigate } from "../router.js";
import { checkDocument, normalizeSha256, sha256OfFile, type CheckStep, type DocumentCheck } from "../verify/checkDocument.js";
import { checkPermit, type PermitCheck } from "../verify/checkPermit.js";

type State =
  | { kind: "idle" }
  | { kind: "working"; step: "hashing" | CheckStep }
  | { kind: "document"; result: DocumentCheck; fileName?: string }
  | { kind: "permit"; result: PermitCheck }
  | { kind: "error"; message: MessageKey };

const STEP_MESSAGE: Record<"hashing" | CheckStep, MessageKey> = {
  hashing: "stepHashing",
  fetching: "stepFetching",
  checking: "stepChecking",
};

/**
 * Verify (no sign-in): a file dropped or picked (hashed here, never uploaded), a typed SHA-256, a typed
 * permit number, or a QR link (/verify?sha256=… or /verify?permit=…&v=…&h=…).
 */
export function VerifyPage(props: { url: URL }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State>({ kind: "idle" });
  const [hashText, setHashText] = useState("");
  const [hashError, setHashError] = useState(false);
  const [permitText, setPermitText] = useState("");
  const [dragging, setDragging] = useState(false);
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
      if (mine === run.current) setState({ kind: "error", message: error instanceof RpcFailedError ? "errorRpc" : "errorApi" });
    }
  }

  const query = props.url.searchParams;
  const linkedSha = query.get("sha256");
  const linkedPermit = query.get("permit");
  const linkedVersion = query.get("v");
  const linkedDataHash = query.get("h");
  useEffect(() => {
    if (linkedSha !== null) {
      const sha256 = normalizeSha256(linkedSha);
      setHashText(linkedSha);
      if (!sha256) {
        setHashError(true);
        return;
      }
      void perform(async (step) => ({ kind: "document", result: await checkDocument(sha256, step) }));
    } else if (linkedPermit) {
      setPermitText(linkedPermit);
      const version = linkedVersion && /^\d+$/.test(linkedVersion) ? Number(linkedVersion) : undefined;
      const paper = { version, dataHash: linkedDataHash ?? undefined };
      void perform(async (step) => ({ kind: "permit", result: await checkPermit(linkedPermit, paper, step) }));
    }
  }, [linkedSha, linkedPermit, linkedVersion, linkedDataHash]);

  function checkFile(file: File | undefined) {
    if (!file) return;
    void perform(async (step) => {
      step("hashing");
      let sha256: string;
      try {
        sha256 = await sha256OfFile(file);
      } catch {
        return { kind: "error", message: "errorFile" };
      }
      return { kind: "document", result: await checkDocument(sha256, step), fileName: file.name };
    });
  }

  function submitHash(event: Event) {
    event.preventDefault();
    const sha256 = normalizeSha256(hashText);
    setHashError(!sha256);
    if (sha256) navigate(hrefFor("/verify", lang, { sha256 }));
  }

  function submitPermit(event: Event) {
    event.preventDefault();
    const number = permitText.trim();
    if (number) navigate(hrefFor("/verify", lang, { permit: number }));
  }

  const verdict = state.kind === "document" || state.kind === "permit" ? state.result.verdict : undefined;
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
          {verdict && <VerdictHeadline verdict={verdict} />}
        </div>
        {state.kind === "document" && <DocumentDetails result={state.result} fileName={state.fileName} />}
        {state.kind === "permit" && <PermitResult result={state.result} />}
      </section>

      <div class="verify-inputs">
        <section class="panel" aria-labelledby="file-title">
          <h2 id="file-title">{t("fileSectionTitle")}</h2>
          <div
            class={dragging ? "drop-zone drop-zone--active" : "drop-zone"}
            data-testid="drop-zone"
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => {
              event.preventDefault();
              setDragging(false);
              checkFile(event.dataTransfer?.files[0]);
            }}
          >
            <span>{t("dropZone")}</span>{" "}
            <label class="button">
              {t("pickFile")}
              <input
                type="file"
                class="visually-hidden"
                accept="application/pdf,.pdf"
                onChange={(event) => {
                  const input = event.currentTarget;
                  checkFile(input.files?.[0]);
                  input.value = "";
                }}
              />
            </label>
          </div>
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
                aria-invalid={hashError}
                aria-describedby={hashError ? "sha256-error" : undefined}
                onInput={(event) => setHashText(event.currentTarget.value)}
              />
              <button type="submit">{t("check")}</button>
            </div>
            {hashError && (
              <p id="sha256-error" class="field-error">
                {t("hashInvalid")}
              </p>
            )}
          </form>
        </section>

        <section class="panel" aria-labelledby="permit-input-title">
          <h2 id="permit-input-title">{t("permitSectionTitle")}</h2>
          <form onSubmit={submitPermit}>
            <label for="permit-input">{t("permitNumberLabel")}</label>
            <div class="field-row">
              <input id="permit-input" name="permit" autocomplete="off" value={permitText} onInput={(event) => setPermitText(event.currentTarget.value)} />
              <button type="submit">{t("check")}</button>
            </div>
          </form>
          <p class="hint">{t("qrHint")}</p>
        </section>
      </div>

    </>
  );
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
  const version = <Value>{result.paperVersion ?? "?"}</Value>;
  const paper = !result.paperClaimed
    ? []
    : result.paperMatches === undefined
      ? [{ ok: false, text: t("checkPaperUnchecked") }]
      : [{ ok: result.paperMatches, text: <Message id={result.paperMatches ? "checkPaperOk" : "checkPaperFail"} values={{ version }} /> }];
  return (
    <>
      {paper.length > 0 && <CheckList checks={paper} />}
      {result.certificate?.bundle && <DocumentDetails result={result.certificate} />}
      <PermitDetails permit={result.permit} headingLevel={3} />
    </>
  );
}
