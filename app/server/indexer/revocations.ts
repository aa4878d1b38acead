import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Revocation, RevocationLookup } from "../services/verification.js";

/**
 * Revocations of records inside anchored batches, from the indexer's table of RecordRevoked events, with
 * the reason's words when this service relayed it (document_revocation_reasons).
 */
export class SqliteRevocations implements RevocationLookup {
  readonly #byRecord: StatementSync;

  constructor(db: DatabaseSync) {
    this.#byRecord = db.prepare(
      `SELECT v.reason_code, v.reason_hash, v.actor, v.tx_hash, v.block_number, v.revoked_at, r.reason
       FROM idx_revocations v LEFT JOIN document_revocation_reasons r ON r.reason_hash = v.reason_hash
       WHERE v.municipality_id = ? AND v.root = ? AND v.leaf = ?`,
    );
  }

  revocationOf(municipalityId: number, root: string, leaf: string): Revocation | undefined {
    const row = this.#byRecord.get(municipalityId, root, leaf) as
      | { reason_code: number; reason_hash: string; actor: string; tx_hash: string; block_number: number; revoked_at: number; reason: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      reasonCode: row.reason_code,
      reasonHash: row.reason_hash,
      reason: row.reason,
      revokedBy: row.actor,
      revokedAt: new Date(row.revoked_at * 1000).toISOString(),
      txHash: row.tx_hash,
      blockNumber: row.block_number,
    };
  }
}
