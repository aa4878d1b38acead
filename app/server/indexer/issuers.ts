import type { DatabaseSync, StatementSync } from "node:sqlite";
import { CURSOR } from "./indexer.js";
import { SqliteOfficerNames } from "./officerNames.js";

/**
 * What the Directory said of a signer at a past time, from the indexer's tables of its events: whether it
 * held a role at a block time (as Directory.roleHeldAt answers, from the same grants and revocations),
 * from when its key is marked compromised, and the name its municipality published for it. Verdicts ask
 * these of an issuer at its signature's anchor time, once the index has read that far ({@link indexedThrough}):
 * before, "no grant seen" means "not read yet", not "never granted".
 */
export class SqliteIssuerHistory {
  readonly #lastChange: StatementSync;
  readonly #compromised: StatementSync;
  readonly #names: SqliteOfficerNames;
  readonly #cursor: StatementSync;

  constructor(db: DatabaseSync) {
    this.#lastChange = db.prepare(
      `SELECT granted FROM idx_role_changes
       WHERE municipality_id = ? AND role = ? AND account = ? AND block_time <= ?
       ORDER BY block_number DESC, log_index DESC LIMIT 1`,
    );
    this.#compromised = db.prepare("SELECT since FROM idx_compromised_keys WHERE municipality_id = ? AND account = ?");
    this.#names = new SqliteOfficerNames(db);
    this.#cursor = db.prepare("SELECT next_block FROM idx_cursor WHERE name = ?");
  }

  /** The last block the index has read (its events are all in the tables), or null before the first. */
  indexedThrough(): number | null {
    const row = this.#cursor.get(CURSOR) as { next_block: number } | undefined;
    return row ? row.next_block - 1 : null;
  }

  /** The name the municipality's admin published for `account` (Directory.setOfficerName), or null. */
  nameOf(municipalityId: number, account: string): string | null {
    return this.#names.nameOf(municipalityId, account);
  }

  /** Whether `account` held `role` in the municipality at `timestamp` (s): its latest change at or before then was a grant. */
  heldAt(municipalityId: number, role: string, account: string, timestamp: number): boolean {
    const row = this.#lastChange.get(municipalityId, role, account, timestamp) as { granted: number } | undefined;
    return row?.granted === 1;
  }

  /** The time (s) from which `account`'s key is marked compromised in the municipality, or null. */
  compromisedSince(municipalityId: number, account: string): number | null {
    const row = this.#compromised.get(municipalityId, account) as { since: number } | undefined;
    return row ? row.since : null;
  }
}
