import { randomBytes } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { leafOf } from "../../shared/merkleProof.js";

/**
 * Merkle batches exactly as BatchAnchor checks them: OpenZeppelin's `StandardMerkleTree` over the leaf
 * encoding ["bytes32"], one value per record (its SHA-256). A single record is a batch of one whose root
 * is its leaf and whose proof is empty, so one code path anchors both.
 */
export const LEAF_ENCODING = ["bytes32"];

export interface MerkleBatch {
  root: string;
  /** The extra random leaf, when there is one (see `buildBatch`). */
  salt: string | null;
  /** Proof of each member, by its SHA-256. */
  proofs: Map<string, string[]>;
}

/** BatchAnchor.leafOf, the tree's leaf of one record (one definition, shared with the verifiers). */
export { leafOf };

/** A fresh random salt leaf (32 bytes). */
export function newSalt(): string {
  return `0x${randomBytes(32).toString("hex")}`;
}

/**
 * The batch of these records' SHA-256 values. The tree sorts its leaves, so the root depends only on
 * the set: the same stored membership always gives the same root, and re-sending it after a crash can
 * never anchor twice. `salt` adds one leaf no document has: it gives a set whose plain root this
 * database already holds (the same lone document queued again, or for another municipality) a root of
 * its own.
 */
export function buildBatch(sha256s: readonly string[], salt: string | null = null, leaves?: readonly string[]): MerkleBatch {
  if (sha256s.length === 0) throw new RangeError("a batch needs at least one record");
  if (leaves && leaves.length !== sha256s.length) throw new RangeError("one leaf per record");
  const values = salt === null ? sha256s : [...sha256s, salt];
  // The library's own layout (makeMerkleTree): leaves sorted by hash, stored from the end of the array,
  // node i the commutative hash of nodes 2i+1 and 2i+2. Built here on bytes: StandardMerkleTree.of spent
  // most of a batch's time on hex strings and the ABI coder, on the thread that answers uploads.
  // A record's leaf as the queue stored it, when given, saves its two keccaks.
  const sorted = values.map((value, i) => ({ value, hash: Buffer.from((leaves?.[i] ?? leafOf(value)).slice(2), "hex") }));
  sorted.sort((a, b) => Buffer.compare(a.hash, b.hash));
  const nodes: Uint8Array[] = new Array(2 * sorted.length - 1);
  sorted.forEach((leaf, i) => (nodes[nodes.length - 1 - i] = leaf.hash));
  const pair = new Uint8Array(64);
  for (let i = nodes.length - 1 - sorted.length; i >= 0; i--) {
    const [a, b] = [nodes[2 * i + 1], nodes[2 * i + 2]];
    const ordered = Buffer.compare(a, b) <= 0;
    pair.set(ordered ? a : b, 0);
    pair.set(ordered ? b : a, 32);
    nodes[i] = keccak_256(pair);
  }
  const hex = nodes.map((node) => `0x${Buffer.from(node.buffer, node.byteOffset, 32).toString("hex")}`);
  const proofs = new Map<string, string[]>();
  sorted.forEach(({ value }, i) => {
    if (value !== salt) proofs.set(value, proofAt(hex, nodes.length - 1 - i));
  });
  // One proof checked against the root, through the library, stands for the way all were built.
  const [someone, proof] = proofs.entries().next().value!;
  if (!verifyMembership(hex[0], someone, proof)) throw new Error("a Merkle proof built here does not lead to its root");
  return { root: hex[0], salt, proofs };
}

/** The siblings of node `index` up to the root, in the tree's array layout (children of i: 2i+1, 2i+2). */
function proofAt(nodes: readonly string[], index: number): string[] {
  const proof: string[] = [];
  for (let i = index; i > 0; i = Math.floor((i - 1) / 2)) proof.push(nodes[i % 2 === 1 ? i + 1 : i - 1]);
  return proof;
}

/** Whether `proof` leads from the record `sha256` to `root` (the check BatchAnchor.verifyRecord makes). */
export function verifyMembership(root: string, sha256: string, proof: readonly string[]): boolean {
  return StandardMerkleTree.verify(root, LEAF_ENCODING, [sha256], [...proof]);
}
