import type { DatabaseSync } from "node:sqlite";
import { PermitRegistry__factory } from "../../../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import type { EventModule } from "./types.js";

/**
 * The permits' query tables, from PermitRegistry's events: permit types (their approval chains), each
 * permit's state and the role its next step awaits (the officers' queue), and every certificate
 * version with what superseded it (verification of a certificate without a chain call).
 */
export { PERMIT_STATES, type PermitStateName } from "../../../shared/verifyCertificate.js";

function rolesOf(db: DatabaseSync, municipalityId: number, typeId: string): string[] {
  const row = db
    .prepare("SELECT approval_roles FROM idx_permit_types WHERE municipality_id = ? AND type_id = ?")
    .get(municipalityId, typeId) as { approval_roles: string } | undefined;
  return row ? (JSON.parse(row.approval_roles) as string[]) : [];
}

/** The permit's type chain, read from its own row. */
function permitRoles(db: DatabaseSync, permitId: string): string[] {
  const row = db.prepare("SELECT municipality_id, type_id FROM idx_permits WHERE permit_id = ?").get(permitId) as
    | { municipality_id: number; type_id: string }
    | undefined;
  return row ? rolesOf(db, row.municipality_id, row.type_id) : [];
}

export const permitsModule: EventModule = {
  contract: "permitRegistry",
  iface: PermitRegistry__factory.createInterface(),
  events: [
    "PermitTypeDefined",
    "PermitTypeRetired",
    "PermitApplied",
    "PermitCompleted",
    "PermitStepDecided",
    "PermitApproved",
    "PermitRejected",
    "PermitIssued",
    "PermitAmended",
    "PermitRevoked",
  ],
  tables: ["idx_permit_types", "idx_permits", "idx_permit_certificates"],
  needsBlockFacts: true,
  apply(db, event, log, block) {
    const { args } = event;
    const time = block!.timestamp;
    const permitId = event.name.startsWith("PermitType") ? "" : String(args.permitId);
    switch (event.name) {
      case "PermitTypeDefined":
        db.prepare(
          `INSERT OR IGNORE INTO idx_permit_types (municipality_id, type_id, approval_roles, validity_days, retired)
           VALUES (?, ?, ?, ?, 0)`,
        ).run(Number(args.municipalityId), String(args.typeId), JSON.stringify([...args.approvalRoles].map(String)), Number(args.validityDays));
        break;
      case "PermitTypeRetired":
        db.prepare("UPDATE idx_permit_types SET retired = 1 WHERE municipality_id = ? AND type_id = ?").run(
          Number(args.municipalityId),
          String(args.typeId),
        );
        break;
      case "PermitApplied": {
        const roles = rolesOf(db, Number(args.municipalityId), String(args.typeId));
        db.prepare(
          `INSERT OR IGNORE INTO idx_permits (permit_id, number, municipality_id, type_id, state, step_count, current_step, applied_at, version)
           VALUES (?, ?, ?, ?, 'Applied', ?, 0, ?, 0)`,
        ).run(permitId, String(args.number), Number(args.municipalityId), String(args.typeId), roles.length, time);
        break;
      }
      case "PermitCompleted":
        db.prepare("UPDATE idx_permits SET state = 'UnderReview', completed_at = ?, current_role = ? WHERE permit_id = ?").run(
          Number(args.completedAt),
          permitRoles(db, permitId)[0] ?? null,
          permitId,
        );
        break;
      case "PermitStepDecided": {
        const next = Number(args.stepIndex) + 1;
        db.prepare("UPDATE idx_permits SET current_step = ?, current_role = ? WHERE permit_id = ?").run(
          next,
          permitRoles(db, permitId)[next] ?? null,
          permitId,
        );
        break;
      }
      case "PermitApproved":
      case "PermitRejected":
        db.prepare("UPDATE idx_permits SET state = ?, decided_at = ?, current_role = NULL WHERE permit_id = ?").run(
          event.name === "PermitApproved" ? "Approved" : "Rejected",
          time,
          permitId,
        );
        break;
      case "PermitIssued":
      case "PermitAmended": {
        const hash = String(args.certificateHash);
        const previous = event.name === "PermitAmended" ? String(args.previousCertificateHash) : null;
        db.prepare(
          `INSERT OR IGNORE INTO idx_permit_certificates (certificate_hash, permit_id, version, cid, supersedes, issued_at, tx_hash, block_number)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(hash, permitId, Number(args.version), String(args.cid), previous, time, log.transactionHash, log.blockNumber);
        if (previous) db.prepare("UPDATE idx_permit_certificates SET superseded_by = ? WHERE certificate_hash = ?").run(hash, previous);
        const validUntil = event.name === "PermitIssued" ? Number(args.validUntil) : null;
        db.prepare(
          `UPDATE idx_permits SET state = 'Issued', version = ?, certificate_hash = ?, valid_until = coalesce(?, valid_until)
           WHERE permit_id = ?`,
        ).run(Number(args.version), hash, validUntil, permitId);
        break;
      }
      case "PermitRevoked":
        db.prepare("UPDATE idx_permits SET state = 'Revoked', revocation_reason = ? WHERE permit_id = ?").run(Number(args.reasonCode), permitId);
        break;
    }
  },
};
