import { getBytes } from "ethers";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { create as createDigest } from "multiformats/hashes/digest";

/**
 * The largest file that is one block under the IPIP-499 `unixfs-v1-2025` profile: its chunk size, 1 MiB
 * (app/server/ipfs/profile.ts takes its `chunkSize` from here). A file of at most this many bytes is
 * stored as its own raw leaf, so its CID follows from its SHA-256 alone.
 */
export const SINGLE_BLOCK_MAX_BYTES = 1_048_576;

/** The multicodec of the sha2-256 multihash. */
const SHA2_256 = 0x12;

/**
 * The CID of a file of at most {@link SINGLE_BLOCK_MAX_BYTES} under the profile, from its SHA-256
 * (0x-hex or the 32 bytes): CIDv1(raw, sha2-256). A SHA-256 that a contract holds therefore names the
 * file on IPFS without any index — a town's published profile, a campaign's public documents — so a
 * fresh replica or a reindex finds it from the chain alone, and an admin can sign it before any IPFS
 * node has seen the bytes.
 */
export function singleBlockCid(sha256Digest: string | Uint8Array): string {
  const digest = typeof sha256Digest === "string" ? getBytes(sha256Digest) : sha256Digest;
  if (digest.length !== 32) throw new Error(`a SHA-256 is 32 bytes, not ${digest.length}`);
  return CID.createV1(raw.code, createDigest(SHA2_256, digest)).toString();
}
