import type { DatabaseSync } from "node:sqlite";
import { inTransaction } from "../store/database.js";
import { buildBatch, newSalt, type MerkleBatch } from "./batcher.js";

/**
 * The worker's side of the anchoring queue: Merkle batches and their states.
 *
 *   unsent ──send──▶ submitted ──receipt──▶ anchored ──confirmations──▶ final
 *     ▲                  │                      │
 *     └──── chain lost it / refused ────────────┘
 *
 * (`abandoned` is no longer written: it marked a batch whose root another municipality had anchored
 * first, when roots were global on chain. Roots are scoped by municipality now; old rows keep it.)
 *
 * A batch's membership, root and proofs are written in one transaction when it is formed, before any
 * transaction is sent, so a crash at any point leaves a batch whose root can be asked for on chain.
 */
export type BatchStatus = "unsent" | "submitted" | "anchored" | "final" | "abandoned";

export interface StoredBatch {
  batchId: number;
  root: string;
  municipalityId: number;
  recordCount: number;
  salt: string | null;
  status: BatchStatus;
  createdAt: number;
  txHash: string | null;
  nonce: number | null;
  submittedAt: number | null;
  blockNumber: number | null;
  blockHash: string | null;
  /** Block timestamp of the anchor (s). */
  anchoredAt: number | null;
  retryAt: number;
  lastError: string | null;
}

export interface BatchMember {
  recordId: string;
  sha256: string;
  /** Its leaf, as the queue stored it (leafOf(sha256)). */
  leaf: string;
}

export interface ClosingRules {
  /** A batch closes when it holds this many records (N)… */
  batchSize: number;
  /** …or when its oldest record has waited this long (T, ms), whichever comes first. */
  windowMs: number;
  /** Forms at most this many batches in one call (each costs a Merkle tree). */
  maxBatches: number;
  now: number;
}

export interface AnchorLanding {
  txHash: string;
  blockNumber: number;
  blockHash: string | null;
  anchoredAt: number;
}

interface BatchRow {
  batch_id: number;
  root: string;
  municipality_id: number;
  record_count: number;
  salt: string | null;
  status: BatchStatus;
  created_at: number;
  tx_hash: string | null;
  nonce: number | null;
  submitted_at: number | null;
  block_number: number | null;
  block_hash: string | null;
  anchored_at: number | null;
  retry_at: number;
  last_error: string | null;
}

export class AnchorBatchStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Forms batches of waiting records by the closing rules, one municipality per batch; returns them. */
  closeBatches(rules: ClosingRules): StoredBatch[] {
    return inTransaction(this.#db, () => {
      const formed: StoredBatch[] = [];
      const municipalities = this.#db
        .prepare("SELECT DISTINCT municipality_id FROM records WHERE batch_id IS NULL ORDER BY municipality_id")
        .all() as { municipality_id: number }[];
      const select = this.#db.prepare(
        `SELECT record_id, sha256, leaf, accepted_at FROM records
         WHERE batch_id IS NULL AND municipality_id = ? ORDER BY accepted_at, record_id LIMIT ?`,
      );
      for (const { municipality_id: municipalityId } of municipalities) {
        while (formed.length < rules.maxBatches) {
          const rows = select.all(municipalityId, rules.batchSize) as { record_id: string; sha256: string; leaf: string; accepted_at: number }[];
          if (rows.length === 0) break;
          const full = rows.length === rules.batchSize;
          if (!full && rows[0].accepted_at > rules.now - rules.windowMs) break;
          const members = rows.map((row) => ({ recordId: row.record_id, sha256: row.sha256, leaf: row.leaf }));
          formed.push(this.#insertBatch(municipalityId, members, rules.now));
        }
      }
      return formed;
    });
  }

  members(batchId: number): BatchMember[] {
    return this.#db
      .prepare("SELECT record_id AS recordId, sha256, leaf FROM records WHERE batch_id = ? ORDER BY record_id")
      .all(batchId) as unknown as BatchMember[];
  }

  get(batchId: number): StoredBatch | undefined {
    const row = this.#db.prepare("SELECT * FROM anchor_batches WHERE batch_id = ?").get(batchId) as BatchRow | undefined;
    return row && toBatch(row);
  }

  byRoot(root: string): StoredBatch | undefined {
    const row = this.#db.prepare("SELECT * FROM anchor_batches WHERE root = ?").get(root) as BatchRow | undefined;
    return row && toBatch(row);
  }

  /** Batches in these states, oldest first. */
  inStatus(...statuses: BatchStatus[]): StoredBatch[] {
    const rows = this.#db
      .prepare(`SELECT * FROM anchor_batches WHERE status IN (${statuses.map(() => "?").join(", ")}) ORDER BY batch_id`)
      .all(...statuses) as unknown as BatchRow[];
    return rows.map(toBatch);
  }

  /** Recorded just before the transaction is broadcast: after a crash its hash is what to look for. */
  markSubmitted(batchId: number, txHash: string, nonce: number, now: number): void {
    this.#db
      .prepare(
        `UPDATE anchor_batches SET status = 'submitted', tx_hash = ?, nonce = ?, submitted_at = ?, last_error = NULL
         WHERE batch_id = ? AND status IN ('unsent', 'submitted')`,
      )
      .run(txHash, nonce, now, batchId);
  }

  /** Back to the start: the chain does not hold the root (lost, or refused, or never sent). */
  markUnsent(batchId: number, reason: string | null, retryAt = 0): void {
    this.#db
      .prepare(
        `UPDATE anchor_batches SET status = 'unsent', tx_hash = NULL, nonce = NULL, submitted_at = NULL,
           block_number = NULL, block_hash = NULL, anchored_at = NULL, retry_at = ?, last_error = ?
         WHERE batch_id = ? AND status IN ('unsent', 'submitted', 'anchored')`,
      )
      .run(retryAt, reason, batchId);
  }

  /** A send refused before broadcast (e.g. the municipality is suspended): tried again from `retryAt`. */
  deferUnsent(batchId: number, reason: string, retryAt: number): void {
    this.#db
      .prepare("UPDATE anchor_batches SET retry_at = ?, last_error = ? WHERE batch_id = ? AND status = 'unsent'")
      .run(retryAt, reason, batchId);
  }

  markAnchored(batchId: number, landing: AnchorLanding): void {
    this.#db
      .prepare(
        `UPDATE anchor_batches SET status = 'anchored', tx_hash = ?, block_number = ?, block_hash = ?, anchored_at = ?,
           last_error = NULL
         WHERE batch_id = ? AND status IN ('unsent', 'submitted', 'anchored')`,
      )
      .run(landing.txHash, landing.blockNumber, landing.blockHash, landing.anchoredAt, batchId);
  }

  markFinal(batchId: number): void {
    this.#db.prepare("UPDATE anchor_batches SET status = 'final' WHERE batch_id = ? AND status = 'anchored'").run(batchId);
  }

  #insertBatch(municipalityId: number, members: BatchMember[], now: number, salt: string | null = null): StoredBatch {
    const sha256s = members.map((member) => member.sha256);
    const leaves = members.map((member) => member.leaf);
    let batch: MerkleBatch = buildBatch(sha256s, salt, leaves);
    // Our roots are unique in this database (anchor_batches.root), though the chain scopes them by
    // municipality: a lone document queued again, here or for another municipality, has the same plain
    // root, and a root this municipality already anchored would be refused (or, worse, mistaken for
    // this batch's own landed anchor). A salt leaf gives the set a root of its own.
    while (this.byRoot(batch.root)) batch = buildBatch(sha256s, newSalt(), leaves);
    const { lastInsertRowid } = this.#db
      .prepare(
        `INSERT INTO anchor_batches (root, municipality_id, record_count, salt, status, created_at)
         VALUES (?, ?, ?, ?, 'unsent', ?)`,
      )
      .run(batch.root, municipalityId, members.length, batch.salt, now);
    const batchId = Number(lastInsertRowid);
    const assign = this.#db.prepare("UPDATE records SET batch_id = ?, proof = ? WHERE record_id = ?");
    for (const member of members) {
      assign.run(batchId, JSON.stringify(batch.proofs.get(member.sha256)), member.recordId);
    }
    return this.get(batchId)!;
  }
}

function toBatch(row: BatchRow): StoredBatch {
  return {
    batchId: row.batch_id,
    root: row.root,
    municipalityId: row.municipality_id,
    recordCount: row.record_count,
    salt: row.salt,
    status: row.status,
    createdAt: row.created_at,
    txHash: row.tx_hash,
    nonce: row.nonce,
    submittedAt: row.submitted_at,
    blockNumber: row.block_number,
    blockHash: row.block_hash,
    anchoredAt: row.anchored_at,
    retryAt: row.retry_at,
    lastError: row.last_error,
  };
}
