import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { unixfs, type UnixFS } from "@helia/unixfs";
import * as dagPb from "@ipld/dag-pb";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
import type { CID } from "multiformats/cid";
import { EngineError } from "../errors.js";
import { DAG_PB_CODEC, parseCid, unixfsV1_2025ImporterOptions } from "./profile.js";
import { resolveReadRange } from "./readRange.js";
import { IpfsNotFoundError, type IpfsStore } from "./types.js";

/**
 * The embedded IPFS engine: Helia in this process, blocks and pins on disk under `dir`
 * (`dir/blocks`, `dir/datastore`). It is built with `createHeliaLight` and no routers or block brokers,
 * so it never opens a socket; every read also passes `offline: true`, so a missing block fails at once
 * instead of waiting for a network that is not there.
 */
export async function createHeliaStore(dir: string): Promise<IpfsStore> {
  const blockstore = new FsBlockstore(join(dir, "blocks"));
  const datastore = new FsDatastore(join(dir, "datastore"));
  try {
    await mkdir(dir, { recursive: true });
    await blockstore.open();
    await datastore.open();
    const helia = createHeliaLight({ blockstore, datastore });
    await helia.start();
    return new HeliaStore(dir, helia, blockstore, datastore);
  } catch (error) {
    await Promise.allSettled([blockstore.close(), datastore.close()]);
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
    readonly blockstore: FsBlockstore,
    readonly datastore: FsDatastore,
  ) {
    this.#fs = unixfs(helia);
  }

  async add(bytes: Uint8Array): Promise<string> {
    const cid = await this.#fs.addBytes(bytes, unixfsV1_2025ImporterOptions);
    await this.#pin(cid);
    return cid.toString();
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
    return { ok: this.helia.status === "started", detail: `helia ${this.helia.status}, offline, blocks in ${this.dir}` };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.helia.stop();
    await Promise.all([this.blockstore.close(), this.datastore.close()]);
  }

  /**
   * Pinned like Kubo's `add` pins, so that a garbage collection, should one ever run, keeps every
   * document the service accepted. Adding the same bytes twice is not an error.
   */
  async #pin(cid: CID): Promise<void> {
    if (await this.helia.pins.isPinned(cid)) return;
    try {
      for await (const pinned of this.helia.pins.add(cid)) void pinned;
    } catch (error) {
      if ((error as Error).name !== "AlreadyPinnedError") throw error;
    }
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
