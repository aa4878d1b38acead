import type { DatabaseSync, StatementSync } from "node:sqlite";
import { GroupCommit } from "../store/groupCommit.js";
import { leafOf } from "./batcher.js";
import { AnchorInputError } from "./errors.js";
import { newRecordId } from "./recordId.js";
import type { AnchorQueue, AnchorQueueStatus, AnchorRecord, NewRecord, QueuedRecord, RecordStatus } from "./types.js";

/**
 * The durable anchoring queue of the API, in SQLite (schema.ts). `enqueue` returns only after the row
 * is committed with synchronous=FULL, so a record the API has answered for survives kill -9;
 * `enqueueDurably` gives the same promise with one commit for the records that arrive together. The
 * worker side of the same tables (batches, their states) is `AnchorBatchStore`.
 */
const SHA256_PATTERN = /^0x[0-9a-f]{64}$/;
const KIND_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
const MAX_META_BYTES = 16 * 1024;
const MAX_UINT32 = 2 ** 32 - 1;
/** At most this many records share one commit. */
const MAX_GROUP = 512;

interface RecordRow {
  record_id: string;
  sha256: string;
  municipality_id: number;
  cid: string | null;
  kind: string;
  meta: string | null;
  leaf: string;
  accepted_at: number;
  proof: string | null;
  root: string | null;
  batch_status: string | null;
  tx_hash: string | null;
  block_number: number | null;
  anchored_at: number | null;
}

/** A new row's batch columns. */
const NOT_IN_A_BATCH = { proof: null, root: null, batch_status: null, tx_hash: null, block_number: null, anchored_at: null } as const;

const SELECT_RECORD = `
  SELECT r.record_id, r.sha256, r.municipality_id, r.cid, r.kind, r.meta, r.leaf, r.accepted_at, r.proof,
         b.root, b.status AS batch_status, b.tx_hash, b.block_number, b.anchored_at
  FROM records r LEFT JOIN anchor_batches b ON b.batch_id = r.batch_id`;

export class SqliteAnchorQueue implements AnchorQueue {
  readonly #db: DatabaseSync;
  readonly #now: () => number;

  readonly #statements = new Map<string, StatementSync>();
  /** Each item is the records of one submitter, written all or none. */
  readonly #groupCommit: GroupCommit<readonly NewRecord[], QueuedRecord[]>;

  constructor(db: DatabaseSync, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#groupCommit = new GroupCommit(db, (valid) => this.#insertAll(valid), { maxGroup: MAX_GROUP });
  }

  /** Each statement is compiled once: verification reads run thousands of times a second. */
  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  enqueue(record: NewRecord): AnchorRecord {
    return this.#insert(validate(record)).record;
  }

  /**
   * {@link enqueue} of a record `validate` already passed, telling whether the row is new: the answer is
   * built from the insert, not read back.
   */
  #insert(valid: NewRecord): QueuedRecord {
    const now = this.#now();
    const row: RecordRow = {
      record_id: newRecordId(now),
      sha256: valid.sha256,
      municipality_id: valid.municipalityId,
      cid: valid.cid,
      kind: valid.kind,
      meta: valid.meta === null ? null : JSON.stringify(valid.meta),
      leaf: leafOf(valid.sha256),
      accepted_at: now,
      ...NOT_IN_A_BATCH,
    };
    const kept = () => this.#prepare(`${SELECT_RECORD} WHERE r.sha256 = ? AND r.municipality_id = ?`).get(valid.sha256, valid.municipalityId) as unknown as RecordRow | undefined;
    if (valid.claim !== undefined) {
      // The claim's holder is read in the same synchronous step as the insert: nothing can come between.
      const holder = this.#prepare("SELECT sha256, municipality_id FROM records WHERE claim = ?").get(valid.claim) as
        | { sha256: string; municipality_id: number }
        | undefined;
      if (holder && (holder.sha256 !== valid.sha256 || holder.municipality_id !== valid.municipalityId)) {
        throw new AnchorInputError("ANCHOR_CLAIM_TAKEN", `another record holds the claim ${valid.claim}`);
      }
    }
    // One statement, so one commit: either the record is durably queued or nothing is. A second upload
    // of the same document to the same municipality keeps the first row (and its id).
    const { changes } = this.#prepare(
        `INSERT INTO records (record_id, sha256, municipality_id, cid, kind, meta, leaf, accepted_at, claim)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sha256, municipality_id) DO NOTHING`,
      )
      .run(row.record_id, row.sha256, row.municipality_id, row.cid, row.kind, row.meta, row.leaf, row.accepted_at, valid.claim ?? null);
    if (changes === 1) return { record: toRecord(row), created: true };
    return { record: toRecord(kept()!), created: false };
  }

  /** Several records in the caller's transaction (the group commit's, or one of their own when alone). */
  #insertAll(valid: readonly NewRecord[]): QueuedRecord[] {
    return valid.map((record) => this.#insert(record));
  }

  /**
   * {@link enqueue} with group commit (store/groupCommit.ts): the records that arrive in the same turn of
   * the event loop share one transaction and one fsync, made off the main thread. Each promise settles
   * only once the commit that holds its record is on the disk, so "answered means durable" holds.
   */
  enqueueDurably(record: NewRecord): Promise<QueuedRecord> {
    let valid: NewRecord;
    try {
      valid = validate(record);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#groupCommit.submit([valid]).then(([queued]) => queued);
  }

  enqueueAllDurably(records: readonly NewRecord[]): Promise<QueuedRecord[]> {
    let valid: NewRecord[];
    try {
      valid = records.map(validate);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#groupCommit.submit(valid);
  }

  /**
   * Changes whenever the database may have changed: rows written through this connection
   * (`total_changes()`) or a commit by any other connection (`PRAGMA data_version`).
   */
  changeMark(): string {
    const { own, others } = this.#prepare("SELECT total_changes() AS own, (SELECT data_version FROM pragma_data_version) AS others")
      .get() as { own: number; others: number };
    return `${own}/${others}`;
  }

  get(recordId: string): AnchorRecord | undefined {
    const row = this.#prepare(`${SELECT_RECORD} WHERE r.record_id = ?`).get(recordId) as RecordRow | undefined;
    return row && toRecord(row);
  }

  findBySha256(sha256: string): AnchorRecord[] {
    const rows = this.#prepare(`${SELECT_RECORD} WHERE r.sha256 = ? ORDER BY r.accepted_at DESC, r.record_id DESC`)
      .all(sha256.toLowerCase()) as unknown as RecordRow[];
    return rows.map(toRecord);
  }

  depth(): number {
    return depthOf(this.status());
  }

  /** How many records stand in each state, and the newest block the worker saw an anchor in. */
  status(): AnchorQueueStatus {
    const unbatched = this.#prepare("SELECT COUNT(*) AS n FROM records WHERE batch_id IS NULL").get() as { n: number };
    const byBatch = this.#prepare("SELECT status, SUM(record_count) AS n FROM anchor_batches WHERE status <> 'abandoned' GROUP BY status")
      .all() as unknown as { status: string; n: number }[];
    const records: Record<RecordStatus, number> = { pending: unbatched.n, submitted: 0, anchored: 0, final: 0 };
    for (const { status, n } of byBatch) records[recordStatus(status)] += n;
    const last = this.#prepare("SELECT MAX(block_number) AS block FROM anchor_batches WHERE status IN ('anchored', 'final')")
      .get() as { block: number | null };
    return { records, lastAnchoredBlock: last.block };
  }
}

/** Records not yet final: what a queue status says is still to do. */
export function depthOf({ records }: AnchorQueueStatus): number {
  return records.pending + records.submitted + records.anchored;
}

function recordStatus(batchStatus: string | null): RecordStatus {
  if (batchStatus === "submitted" || batchStatus === "anchored" || batchStatus === "final") return batchStatus;
  return "pending";
}

function toRecord(row: RecordRow): AnchorRecord {
  const status = recordStatus(row.batch_status);
  const sent = status !== "pending";
  const landed = status === "anchored" || status === "final";
  return {
    recordId: row.record_id,
    sha256: row.sha256,
    cid: row.cid,
    municipalityId: row.municipality_id,
    kind: row.kind,
    meta: row.meta === null ? null : (JSON.parse(row.meta) as Record<string, unknown>),
    status,
    acceptedAt: row.accepted_at,
    leaf: row.leaf,
    root: row.root,
    proof: row.proof === null ? null : (JSON.parse(row.proof) as string[]),
    txHash: sent ? row.tx_hash : null,
    blockNumber: landed ? row.block_number : null,
    anchoredAt: landed ? row.anchored_at : null,
  };
}

function validate(record: NewRecord): NewRecord {
  const sha256 = typeof record.sha256 === "string" ? record.sha256.toLowerCase() : "";
  if (!SHA256_PATTERN.test(sha256)) {
    throw new AnchorInputError("ANCHOR_INVALID_SHA256", "sha256 must be 0x followed by 64 hexadecimal digits");
  }
  const { municipalityId } = record;
  if (!Number.isInteger(municipalityId) || municipalityId < 1 || municipalityId > MAX_UINT32) {
    throw new AnchorInputError("ANCHOR_INVALID_MUNICIPALITY", `municipalityId must be an integer from 1 to ${MAX_UINT32}`);
  }
  if (typeof record.kind !== "string" || !KIND_PATTERN.test(record.kind)) {
    throw new AnchorInputError("ANCHOR_INVALID_KIND", "kind must be lowercase letters, digits and dashes, starting with a letter (at most 64)");
  }
  if (record.cid !== null && (typeof record.cid !== "string" || !/^[A-Za-z0-9]{1,200}$/.test(record.cid))) {
    throw new AnchorInputError("ANCHOR_INVALID_CID", "cid must be a CID string or null");
  }
  const meta = record.meta;
  if (meta !== null) {
    if (typeof meta !== "object" || Array.isArray(meta)) {
      throw new AnchorInputError("ANCHOR_INVALID_META", "meta must be an object or null");
    }
    if (Buffer.byteLength(JSON.stringify(meta)) > MAX_META_BYTES) {
      throw new AnchorInputError("ANCHOR_INVALID_META", `meta must be at most ${MAX_META_BYTES} bytes of JSON`);
    }
  }
  if (record.claim !== undefined && (typeof record.claim !== "string" || record.claim.length === 0 || record.claim.length > 200)) {
    throw new AnchorInputError("ANCHOR_INVALID_META", "claim must be a string of 1 to 200 characters");
  }
  return { sha256, municipalityId, cid: record.cid, kind: record.kind, meta, ...(record.claim !== undefined ? { claim: record.claim } : {}) };
}
