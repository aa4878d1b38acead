import type { DatabaseSync } from "node:sqlite";

/**
 * What waits to be anchored, for monitoring (/api/health, services/health.ts): records the worker has
 * not put in a batch yet, or whose batch is unsent (never sent, refused, or lost by the chain) or sent
 * and not mined. A record waits for a batch window (ANCHOR_BATCH_MS) and a block in normal times; one
 * that waits for minutes tells that anchoring has stalled, and its batch's last error tells why.
 */
export interface WaitingRecord {
  municipalityId: number;
  /** When the API accepted it (ms since epoch). */
  acceptedAt: number;
  /** Why its batch was last refused or failed to send (null: not in a batch yet, or no error). */
  lastError: string | null;
}

/** A batch the worker could not send, and why. */
export interface BatchTrouble {
  municipalityId: number;
  lastError: string;
}

export class AnchoringBacklog {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** The oldest record not anchored yet, or null when every record is anchored. */
  oldest(): WaitingRecord | null {
    const unbatched = this.#db
      .prepare("SELECT municipality_id, accepted_at FROM records WHERE batch_id IS NULL ORDER BY accepted_at LIMIT 1")
      .get() as { municipality_id: number; accepted_at: number } | undefined;
    const batch = this.#db
      .prepare("SELECT batch_id, municipality_id, last_error FROM anchor_batches WHERE status IN ('unsent', 'submitted') ORDER BY batch_id LIMIT 1")
      .get() as { batch_id: number; municipality_id: number; last_error: string | null } | undefined;
    const batched = batch && {
      municipalityId: batch.municipality_id,
      acceptedAt: (this.#db.prepare("SELECT MIN(accepted_at) AS at FROM records WHERE batch_id = ?").get(batch.batch_id) as { at: number }).at,
      lastError: batch.last_error,
    };
    const loose = unbatched && { municipalityId: unbatched.municipality_id, acceptedAt: unbatched.accepted_at, lastError: null };
    if (!batched || !loose) return batched ?? loose ?? null;
    return batched.acceptedAt <= loose.acceptedAt ? batched : loose;
  }

  /** The municipalities that have records waiting, in id order. */
  municipalities(): number[] {
    const rows = this.#db
      .prepare(
        `SELECT DISTINCT municipality_id FROM records WHERE batch_id IS NULL
         UNION SELECT municipality_id FROM anchor_batches WHERE status IN ('unsent', 'submitted')
         ORDER BY municipality_id`,
      )
      .all() as { municipality_id: number }[];
    return rows.map((row) => row.municipality_id);
  }

  /** Unsent batches that carry an error (a refusal by the contract, a failed send), one per municipality and error. */
  troubles(): BatchTrouble[] {
    const rows = this.#db
      .prepare(
        `SELECT DISTINCT municipality_id, last_error FROM anchor_batches
         WHERE status = 'unsent' AND last_error IS NOT NULL ORDER BY municipality_id`,
      )
      .all() as { municipality_id: number; last_error: string }[];
    return rows.map((row) => ({ municipalityId: row.municipality_id, lastError: row.last_error }));
  }
}
