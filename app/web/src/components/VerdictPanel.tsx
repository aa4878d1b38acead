import type { ComponentChild, ComponentChildren } from "preact";
import type { AttachedFile } from "../../../shared/attachedFile.js";
import type { Check } from "../../../shared/proofBundle.js";
import type { CertificateVerdict } from "../../../shared/verifyCertificate.js";
import { documentVerifyLink } from "../../../shared/verifyLink.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { ISSUER_CHECKS, unauthorisedReasonOf, type DocumentCheck, type DocumentRevocation, type Municipality, type UnauthorisedReason } from "../verify/checkDocument.js";
import { Message, Value } from "./Message.js";
import { PermitDetails } from "./PermitDetails.js";
import { RoleName } from "./RoleName.js";

/** Every verdict a page shows: the shared vocabulary, and a permit's "expired". */
type ShownVerdict = CertificateVerdict;

const VERDICT_WORD: Record<ShownVerdict, MessageKey> = {
  valid: "verdictValid",
  revoked: "verdictRevoked",
  superseded: "verdictSuperseded",
  expired: "verifier.verdictExpired",
  pending: "verdictPending",
  unauthorised: "verdictUnauthorised",
  unknown: "verdictUnknown",
};
const VERDICT_TEXT: Record<ShownVerdict, MessageKey> = {
  valid: "verdictValidText",
  revoked: "verdictRevokedText",
  superseded: "verdictSupersededText",
  expired: "verifier.verdictExpiredText",
  pending: "verdictPendingText",
  unauthorised: "verdictUnauthorisedText",
  unknown: "verdictUnknownText",
};
const VERDICT_MARK: Record<ShownVerdict, string> = { valid: "✓", revoked: "✗", superseded: "!", expired: "✗", pending: "…", unauthorised: "✗", unknown: "?" };

/** Why a document is not authorised, in one sentence a resident can act on. */
export const UNAUTHORISED_REASON: Record<UnauthorisedReason, MessageKey> = {
  "no-signature": "unauthorisedNoSignature",
  signature: "unauthorisedSignature",
  role: "unauthorisedRole",
  compromised: "unauthorisedCompromised",
};

/**
 * The verdict, large and plain: a word, a mark that does not rely on colour, and one sentence; for an
 * `unauthorised` document, why.
 */
export function VerdictHeadline(props: { verdict: ShownVerdict; unauthorised?: UnauthorisedReason; text?: MessageKey }) {
  const { t } = useI18n();
  return (
    <div class={`verdict verdict--${props.verdict}`} data-verdict={props.verdict}>
      <p class="verdict__word">
        <span aria-hidden="true" class="verdict__mark">
          {VERDICT_MARK[props.verdict]}
        </span>{" "}
        {t(VERDICT_WORD[props.verdict])}
      </p>
      <p class="verdict__text">{t(props.text ?? VERDICT_TEXT[props.verdict])}</p>
      {props.verdict === "unauthorised" && !props.text && (
        <p class="verdict__reason" data-testid="verdict-reason" data-reason={props.unauthorised ?? "no-signature"}>
          {t(UNAUTHORISED_REASON[props.unauthorised ?? "no-signature"])}
        </p>
      )}
    </div>
  );
}

export interface PlainCheck {
  ok: boolean;
  text: ComponentChild;
  /** A name for the sentence (data-check), for those who read the page by machine. */
  name?: string;
}

const ANCHOR_CHECKS = ["chain-id", "contract-deployed", "root-anchored", "tx-receipt", "anchor-block", "anchor-event", "anchored-at"];
const UNCHANGED_CHECKS = ["document-unchanged", "leaf-matches-document", "proof-valid"];

/** The municipality by the Directory's name, else by its number. */
export function MunicipalityName(props: { municipality?: Municipality; id: number }) {
  const { t } = useI18n();
  return props.municipality?.name ? <Value>{props.municipality.name}</Value> : <>{t("municipalityNumber", { id: props.id })}</>;
}

/**
 * "<name> <address> (Document issuer)": the name only when the municipality's admin published one on the
 * chain for that address (Directory.officerName, read by the chain check), always with the address.
 */
export function Signer(props: { issuedBy: { address: string; name?: string; role: string } }) {
  const { issuedBy } = props;
  return (
    <span class="signer" data-signer={issuedBy.address} data-role={issuedBy.role}>
      {issuedBy.name && (
        <>
          <Value>{issuedBy.name}</Value>{" "}
        </>
      )}
      <Value mono>{issuedBy.address}</Value> (<RoleName role={issuedBy.role} />)
    </span>
  );
}

/** The sentence on who issued the document: the municipality and the signer, only when the chain check established them. */
function issuerCheck(result: DocumentCheck, t: ReturnType<typeof useI18n>["t"], date: (ms: number) => string): PlainCheck {
  const byName = new Map(result.checks.map((check) => [check.name, check]));
  const bundle = result.bundle!;
  const municipality = <MunicipalityName municipality={result.municipality} id={bundle.municipalityId} />;
  const suspended = result.municipality?.suspended === true;
  if (!ISSUER_CHECKS.some((name) => byName.has(name))) {
    // A record that is not an issued document (the verifier ran no issuer check): anchored for a
    // municipality, which is all that is claimed.
    return {
      name: "issuer",
      ok: passedAll(byName, ["root-anchored"]) && !suspended,
      text: (
        <>
          <Message id="checkRecordedFor" values={{ municipality }} />
          {suspended && <> {t("checkMunicipalitySuspended")}</>}
        </>
      ),
    };
  }
  const issuerChecked = ISSUER_CHECKS.every((name) => byName.get(name)?.ok === true);
  const { issuedBy } = result;
  if (result.verdict === "unauthorised" || !issuerChecked || !issuedBy || issuedBy.source !== "chain") {
    // Said as what it is: anchored for a municipality, not issued by it. The signer is named only when
    // the signature is theirs (it recovered, and the failing check is the role or the key).
    const reason = result.unauthorised ?? unauthorisedReasonOf(bundle, result.checks);
    const named = issuedBy && (reason === "role" || reason === "compromised");
    return {
      name: "issuer",
      ok: false,
      text: (
        <>
          {t(UNAUTHORISED_REASON[reason])}{" "}
          <Message id="checkRecordedFor" values={{ municipality }} />
          {named && (
            <>
              {" "}
              <Message id="checkSignatureBy" values={{ signer: <Signer issuedBy={issuedBy} /> }} />
            </>
          )}
        </>
      ),
    };
  }
  return {
    name: "issuer",
    ok: passedAll(byName, ["root-anchored"]) && !suspended,
    text: (
      <>
        <Message
          id="checkIssuedBy"
          values={{ municipality, signer: <Signer issuedBy={issuedBy} />, date: issuedBy.signedAt === undefined ? "?" : date(issuedBy.signedAt) }}
        />
        {suspended && <> {t("checkMunicipalitySuspended")}</>}
      </>
    ),
  };
}

const passedAll = (byName: Map<string, { ok: boolean }>, names: string[]) => names.every((name) => byName.get(name)?.ok !== false);

/** verifyProofBundle's checks, said as the four sentences a resident needs. */
function plainChecks(result: DocumentCheck, t: ReturnType<typeof useI18n>["t"], date: (ms: number) => string): PlainCheck[] {
  const byName = new Map(result.checks.map((check) => [check.name, check]));
  const passed = (names: string[]) => passedAll(byName, names);
  const bundle = result.bundle!;
  const revokedDetail = byName.get("not-revoked")?.detail ?? "";
  const checks: PlainCheck[] = [
    { name: "unchanged", ok: passed(UNCHANGED_CHECKS), text: t(passed(UNCHANGED_CHECKS) ? "checkUnchangedOk" : "checkUnchangedFail") },
    passed(ANCHOR_CHECKS)
      ? { name: "anchored", ok: true, text: <Message id="checkAnchoredOk" values={{ block: <Value>{bundle.blockNumber}</Value>, time: date(bundle.anchoredAt * 1000) }} /> }
      : { name: "anchored", ok: false, text: t("checkAnchoredFail") },
    issuerCheck(result, t, date),
    passed(["not-revoked"])
      ? { name: "not-revoked", ok: true, text: t("checkNotRevokedOk") }
      : {
          name: "not-revoked",
          ok: false,
          text: result.revocation ? <Revoked revocation={{ ...result.revocation, officer: <Value mono>{result.revocation.actor}</Value> }} /> : t(/Revoked/.test(revokedDetail) ? "checkNotRevokedRevoked" : "checkNotRevokedFail"),
        },
  ];
  if (result.permitNumber) checks.push({ name: "current", ok: !result.superseded, text: t(result.superseded ? "checkCurrentFail" : "checkCurrentOk") });
  return checks;
}

export function CheckList(props: { checks: PlainCheck[] }) {
  const { t } = useI18n();
  return (
    <ul class="checks">
      {props.checks.map((check, i) => (
        <li key={i} class={check.ok ? "check check--ok" : "check check--failed"} data-ok={String(check.ok)} data-check={check.name}>
          <span class="check__mark" aria-hidden="true">
            {check.ok ? "✓" : "✗"}
          </span>
          <span class="visually-hidden">{t(check.ok ? "passed" : "failed")}: </span>
          <span>{check.text}</span>
        </li>
      ))}
    </ul>
  );
}

/** Who revoked it, when and why: the chain's event, the catalogue's words for its code, the officer's own when they match. */
export function Revoked(props: { revocation: Pick<DocumentRevocation, "reasonCode" | "reason" | "words"> & { at?: number; officer: ComponentChild } }) {
  const { t, lang, date } = useI18n();
  const { revocation } = props;
  return (
    <span data-testid="revocation" data-reason-code={revocation.reasonCode}>
      <Message
        id="verifier.revokedDetail"
        values={{
          date: revocation.at ? date(revocation.at * 1000) : "?",
          officer: revocation.officer,
          reason: revocation.reason ? revocation.reason[lang] : <Value>{revocation.reasonCode}</Value>,
          code: <Value>{revocation.reasonCode}</Value>,
        }}
      />
      {revocation.words && (
        <>
          {" "}
          <Message id="verifier.revokedWords" values={{ words: <Value>{revocation.words}</Value> }} />
        </>
      )}
      {!revocation.at && <> {t("checkNotRevokedRevoked")}</>}
    </span>
  );
}

const ATTACHED_TEXT: Record<AttachedFile["kind"], MessageKey> = {
  "complaint-photo": "attachedComplaintPhoto",
  "complaint-reason": "attachedComplaintReason",
  "complaint-evidence": "attachedComplaintEvidence",
  "permit-application-document": "attachedPermitDocument",
};

/** Every check with the verifier's own words, and the node it asked: the "technical details" of a record. */
export function RawChecks(props: { checks: Check[]; rpcUrl?: string; chainId?: number; label?: (name: string) => string; children?: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <details class="technical">
      <summary>{t("technicalTitle")}</summary>
      <p>
        <Message id="checkedAgainst" values={{ url: <Value mono>{props.rpcUrl}</Value>, chainId: <Value>{props.chainId}</Value> }} />
      </p>
      <ul class="raw-checks">
        {props.checks.map((check) => (
          <li key={check.name} data-check={check.name} data-ok={String(check.ok)}>
            <span aria-hidden="true">{check.ok ? "✓ " : "✗ "}</span>
            <span class="visually-hidden">{t(check.ok ? "passed" : "failed")}: </span>
            {props.label ? <strong>{props.label(check.name)}</strong> : <code translate={false}>{check.name}</code>}
            <br />
            <code lang="en" translate={false} class="raw-detail">
              {check.detail}
            </code>
          </li>
        ))}
      </ul>
      {props.children}
    </details>
  );
}

/** A file to save, made in the page from what it checked: nothing is asked of the service. */
export const jsonDownload = (value: unknown) => `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(value, null, 2))}`;

/** What was checked, in plain sentences, then every technical check for those who want to repeat it. */
/** The checked file's name, first of a result's facts (none for a hash or a link). */
export function FileNameFact(props: { name?: string }) {
  const { t } = useI18n();
  if (!props.name) return null;
  return (
    <>
      <dt>{t("documentLabel")}</dt>
      <dd>
        <Value>{props.name}</Value>
      </dd>
    </>
  );
}

export function DocumentDetails(props: { result: DocumentCheck; fileName?: string }) {
  const { t, lang, date } = useI18n();
  const { result } = props;
  return (
    <section class="panel" aria-labelledby="checks-title" data-testid="document-result">
      <dl class="facts">
        <FileNameFact name={props.fileName} />
        <dt>{t("sha256Label")}</dt>
        <dd>
          <Value mono>{result.sha256}</Value>
        </dd>
      </dl>
      {result.permitNumber && (
        <p>
          {t("permitIsCertificate")}{" "}
          <a href={hrefFor(`/permits/${encodeURIComponent(result.permitNumber)}`, lang)}>
            <Value>{result.permitNumber}</Value>
          </a>
        </p>
      )}
      {result.attachment && (
        <p data-testid="attachment">
          <Message
            id={ATTACHED_TEXT[result.attachment.kind]}
            values={{
              reference: <Value mono={!result.attachment.permitNumber}>{result.attachment.permitNumber ?? result.attachment.complaintId}</Value>,
              date: date(result.attachment.attachedAt),
            }}
          />
        </p>
      )}
      {!result.bundle && result.issuedBy?.source === "service" && (
        <p data-testid="issuer-claimed">
          <Message
            id="issuerClaimed"
            values={{ signer: <Signer issuedBy={result.issuedBy} />, municipality: <MunicipalityName id={result.issuedBy.municipalityId} /> }}
          />
        </p>
      )}
      {result.bundle && (
        <>
          <h3 id="checks-title">{t("checksTitle")}</h3>
          <CheckList checks={plainChecks(result, t, date)} />
          <RawChecks checks={result.checks} rpcUrl={result.rpcUrl} chainId={result.chainId} label={(name) => t(`raw.${name}` as MessageKey)}>
            <p>
              <a href={jsonDownload(result.bundle)} download={`proof-${result.sha256.slice(2, 14)}.json`}>
                {t("proofDownload")}
              </a>
            </p>
            <h4>{t("verifier.linkTitle")}</h4>
            <p class="note">{t("verifier.linkText")}</p>
            <p class="verify-link">
              <code translate={false} data-testid="verify-link">
                {documentVerifyLink(location.origin, result.bundle)}
              </code>
            </p>
          </RawChecks>
          {result.bundleFrom === "given" && <p class="note">{t("verifier.bundleGiven")}</p>}
          {result.offline && <p class="note" data-testid="offline-note">{t("verifier.offlineNote")}</p>}
        </>
      )}
      {result.permit && <PermitDetails permit={result.permit} headingLevel={3} />}
    </section>
  );
}
