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
}

export type Verdict = "valid" | "revoked" | "superseded" | "pending" | "unknown";

export interface Check {
  /** Stable name, e.g. "leaf-matches-document", "root-anchored", "proof-valid", "not-revoked". */
  name: string;
  ok: boolean;
  detail: string;
}

export interface BundleVerification {
  verdict: Verdict;
  checks: Check[];
}
