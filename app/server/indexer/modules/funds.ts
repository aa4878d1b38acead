import type { DatabaseSync } from "node:sqlite";
import { CivicFund__factory } from "../../../../types/ethers-contracts/factories/CivicFund__factory.js";
import type { EventModule } from "./types.js";

/**
 * The query tables of civic funds: each campaign with its running totals (`idx_fund_campaigns`) and
 * every movement of money — pledge, off-chain pledge, refund, milestone payment — in chain order
 * (`idx_fund_movements`). Totals are the sums of the events, as CivicFund keeps them.
 */
const TOTAL_COLUMN = { Pledged: "pledged", Refunded: "refunded", MilestoneReleased: "released", OffchainPledgeRecorded: "offchain_total" } as const;

function addToTotal(db: DatabaseSync, campaignId: number, column: string, amount: bigint): void {
  const row = db.prepare(`SELECT ${column} AS total FROM idx_fund_campaigns WHERE campaign_id = ?`).get(campaignId) as { total: string } | undefined;
  if (!row) return;
  db.prepare(`UPDATE idx_fund_campaigns SET ${column} = ? WHERE campaign_id = ?`).run((BigInt(row.total) + amount).toString(), campaignId);
}

export const fundsModule: EventModule = {
  contract: "civicFund",
  iface: CivicFund__factory.createInterface(),
  events: ["CampaignCreated", "CampaignOpened", "CampaignCancelled", "Pledged", "OffchainPledgeRecorded", "Refunded", "MilestoneReleased"],
  tables: ["idx_fund_campaigns", "idx_fund_movements"],
  needsBlockFacts: true,
  apply(db, event, log, block) {
    const { args } = event;
    const campaignId = Number(args.campaignId);
    const time = block!.timestamp;
    switch (event.name) {
      case "CampaignCreated":
        db.prepare(
          `INSERT OR IGNORE INTO idx_fund_campaigns (campaign_id, municipality_id, token, beneficiary, goal, deadline, milestones,
             rules_document_hash, pledged, refunded, released, offchain_total, created_by, created_tx, created_block, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, '0', '0', '0', '0', ?, ?, ?, ?)`,
        ).run(
          campaignId,
          Number(args.municipalityId),
          String(args.token),
          String(args.beneficiary),
          args.goal.toString(),
          Number(args.deadline),
          JSON.stringify(Array.from(args.milestoneAmounts as Iterable<bigint>, String)),
          String(args.rulesDocumentHash),
          String(args.officer),
          log.transactionHash,
          log.blockNumber,
          time,
        );
        return;
      case "CampaignOpened":
        db.prepare("UPDATE idx_fund_campaigns SET rules_hash = ?, opened_at = ? WHERE campaign_id = ?").run(String(args.rulesHash), time, campaignId);
        return;
      case "CampaignCancelled":
        db.prepare("UPDATE idx_fund_campaigns SET cancel_reason_hash = ?, cancelled_at = ? WHERE campaign_id = ?").run(String(args.reasonHash), time, campaignId);
        return;
    }
    const movement = {
      Pledged: { kind: "pledge", account: String(args.pledger), reference: null, index: null, officer: null },
      Refunded: { kind: "refund", account: String(args.pledger), reference: null, index: null, officer: null },
      OffchainPledgeRecorded: { kind: "offchain-pledge", account: null, reference: String(args.receiptHash), index: null, officer: String(args.officer) },
      MilestoneReleased: {
        kind: "milestone",
        account: String(args.beneficiary),
        reference: String(args.evidenceHash),
        index: Number(args.index),
        officer: String(args.officer),
      },
    }[event.name as keyof typeof TOTAL_COLUMN];
    if (!movement) return;
    const inserted = db
      .prepare(
        `INSERT OR IGNORE INTO idx_fund_movements (block_number, log_index, campaign_id, kind, account, amount, reference, milestone_index, officer, tx_hash, timestamp)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(log.blockNumber, log.index, campaignId, movement.kind, movement.account, args.amount.toString(), movement.reference, movement.index, movement.officer, log.transactionHash, time);
    // A log applied twice (a range read again) must not count twice.
    if (inserted.changes === 1) addToTotal(db, campaignId, TOTAL_COLUMN[event.name as keyof typeof TOTAL_COLUMN], BigInt(args.amount));
  },
};
