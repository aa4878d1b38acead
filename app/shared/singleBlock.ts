/**
 * The largest file that is one block under the IPIP-499 `unixfs-v1-2025` profile: its chunk size, 1 MiB
 * (app/server/ipfs/profile.ts takes its `chunkSize` from here). A file of at most this many bytes is
 * stored as its own raw leaf, so its CID follows from its SHA-256 alone (singleBlockCid.ts). A file of
 * its own, without imports, so that the web app can check a size without bundling a CID library.
 */
export const SINGLE_BLOCK_MAX_BYTES = 1_048_576;
