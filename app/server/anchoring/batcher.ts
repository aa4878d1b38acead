import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

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
export { leafOf } from "../../shared/merkleProof.js";

/** A fresh random salt leaf (32 bytes). */
export function newSalt(): string {
  return `0x${randomBytes(32).toString("hex")}`;
}

/**
 * The batch of these records' SHA-256 values. The tree sorts its leaves, so the root depends only on
 * the set: the same stored membership always gives the same root, and re-sending it after a crash can
 * never anchor twice. `salt` adds one leaf no document has: it gives a set whose plain root is taken
 * (the same lone document anchored by another municipality first) a root of its own.
 */
export function buildBatch(sha256s: readonly string[], salt: string | null = null): MerkleBatch {
  if (sha256s.length === 0) throw new RangeError("a batch needs at least one record");
  const values = sha256s.map((sha256) => [sha256]);
  if (salt !== null) values.push([salt]);
  const tree = StandardMerkleTree.of(values, LEAF_ENCODING);
  // The proofs are read from the tree's nodes directly: the library's getProof re-hashes the leaf and
  // re-verifies each proof it returns, 2 + log2(n) keccaks per record, most of the cost of a batch.
  const { tree: nodes, values: leaves } = tree.dump();
  const proofs = new Map<string, string[]>();
  for (const { value: [value], treeIndex } of leaves) {
    if (value !== salt) proofs.set(value, proofAt(nodes, treeIndex));
  }
  // One proof checked against the root, through the library, stands for the way all were read.
  const [someone, proof] = proofs.entries().next().value!;
  if (!tree.verify([someone], proof)) throw new Error("a Merkle proof read from the tree does not lead to its root");
  return { root: tree.root, salt, proofs };
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
