import { useEffect, useRef, useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { sha256OfFile } from "../verify/checkDocument.js";
import { ApiError } from "./api.js";
import type { DocumentRevoked } from "./documentRevocation.js";
import { isAnchored, recordStatus, signDocuments, uploadIssued, type Issued } from "./issueDocuments.js";
import { useMunicipalityNames } from "./municipalityNames.js";
import { Revocation, RevokeDocumentForm } from "./RevokeDocument.js";
import type { SectionProps } from "./sections.js";
import { ActionStatus } from "./status.js";
import { useAction } from "./useAction.js";
import { FileDropZone } from "../components/FileDropZone.js";

/** A file chosen for issuing, with its SHA-256 once the browser has hashed it. */
interface Chosen {
  key: number;
  file: File;
  sha256: string | null;
}

const STATUS_LABEL: Record<string, MessageKey> = {
  pending: "issueDocuments.status.pending",
  submitted: "issueDocuments.status.submitted",
  anchored: "issueDocuments.status.anchored",
  final: "issueDocuments.status.final",
};
/** How often, and how many times, the console asks for the records' status until they are anchored. */
const POLL_MS = 2_000;
const POLLS = 90;

/**
 * Issue documents (a DOCUMENT_ISSUER's tab): pick the municipality, drop or choose files, and sign ONE
 * issuance over their list with the unlocked key; the files go to the ledger with it, and each record
 * is shown with its status and a link to its verify page. Each anchored record can be revoked there, and
 * any issued document by its file or SHA-256 below (RevokeDocument.tsx): the officer's own signature too.
 */
export function IssueSection(props: SectionProps) {
  const { t, lang } = useI18n();
  const { signer, report } = props;
  const municipalities = [...new Set(props.session.roles.filter((r) => r.role === "DOCUMENT_ISSUER").map((r) => r.municipalityId))];
  const names = useMunicipalityNames(municipalities);
  const [municipalityId, setMunicipalityId] = useState<number | undefined>(municipalities[0]);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [issued, setIssued] = useState<(Issued & { fileNames: Map<string, string> }) | null>(null);
  const { busy, act, show, statusAt } = useAction();
  // The just-issued document whose revocation form is open, and the documents revoked from this tab.
  const [revoking, setRevoking] = useState<string | null>(null);
  const [revoked, setRevoked] = useState<ReadonlyMap<string, DocumentRevoked>>(new Map());
  const nextKey = useRef(0);

  // Each record's status until it is anchored, so that its verify link gives a verdict.
  useEffect(() => {
    if (!issued || issued.documents.every((d) => isAnchored(d.status))) return;
    let polls = 0;
    const timer = setInterval(async () => {
      if (++polls > POLLS) return clearInterval(timer);
      try {
        await refresh();
      } catch {
        // The next poll, or the Refresh button, tries again.
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [issued?.documents.map((d) => d.status).join(",")]);

  async function refresh() {
    if (!issued) return;
    const statuses = await Promise.all(issued.documents.map((d) => (isAnchored(d.status) ? d.status : recordStatus(d.recordId))));
    setIssued((current) => (current === null || current.documents.length !== statuses.length ? current : { ...current, documents: current.documents.map((d, i) => ({ ...d, status: statuses[i] })) }));
  }

  function add(files: Iterable<File>) {
    show("files", null);
    for (const file of files) {
      if (file.size === 0) {
        show("files", { kind: "error", error: new ApiError("FILE_EMPTY", 0, file.name) });
        continue;
      }
      const key = nextKey.current++;
      setChosen((list) => [...list, { key, file, sha256: null }]);
      sha256OfFile(file).then(
        (sha256) =>
          // The same bytes chosen twice are one document: the later copy is dropped.
          setChosen((list) => (list.some((c) => c.sha256 === sha256) ? list.filter((c) => c.key !== key) : list.map((c) => (c.key === key ? { ...c, sha256 } : c)))),
        (error) => {
          setChosen((list) => list.filter((c) => c.key !== key));
          show("files", { kind: "error", error });
        },
      );
    }
  }

  async function issue(event: Event) {
    event.preventDefault();
    const ready = chosen.filter((c): c is Chosen & { sha256: string } => c.sha256 !== null);
    if (!signer || municipalityId === undefined || ready.length === 0 || ready.length !== chosen.length) return;
    await act(
      "issue",
      async (progress) => {
        progress({ kind: "busy", key: "issueDocuments.busySigning", values: { count: ready.length } });
        const statement = await signDocuments(signer, municipalityId, ready.map((c) => c.sha256));
        progress({ kind: "busy", key: "issueDocuments.busyUploading", values: { count: ready.length } });
        const answer = await uploadIssued(ready.map((c) => c.file), statement);
        setIssued({ ...answer, fileNames: new Map(ready.map((c) => [c.sha256, c.file.name])) });
        setChosen([]);
        return answer;
      },
      (answer) => ({ kind: "ok", key: "issueDocuments.done", values: { count: answer.documents.length } }),
    );
  }

  if (municipalities.length === 0) return <p data-testid="not-issuer">{t("issueDocuments.notIssuer")}</p>;
  const municipalityName = (id: number) => (names.has(id) ? names.get(id)! : t("officer.municipalityNumber", { id }));
  const hashing = chosen.some((c) => c.sha256 === null);
  const onRevoked = (revocation: DocumentRevoked) => {
    setRevoked((map) => new Map(map).set(revocation.sha256, revocation));
    setRevoking(null);
  };

  return (
    <div class="issue" data-testid="issue">
      <h3 id="issue-title">{t("issueDocuments.title")}</h3>
      <p class="officer-hint">{t("issueDocuments.intro")}</p>
      <form class="issue-form" aria-labelledby="issue-title" onSubmit={issue}>
        <label>
          {t("issueDocuments.municipality")}
          <select
            name="municipality"
            value={String(municipalityId)}
            onChange={(event) => setMunicipalityId(Number(event.currentTarget.value))}
            translate={false}
          >
            {municipalities.map((id) => (
              <option key={id} value={String(id)}>
                {municipalityName(id)}
              </option>
            ))}
          </select>
        </label>
        <FileDropZone
          prompt={t("issueDocuments.dropZone")}
          pickLabel={t("issueDocuments.pickFiles")}
          testId="issue-drop-zone"
          inputTestId="issue-files-input"
          onFiles={add}
        />
        {chosen.length > 0 && (
          <ul class="issue-files" data-testid="issue-files" aria-label={t("issueDocuments.chosenTitle")}>
            {chosen.map((c) => (
              <li key={c.key} data-sha256={c.sha256 ?? ""}>
                <div class="issue-files__row">
                  <strong>
                    <Value>{c.file.name}</Value>
                  </strong>
                  <button
                    type="button"
                    class="officer-link"
                    disabled={busy}
                    onClick={() => setChosen((list) => list.filter((other) => other.key !== c.key))}
                  >
                    {t("issueDocuments.remove")}
                    <span class="visually-hidden">
                      {" "}
                      <Value>{c.file.name}</Value>
                    </span>
                  </button>
                </div>
                <span class="issue-hash">
                  {t("officer.documentSize", { size: c.file.size })} · {c.sha256 ? <Value mono>{c.sha256}</Value> : t("issueDocuments.hashing")}
                </span>
              </li>
            ))}
          </ul>
        )}
        <ActionStatus status={statusAt("files")} />
        <div class="officer-actions">
          <button type="submit" disabled={!signer || busy || hashing || chosen.length === 0 || municipalityId === undefined}>
            {t("issueDocuments.sign", { count: chosen.length })}
          </button>
        </div>
        <ActionStatus status={statusAt("issue")} />
        {!signer && <p class="officer-hint">{t("officer.unlockToSign")}</p>}
        <p class="officer-hint">{t("issueDocuments.signHint")}</p>
      </form>

      {issued && (
        <section aria-labelledby="issued-title" data-testid="issued">
          <div class="officer-heading">
            <h3 id="issued-title">{t("issueDocuments.issuedTitle")}</h3>
            <button type="button" onClick={() => refresh().catch((error) => report({ kind: "error", error }))}>
              {t("officer.refresh")}
            </button>
          </div>
          <p>
            <Message
              id="issueDocuments.issuedBy"
              values={{ address: <Value mono>{issued.issuer}</Value>, municipality: <Value>{municipalityName(issued.municipalityId)}</Value> }}
            />
          </p>
          <ul class="issue-results">
            {issued.documents.map((d) => {
              const name = issued.fileNames.get(d.sha256) ?? d.sha256;
              const revocation = revoked.get(d.sha256);
              // The action's accessible name is "Revoke… <file name>", without a hidden copy of the name
              // (which, on a phone, would widen the page).
              const rowId = `issued-${d.sha256.slice(2, 18)}`;
              return (
                <li key={d.sha256} data-sha256={d.sha256} data-status={d.status} data-revoked={revocation ? "true" : undefined}>
                  <strong id={`${rowId}-name`}>
                    <Value>{name}</Value>
                  </strong>
                  <span class="issue-hash">
                    SHA-256 <Value mono>{d.sha256}</Value>
                  </span>
                  {revocation ? (
                    <Revocation revoked={revocation} />
                  ) : (
                    <>
                      <span class={`issue-status issue-status--${d.status}`}>
                        {d.status in STATUS_LABEL ? t(STATUS_LABEL[d.status]) : <Value>{d.status}</Value>}
                      </span>
                      {d.created === false && <> · {t("issueDocuments.alreadyOnLedger")}</>}
                      {" · "}
                      <a href={hrefFor("/verify", lang, { sha256: d.sha256 })} target="_blank" rel="noopener" data-testid="verify-link">
                        {t("issueDocuments.verifyLink")}
                      </a>
                      {isAnchored(d.status) && (
                        <>
                          {" · "}
                          <button
                            type="button"
                            class="officer-link"
                            id={`${rowId}-revoke`}
                            aria-labelledby={`${rowId}-revoke ${rowId}-name`}
                            data-testid="revoke-action"
                            aria-expanded={revoking === d.sha256 ? "true" : "false"}
                            onClick={() => setRevoking((open) => (open === d.sha256 ? null : d.sha256))}
                          >
                            {t("issueDocuments.revokeAction")}
                          </button>
                        </>
                      )}
                      {revoking === d.sha256 && (
                        <div class="officer-block">
                          <RevokeDocumentForm
                            signer={signer}
                            issuerOf={municipalities}
                            document={{ sha256: d.sha256 }}
                            labelledBy={`${rowId}-revoke ${rowId}-name`}
                            onRevoked={onRevoked}
                            onCancel={() => setRevoking(null)}
                          />
                        </div>
                      )}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <details class="officer-block" data-testid="revoke-document">
        <summary id="revoke-title">{t("issueDocuments.revokeTitle")}</summary>
        <p class="officer-hint">{t("issueDocuments.revokeIntro")}</p>
        <RevokeDocumentForm signer={signer} issuerOf={municipalities} labelledBy="revoke-title" onRevoked={onRevoked} />
      </details>
    </div>
  );
}
