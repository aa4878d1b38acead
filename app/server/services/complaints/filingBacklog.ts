import type { DatabaseSync } from "node:sqlite";

/**
 * What of the complaint filings' queue (filingQueue.ts) is not on the chain yet, for monitoring
 * (/api/health, services/health.ts): filings accepted and sent that no block holds (state `sent`). One
 * waits for a block in normal times; one that waits for minutes tells that the queue has stalled — the
 * relayer out of funds, the node refusing or dropping the transaction — and its last error tells why.
 * A filing mined and waiting for its CONFIRMATIONS is not counted: blocks come whatever the queue does,
 * as for the anchoring queue, whose stall counts anchors not mined (anchoring/backlog.ts).
 */
export interface WaitingFilings {
  /** Filings accepted and not mined. */
  count: number;
  /** The one accepted first, or null when none waits. */
  oldest: WaitingFiling | null;
}

export interface WaitingFiling {
  complaintId: string;
  municipalityId: number;
  /** When the API accepted it (ms since epoch). */
  acceptedAt: number;
  /** Why the queue's last attempt to send it again failed (null: not tried again yet, or no error). */
  lastError: string | null;
}

export function waitingFilings(db: DatabaseSync): WaitingFilings {
  // `state <> 'confirmed'` lets SQLite use the partial index complaint_filings_open (migration 9).
  const row = db
    .prepare(
      `SELECT f.complaint_id, f.municipality_id, f.created_at, f.last_error, COUNT(*) OVER () AS count
       FROM complaint_filings f
       WHERE f.state <> 'confirmed' AND f.state = 'sent' AND f.filing_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM idx_complaints c WHERE c.complaint_id = f.complaint_id)
       ORDER BY f.created_at LIMIT 1`,
    )
    .get() as { complaint_id: string; municipality_id: number; created_at: number; last_error: string | null; count: number } | undefined;
  if (!row) return { count: 0, oldest: null };
  return {
    count: row.count,
    oldest: { complaintId: row.complaint_id, municipalityId: row.municipality_id, acceptedAt: row.created_at, lastError: row.last_error },
  };
}
