import { Message, Value } from "../components/Message.js";
import { PermitDetails } from "../components/PermitDetails.js";
import { CheckList, FileNameFact, jsonDownload, MunicipalityName, RawChecks, Revoked, Signer, type PlainCheck } from "../components/VerdictPanel.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { PERMIT_REVOCATION_REASONS, type CertificateVerdict } from "../../../shared/verifyCertificate.js";
import type { CertificateCheck } from "./checkCertificate.js";

/** The headline's sentence for a certificate: the document words would speak of a "document". */
export const CERTIFICATE_TEXT: Partial<Record<CertificateVerdict, MessageKey>> = {
  valid: "verifier.certValidText",
  revoked: "verifier.certRevokedText",
  unauthorised: "verifier.certUnauthorisedText",
  unknown: "verifier.certUnknownText",
  pending: "verifier.certPendingText",
};

/**
 * A permit certificate's check in sentences: on the chain as which permit and version, who signed its
 * issue (or amendment) with which role, revoked or not (with the reason), current or superseded, valid
 * until when, and — for a QR code — what was compared. Then every check, as the CLI prints them.
 */
export function CertificateResult(props: { result: CertificateCheck; fileName?: string }) {
  const { t, lang, date } = useI18n();
  const { result } = props;
  const { verification } = result;
  const facts = verification.certificate;
  const byName = new Map(verification.checks.map((check) => [check.name, check]));
  const ok = (name: string) => byName.get(name)?.ok !== false;
  const municipality = facts ? <MunicipalityName municipality={{ id: facts.municipalityId, name: facts.municipalityName }} id={facts.municipalityId} /> : null;
  const checks: PlainCheck[] = [];
  if (facts && facts.version > 0) {
    checks.push(
      ok("certificate-known") && ok("document-unchanged")
        ? { name: "certificate", ok: true, text: <Message id="verifier.certKnown" values={{ version: <Value>{facts.version}</Value>, number: <Value>{facts.permitNumber}</Value> }} /> }
        : { name: "certificate", ok: false, text: t(ok("certificate-known") ? "verifier.certUnchangedFail" : "verifier.certKnownFail") },
    );
    const issuer = verification.issuer;
    if (!issuer || !ok("issued-event")) checks.push({ name: "issuer", ok: false, text: t("verifier.certEventFail") });
    else if (!ok("issuer-role") || !ok("issuer-key-not-compromised")) {
      checks.push({ name: "issuer", ok: false, text: <Message id="verifier.certIssuerFail" values={{ signer: <Signer issuedBy={issuer} /> }} /> });
    } else {
      checks.push({
        name: "issuer",
        ok: true,
        text: <Message id={facts.version === 1 ? "verifier.certIssuedBy" : "verifier.certAmendedBy"} values={{ municipality, signer: <Signer issuedBy={issuer} />, date: date(issuer.signedAt * 1000) }} />,
      });
    }
    const revocation = verification.revocation;
    checks.push(
      ok("not-revoked")
        ? { name: "not-revoked", ok: true, text: t("verifier.certNotRevoked") }
        : {
            name: "not-revoked",
            ok: false,
            text: revocation ? (
              <Revoked
                revocation={{
                  ...revocation,
                  reason: PERMIT_REVOCATION_REASONS[revocation.reasonCode],
                  officer: (
                    <span class="signer" data-signer={revocation.officer}>
                      {revocation.officerName && <Value>{revocation.officerName}</Value>} <Value mono>{revocation.officer}</Value>
                    </span>
                  ),
                }}
              />
            ) : (
              t("checkNotRevokedRevoked")
            ),
          },
    );
    checks.push(
      ok("current-version")
        ? { name: "current", ok: true, text: t("verifier.certCurrent") }
        : { name: "current", ok: false, text: <Message id="verifier.certSuperseded" values={{ current: <Value>{facts.currentVersion}</Value> }} /> },
    );
    checks.push(
      facts.validUntil === 0
        ? { name: "validity", ok: true, text: t("verifier.certNoEnd") }
        : ok("not-expired")
          ? { name: "validity", ok: true, text: <Message id="verifier.certValidUntil" values={{ date: date(facts.validUntil * 1000) }} /> }
          : { name: "validity", ok: false, text: <Message id="verifier.certExpired" values={{ date: date(facts.validUntil * 1000) }} /> },
    );
    if (verification.paper) {
      const version = <Value>{facts.version}</Value>;
      checks.push(
        verification.paper === "matches"
          ? { name: "paper", ok: true, text: <Message id="verifier.paperMatches" values={{ version }} /> }
          : verification.paper === "differs"
            ? { name: "paper", ok: false, text: <Message id="verifier.paperDiffers" values={{ version }} /> }
            : { name: "paper", ok: false, text: <Message id={result.offline ? "verifier.paperNotComparedOffline" : "verifier.paperNotComparedNoHash"} values={{ version }} /> },
      );
    }
  }

  return (
    <section class="panel" aria-labelledby="checks-title" data-testid="certificate-result">
      <dl class="facts">
        <FileNameFact name={props.fileName} />
        {(result.sha256 ?? facts?.certificateHash) && facts?.version !== 0 && (
          <>
            <dt>{t("sha256Label")}</dt>
            <dd>
              <Value mono>{result.sha256 ?? facts?.certificateHash}</Value>
            </dd>
          </>
        )}
      </dl>
      {facts && facts.version > 0 && result.sha256 && (
        <p>
          {t("permitIsCertificate")}{" "}
          <a href={hrefFor(`/permits/${encodeURIComponent(facts.permitNumber)}`, lang)}>
            <Value>{facts.permitNumber}</Value>
          </a>
        </p>
      )}
      {checks.length > 0 && (
        <>
          <h3 id="checks-title">{t("checksTitle")}</h3>
          <CheckList checks={checks} />
        </>
      )}
      {result.offline && (
        <p class="note" data-testid="offline-note">
          {t("verifier.offlineNote")}
        </p>
      )}
      {verification.checks.length > 0 && (
        <RawChecks checks={verification.checks} rpcUrl={result.rpcUrl} chainId={result.chainId} label={(name) => t(`verifier.cert.${name}` as MessageKey)}>
          {facts && facts.version > 0 && (
            <p>
              <a href={jsonDownload(verification)} download={`certificate-check-${facts.certificateHash.slice(2, 14)}.json`}>
                {t("proofDownload")}
              </a>
            </p>
          )}
        </RawChecks>
      )}
      {result.permit && <PermitDetails permit={result.permit} headingLevel={3} />}
    </section>
  );
}
