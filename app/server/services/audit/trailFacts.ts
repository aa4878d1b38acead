import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { TrailFacts } from "../../../shared/trailWords.js";
import { SqliteOfficerNames } from "../../indexer/officerNames.js";

/**
 * The chain's facts that the words of a trail event need (shared/trailWords.ts), from the index tables
 * the indexer derives from the contracts' events: officers' names as each municipality's admin published
 * them (idx_officer_names), permits and their types (idx_permits, idx_permit_types), and each
 * municipality's admins in chain order (the Directory's events in idx_events). Never from configuration:
 * `ledger audit` derives the same from the chain alone and compares.
 */
export class SqliteTrailFacts implements TrailFacts {
  readonly #names: SqliteOfficerNames;
  readonly #permit: StatementSync;
  readonly #type: StatementSync;
  readonly #admin: StatementSync;

  constructor(db: DatabaseSync) {
    this.#names = new SqliteOfficerNames(db);
    this.#permit = db.prepare("SELECT number, municipality_id, type_id FROM idx_permits WHERE permit_id = ?");
    this.#type = db.prepare("SELECT approval_roles FROM idx_permit_types WHERE municipality_id = ? AND type_id = ?");
    this.#admin = db.prepare(
      `SELECT event, args FROM idx_events
       WHERE contract = 'directory' AND municipality_id = ? AND event IN ('MunicipalityAdded', 'MunicipalityAdminChanged')
         AND (block_number < ? OR (block_number = ? AND log_index < ?))
       ORDER BY block_number DESC, log_index DESC LIMIT 1`
    );
  }

  nameOf(municipalityId: number, account: string): string | null {
    return this.#names.nameOf(municipalityId, account);
  }

  permitOf(permitId: string): { number: string; municipalityId: number; typeId: string } | undefined {
    const row = this.#permit.get(permitId.toLowerCase()) as { number: string; municipality_id: number; type_id: string } | undefined;
    return row && { number: row.number, municipalityId: row.municipality_id, typeId: row.type_id };
  }

  approvalRolesOf(municipalityId: number, typeId: string): string[] | undefined {
    const row = this.#type.get(municipalityId, typeId.toLowerCase()) as { approval_roles: string } | undefined;
    return row && (JSON.parse(row.approval_roles) as string[]);
  }

  adminBefore(municipalityId: number, position: { blockNumber: number; logIndex: number }): string | undefined {
    const row = this.#admin.get(municipalityId, position.blockNumber, position.blockNumber, position.logIndex) as
      | { event: string; args: string }
      | undefined;
    if (!row) return undefined;
    const args = JSON.parse(row.args) as { admin?: string; newAdmin?: string };
    return row.event === "MunicipalityAdded" ? args.admin : args.newAdmin;
  }
}
