import { BatchAnchor__factory } from "../../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import type { EventModule } from "./types.js";

/** Anchored batches and revoked records of BatchAnchor, keyed by municipality as the contract keys them. */
export const anchorsModule: EventModule = {
  contract: "batchAnchor",
  iface: BatchAnchor__factory.createInterface(),
  events: ["BatchAnchored", "RecordRevoked"],
  tables: ["idx_batches", "idx_revocations"],
  needsBlockFacts: true,
  apply(db, event, log, block) {
    const { args } = event;
    if (event.name === "BatchAnchored") {
      db.prepare(
        `INSERT OR IGNORE INTO idx_batches (root, municipality_id, record_count, block_number, log_index, tx_hash, sender, anchored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        String(args.root),
        Number(args.municipalityId),
        Number(args.count),
        log.blockNumber,
        log.index,
        log.transactionHash,
        block!.senders.get(log.transactionHash) ?? "",
        block!.timestamp,
      );
    } else if (event.name === "RecordRevoked") {
      db.prepare(
        `INSERT OR IGNORE INTO idx_revocations
           (municipality_id, root, leaf, reason_code, reason_hash, actor, block_number, log_index, tx_hash, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        Number(args.municipalityId),
        String(args.root),
        String(args.leaf),
        Number(args.reasonCode),
        String(args.reasonHash),
        String(args.actor),
        log.blockNumber,
        log.index,
        log.transactionHash,
        block!.timestamp,
      );
    }
  },
};
