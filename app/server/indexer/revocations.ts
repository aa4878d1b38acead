import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Revocation, RevocationLookup } from "../services/verification.js";

/** Revocations of records inside anchored batches, from the indexer's table of RecordRevoked events. */
export class SqliteRevocations implements RevocationLookup {
  readonly #byRecord: StatementSync;

  constructor(db: DatabaseSync) {
    this.#byRecord = db.prepare(
      "SELECT reason_code, reason_hash, tx_hash, block_number FROM idx_revocations WHERE root = ? AND leaf = ?",
    );
  }

  revocationOf(root: string, leaf: string): Revocation | undefined {
    const row = this.#byRecord.get(root, leaf) as
      | { reason_code: number; reason_hash: string; tx_hash: string; block_number: number }
      | undefined;
    if (!row) return undefined;
    return { reasonCode: row.reason_code, reasonHash: row.reason_hash, txHash: row.tx_hash, blockNumber: row.block_number };
  }
}
