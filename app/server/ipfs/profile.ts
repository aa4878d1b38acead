import { importFile, type ImporterOptions } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import { SINGLE_BLOCK_MAX_BYTES } from "../../shared/singleBlock.js";
import { IpfsInvalidCidError } from "./types.js";

/**
 * The IPIP-499 `unixfs-v1-2025` CID profile, in one place. Every engine stores files with exactly these
 * parameters, so the same bytes get the same CID here, on a Kubo node and in any conforming tool, and a
 * CID anchored on-chain can be recomputed by anyone from the document alone.
 *
 * Source: IPIP-0499 "UnixFS CID Profiles", ipfs/specs `src/ipips/ipip-0499.md`, section "The
 * `unixfs-v1-2025` modern profile" (https://specs.ipfs.tech/ipips/ipip-0499/), and its test vectors as
 * Kubo checks them in `test/cli/cid_profiles_test.go`. The table there fixes:
 *
 *   CID version CIDv1 · hash sha2-256 · chunking fixed-size · max chunk 1 MiB · DAG layout `balanced`
 *   (not `balanced-packed`: all leaves at the same depth) · DAG width 1024 children per File node ·
 *   leaves raw · HAMT fanout 256 · HAMT threshold 256 KiB measured as `block-bytes` (sharding when the
 *   serialized directory block is strictly larger) · empty directories included · hidden entities
 *   excluded · symlinks preserved · mode and mtime excluded.
 *
 * This service stores single files only, never wrapped in a directory (a name would change the CID),
 * so the directory rows matter only to keep the importer honest if it ever builds one.
 */
export const UNIXFS_V1_2025 = {
  name: "unixfs-v1-2025",
  cidVersion: 1,
  hash: "sha2-256",
  chunker: "fixed-size",
  // 1 MiB, kept in app/shared: a file of one chunk is CIDv1-raw of its SHA-256 (singleBlockCid).
  chunkSize: SINGLE_BLOCK_MAX_BYTES,
  layout: "balanced",
  maxChildrenPerNode: 1024,
  rawLeaves: true,
  hamtFanout: 256,
  hamtThresholdBytes: 262_144,
  hamtSizeEstimation: "block-bytes",
  wrapWithDirectory: false,
  preserveMode: false,
  preserveMtime: false,
} as const;

/** The multicodec of a single-block file under this profile: the bytes themselves, as a raw block. */
export const RAW_CODEC = 0x55;
/** The multicodec of every interior node: a dag-pb node holding UnixFS `File` data. */
export const DAG_PB_CODEC = 0x70;

/**
 * The profile as options for the JavaScript UnixFS importer (Helia's `addBytes`). The chunker and the
 * layout are passed as functions because the importer's own `profile` option is overridden by the
 * defaults @helia/unixfs spreads in before it; `reduceSingleLeafToSelf` keeps a one-chunk file a bare
 * raw block, which is what "single-block files are CIDv1-raw of their SHA-256" requires.
 */
export const unixfsV1_2025ImporterOptions = {
  profile: UNIXFS_V1_2025.name,
  cidVersion: UNIXFS_V1_2025.cidVersion,
  rawLeaves: UNIXFS_V1_2025.rawLeaves,
  reduceSingleLeafToSelf: true,
  chunker: fixedSize({ chunkSize: UNIXFS_V1_2025.chunkSize }),
  layout: balanced({ maxChildrenPerNode: UNIXFS_V1_2025.maxChildrenPerNode }),
  shardSplitThresholdBytes: UNIXFS_V1_2025.hamtThresholdBytes,
  shardSplitStrategy: UNIXFS_V1_2025.hamtSizeEstimation,
  shardFanoutBits: Math.log2(UNIXFS_V1_2025.hamtFanout),
  fieldOrder: "links-first",
} satisfies ImporterOptions;

/**
 * The CID these bytes get under the profile, computed without storing anything. The Kubo adapter
 * checks every CID its node returns against it, so a node that ignores an option cannot slip a
 * differently-built CID onto the chain.
 */
export async function profileCid(bytes: Uint8Array): Promise<CID> {
  const discard = { put: async (cid: CID) => cid };
  const { cid } = await importFile({ content: bytes }, discard, unixfsV1_2025ImporterOptions);
  return cid;
}

/** Longer than any CID this service can hold (a sha2-512 CIDv1 in base32 is about 110 characters). */
const MAX_CID_TEXT_LENGTH = 256;

/**
 * Parses a CID as it arrives in a URL or a request body. Accepts CIDv0 (`Qm…`) and CIDv1 in base32,
 * base36 or base58btc; throws IpfsInvalidCidError for anything else, so the API can answer 400 before
 * asking an engine. A well-formed CID this node does not hold is not an error here (that is a 404).
 */
export function parseCid(text: string): CID {
  if (typeof text !== "string" || text.length === 0) throw new IpfsInvalidCidError(String(text), "empty");
  if (text.length > MAX_CID_TEXT_LENGTH) {
    throw new IpfsInvalidCidError(text, `longer than ${MAX_CID_TEXT_LENGTH} characters`);
  }
  try {
    return CID.parse(text);
  } catch (error) {
    throw new IpfsInvalidCidError(text, (error as Error).message);
  }
}
