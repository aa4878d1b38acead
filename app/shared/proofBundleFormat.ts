// Reading and building proof bundles (format in docs/proof-bundle.md). Only zod and ethers, so the web
// app can read a bundle the same way the API and the CLI do.
import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { issuanceStatementSchema } from "./issuance.js";
import { PROOF_BUNDLE_FORMAT, type BundleIssuance, type ProofBundle } from "./proofBundle.js";

export type ProofBundleErrorCode = "INVALID_PROOF_BUNDLE" | "RECORD_NOT_ANCHORED";

/** One thing wrong with a bundle: where (`sha256`, `proof[2]`, or `(bundle)` for the whole) and what. */
export interface ProofBundleIssue {
  path: string;
  message: string;
}

export class ProofBundleError extends Error {
  constructor(
    readonly code: ProofBundleErrorCode,
    message: string,
    readonly issues: ProofBundleIssue[] = [],
  ) {
    super(message);
    this.name = "ProofBundleError";
  }
}

const bytes32 = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .regex(/^0x[0-9a-fA-F]{64}$/, `expected ${what}: 0x followed by 64 hex digits`)
    .transform((value) => value.toLowerCase());

const wholeNumber = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.int({ error: `expected ${what} as a whole number` }).min(min, `expected ${what} ≥ ${min}`).max(max, `expected ${what} ≤ ${max}`);

// A StandardMerkleTree of n records has proofs of at most ceil(log2 n) elements; 64 covers any batch
// and keeps a hostile bundle from making the verifier hash without end.
const MAX_PROOF_LENGTH = 64;

const proofBundleSchema = z.object({
  format: z.literal(PROOF_BUNDLE_FORMAT, { error: `expected format "${PROOF_BUNDLE_FORMAT}" (the only format this verifier reads)` }),
  sha256: bytes32("the document's SHA-256"),
  leaf: bytes32("the leaf"),
  proof: z
    .array(bytes32("a proof element"), { error: "expected the proof as a list of hashes (empty for a batch of one)" })
    .max(MAX_PROOF_LENGTH, `expected at most ${MAX_PROOF_LENGTH} proof elements`),
  root: bytes32("the Merkle root"),
  chainId: wholeNumber("the chain id", 1),
  contract: z
    .string({ error: "expected the contract address as a string" })
    .refine((value) => isAddress(value), "expected the contract address: 0x and 40 hex digits (with a valid checksum if mixed case)")
    .transform((value) => getAddress(value)),
  municipalityId: wholeNumber("the municipality id", 1, 2 ** 32 - 1),
  txHash: bytes32("the transaction hash"),
  blockNumber: wholeNumber("the block number", 0),
  anchoredAt: wholeNumber("the anchor time (s since epoch)", 0),
  recordId: z.string().min(1).max(200).optional(),
  cid: z.string().min(1).max(200).optional(),
  issuance: issuanceStatementSchema
    .extend({
      documentProof: z.array(bytes32("a proof element")).max(MAX_PROOF_LENGTH),
      anchor: z.object({
        sha256: bytes32("the issuance's SHA-256"),
        leaf: bytes32("the issuance's leaf"),
        proof: z.array(bytes32("a proof element")).max(MAX_PROOF_LENGTH),
        root: bytes32("the issuance's Merkle root"),
        txHash: bytes32("the issuance's transaction hash"),
        blockNumber: wholeNumber("the issuance's block number", 0),
        anchoredAt: wholeNumber("the issuance's anchor time", 0),
      }),
    })
    .optional(),
});

function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(bundle)";
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
}

/**
 * Validates a proof bundle (a parsed value, or JSON text) and returns it normalized: hashes in lowercase
 * hex, the contract address checksummed, unknown fields dropped. Throws a ProofBundleError
 * INVALID_PROOF_BUNDLE listing every problem with its field.
 */
export function parseProofBundle(json: unknown): ProofBundle {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      const issue = { path: "(bundle)", message: `not JSON: ${(error as Error).message}` };
      throw new ProofBundleError("INVALID_PROOF_BUNDLE", `not a proof bundle: ${issue.message}`, [issue]);
    }
  }
  const result = proofBundleSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
  const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
  throw new ProofBundleError("INVALID_PROOF_BUNDLE", `not a valid proof bundle: ${list}`, issues);
}

/** The fields of an anchored record that a bundle carries (the anchoring queue's AnchorRecord has them). */
export interface AnchoredRecordFields {
  recordId?: string | null;
  sha256: string;
  cid?: string | null;
  municipalityId: number;
  leaf: string;
  root: string | null;
  proof: readonly string[] | null;
  txHash: string | null;
  blockNumber: number | null;
  anchoredAt: number | null;
}

/** Where the record was anchored: the chain and its BatchAnchor contract (deployment.json has both). */
export interface AnchorLocation {
  chainId: number;
  contract: string;
}

/**
 * The proof bundle of an anchored record (with its issuance, for an issued document). Pure: it asks no
 * chain, so the API can answer from its store. Throws RECORD_NOT_ANCHORED when the record has no root,
 * transaction or block yet (the API then says "pending"), and INVALID_PROOF_BUNDLE when a stored field is
 * malformed.
 */
export function proofBundleFor(record: AnchoredRecordFields, location: AnchorLocation, issuance?: BundleIssuance): ProofBundle {
  const { root, proof, txHash, blockNumber, anchoredAt } = record;
  if (root === null || proof === null || txHash === null || blockNumber === null || anchoredAt === null) {
    throw new ProofBundleError("RECORD_NOT_ANCHORED", `the record of ${record.sha256} is not anchored yet`);
  }
  const bundle: ProofBundle = {
    format: PROOF_BUNDLE_FORMAT,
    sha256: record.sha256,
    leaf: record.leaf,
    proof: [...proof],
    root,
    chainId: location.chainId,
    contract: location.contract,
    municipalityId: record.municipalityId,
    txHash,
    blockNumber,
    anchoredAt,
    ...(record.recordId ? { recordId: record.recordId } : {}),
    ...(record.cid ? { cid: record.cid } : {}),
    ...(issuance ? { issuance } : {}),
  };
  // The API builds a bundle on every verification: a well-formed one (always, from our own store) is
  // normalized here as the schema would, without running it; anything else gets the schema's verdict.
  return normalizedIfWellFormed(bundle) ?? parseProofBundle(bundle);
}

const BYTES32_PATTERN = /^0x[0-9a-fA-F]{64}$/;
const isWhole = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
const isShortText = (value: unknown) => value === undefined || (typeof value === "string" && value.length >= 1 && value.length <= 200);

/** Checksummed contract addresses, by their spelling: one per deployment, and getAddress hashes. */
const checksummed = new Map<string, string>();
function checksumOf(address: string): string | undefined {
  let known = checksummed.get(address);
  if (known === undefined && isAddress(address)) {
    known = getAddress(address);
    if (checksummed.size < 64) checksummed.set(address, known);
  }
  return known;
}

/** Whether an issuance passes the schema's rules as it is (lowercase hashes, a checksummed signer), without running it. */
function isWellFormedIssuance(issuance: BundleIssuance): boolean {
  const { anchor } = issuance;
  const hashes = [issuance.documentsRoot, anchor.sha256, anchor.leaf, anchor.root, anchor.txHash, ...issuance.documentProof, ...anchor.proof];
  return (
    hashes.every((hash) => typeof hash === "string" && LOWER_BYTES32.test(hash)) &&
    issuance.documentProof.length <= MAX_PROOF_LENGTH &&
    anchor.proof.length <= MAX_PROOF_LENGTH &&
    isWhole(issuance.municipalityId, 1, 2 ** 32 - 1) &&
    isWhole(issuance.count, 1, 2 ** 32 - 1) &&
    isWhole(issuance.deadline, 0) &&
    isWhole(anchor.blockNumber, 0) &&
    isWhole(anchor.anchoredAt, 0) &&
    typeof issuance.nonce === "string" &&
    /^(0|[1-9][0-9]{0,77})$/.test(issuance.nonce) &&
    BigInt(issuance.nonce) < 2n ** 256n &&
    typeof issuance.signature === "string" &&
    /^0x[0-9a-f]{130}$/.test(issuance.signature) &&
    typeof issuance.signer === "string" &&
    checksumOf(issuance.signer) === issuance.signer
  );
}
const LOWER_BYTES32 = /^0x[0-9a-f]{64}$/;

/** What {@link parseProofBundle} returns for `bundle` when it passes every rule of the schema, else undefined. */
function normalizedIfWellFormed(bundle: ProofBundle): ProofBundle | undefined {
  const hashes = [bundle.sha256, bundle.leaf, bundle.root, bundle.txHash, ...bundle.proof];
  if (!hashes.every((hash) => typeof hash === "string" && BYTES32_PATTERN.test(hash))) return undefined;
  if (bundle.proof.length > MAX_PROOF_LENGTH) return undefined;
  if (!isWhole(bundle.chainId, 1) || !isWhole(bundle.municipalityId, 1, 2 ** 32 - 1)) return undefined;
  if (!isWhole(bundle.blockNumber, 0) || !isWhole(bundle.anchoredAt, 0)) return undefined;
  if (!isShortText(bundle.recordId) || !isShortText(bundle.cid)) return undefined;
  if (bundle.issuance !== undefined && !isWellFormedIssuance(bundle.issuance)) return undefined;
  const contract = typeof bundle.contract === "string" ? checksumOf(bundle.contract) : undefined;
  if (contract === undefined) return undefined;
  return {
    ...bundle,
    sha256: bundle.sha256.toLowerCase(),
    leaf: bundle.leaf.toLowerCase(),
    proof: bundle.proof.map((hash) => hash.toLowerCase()),
    root: bundle.root.toLowerCase(),
    contract,
    txHash: bundle.txHash.toLowerCase(),
  };
}
