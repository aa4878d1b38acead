import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { PollingLoop } from "../pollingLoop.js";
import type { JsonRpcProvider, Log } from "ethers";
import type { LedgerDeployment } from "../chain/deploy.js";
import { inTransaction } from "../store/database.js";
import { EventTables, INDEX_TABLES, followedAddresses, followedTopics, type BlockFacts, type IndexTable } from "./eventTables.js";
import { EVENT_MODULES } from "./modules/index.js";

/**
 * The indexer: follows the ledger contracts' events from the deployment block into the index tables
 * (eventTables.ts), a range of blocks per transaction together with its cursor. It trusts nothing but
 * the chain: when the block under its cursor changed (a reorganisation, or an embedded chain restarted
 * from an older dump), it drops the tables and reads the chain again from the deployment block.
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
  readonly #db: DatabaseSync;
  readonly #provider: JsonRpcProvider;
  readonly #deployment: LedgerDeployment;
  readonly #tables: EventTables;
  readonly #blockRange: number;
  readonly #confirmations: number;
  readonly #pollIntervalMs: number;
  readonly #log: (message: string) => void;
  readonly #topics = followedTopics();
  readonly #modules = moduleSignature();
  readonly #loop: PollingLoop;
  #lastError: string | null = null;
  /** The chain's tip and the cursor as the last catch-up left them: while neither moved, there is nothing to read. */
  #caughtUp: { tipHash: string; cursor: CursorRow } | null = null;
  /** The catch-up under way, and the one that follows it, shared by every caller who came while it ran. */
  #running: Promise<number> | null = null;
  #following: Promise<number> | null = null;

  constructor(options: IndexerOptions) {
    this.#db = options.db;
    this.#provider = options.provider;
    this.#deployment = options.deployment;
    this.#tables = new EventTables(options.db, options.deployment.contracts);
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

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  status(): IndexerStatus {
    const cursor = this.#cursor();
    const lastIndexedBlock = cursor.next_block > this.#deployment.deploymentBlock ? cursor.next_block - 1 : null;
    return { running: this.#loop.running, nextBlock: cursor.next_block, lastIndexedBlock, lastError: this.#lastError };
  }

  counts(): Record<IndexTable, number> {
    return this.#tables.counts();
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
    const cursor = this.#cursor();
    // The same tip block is the same chain, every block under it included: nothing new, nothing reorganised.
    if (before && before.tipHash === tip.hash && sameCursor(before.cursor, cursor)) return cursor.next_block - 1;
    const indexed = await this.#indexUpTo(tip.number - this.#confirmations);
    this.#caughtUp = { tipHash: tip.hash, cursor: this.#cursor() };
    return indexed;
  }

  /** Indexes every block up to `head` (rebuilding first if the cursor's block left the chain); returns the last block indexed. */
  async #indexUpTo(head: number): Promise<number> {
    for (;;) {
      const cursor = this.#cursor();
      if (cursor.modules !== this.#modules) {
        this.#log(`indexer: the index's tables or events changed; rebuilding from block ${this.#deployment.deploymentBlock}`);
        this.#rewind();
        continue;
      }
      if (!(await this.#stillOnChain(cursor))) {
        this.#log(`indexer: block ${cursor.next_block - 1} changed under the index; rebuilding from block ${this.#deployment.deploymentBlock}`);
        this.#rewind();
        continue;
      }
      if (cursor.next_block > head) return cursor.next_block - 1;
      const to = Math.min(head, cursor.next_block + this.#blockRange - 1);
      await this.#indexRange(cursor, to);
    }
  }

  /** Drops the index tables and rebuilds them from the deployment block, from the chain alone. */
  async reindex(): Promise<Record<IndexTable, number>> {
    this.#rewind();
    await this.catchUp();
    return this.counts();
  }

  async #indexRange(cursor: CursorRow, to: number): Promise<void> {
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
    inTransaction(this.#db, () => {
      // Compare and set: another indexer on this database (a running service during `npm run reindex`)
      // may have indexed this range meanwhile; then this copy is dropped.
      const now = this.#cursor();
      if (now.next_block !== from || now.last_block_hash !== cursor.last_block_hash) return;
      for (const log of ordered) this.#tables.apply(log, facts.get(log.blockNumber));
      this.#db.prepare("UPDATE idx_cursor SET next_block = ?, last_block_hash = ? WHERE name = ?").run(to + 1, end.hash, CURSOR);
    });
  }

  /** Block time and transaction senders of the blocks whose logs need them. */
  async #blockFacts(logs: Log[]): Promise<Map<number, BlockFacts>> {
    const facts = new Map<number, BlockFacts>();
    for (const log of logs) {
      if (!this.#tables.needsBlockFacts(log) || facts.has(log.blockNumber)) continue;
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

  #cursor(): CursorRow {
    const row = this.#db.prepare("SELECT next_block, last_block_hash, modules FROM idx_cursor WHERE name = ?").get(CURSOR) as CursorRow | undefined;
    if (row) return row;
    this.#db
      .prepare("INSERT OR IGNORE INTO idx_cursor (name, next_block, last_block_hash, modules) VALUES (?, ?, NULL, ?)")
      .run(CURSOR, this.#deployment.deploymentBlock, this.#modules);
    return this.#cursor();
  }

  #rewind(): void {
    inTransaction(this.#db, () => {
      this.#tables.clear();
      this.#db
        .prepare("INSERT OR REPLACE INTO idx_cursor (name, next_block, last_block_hash, modules) VALUES (?, ?, NULL, ?)")
        .run(CURSOR, this.#deployment.deploymentBlock, this.#modules);
    });
  }
}
