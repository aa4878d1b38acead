import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { unixfs, type UnixFS } from "@helia/unixfs";
import * as dagPb from "@ipld/dag-pb";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
import { CID } from "multiformats/cid";
import type { Digest } from "multiformats/hashes/digest";
import { sha256 } from "multiformats/hashes/sha2";
import { EngineError } from "../errors.js";
import { DAG_PB_CODEC, parseCid, RAW_CODEC, UNIXFS_V1_2025, unixfsV1_2025ImporterOptions } from "./profile.js";
import { resolveReadRange } from "./readRange.js";
import { SqliteBlockstore } from "./sqliteBlockstore.js";
import { IpfsNotFoundError, type IpfsStore } from "./types.js";

/**
 * The embedded IPFS engine: Helia in this process, blocks on disk under `dir` (`dir/blocks.sqlite`,
 * see SqliteBlockstore; Helia's own records in `dir/datastore`). It is built with `createHeliaLight` and no routers or block brokers, so it never
 * opens a socket; every read also passes `offline: true`, so a missing block fails at once instead of
 * waiting for a network that is not there.
 *
 * Blocks are not pinned one by one: this node never collects garbage (nothing here calls `helia.gc`),
 * so every block it was given stays, and the records table lists every CID the ledger refers to. A
 * Helia pin costs two more datastore files per document, more than the document's own block; should a
 * garbage collection ever be added, it must keep the records' CIDs.
 */
export async function createHeliaStore(dir: string): Promise<IpfsStore> {
  // Data folders from before blocks.sqlite keep a block per file in `blocks/`: still read, never written.
  const legacyDir = join(dir, "blocks");
  const legacy = existsSync(legacyDir) ? new FsBlockstore(legacyDir) : undefined;
  const datastore = new FsDatastore(join(dir, "datastore"));
  let blockstore: SqliteBlockstore | undefined;
  try {
    await mkdir(dir, { recursive: true });
    await legacy?.open();
    blockstore = new SqliteBlockstore(join(dir, "blocks.sqlite"), legacy);
    await datastore.open();
    const helia = createHeliaLight({ blockstore, datastore });
    await helia.start();
    return new HeliaStore(dir, helia, blockstore, datastore);
  } catch (error) {
    blockstore?.close();
    await datastore.close().catch(() => {});
    throw new EngineError("ipfs", `Helia could not open ${dir}: ${(error as Error).message}`);
  }
}

/** Errors by which Helia and the UnixFS exporter say "this node does not hold that (as a file)". */
const MISSING = new Set(["BlockNotFoundWhileOfflineError", "NotFoundError", "NotUnixFSError", "NoResolverError"]);

function isMissing(error: unknown): boolean {
  return error instanceof Error && MISSING.has(error.name);
}

class HeliaStore implements IpfsStore {
  readonly engine = "helia";
  readonly #fs: UnixFS;
  #stopped = false;

  constructor(
    readonly dir: string,
    readonly helia: Helia,
    readonly blockstore: SqliteBlockstore,
    readonly datastore: FsDatastore,
  ) {
    this.#fs = unixfs(helia);
  }

  async add(bytes: Uint8Array): Promise<string> {
    // Under the profile a file of one chunk is the raw block of its bytes, CIDv1-raw of their SHA-256: it
    // is stored as that block directly, without the importer's pipeline (the same CID and block; most
    // documents are this small, and the importer cost several times the write).
    if (bytes.length > 0 && bytes.length <= UNIXFS_V1_2025.chunkSize) {
      const cid = CID.createV1(RAW_CODEC, sha256.digest(bytes) as Digest<typeof sha256.code, number>);
      await this.blockstore.put(cid, bytes);
      return cid.toString();
    }
    return (await this.#fs.addBytes(bytes, unixfsV1_2025ImporterOptions)).toString();
  }

  async size(cid: string): Promise<number> {
    const parsed = parseCid(cid);
    try {
      const stats = await this.#fs.stat(parsed, { offline: true });
      if (stats.type === "directory") throw new IpfsNotFoundError(cid);
      return Number(stats.size);
    } catch (error) {
      throw isMissing(error) ? new IpfsNotFoundError(cid) : error;
    }
  }

  async *cat(cid: string, options?: { offset?: number; length?: number }): AsyncIterable<Uint8Array> {
    const range = resolveReadRange(cid, await this.size(cid), options);
    if (range.length === 0) return;
    try {
      yield* this.#fs.cat(parseCid(cid), { ...range, offline: true });
    } catch (error) {
      throw isMissing(error) ? new IpfsNotFoundError(cid) : error;
    }
  }

  async has(cid: string): Promise<boolean> {
    return this.#holdsWholeDag(parseCid(cid), new Set());
  }

  async status(): Promise<{ ok: boolean; detail: string }> {
    return { ok: this.helia.status === "started", detail: `helia ${this.helia.status}, offline, blocks on the service's disk` };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.helia.stop();
    this.blockstore.close();
    await this.datastore.close();
  }

  /**
   * Walks the file's DAG in the local blockstore only. Leaves are checked with `has`, never read, so
   * this costs one small read per interior node (a 1 GiB file has one, its root).
   */
  async #holdsWholeDag(cid: CID, seen: Set<string>): Promise<boolean> {
    const key = cid.toString();
    if (seen.has(key)) return true;
    seen.add(key);
    if (!(await this.helia.blockstore.has(cid))) return false;
    if (cid.code !== DAG_PB_CODEC) return true;
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.helia.blockstore.get(cid, { offline: true })) chunks.push(chunk);
    const node = dagPb.decode(Buffer.concat(chunks));
    for (const link of node.Links) {
      if (!(await this.#holdsWholeDag(link.Hash, seen))) return false;
    }
    return true;
  }
}
