import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { PollingLoop } from "../pollingLoop.js";
import type { JsonRpcProvider, Log } from "ethers";
import type { LedgerDeployment } from "../chain/deploy.js";
import { inTransaction } from "../store/database.js";
import { EventTables, INDEX_TABLES, followedAddresses, followedTopics, type BlockFacts, type IndexTable } from "./eventTables.js";
import { EVENT_MODULES } from "./modules/index.js";
import { ShadowIndex } from "./shadowIndex.js";

/**
 * The indexer: follows the ledger contracts' events from the deployment block into the index tables
 * (eventTables.ts), a range of blocks per transaction together with its cursor. It trusts nothing but
 * the chain: when the block under its cursor changed (a reorganisation, or an embedded chain restarted
 * from an older dump), or the tables were built by other event modules (a new release), it reads the
 * chain again from the deployment block — aside (shadowIndex.ts), while the tables in use keep
 * answering, and swaps the rebuilt tables in at once: a rebuild never changes a verdict.
 */
export interface IndexerOptions {
  db: DatabaseSync;
  provider: JsonRpcProvider;
  deployment: LedgerDeployment;
  /** Blocks per eth_getLogs request (default 2,000). */
  blockRange?: number;
  /** Index only blocks this deep under the head (default 0; a real network wants a few). */
  confirmations?: number;
  /** Pause between polls once caught up (ms, default 1,000). */
  pollIntervalMs?: number;
  log?: (message: string) => void;
}

export interface IndexerStatus {
  running: boolean;
  /** The next block to read. */
  nextBlock: number;
  /** The last block read, or null before the first. */
  lastIndexedBlock: number | null;
  lastError: string | null;
  /** A rebuild under way aside (the tables in use answer meanwhile): why, and the next block it reads. */
  rebuild: { reason: RebuildReason; nextBlock: number } | null;
}

/** Why the index is rebuilt: asked (`npm run reindex`), other event modules, or the chain changed under it. */
export type RebuildReason = "asked" | "modules" | "reorg";

const REBUILD_REASONS: Record<RebuildReason, string> = {
  asked: "a rebuild was asked for",
  modules: "the index's tables or events changed",
  reorg: "the last block indexed left the chain",
};

/** A set of index tables the indexer writes: the ones in use, or a rebuild's (shadowIndex.ts). */
interface IndexTarget {
  db: DatabaseSync;
  tables: EventTables;
}

/** A rebuild under way aside: when it ends, why it runs, and its tables once they are made. */
interface Rebuild {
  done: Promise<void>;
  reason: RebuildReason;
  target: IndexTarget | null;
}

/** The name of the index's row in idx_cursor (readers ask it how far the index has read: issuers.ts). */
export const CURSOR = "ledger";

interface CursorRow {
  next_block: number;
  last_block_hash: string | null;
  /** The module signature the tables were built with (see {@link moduleSignature}). */
  modules: string | null;
}

/** Whether the cursor is where it was: another indexer on this database (`npm run reindex`) may have moved it. */
function sameCursor(a: CursorRow, b: CursorRow): boolean {
  return a.next_block === b.next_block && a.last_block_hash === b.last_block_hash && a.modules === b.modules;
}

/**
 * What the index is made of — its tables, the events it follows and which module keeps which in which
 * tables — hashed: a change means rebuild (a module added to an existing table follows no new topic).
 */
function moduleSignature(): string {
  const modules = EVENT_MODULES.map((module) => [module.contract, module.events, module.tables]);
  return createHash("sha256").update(JSON.stringify([INDEX_TABLES, followedTopics(), modules])).digest("hex");
}

export class Indexer {
  readonly #provider: JsonRpcProvider;
  readonly #deployment: LedgerDeployment;
  readonly #live: IndexTarget;
  readonly #blockRange: number;
  readonly #confirmations: number;
  readonly #pollIntervalMs: number;
  readonly #log: (message: string) => void;
  readonly #topics = followedTopics();
  readonly #modules = moduleSignature();
  readonly #loop: PollingLoop;
  #lastError: string | null = null;
  /** Why the last rebuild failed, until one starts again (a catch-up that succeeds does not clear it). */
  #rebuildError: string | null = null;
  /** The chain's tip and the cursor as the last catch-up left them: while neither moved, there is nothing to read. */
  #caughtUp: { tipHash: string; cursor: CursorRow } | null = null;
  /** The catch-up under way, and the one that follows it, shared by every caller who came while it ran. */
  #running: Promise<number> | null = null;
  #following: Promise<number> | null = null;
  /** The rebuild under way aside, its reason and its tables. */
  #rebuild: Rebuild | null = null;
  readonly #rebuiltListeners: Array<() => void> = [];

  constructor(options: IndexerOptions) {
    this.#provider = options.provider;
    this.#deployment = options.deployment;
    this.#live = { db: options.db, tables: new EventTables(options.db, options.deployment.contracts) };
    this.#blockRange = options.blockRange ?? 2000;
    this.#confirmations = options.confirmations ?? 0;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#log = options.log ?? (() => {});
    const round = async () => {
      await this.catchUp();
      this.#lastError = null;
    };
    this.#loop = new PollingLoop(round, this.#pollIntervalMs, (error) => {
      this.#lastError = error.message.split("\n")[0];
      this.#log(`indexer: ${this.#lastError}`);
    });
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops polling, and a rebuild under way at its next range (its copy is deleted; the tables in use stay). */
  async stop(): Promise<void> {
    await this.#loop.stop();
    await this.#rebuild?.done.catch(() => {});
  }

  status(): IndexerStatus {
    const cursor = this.#cursor(this.#live.db);
    const lastIndexedBlock = cursor.next_block > this.#deployment.deploymentBlock ? cursor.next_block - 1 : null;
    const rebuild = this.#rebuild && {
      reason: this.#rebuild.reason,
      nextBlock: this.#rebuild.target ? this.#cursor(this.#rebuild.target.db).next_block : this.#deployment.deploymentBlock,
    };
    const lastError = this.#lastError ?? this.#rebuildError;
    return { running: this.#loop.running, nextBlock: cursor.next_block, lastIndexedBlock, lastError, rebuild };
  }

  counts(): Record<IndexTable, number> {
    return this.#live.tables.counts();
  }

  /**
   * Calls `listener` whenever rebuilt tables replace the ones in use: this indexer's rebuild, or another
   * process's (`npm run reindex`), seen at the next catch-up. Whatever was kept of answers read from the
   * old tables (services/verification.ts) is dropped there.
   */
  onRebuilt(listener: () => void): void {
    this.#rebuiltListeners.push(listener);
  }

  /**
   * Indexes every block up to the (confirmed) head; returns the last block indexed. One catch-up runs at
   * a time, however many requests ask (GET /api/municipalities asks on every call, the polling loop every
   * second): a caller who comes while one runs waits for the next one, which starts when it ends and
   * serves every caller who came meanwhile — the running one may have read the head before the caller's
   * own transaction was mined, so joining it would not be fresh. A catch-up that finds the chain's tip
   * block and the cursor as the last one left them reads nothing more: a burst of requests costs one
   * catch-up and one read of the tip.
   */
  catchUp(): Promise<number> {
    if (this.#following) return this.#following;
    if (!this.#running) return this.#run();
    const settled = () => undefined;
    this.#following = this.#running.then(settled, settled).then(() => {
      this.#following = null;
      return this.#run();
    });
    return this.#following;
  }

  #run(): Promise<number> {
    this.#running = this.#catchUpOnce().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #catchUpOnce(): Promise<number> {
    const tip = await this.#provider.getBlock("latest");
    if (!tip?.hash) throw new Error("the chain node has no latest block");
    const before = this.#caughtUp;
    const cursor = this.#cursor(this.#live.db);
    // The same tip block is the same chain, every block under it included: nothing new, nothing reorganised.
    if (before && before.tipHash === tip.hash && sameCursor(before.cursor, cursor)) return cursor.next_block - 1;
    // Only a rebuild moves the cursor behind this indexer's back: another process's (`npm run reindex`) swap.
    if (before && !sameCursor(before.cursor, cursor)) this.#rebuilt();
    const indexed = await this.#indexUpTo(tip.number - this.#confirmations);
    this.#caughtUp = { tipHash: tip.hash, cursor: this.#cursor(this.#live.db) };
    return indexed;
  }

  /**
   * Indexes every block up to `head` into the tables in use; returns the last block indexed. Tables
   * built by other modules keep following the chain while they are rebuilt aside; tables whose last
   * block left the chain stay as they are (the last answers known) until the rebuilt ones replace them.
   */
  async #indexUpTo(head: number): Promise<number> {
    for (;;) {
      const cursor = this.#cursor(this.#live.db);
      if (cursor.modules !== this.#modules) {
        // Nothing indexed yet: nothing to keep answering from, so it is built in place.
        if (cursor.last_block_hash === null) {
          this.#restart(this.#live);
          continue;
        }
        void this.#startRebuild("modules");
      }
      if (!(await this.#stillOnChain(cursor))) {
        void this.#startRebuild("reorg");
        return cursor.next_block - 1;
      }
      if (cursor.next_block > head) return cursor.next_block - 1;
      await this.#indexRange(this.#live, cursor, Math.min(head, cursor.next_block + this.#blockRange - 1));
    }
  }

  /**
   * Rebuilds the index tables from the deployment block, from the chain alone, aside; they replace the
   * tables in use at once when done (a rebuild already under way is joined). Returns the rows per table.
   */
  async reindex(): Promise<Record<IndexTable, number>> {
    await this.#startRebuild("asked");
    return this.counts();
  }

  /** The rebuild under way, or a new one; a failed one is logged and tried again by the next catch-up that needs it. */
  #startRebuild(reason: RebuildReason): Promise<void> {
    if (this.#rebuild) return this.#rebuild.done;
    this.#rebuildError = null;
    this.#log(`indexer: ${REBUILD_REASONS[reason]}; rebuilding from block ${this.#deployment.deploymentBlock} aside, the index in use answering meanwhile`);
    const rebuild: Rebuild = { done: Promise.resolve(), reason, target: null };
    rebuild.done = this.#rebuildAside(rebuild).finally(() => {
      this.#rebuild = null;
    });
    rebuild.done.catch((error: Error) => {
      if (this.#loop.stopping) return;
      this.#rebuildError = `rebuild: ${error.message.split("\n")[0]}`;
      this.#log(`indexer: ${this.#rebuildError}`);
      // The next catch-up looks again, even if no block came (it would read nothing otherwise).
      this.#caughtUp = null;
    });
    this.#rebuild = rebuild;
    return rebuild.done;
  }

  async #rebuildAside(rebuild: Rebuild): Promise<void> {
    const shadow = ShadowIndex.create(this.#live.db, [...INDEX_TABLES, "idx_cursor"]);
    try {
      const target = { db: shadow.db, tables: new EventTables(shadow.db, this.#deployment.contracts) };
      rebuild.target = target;
      for (;;) {
        const tip = await this.#provider.getBlock("latest");
        if (!tip) throw new Error("the chain node has no latest block");
        await this.#buildUpTo(target, tip.number - this.#confirmations);
        // The tables in use may have read further meanwhile: swapped in, the rebuilt ones must not be
        // behind them on the same chain, or a verdict would go back (a revocation just read, undone).
        const live = this.#cursor(this.#live.db);
        if (live.next_block > this.#cursor(target.db).next_block && (await this.#stillOnChain(live))) continue;
        if (shadow.swapInto(() => sameCursor(this.#cursor(this.#live.db), live))) break;
      }
    } finally {
      rebuild.target = null;
      shadow.dispose();
    }
    this.#log(`indexer: the rebuilt index replaced the one in use at block ${this.#cursor(this.#live.db).next_block - 1}`);
    this.#caughtUp = null;
    this.#rebuilt();
  }

  /** Indexes every block up to `head` into a rebuild's tables, starting them again if their last block left the chain. */
  async #buildUpTo(target: IndexTarget, head: number): Promise<void> {
    for (;;) {
      if (this.#loop.stopping) throw new Error("the indexer stopped before the rebuild ended");
      const cursor = this.#cursor(target.db);
      if (!(await this.#stillOnChain(cursor))) {
        this.#restart(target);
        continue;
      }
      if (cursor.next_block > head) return;
      await this.#indexRange(target, cursor, Math.min(head, cursor.next_block + this.#blockRange - 1));
    }
  }

  #rebuilt(): void {
    for (const listener of this.#rebuiltListeners) listener();
  }

  async #indexRange(target: IndexTarget, cursor: CursorRow, to: number): Promise<void> {
    const from = cursor.next_block;
    const logs = await this.#provider.getLogs({
      address: followedAddresses(this.#deployment.contracts),
      topics: [this.#topics],
      fromBlock: from,
      toBlock: to,
    });
    const ordered = logs.filter((log) => !log.removed).sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    const facts = await this.#blockFacts(ordered);
    const end = await this.#provider.getBlock(to);
    if (!end) throw new Error(`block ${to} is not on the chain any more`);
    inTransaction(target.db, () => {
      // Compare and set: another indexer on this database (a running service during `npm run reindex`),
      // or a rebuild swapped in, may have moved the cursor meanwhile; then this copy is dropped.
      const now = this.#cursor(target.db);
      if (now.next_block !== from || now.last_block_hash !== cursor.last_block_hash) return;
      for (const log of ordered) target.tables.apply(log, facts.get(log.blockNumber));
      target.db.prepare("UPDATE idx_cursor SET next_block = ?, last_block_hash = ? WHERE name = ?").run(to + 1, end.hash, CURSOR);
    });
  }

  /** Block time and transaction senders of the blocks whose logs need them. */
  async #blockFacts(logs: Log[]): Promise<Map<number, BlockFacts>> {
    const facts = new Map<number, BlockFacts>();
    for (const log of logs) {
      if (!this.#live.tables.needsBlockFacts(log) || facts.has(log.blockNumber)) continue;
      const block = await this.#provider.getBlock(log.blockNumber, true);
      if (!block) throw new Error(`block ${log.blockNumber} vanished while it was being indexed`);
      const senders = new Map(block.prefetchedTransactions.map((tx) => [tx.hash, tx.from]));
      facts.set(log.blockNumber, { timestamp: block.timestamp, senders });
    }
    return facts;
  }

  /** Whether the last block indexed is still the chain's block at that height. */
  async #stillOnChain(cursor: CursorRow): Promise<boolean> {
    if (cursor.last_block_hash === null) return true;
    const block = await this.#provider.getBlock(cursor.next_block - 1);
    return block?.hash === cursor.last_block_hash;
  }

  #cursor(db: DatabaseSync): CursorRow {
    const row = db.prepare("SELECT next_block, last_block_hash, modules FROM idx_cursor WHERE name = ?").get(CURSOR) as CursorRow | undefined;
    if (row) return row;
    db.prepare("INSERT OR IGNORE INTO idx_cursor (name, next_block, last_block_hash, modules) VALUES (?, ?, NULL, ?)").run(
      CURSOR,
      this.#deployment.deploymentBlock,
      this.#modules,
    );
    return this.#cursor(db);
  }

  /** Empties `target`'s tables and sets its cursor to the deployment block, under this indexer's modules. */
  #restart(target: IndexTarget): void {
    inTransaction(target.db, () => {
      target.tables.clear();
      target.db
        .prepare("INSERT OR REPLACE INTO idx_cursor (name, next_block, last_block_hash, modules) VALUES (?, ?, NULL, ?)")
        .run(CURSOR, this.#deployment.deploymentBlock, this.#modules);
    });
  }
}
