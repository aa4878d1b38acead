import { useState } from "preact/hooks";
import { DOCUMENT_REVOCATION_REASONS } from "../../../shared/issuance.js";
import { Message, Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { normalizeSha256, sha256OfFile } from "../verify/checkDocument.js";
import type { LedgerSigner } from "../wallet/types.js";
import { ApiError } from "./api.js";
import { REASON_MAX_LENGTH, REVOCATION_REASON_CODES, revokeIssuedDocument, type DocumentRevoked, type RevocationStep } from "./documentRevocation.js";
import { ActionStatus, codeOf, errorText, type Status } from "./status.js";

const BUSY: Record<RevocationStep, MessageKey> = {
  checking: "issueDocuments.busyRevokeChecking",
  signing: "issueDocuments.busyRevokeSigning",
  sending: "issueDocuments.busyRevokeSending",
};

export interface RevokeFormProps {
  signer: LedgerSigner | null;
  /** The municipalities where the session holds DOCUMENT_ISSUER. */
  issuerOf: readonly number[];
  /** The document, when the form is a just-issued document's action; without it the officer picks a file or types a SHA-256. */
  document?: { sha256: string };
  /** The ids of what names the form (aria-labelledby). */
  labelledBy?: string;
  onRevoked?: (revoked: DocumentRevoked) => void;
  onCancel?: () => void;
}

/**
 * The revocation of one issued document: its file (hashed here) or SHA-256, the reason's code and its
 * words (public), signed with the unlocked key and relayed by the service. Its progress shows under
 * the button, its outcome (the revocation, or why it failed) under the form.
 */
export function RevokeDocumentForm(props: RevokeFormProps) {
  const { t, lang } = useI18n();
  const { signer } = props;
  const [sha256Text, setSha256Text] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [hashing, setHashing] = useState(false);
  const [reasonCode, setReasonCode] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Status>(null);
  const [outcome, setOutcome] = useState<{ revoked: DocumentRevoked } | { error: unknown } | null>(null);

  // An outcome speaks of what was sent: once the officer edits the form, it is gone.
  const edited = () => {
    setOutcome(null);
    setProgress(null);
  };

  function pick(file: File | undefined) {
    if (!file) return;
    setHashing(true);
    edited();
    sha256OfFile(file)
      .then((sha256) => {
        setSha256Text(sha256);
        setFileName(file.name);
      })
      .catch((error) => setOutcome({ error }))
      .finally(() => setHashing(false));
  }

  async function revoke(event: Event) {
    event.preventDefault();
    if (!signer) return;
    setBusy(true);
    setOutcome(null);
    try {
      const sha256 = props.document?.sha256 ?? normalizeSha256(sha256Text);
      if (!sha256) throw new ApiError("SHA256_INVALID", 0, "not a SHA-256");
      const revoked = await revokeIssuedDocument(signer, { sha256, reasonCode: Number(reasonCode), reason, issuerOf: props.issuerOf }, (step) =>
        setProgress({ kind: "busy", key: BUSY[step] }),
      );
      setProgress({ kind: "ok", key: "issueDocuments.revokedDone" });
      setOutcome({ revoked });
      setSha256Text("");
      setFileName(null);
      setReasonCode("");
      setReason("");
      props.onRevoked?.(revoked);
    } catch (error) {
      setProgress(null);
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  }

  const target = props.document?.sha256 ?? sha256Text;
  return (
    <>
      <form class="officer-revoke" data-testid="revoke-form" aria-labelledby={props.labelledBy} onSubmit={revoke}>
        {!props.document && (
          <>
            {/* A button in the page's language, not the browser's own file field. */}
            <label class="button">
              {t("issueDocuments.revokeFile")}
              <input
                type="file"
                class="visually-hidden"
                data-testid="revoke-file-input"
                disabled={busy}
                onChange={(event) => {
                  const input = event.currentTarget;
                  pick(input.files?.[0]);
                  input.value = "";
                }}
              />
            </label>
            <label>
              {t("issueDocuments.revokeSha256")}
              <span class="field-row">
                <input
                  name="sha256"
                  class="mono"
                  autoComplete="off"
                  spellcheck={false}
                  placeholder="0x…"
                  required
                  value={sha256Text}
                  disabled={busy}
                  onInput={(event) => {
                    setSha256Text(event.currentTarget.value);
                    setFileName(null);
                    edited();
                  }}
                />
              </span>
            </label>
            {hashing && <p class="officer-hint">{t("issueDocuments.hashing")}</p>}
            {fileName && !hashing && (
              <p class="officer-hint" data-testid="revoke-file-hashed">
                <Message id="issueDocuments.revokeFileHashed" values={{ name: <Value>{fileName}</Value> }} />
              </p>
            )}
          </>
        )}
        <label>
          {t("issueDocuments.revokeReasonCode")}
          <select name="reasonCode" required value={reasonCode} disabled={busy} onChange={(event) => {
              setReasonCode(event.currentTarget.value);
              edited();
            }}>
            <option value="" disabled>
              {t("issueDocuments.revokeReasonChoose")}
            </option>
            {REVOCATION_REASON_CODES.map((code) => (
              <option key={code} value={String(code)}>
                {DOCUMENT_REVOCATION_REASONS[code][lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("issueDocuments.revokeReason")}
          <textarea
            name="reason"
            rows={3}
            required
            maxLength={REASON_MAX_LENGTH}
            value={reason}
            disabled={busy}
            aria-describedby={props.document ? undefined : "revoke-reason-hint"}
            onInput={(event) => {
              setReason(event.currentTarget.value);
              edited();
            }}
          />
        </label>
        <p class="officer-hint" id={props.document ? undefined : "revoke-reason-hint"}>
          {t("issueDocuments.revokeReasonHint")}
        </p>
        <div class="officer-actions">
          <button type="submit" class="officer-danger" disabled={!signer || busy || hashing || target === ""}>
            {t("issueDocuments.revokeSign")}
          </button>
          {props.onCancel && (
            <button type="button" class="officer-link" disabled={busy} onClick={props.onCancel}>
              {t("issueDocuments.revokeCancel")}
            </button>
          )}
        </div>
        <ActionStatus status={progress} />
        {!signer && <p class="officer-hint">{t("officer.unlockToSign")}</p>}
        <p class="officer-hint">{t("issueDocuments.revokeHint")}</p>
      </form>
      {outcome && "error" in outcome && (
        <p class="field-error" data-testid="revoke-result" data-outcome="error" data-code={codeOf(outcome.error)}>
          {t("issueDocuments.revokeFailed")}: {errorText(t, outcome.error, "issueDocuments")}{" "}
          <span class="officer-status__code">
            (<Message id="officer.errorCode" values={{ code: <Value>{codeOf(outcome.error)}</Value> }} />)
          </span>
        </p>
      )}
      {outcome && "revoked" in outcome && !props.document && <Revocation revoked={outcome.revoked} withHash />}
    </>
  );
}

/**
 * A revocation the chain recorded: the reason in the reader's language and the officer's words, who
 * signed, the transaction, the verify link (and the document's SHA-256 where nothing above shows it).
 */
export function Revocation(props: { revoked: DocumentRevoked; withHash?: boolean }) {
  const { t, lang } = useI18n();
  const { revoked } = props;
  return (
    <div data-testid="revoke-result" data-outcome="revoked" data-sha256={revoked.sha256}>
      <p class="officer-warning">{t("issueDocuments.revokedTitle")}</p>
      <p>
        <Message
          id="issueDocuments.revokedReason"
          values={{ reason: DOCUMENT_REVOCATION_REASONS[revoked.reasonCode]?.[lang] ?? <Value>{revoked.reasonCode}</Value>, words: <Value>{revoked.reason}</Value> }}
        />
      </p>
      <p class="issue-hash">
        <Message id="issueDocuments.revokedBy" values={{ address: <Value mono>{revoked.revokedBy}</Value>, txHash: <Value mono>{revoked.txHash}</Value> }} />
      </p>
      {props.withHash && (
        <p class="issue-hash">
          SHA-256 <Value mono>{revoked.sha256}</Value>
        </p>
      )}
      <a href={hrefFor("/verify", lang, { sha256: revoked.sha256 })} target="_blank" rel="noopener" data-testid="revoked-verify-link">
        {t("issueDocuments.verifyLink")}
      </a>
    </div>
  );
}
