import { getBytes } from "ethers";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { create as createDigest } from "multiformats/hashes/digest";

export { SINGLE_BLOCK_MAX_BYTES } from "./singleBlock.js";

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
