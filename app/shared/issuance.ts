// Issuing official documents: the EIP-712 statement a DOCUMENT_ISSUER signs over a list of document
// hashes, and what anyone computes from it. One definition for the API (which refuses uploads without
// it), the CLI (`ledger issue`), the officer console and every verifier. Only ethers and zod, so it runs
// in a browser.
import { type TypedDataDomain, type TypedDataField, TypedDataEncoder, concat, getAddress, hexlify, isAddress, randomBytes, recoverAddress, sha256, toBigInt } from "ethers";
import { z } from "zod";
import { leafOf, rootFromProof, hashPair } from "./merkleProof.js";

/**
 * What an issuer signs: the Merkle root of the documents' SHA-256 values (`StandardMerkleTree` over
 * ["bytes32"], the same tree BatchAnchor anchors; a single document's root is its leaf), their number, a
 * random nonce used once, and the last second the ledger may accept it. It must match
 * ISSUE_DOCUMENTS_TYPEHASH in contracts/BatchAnchor.sol (test/contracts/BatchAnchor.test.ts compares).
 */
export const ISSUE_DOCUMENTS_TYPES: Record<"IssueDocuments", TypedDataField[]> = {
  IssueDocuments: [
    { name: "municipalityId", type: "uint32" },
    { name: "documentsRoot", type: "bytes32" },
    { name: "count", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/**
 * The type a DOCUMENT_ISSUER signs to revoke one anchored record (BatchAnchor.revokeRecord): roots are
 * scoped by municipality, so the municipality whose batch holds the record is part of what is signed.
 */
export const RECORD_REVOCATION_TYPES: Record<"RecordRevocation", TypedDataField[]> = {
  RecordRevocation: [
    { name: "municipalityId", type: "uint32" },
    { name: "root", type: "bytes32" },
    { name: "leaf", type: "bytes32" },
    { name: "reasonCode", type: "uint16" },
    { name: "reasonHash", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 domain of the BatchAnchor at `verifyingContract`: EIP712("BatchAnchor", "1"). */
export function batchAnchorDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: "BatchAnchor", version: "1", chainId: BigInt(chainId), verifyingContract };
}

/** A signed issuance: the signed values, who claims to have signed them, and the signature. */
export interface IssuanceStatement {
  municipalityId: number;
  documentsRoot: string;
  count: number;
  /** A uint256 in decimal: random, used once per signer. */
  nonce: string;
  /** Unix seconds. */
  deadline: number;
  signer: string;
  signature: string;
}

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 0x and 64 hex digits").transform((v) => v.toLowerCase());
const UINT32_MAX = 2 ** 32 - 1;

export const issuanceStatementSchema = z.object({
  municipalityId: z.int().min(1).max(UINT32_MAX),
  documentsRoot: bytes32,
  count: z.int().min(1).max(UINT32_MAX),
  nonce: z
    .string()
    .regex(/^[0-9]{1,78}$/, "expected the nonce as a decimal string")
    .refine((v) => toBigInt(v) < 2n ** 256n, "expected a uint256 nonce")
    .transform((v) => toBigInt(v).toString()),
  deadline: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  signer: z.string().refine((v) => isAddress(v), "expected an address").transform((v) => getAddress(v)),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature").transform((v) => v.toLowerCase()),
});

/** The EIP-712 digest of a statement under the BatchAnchor's domain. */
export function issuanceDigest(statement: IssuanceStatement, domain: TypedDataDomain): string {
  const { municipalityId, documentsRoot, count, nonce, deadline } = statement;
  return TypedDataEncoder.hash(domain, ISSUE_DOCUMENTS_TYPES, { municipalityId, documentsRoot, count, nonce, deadline });
}

/** Who signed `digest` (throws on a malformed signature). */
export function recoverIssuer(digest: string, signature: string): string {
  return recoverAddress(digest, signature);
}

/**
 * The SHA-256 the ledger anchors for a signed issuance, beside the documents it covers: it commits to the
 * digest and the signature, so the anchor's time proves when the signature existed (what a verifier
 * checks the signer's role and any compromise of the key against).
 */
export function issuanceRecordHash(digest: string, signature: string): string {
  return sha256(concat([digest, signature]));
}

/**
 * The documents' tree as BatchAnchor builds it (OpenZeppelin's StandardMerkleTree over ["bytes32"]): the
 * distinct SHA-256 values, the root, and the proof of each. A single document's root is its leaf.
 */
export function documentsTree(sha256s: readonly string[]): { root: string; count: number; proofOf: (sha256: string) => string[] } {
  const distinct = [...new Set(sha256s.map((s) => s.toLowerCase()))];
  if (distinct.length === 0) throw new RangeError("an issuance needs at least one document");
  // The library's layout: leaves sorted by hash, stored from the end of the array, node i the
  // commutative hash of nodes 2i+1 and 2i+2.
  const leaves = distinct.map((value) => ({ value, hash: leafOf(value) })).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const nodes: string[] = new Array(2 * leaves.length - 1);
  leaves.forEach((leaf, i) => (nodes[nodes.length - 1 - i] = leaf.hash));
  for (let i = nodes.length - 1 - leaves.length; i >= 0; i--) nodes[i] = hashPair(nodes[2 * i + 1], nodes[2 * i + 2]);
  const indexOf = new Map(leaves.map(({ value }, i) => [value, nodes.length - 1 - i]));
  return {
    root: nodes[0],
    count: distinct.length,
    proofOf(sha: string) {
      const index = indexOf.get(sha.toLowerCase());
      if (index === undefined) throw new RangeError(`${sha} is not in this list`);
      const proof: string[] = [];
      for (let i = index; i > 0; i = Math.floor((i - 1) / 2)) proof.push(nodes[i % 2 === 1 ? i + 1 : i - 1]);
      return proof;
    },
  };
}

/** Whether `proof` leads from the document `sha256` to `documentsRoot`. */
export function inDocumentsTree(documentsRoot: string, sha256: string, proof: readonly string[]): boolean {
  return rootFromProof(leafOf(sha256), proof) === documentsRoot.toLowerCase();
}

/** Anything that signs EIP-712 typed data: an ethers Wallet or a browser wallet's signer. */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string>;
}

/**
 * Signs the issuance of these documents for `municipalityId` (the issuer's own key: a keystore in the
 * browser or on the e-Office server; never this service). Valid for `validSeconds` from now.
 */
export async function signIssuance(
  signer: TypedDataSigner,
  options: { chainId: number | bigint; batchAnchor: string; municipalityId: number; sha256s: readonly string[]; validSeconds?: number; now?: number },
): Promise<IssuanceStatement> {
  const { root, count } = documentsTree(options.sha256s);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const values = {
    municipalityId: options.municipalityId,
    documentsRoot: root,
    count,
    nonce: toBigInt(hexlify(randomBytes(32))).toString(),
    deadline: now + (options.validSeconds ?? 3600),
  };
  const signature = await signer.signTypedData(batchAnchorDomain(options.chainId, options.batchAnchor), ISSUE_DOCUMENTS_TYPES, values);
  return { ...values, signer: getAddress(await signer.getAddress()), signature: signature.toLowerCase() };
}

/** Why an issued document is revoked: the code goes on the chain with the SHA-256 of the officer's words. */
export const DOCUMENT_REVOCATION_REASONS: Record<number, { th: string; en: string }> = {
  1: { th: "ออกเอกสารโดยผิดพลาด", en: "Issued in error" },
  2: { th: "มีเอกสารฉบับแก้ไขแทน", en: "Replaced by a corrected document" },
  3: { th: "เทศบาลเพิกถอน", en: "Withdrawn by the municipality" },
  4: { th: "คำสั่งศาลหรือหน่วยงานกำกับ", en: "Court or supervisory order" },
  9: { th: "อื่น ๆ", en: "Other" },
};

/** The longest reason's words a revocation takes (the API refuses more; the console and CLI say so first). */
export const REVOCATION_REASON_MAX_LENGTH = 500;

/** The SHA-256 of a revocation's reason text (UTF-8), as BatchAnchor records it. */
export function reasonHashOf(reason: string): string {
  return sha256(new TextEncoder().encode(reason));
}

/** The values of a RecordRevocation. */
export type RecordRevocationValue = {
  municipalityId: number;
  root: string;
  leaf: string;
  reasonCode: number;
  reasonHash: string;
  deadline: number;
};

/**
 * The typed data a DOCUMENT_ISSUER signs to revoke the anchored record (`municipalityId`, `root`, `leaf`: its
 * proof bundle's) with a reason: what BatchAnchor.revokeRecord checks. The reason's text is public: no
 * personal data.
 */
export function recordRevocationTypedData(
  anchor: { municipalityId: number; root: string; leaf: string; chainId: number; contract: string },
  reasonCode: number,
  reason: string,
  deadline: number,
): { domain: TypedDataDomain; types: typeof RECORD_REVOCATION_TYPES; value: RecordRevocationValue } {
  return {
    domain: batchAnchorDomain(anchor.chainId, anchor.contract),
    types: RECORD_REVOCATION_TYPES,
    value: {
      municipalityId: anchor.municipalityId,
      root: anchor.root,
      leaf: anchor.leaf,
      reasonCode,
      reasonHash: reasonHashOf(reason),
      deadline,
    },
  };
}
