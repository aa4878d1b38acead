import { ComplaintLedger__factory } from "../../../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import type { EventModule } from "./types.js";

/**
 * The complaints' query tables: each complaint's current status, category, area and SLA deadline
 * (`idx_complaints`), and each municipality's categories with their SLA (`idx_complaint_categories`),
 * so that listings by status, category, due time and area, the overdue list and the Open311 server
 * answer from the index. The full history stays in `idx_events` (trail.ts).
 */
export const complaintsModule: EventModule = {
  contract: "complaintLedger",
  iface: ComplaintLedger__factory.createInterface(),
  events: ["ComplaintCategorySet", "ComplaintFiled", "ComplaintStatusChanged", "ComplaintCommitmentRotated", "ComplaintDeadlineReset"],
  tables: ["idx_complaints", "idx_complaint_categories"],
  needsBlockFacts: true,
  apply(db, event, log, block) {
    const { args } = event;
    const time = block!.timestamp;
    switch (event.name) {
      case "ComplaintCategorySet":
        db.prepare(
          `INSERT OR REPLACE INTO idx_complaint_categories (municipality_id, category, sla_seconds, active) VALUES (?, ?, ?, ?)`,
        ).run(Number(args.municipalityId), String(args.category), Number(args.slaSeconds), args.active ? 1 : 0);
        break;
      case "ComplaintFiled":
        db.prepare(
          `INSERT OR IGNORE INTO idx_complaints (complaint_id, municipality_id, category, area_code, content_hash, reporter_commitment,
             status, filed_at, due_at, updated_at, reopen_count, filed_block, filed_tx, filing_id)
           VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 0, ?, ?, ?)`,
        ).run(
          String(args.complaintId),
          Number(args.municipalityId),
          String(args.category),
          String(args.areaCode),
          String(args.contentHash),
          String(args.reporterCommitment),
          time,
          Number(args.dueAt),
          time,
          log.blockNumber,
          log.transactionHash,
          String(args.filingId),
        );
        break;
      case "ComplaintStatusChanged":
        db.prepare(
          `UPDATE idx_complaints SET status = ?, updated_at = ?, reopen_count = reopen_count + (CASE WHEN ? = 6 THEN 1 ELSE 0 END)
           WHERE complaint_id = ?`,
        ).run(Number(args.status), time, Number(args.status), String(args.complaintId));
        break;
      case "ComplaintCommitmentRotated":
        db.prepare("UPDATE idx_complaints SET reporter_commitment = ? WHERE complaint_id = ?").run(String(args.nextCommitment), String(args.complaintId));
        break;
      case "ComplaintDeadlineReset":
        db.prepare("UPDATE idx_complaints SET due_at = ? WHERE complaint_id = ?").run(Number(args.dueAt), String(args.complaintId));
        break;
    }
  },
};
