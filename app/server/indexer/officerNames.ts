import type { DatabaseSync, StatementSync } from "node:sqlite";
import { getAddress, isAddress } from "ethers";

/** An officer's name by address, as a municipality's admin published it on the chain. */
export interface OfficerNames {
  /** The name `account` goes by in `municipalityId` (Directory.setOfficerName), or null. */
  nameOf(municipalityId: number, account: string): string | null;
}

/**
 * Officers' names from the index of the Directory's OfficerNamed events (idx_officer_names): what a
 * municipality's admin vouches for on the chain, never a list kept by this service.
 */
export class SqliteOfficerNames implements OfficerNames {
  readonly #byAccount: StatementSync;

  constructor(db: DatabaseSync) {
    this.#byAccount = db.prepare("SELECT name FROM idx_officer_names WHERE municipality_id = ? AND account = ?");
  }

  nameOf(municipalityId: number, account: string): string | null {
    if (!isAddress(account)) return null;
    const row = this.#byAccount.get(municipalityId, getAddress(account)) as { name: string } | undefined;
    return row ? row.name : null;
  }
}
