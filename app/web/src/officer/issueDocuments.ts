import type { TypedDataDomain, TypedDataField } from "ethers";
import { signIssuance, type IssuanceStatement, type TypedDataSigner } from "../../../shared/issuance.js";
import { chainOf } from "../verify/ledgerApi.js";
import type { LedgerSigner } from "../wallet/types.js";
import { ApiError, api } from "./api.js";

/**
 * Issuing documents from the console (docs/web.md, "Issue documents"): the files are hashed in the
 * browser, the unlocked key signs ONE EIP-712 `IssueDocuments` statement over their list
 * (app/shared/issuance.ts, the same code as `ledger issue`), and the files go to the service with the
 * statement in the field `issuance`. The service checks the signature and the signer's DOCUMENT_ISSUER
 * role; it never signs for the officer.
 */

/** A document's record as the upload answers it, and later GET /api/records/:recordId. */
export interface IssuedRecord {
  sha256: string;
  cid: string | null;
  recordId: string;
  /** pending → submitted → anchored → final (app/server/anchoring/types.ts). */
  status: string;
  /** False when the same document was already on the ledger (its first record is kept); unknown for a single upload. */
  created?: boolean;
}

export interface Issued {
  /** The address that signed the issuance, as the service checked it. */
  issuer: string;
  municipalityId: number;
  documents: IssuedRecord[];
}

/** The console's key as signIssuance wants a signer: the typed data goes to the keystore or the browser wallet. */
export function typedDataSignerOf(signer: LedgerSigner): TypedDataSigner {
  return {
    getAddress: async () => signer.address,
    signTypedData: (domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>) =>
      signer.signTypedData({
        domain: {
          ...(domain.name != null ? { name: domain.name } : {}),
          ...(domain.version != null ? { version: domain.version } : {}),
          ...(domain.chainId != null ? { chainId: Number(domain.chainId) } : {}),
          ...(domain.verifyingContract != null ? { verifyingContract: domain.verifyingContract } : {}),
        },
        types,
        primaryType: Object.keys(types)[0],
        message: value,
      }),
  };
}

/** The chain and BatchAnchor whose EIP-712 domain the issuance is signed under, from /api/health. */
async function domainOf(): Promise<{ chainId: number; batchAnchor: string }> {
  let chain;
  try {
    chain = await chainOf();
  } catch (error) {
    throw new ApiError("NETWORK", 0, String(error));
  }
  const batchAnchor = chain.contracts.batchAnchor;
  if (!batchAnchor) throw new ApiError("CHAIN_UNKNOWN", 0, "/api/health names no BatchAnchor");
  return { chainId: chain.chainId, batchAnchor };
}

/** Signs the issuance of `files` (with their SHA-256) for `municipalityId` with the unlocked key. */
export async function signDocuments(signer: LedgerSigner, municipalityId: number, sha256s: readonly string[]): Promise<IssuanceStatement> {
  const { chainId, batchAnchor } = await domainOf();
  return signIssuance(typedDataSignerOf(signer), { chainId, batchAnchor, municipalityId, sha256s });
}

/**
 * Uploads the files under the signed statement: one request, /api/documents for a single file and
 * /api/documents/batch for several (the service keeps them all or none).
 */
export async function uploadIssued(files: readonly File[], statement: IssuanceStatement): Promise<Issued> {
  const form = new FormData();
  for (const file of files) form.append("file", file, file.name);
  form.append("issuance", JSON.stringify(statement));
  if (files.length === 1) {
    const { issuer, ...record } = await api<IssuedRecord & { issuer: string }>("POST", "/api/documents", form);
    return { issuer, municipalityId: statement.municipalityId, documents: [record] };
  }
  const answer = await api<{ issuer: string; documents: IssuedRecord[] }>("POST", "/api/documents/batch", form);
  return { issuer: answer.issuer, municipalityId: statement.municipalityId, documents: answer.documents };
}

/** A record's current status (GET /api/records/:recordId). */
export async function recordStatus(recordId: string): Promise<string> {
  return (await api<{ status: string }>("GET", `/api/records/${encodeURIComponent(recordId)}`)).status;
}

/** Whether a record has reached the chain (its verify page then gives a verdict, not "pending"). */
export const isAnchored = (status: string) => status === "anchored" || status === "final";
