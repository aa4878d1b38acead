import type { DatabaseSync } from "node:sqlite";
import type { Directory } from "../../../types/ethers-contracts/Directory.js";
import { roleId, roleName, type RoleRef } from "../../shared/roles.js";
import { AppError } from "../errors.js";

/** A role an officer holds in a municipality. */
export interface OfficerRole {
  municipalityId: number;
  /** The role's name when this service knows it, else its id (a role the town defined itself). */
  role: string;
  roleId: string;
}

/**
 * Who may act for whom. Permission checks ask the on-chain Directory at the moment of the action (the
 * index could lag behind a revocation); listings for the web app come from the index.
 */
export class OfficerDirectory {
  readonly #directory: Directory;
  readonly #db: DatabaseSync;

  constructor(directory: Directory, db: DatabaseSync) {
    this.#directory = directory;
    this.#db = db;
  }

  /**
   * The first of `roles` (names, or ids as the chain gives them: a town's own roles have no name here)
   * that `address` holds in `municipalityId` now, on-chain; 403 ROLE_REQUIRED if none.
   */
  async requireRole<R extends RoleRef>(address: string, municipalityId: number, roles: readonly R[]): Promise<R> {
    for (const role of roles) {
      if (await this.#directory.hasRole(municipalityId, roleId(role), address)) return role;
    }
    throw new AppError(
      "ROLE_REQUIRED",
      `${address} holds none of ${roles.map((role) => roleName(role)).join(", ")} in municipality ${municipalityId} according to the Directory.`,
    );
  }

  async hasRole(address: string, municipalityId: number, role: RoleRef): Promise<boolean> {
    return this.#directory.hasRole(municipalityId, roleId(role), address);
  }

  /** The roles `address` holds in every municipality, as the index knows them. */
  rolesOf(address: string): OfficerRole[] {
    const rows = this.#db
      .prepare("SELECT municipality_id, role FROM idx_officer_roles WHERE lower(account) = lower(?) ORDER BY municipality_id, role")
      .all(address) as Array<{ municipality_id: number; role: string }>;
    return rows.map((row) => ({ municipalityId: row.municipality_id, role: roleName(row.role), roleId: roleId(row.role) }));
  }
}
