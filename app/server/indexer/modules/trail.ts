import type { DatabaseSync } from "node:sqlite";
import type { Interface } from "ethers";
import { BatchAnchor__factory } from "../../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { Directory__factory } from "../../../../types/ethers-contracts/factories/Directory__factory.js";
import { CivicFund__factory } from "../../../../types/ethers-contracts/factories/CivicFund__factory.js";
import { ComplaintLedger__factory } from "../../../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { PermitRegistry__factory } from "../../../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import { eventArguments, eventSubject } from "../../../shared/trailEvents.js";
import type { EventModule, LedgerContract } from "./types.js";

/**
 * The audit trail: every event of the three workflow contracts, of BatchAnchor (anchored batches, revoked
 * records) and of the Directory (municipalities, roles, officers' names, compromised keys), in chain
 * order, as one row each in `idx_events` — who sent the transaction, when, and the event's arguments as
 * JSON. Workflows read their trails from here; `ledger audit` rebuilds the same rows from the chain alone
 * and compares. An event that names no municipality (a step) takes that of the earlier event of the same
 * contract and subject (its permit's PermitApplied).
 */
// Decoded the one way the audit API and `ledger audit` decode the chain's events, so the three compare.
export { eventArguments, eventSubject };

function municipalityOf(db: DatabaseSync, contract: string, subject: string, args: Record<string, unknown>): number | null {
  if (args.municipalityId !== undefined) return Number(args.municipalityId);
  const row = db
    .prepare("SELECT municipality_id FROM idx_events WHERE contract = ? AND subject = ? AND municipality_id IS NOT NULL LIMIT 1")
    .get(contract, subject) as { municipality_id: number } | undefined;
  return row?.municipality_id ?? null;
}

function trailModule(contract: LedgerContract, iface: Interface): EventModule {
  const events: string[] = [];
  iface.forEachEvent((event) => events.push(event.name));
  return {
    contract,
    iface,
    events,
    // The modules share one table: clearing it more than once is harmless.
    tables: ["idx_events"],
    needsBlockFacts: true,
    apply(db, event, log, block) {
      const args = eventArguments(event);
      const subject = eventSubject(args);
      db.prepare(
        `INSERT OR IGNORE INTO idx_events (block_number, log_index, tx_hash, contract, event, subject, municipality_id, args, sender, timestamp)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        log.blockNumber,
        log.index,
        log.transactionHash,
        contract,
        event.name,
        subject,
        municipalityOf(db, contract, subject, args),
        JSON.stringify(args),
        block!.senders.get(log.transactionHash) ?? "",
        block!.timestamp,
      );
    },
  };
}

export const permitTrailModule = trailModule("permitRegistry", PermitRegistry__factory.createInterface());
export const complaintTrailModule = trailModule("complaintLedger", ComplaintLedger__factory.createInterface());
export const fundTrailModule = trailModule("civicFund", CivicFund__factory.createInterface());
export const anchorTrailModule = trailModule("batchAnchor", BatchAnchor__factory.createInterface());
export const directoryTrailModule = trailModule("directory", Directory__factory.createInterface());

/** One row of the trail, as `idx_events` keeps it. */
export interface TrailEvent {
  blockNumber: number;
  logIndex: number;
  txHash: string;
  contract: LedgerContract;
  event: string;
  subject: string;
  municipalityId: number | null;
  args: Record<string, string>;
  sender: string;
  timestamp: number;
}

interface TrailRow {
  block_number: number;
  log_index: number;
  tx_hash: string;
  contract: LedgerContract;
  event: string;
  subject: string;
  municipality_id: number | null;
  args: string;
  sender: string;
  timestamp: number;
}

function trailEvent(row: TrailRow): TrailEvent {
  return {
    blockNumber: row.block_number,
    logIndex: row.log_index,
    txHash: row.tx_hash,
    contract: row.contract,
    event: row.event,
    subject: row.subject,
    municipalityId: row.municipality_id,
    args: JSON.parse(row.args),
    sender: row.sender,
    timestamp: row.timestamp,
  };
}

/** The trail of one permit, complaint or campaign, in chain order. */
export function trailOf(db: DatabaseSync, contract: LedgerContract, subject: string): TrailEvent[] {
  const rows = db
    .prepare("SELECT * FROM idx_events WHERE contract = ? AND subject = ? ORDER BY block_number, log_index")
    .all(contract, subject) as unknown as TrailRow[];
  return rows.map(trailEvent);
}

/** Every trail event of a municipality between two block times (seconds, inclusive), in chain order. */
export function trailOfMunicipality(
  db: DatabaseSync,
  municipalityId: number,
  options: { contract?: LedgerContract; from?: number; to?: number } = {},
): TrailEvent[] {
  const rows = db
    .prepare(
      `SELECT * FROM idx_events WHERE municipality_id = ? AND (? IS NULL OR contract = ?) AND timestamp >= ? AND timestamp <= ?
       ORDER BY block_number, log_index`,
    )
    .all(municipalityId, options.contract ?? null, options.contract ?? null, options.from ?? 0, options.to ?? Number.MAX_SAFE_INTEGER) as unknown as TrailRow[];
  return rows.map(trailEvent);
}
