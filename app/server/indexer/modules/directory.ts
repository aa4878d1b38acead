import { Directory__factory } from "../../../../types/ethers-contracts/factories/Directory__factory.js";
import type { EventModule } from "./types.js";

/** Municipalities, who holds which officer role, and each town's published profile, from the Directory. */
export const directoryModule: EventModule = {
  contract: "directory",
  iface: Directory__factory.createInterface(),
  events: [
    "MunicipalityAdded",
    "MunicipalitySuspended",
    "MunicipalityReinstated",
    "MunicipalityAdminChanged",
    "OfficerRoleGranted",
    "OfficerRoleRevoked",
    "KeyCompromised",
    "OfficerNamed",
    "MunicipalityProfilePublished",
  ],
  tables: ["idx_municipalities", "idx_role_changes", "idx_officer_roles", "idx_compromised_keys", "idx_officer_names", "idx_town_profiles"],
  // Role changes are dated: verdicts ask whether a signer held its role at an anchor's time.
  needsBlockFacts: true,
  apply(db, event, log, block) {
    const { args } = event;
    const municipalityId = Number(args.municipalityId);
    switch (event.name) {
      case "MunicipalityAdded":
        db.prepare(
          `INSERT OR IGNORE INTO idx_municipalities (municipality_id, code, name, admin, suspended, added_block)
           VALUES (?, ?, ?, ?, 0, ?)`,
        ).run(municipalityId, String(args.code), String(args.name), String(args.admin), log.blockNumber);
        break;
      case "MunicipalitySuspended":
      case "MunicipalityReinstated":
        db.prepare("UPDATE idx_municipalities SET suspended = ? WHERE municipality_id = ?").run(
          event.name === "MunicipalitySuspended" ? 1 : 0,
          municipalityId,
        );
        break;
      case "MunicipalityAdminChanged":
        db.prepare("UPDATE idx_municipalities SET admin = ? WHERE municipality_id = ?").run(String(args.newAdmin), municipalityId);
        break;
      case "OfficerRoleGranted":
      case "OfficerRoleRevoked": {
        const granted = event.name === "OfficerRoleGranted";
        const role = String(args.role);
        const account = String(args.account);
        db.prepare(
          `INSERT OR IGNORE INTO idx_role_changes (block_number, log_index, municipality_id, role, account, granted, sender, tx_hash, block_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(log.blockNumber, log.index, municipalityId, role, account, granted ? 1 : 0, String(args.sender), log.transactionHash, block!.timestamp);
        if (granted) {
          db.prepare("INSERT OR REPLACE INTO idx_officer_roles (municipality_id, role, account, granted_block) VALUES (?, ?, ?, ?)").run(
            municipalityId,
            role,
            account,
            log.blockNumber,
          );
        } else {
          db.prepare("DELETE FROM idx_officer_roles WHERE municipality_id = ? AND role = ? AND account = ?").run(municipalityId, role, account);
        }
        break;
      }
      case "KeyCompromised":
        // The Directory only ever moves a mark earlier, so the latest event is the earliest time.
        db.prepare(
          `INSERT OR REPLACE INTO idx_compromised_keys (municipality_id, account, since, block_number, tx_hash) VALUES (?, ?, ?, ?, ?)`,
        ).run(municipalityId, String(args.account), Number(args.since), log.blockNumber, log.transactionHash);
        break;
      case "OfficerNamed":
        if (String(args.name) === "") {
          db.prepare("DELETE FROM idx_officer_names WHERE municipality_id = ? AND account = ?").run(municipalityId, String(args.account));
        } else {
          db.prepare("INSERT OR REPLACE INTO idx_officer_names (municipality_id, account, name) VALUES (?, ?, ?)").run(
            municipalityId,
            String(args.account),
            String(args.name),
          );
        }
        break;
      case "MunicipalityProfilePublished":
        db.prepare(
          `INSERT OR REPLACE INTO idx_town_profiles (municipality_id, sha256, cid, block_number, tx_hash, sender) VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(municipalityId, String(args.sha256Digest).toLowerCase(), String(args.cid), log.blockNumber, log.transactionHash, String(args.sender));
        break;
    }
  },
};
