// The record hashing of BatchAnchor, computed without the contract: the same bytes as OpenZeppelin's
// StandardMerkleTree over ["bytes32"] and its MerkleProof library. Only ethers, so it runs in a browser.
import { concat, getBytes, keccak256 } from "ethers";

/**
 * The leaf of a document whose SHA-256 is `sha256`: keccak256(keccak256(abi.encode(bytes32))), as
 * `BatchAnchor.leafOf` and `StandardMerkleTree.leafHash` compute it. Hashed twice so that no leaf can
 * pass for an inner node (a 64-byte preimage).
 */
export function leafOf(sha256: string): string {
  // abi.encode of one bytes32 is its 32 bytes as they are (the ABI coder gave the same bytes at several
  // times the cost, on the path of every upload).
  const bytes = getBytes(sha256);
  if (bytes.length !== 32) throw new Error(`a record's SHA-256 is 32 bytes, not ${bytes.length}`);
  return keccak256(keccak256(bytes));
}

/**
 * keccak256 of the two nodes in ascending order, as OpenZeppelin's `Hashes.commutativeKeccak256`, so that
 * a proof needs no left/right flags. Lowercase hex strings of equal length sort as their numbers do.
 */
export function hashPair(a: string, b: string): string {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return keccak256(x < y ? concat([x, y]) : concat([y, x]));
}

/** The root that `proof` leads to from `leaf` (`MerkleProof.processProof`); an empty proof gives the leaf. */
export function rootFromProof(leaf: string, proof: readonly string[]): string {
  return proof.reduce((node, sibling) => hashPair(node, sibling), leaf.toLowerCase());
}
