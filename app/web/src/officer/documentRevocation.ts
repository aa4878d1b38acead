import { DOCUMENT_REVOCATION_REASONS, REVOCATION_REASON_MAX_LENGTH, recordRevocationTypedData } from "../../../shared/issuance.js";
import { leafOf, rootFromProof } from "../../../shared/merkleProof.js";
import type { ProofBundle } from "../../../shared/proofBundle.js";
import { parseProofBundle } from "../../../shared/proofBundleFormat.js";
import { PERMIT_CERTIFICATE_PROOF_FORMAT } from "../../../shared/verifyCertificate.js";
import { chainOf } from "../verify/ledgerApi.js";
import type { LedgerSigner } from "../wallet/types.js";
import { ApiError, api } from "./api.js";
import { typedDataSignerOf } from "./issueDocuments.js";

/**
 * Revoking an issued document from the console (docs/web.md, "Issue documents"), as `ledger revoke` does
 * (app/cli/revoke.ts): the document's proof bundle gives its anchor (root, leaf, chain, contract), the
 * unlocked key signs an EIP-712 `RecordRevocation` over it with the reason's code and the SHA-256 of its
 * words, and the service relays it to BatchAnchor, which checks the signature and the officer's
 * DOCUMENT_ISSUER role on the chain. The service never signs.
 */

/** The reason codes an officer may choose, in the catalogue's order (app/shared/issuance.ts). */
export const REVOCATION_REASON_CODES = Object.keys(DOCUMENT_REVOCATION_REASONS).map(Number);
/** The service's limit on the reason's words (app/server/services/documentRevocations.ts). */
export const REASON_MAX_LENGTH = REVOCATION_REASON_MAX_LENGTH;

/** What the service answers once the chain has recorded the revocation. */
export interface DocumentRevoked {
  sha256: string;
  verdict: "revoked";
  reasonCode: number;
  reason: string;
  reasonHash: string;
  revokedBy: string;
  txHash: string;
}

export type RevocationStep = "checking" | "signing" | "sending";

// What no public reason should hold: a Thai ID card number (13 digits, 1-4-5-2-1), a phone number, an
// e-mail address. A first guard only; the hint beside the field says the rest.
const PERSONAL_DATA = [/\b\d[-\s]?\d{4}[-\s]?\d{5}[-\s]?\d{2}[-\s]?\d\b/, /\b0\d{1,2}[-\s]?\d{3,4}[-\s]?\d{4}\b/, /[^\s@]+@[^\s@]+\.[^\s@]{2,}/];

/** Whether the words look like they carry someone's personal data. */
export const looksPersonal = (words: string) => PERSONAL_DATA.some((pattern) => pattern.test(words));

/**
 * The anchored proof bundle of `sha256`, checked before anything is signed: it is this document's leaf,
 * its proof leads to its root, and it names the chain and BatchAnchor the console works with. So the key
 * signs the revocation of this document, and of no other a service might slip in.
 * 404 PROOF_NOT_FOUND and 409 PROOF_PENDING come as the API's errors.
 */
export async function anchoredDocument(sha256: string): Promise<ProofBundle> {
  const body = await api<Record<string, unknown>>("GET", `/api/proofs/${sha256}`);
  if (body?.format === PERMIT_CERTIFICATE_PROOF_FORMAT) throw new ApiError("PERMIT_CERTIFICATE", 0, "a permit's certificate is revoked with its permit");
  let bundle: ProofBundle;
  try {
    bundle = parseProofBundle(body);
  } catch (error) {
    throw new ApiError("PROOF_MISMATCH", 0, `the proof bundle does not parse: ${(error as Error).message}`);
  }
  const chain = await chainOf().catch((error) => Promise.reject(new ApiError("NETWORK", 0, String(error))));
  const leaf = leafOf(sha256);
  const problem =
    bundle.sha256.toLowerCase() !== sha256
      ? "names another document"
      : bundle.leaf.toLowerCase() !== leaf
        ? "has another leaf"
        : rootFromProof(leaf, bundle.proof) !== bundle.root.toLowerCase()
          ? "has a proof that does not lead to its root"
          : bundle.chainId !== chain.chainId || bundle.contract.toLowerCase() !== chain.contracts.batchAnchor?.toLowerCase()
            ? "names another chain or contract"
            : undefined;
  if (problem) throw new ApiError("PROOF_MISMATCH", 0, `the proof bundle of ${sha256} ${problem}`);
  return bundle;
}

/**
 * Revokes the issued document `sha256` with the officer's own signature. `issuerOf`: the municipalities
 * where the session holds DOCUMENT_ISSUER, so that a document of another town is refused before the key
 * is asked (the chain would refuse it too). `progress` hears each step, for the status line.
 */
export async function revokeIssuedDocument(
  signer: LedgerSigner,
  request: { sha256: string; reasonCode: number; reason: string; issuerOf: readonly number[] },
  progress: (step: RevocationStep) => void = () => {},
): Promise<DocumentRevoked> {
  // The service trims the words before hashing them; the signature must cover the same bytes.
  const reason = request.reason.trim();
  const { sha256, reasonCode } = request;
  if (!(reasonCode in DOCUMENT_REVOCATION_REASONS) || reason.length === 0 || reason.length > REASON_MAX_LENGTH) {
    throw new ApiError("BODY_INVALID", 400, "a reason code of the catalogue and the reason in words");
  }
  if (looksPersonal(reason)) throw new ApiError("REASON_PERSONAL_DATA", 0, "the words look like personal data");

  progress("checking");
  const bundle = await anchoredDocument(sha256);
  if (!request.issuerOf.includes(bundle.municipalityId)) {
    throw new ApiError("ROLE_REQUIRED", 403, `the session holds DOCUMENT_ISSUER in ${request.issuerOf.join(", ") || "no municipality"}, not ${bundle.municipalityId}`);
  }
  // The service's own answer, only to spare the officer a signature the chain would refuse.
  const current = await api<{ verdict?: string }>("GET", `/api/verify?sha256=${sha256}`).catch(() => null);
  if (current?.verdict === "revoked") throw new ApiError("ALREADY_REVOKED", 409, "the document is already revoked");

  progress("signing");
  const deadline = Math.floor(Date.now() / 1000) + 600;
  const { domain, types, value } = recordRevocationTypedData(bundle, reasonCode, reason, deadline);
  const signature = await typedDataSignerOf(signer).signTypedData(domain, types, value);

  progress("sending");
  return api<DocumentRevoked>("POST", `/api/documents/${sha256}/revocation`, {
    municipalityId: bundle.municipalityId,
    reasonCode,
    reason,
    officer: signer.address,
    deadline,
    signature,
  });
}
