import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { AbortOptions } from "abort-error";
import type { Blockstore, InputPair, Pair } from "interface-blockstore";
import { NotFoundError } from "interface-store";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { GroupCommit } from "../store/groupCommit.js";

/** node:sqlite binds a zero-length blob as NULL; the empty block (an empty file) is read back from it. */
const EMPTY = new Uint8Array(0);

/** At most this many blocks share one commit. */
const MAX_GROUP = 1024;

/**
 * The embedded IPFS node's blocks in one SQLite file (WAL, `synchronous=FULL`), for Helia.
 *
 * Why not a file per block (blockstore-fs): a document of 1 KiB cost five file-system calls (directory,
 * temporary file, write, close, rename) and was never fsynced, so an accepted record's bytes could be
 * lost in a power cut while its row survived. Here the blocks that arrive together share one durable
 * commit — `put` answers once its block is on the disk — like the records' queue does (store/groupCommit.ts).
 *
 * Blocks are keyed by multihash, as Kubo and blockstore-fs key them: a CIDv0 and a CIDv1 of the same
 * bytes find the same block. `legacy`, when given, is the file-per-block store of a data folder made
 * before this one: read when a block is not here, never written.
 */
export class SqliteBlockstore implements Blockstore {
  readonly #db: DatabaseSync;
  readonly #select: StatementSync;
  readonly #exists: StatementSync;
  readonly #insert: StatementSync;
  readonly #remove: StatementSync;
  readonly #groupCommit: GroupCommit<{ cid: CID; bytes: Uint8Array }, CID>;

  constructor(
    readonly path: string,
    private readonly legacy?: Blockstore,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec("PRAGMA journal_mode = WAL");
    this.#db.exec("PRAGMA synchronous = FULL");
    this.#db.exec("PRAGMA busy_timeout = 10000");
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS blocks (
         multihash BLOB PRIMARY KEY,
         codec INTEGER NOT NULL,
         bytes BLOB
       )`,
    );
    this.#select = this.#db.prepare("SELECT bytes FROM blocks WHERE multihash = ?");
    this.#exists = this.#db.prepare("SELECT 1 FROM blocks WHERE multihash = ?");
    this.#insert = this.#db.prepare("INSERT INTO blocks (multihash, codec, bytes) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    this.#remove = this.#db.prepare("DELETE FROM blocks WHERE multihash = ?");
    this.#groupCommit = new GroupCommit(
      this.#db,
      ({ cid, bytes }) => {
        this.#insert.run(cid.multihash.bytes, cid.code, bytes);
        return cid;
      },
      { maxGroup: MAX_GROUP },
    );
  }

  async put(cid: CID, value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>, options?: AbortOptions): Promise<CID> {
    options?.signal?.throwIfAborted();
    return this.#groupCommit.submit({ cid, bytes: await toBytes(value) });
  }

  async *putMany(source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    const puts: Promise<CID>[] = [];
    for await (const { cid, bytes } of source) puts.push(this.put(cid, bytes, options));
    yield* await Promise.all(puts);
  }

  async *get(cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    options?.signal?.throwIfAborted();
    const row = this.#select.get(cid.multihash.bytes) as { bytes: Uint8Array | null } | undefined;
    if (row) {
      yield row.bytes ?? EMPTY;
      return;
    }
    // The legacy store answers NotFoundError itself for a block it does not hold either.
    if (this.legacy) yield* this.legacy.get(cid, options);
    else throw new NotFoundError(`block ${cid} is not stored here`);
  }

  async *getMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) yield { cid, bytes: this.get(cid, options) };
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    if (this.#exists.get(cid.multihash.bytes) !== undefined) return true;
    return this.legacy ? this.legacy.has(cid, options) : false;
  }

  async delete(cid: CID, options?: AbortOptions): Promise<void> {
    this.#remove.run(cid.multihash.bytes);
    await this.legacy?.delete(cid, options);
  }

  async *deleteMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options);
      yield cid;
    }
  }

  async *getAll(options?: AbortOptions): AsyncGenerator<Pair> {
    const seen = new Set<string>();
    for (const row of this.#db.prepare("SELECT multihash, codec, bytes FROM blocks").iterate()) {
      const { multihash, codec, bytes } = row as { multihash: Uint8Array; codec: number; bytes: Uint8Array | null };
      seen.add(Buffer.from(multihash).toString("hex"));
      yield { cid: CID.createV1(codec, Digest.decode(multihash)), bytes: (function* () { yield bytes ?? EMPTY; })() };
    }
    if (!this.legacy) return;
    for await (const pair of this.legacy.getAll(options)) {
      if (!seen.has(Buffer.from(pair.cid.multihash.bytes).toString("hex"))) yield pair;
    }
  }

  close(): void {
    this.#groupCommit.flush();
    this.#db.close();
  }
}

async function toBytes(value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (value instanceof Uint8Array) return value;
  const chunks: Uint8Array[] = [];
  for await (const chunk of value) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
