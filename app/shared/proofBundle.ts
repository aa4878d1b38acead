import type { IssuanceStatement } from "./issuance.js";

/**
 * A proof bundle: everything anyone needs to check, against any RPC node of the chain and without this
 * service, that a document was anchored by a municipality's ledger (format in docs/proof-bundle.md).
 */
export const PROOF_BUNDLE_FORMAT = "public-service-ledger/proof-bundle@1";

export interface ProofBundle {
  format: typeof PROOF_BUNDLE_FORMAT;
  /** SHA-256 of the document, 0x-prefixed lowercase hex. */
  sha256: string;
  /** keccak256(keccak256(abi.encode(sha256))): the StandardMerkleTree leaf of ["bytes32"]. */
  leaf: string;
  /** Sibling hashes from the leaf to the root (sorted-pair hashing, as OpenZeppelin's MerkleProof). */
  proof: string[];
  root: string;
  chainId: number;
  /** The BatchAnchor contract. */
  contract: string;
  municipalityId: number;
  txHash: string;
  blockNumber: number;
  /** Block timestamp of the anchor, s since epoch. */
  anchoredAt: number;
  recordId?: string;
  cid?: string;
  /**
   * Who issued the document: the signed statement that covers it, its proof into the statement's list,
   * and the anchor of the signature itself (what dates it). Absent for records that are not issued
   * documents (pledge receipts); an issued document without it cannot be "valid".
   */
  issuance?: BundleIssuance;
}

export interface BundleIssuance extends IssuanceStatement {
  /** The document's proof into `documentsRoot` (empty when it is the only one). */
  documentProof: string[];
  /** The anchor of sha256(digest ‖ signature), in the same BatchAnchor. */
  anchor: { sha256: string; leaf: string; proof: string[]; root: string; txHash: string; blockNumber: number; anchoredAt: number };
}

/**
 * `unauthorised`: anchored, but not issued by a key that held DOCUMENT_ISSUER in that municipality when
 * its signature was anchored (no signature, another role, a revoked or compromised key).
 */
export type Verdict = "valid" | "revoked" | "superseded" | "pending" | "unauthorised" | "unknown";

export interface Check {
  /** Stable name, e.g. "leaf-matches-document", "root-anchored", "proof-valid", "not-revoked". */
  name: string;
  ok: boolean;
  detail: string;
}

export interface BundleVerification {
  verdict: Verdict;
  checks: Check[];
  /** Who issued the document, once the bundle's signature recovers to them (the checks say whether they could). */
  issuer?: {
    address: string;
    municipalityId: number;
    role: "DOCUMENT_ISSUER";
    /** When the signature was anchored, s since epoch (0 when it is not). */
    signedAt: number;
    /** The officer's name as the municipality's admin published it on the chain, and the municipality's name. */
    name?: string;
    municipalityName?: string;
  };
}
