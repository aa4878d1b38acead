import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256 } from "ethers";

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

/** BatchAnchor.leafOf: keccak256(keccak256(abi.encode(sha256))), the tree's leaf of one record. */
export function leafOf(sha256: string): string {
  return keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [sha256])));
}

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
  const proofs = new Map<string, string[]>();
  for (const [index, [value]] of tree.entries()) {
    if (value !== salt) proofs.set(value, tree.getProof(index));
  }
  return { root: tree.root, salt, proofs };
}

/** Whether `proof` leads from the record `sha256` to `root` (the check BatchAnchor.verifyRecord makes). */
export function verifyMembership(root: string, sha256: string, proof: readonly string[]): boolean {
  return StandardMerkleTree.verify(root, LEAF_ENCODING, [sha256], [...proof]);
}
