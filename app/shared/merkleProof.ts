// The record hashing of BatchAnchor, computed without the contract: the same bytes as OpenZeppelin's
// StandardMerkleTree over ["bytes32"] and its MerkleProof library. On bytes with noble's keccak (which
// ethers itself uses): an upload checks a proof of a dozen hashes on the thread that answers every request,
// and hex round trips through ethers cost several times the hashing. Runs in a browser too.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

const bytes32 = (hex: string, what: string): Uint8Array => {
  const bytes = hexToBytes(hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex);
  if (bytes.length !== 32) throw new Error(`${what} is 32 bytes, not ${bytes.length}`);
  return bytes;
};
const hex = (bytes: Uint8Array) => `0x${bytesToHex(bytes)}`;

/**
 * The leaf of a document whose SHA-256 is `sha256`: keccak256(keccak256(abi.encode(bytes32))), as
 * `BatchAnchor.leafOf` and `StandardMerkleTree.leafHash` compute it. Hashed twice so that no leaf can
 * pass for an inner node (a 64-byte preimage). abi.encode of one bytes32 is its 32 bytes as they are.
 */
export function leafOf(sha256: string): string {
  return hex(keccak_256(keccak_256(bytes32(sha256, "a record's SHA-256"))));
}

/** keccak256 of two 32-byte nodes in ascending order (OpenZeppelin's `Hashes.commutativeKeccak256`). */
function pairOf(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const ordered = compare(a, b) <= 0;
  pair.set(ordered ? a : b, 0);
  pair.set(ordered ? b : a, 32);
  return keccak_256(pair);
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * keccak256 of the two nodes in ascending order, as OpenZeppelin's `Hashes.commutativeKeccak256`, so that
 * a proof needs no left/right flags.
 */
export function hashPair(a: string, b: string): string {
  return hex(pairOf(bytes32(a, "a node"), bytes32(b, "a node")));
}

/** The root that `proof` leads to from `leaf` (`MerkleProof.processProof`); an empty proof gives the leaf. */
export function rootFromProof(leaf: string, proof: readonly string[]): string {
  let node = bytes32(leaf, "a leaf");
  for (const sibling of proof) node = pairOf(node, bytes32(sibling, "a proof element"));
  return hex(node);
}
