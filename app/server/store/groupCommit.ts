import { open, type FileHandle } from "node:fs/promises";
import type { DatabaseSync } from "node:sqlite";
import { inTransaction } from "./database.js";

/**
 * Group commit for one SQLite connection: the items submitted in the same turn of the event loop are
 * written in one transaction, and each submitter hears back only once that transaction is on the disk.
 * The anchoring queue (records) and the embedded IPFS node's blockstore (blocks) use it.
 *
 * Why the fsync is not SQLite's: with `synchronous=FULL` every commit waits about 0.35 ms for the disk
 * on the thread that answers every request (docs/benchmarks.md). Here, in WAL mode, the group is
 * committed with `synchronous=NORMAL` — its pages are written to the log, not yet fsynced — and the log
 * is then fsynced on libuv's thread pool; only then are the submitters answered. So the promise is
 * FULL's: what was answered survives a power cut. NORMAL never lets a checkpoint lose it either: a
 * checkpoint fsyncs the log before copying it and the database before the log is reused. Every other
 * write on the connection keeps FULL.
 *
 * When the group's transaction fails (a lock held elsewhere, a constraint), each item is written
 * alone, with FULL, so that one bad item fails only its own submitter.
 */
export class GroupCommit<Item, Result> {
  readonly #db: DatabaseSync;
  readonly #write: (item: Item) => Result;
  readonly #maxGroup: number;
  /** The log's fsync; null when the database is not in WAL mode (then every commit is FULL's). */
  readonly #log: FileSync | null;
  #group: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    db: DatabaseSync,
    write: (item: Item) => Result,
    options: { maxGroup: number; /** The fsync of a file (tests slow it down). */ fsync?: (path: string) => Promise<void> },
  ) {
    this.#db = db;
    this.#write = write;
    this.#maxGroup = options.maxGroup;
    const { journal_mode: mode } = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    const { file } = db.prepare("SELECT file FROM pragma_database_list WHERE name = 'main'").get() as { file: string };
    this.#log = mode === "wal" && file !== "" ? new FileSync(`${file}-wal`, options.fsync) : null;
  }

  /** Resolves with `write(item)`'s result once it is committed and on the disk. */
  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      if (this.#group.length === 0) setImmediate(() => this.flush());
      this.#group.push({ item, resolve, reject });
    });
  }

  /** Commits what is waiting now (also before the connection is closed). */
  flush(): void {
    while (this.#group.length > 0) {
      const group = this.#group.splice(0, this.#maxGroup);
      let results: Result[];
      try {
        results = this.#commitDeferringSync(() => group.map(({ item }) => this.#write(item)));
      } catch {
        for (const waiting of group) {
          try {
            waiting.resolve(inTransaction(this.#db, () => this.#write(waiting.item)));
          } catch (error) {
            waiting.reject(error);
          }
        }
        continue;
      }
      const answer = () => group.forEach((waiting, i) => waiting.resolve(results[i]));
      if (!this.#log) answer();
      else this.#log.sync().then(answer, (error: unknown) => group.forEach((waiting) => waiting.reject(error)));
    }
  }

  #commitDeferringSync<T>(work: () => T): T {
    if (!this.#log) return inTransaction(this.#db, work);
    this.#db.exec("PRAGMA synchronous = NORMAL");
    try {
      return inTransaction(this.#db, work);
    } finally {
      this.#db.exec("PRAGMA synchronous = FULL");
    }
  }
}

/**
 * fsync of one file, shared: a caller is answered by an fsync that began after its call, and the
 * callers that arrive while one runs share the next. The file stays open while syncs keep coming (an
 * open and a close around each fsync cost the main thread more than the fsync's own dispatch) and is
 * closed after a second without one.
 */
export class FileSync {
  #running: Promise<void> | null = null;
  #next: Promise<void> | null = null;
  #handle: Promise<FileHandle | null> | null = null;
  #idle: NodeJS.Timeout | null = null;
  readonly #fsync: (path: string) => Promise<void>;

  constructor(
    readonly path: string,
    fsync?: (path: string) => Promise<void>,
  ) {
    this.#fsync = fsync ?? (() => this.#fsyncKeptOpen());
  }

  sync(): Promise<void> {
    if (!this.#running) return this.#start();
    this.#next ??= this.#running
      .catch(() => {})
      .then(() => {
        this.#next = null;
        return this.#start();
      });
    return this.#next;
  }

  #start(): Promise<void> {
    const running: Promise<void> = this.#fsync(this.path).finally(() => {
      if (this.#running === running) this.#running = null;
    });
    this.#running = running;
    return running;
  }

  async #fsyncKeptOpen(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    this.#handle ??= open(this.path, "r").catch((error: NodeJS.ErrnoException) => {
      // No log: the last connection closed, which checkpoints the log into the database (fsynced) first.
      if (error.code === "ENOENT") return null;
      throw error;
    });
    const handle = this.#handle;
    try {
      await (await handle)?.sync();
    } catch (error) {
      this.#release(handle);
      throw error;
    }
    this.#idle = setTimeout(() => this.#release(handle), 1000).unref();
  }

  #release(handle: Promise<FileHandle | null>): void {
    if (this.#handle === handle) this.#handle = null;
    void handle.then((opened) => opened?.close()).catch(() => {});
  }
}
