import type { DatabaseSync } from "node:sqlite";
import type { CampaignReader } from "../funds/campaigns.js";

/**
 * Fund figures from the index: each campaign's goal, what was pledged on-chain (what counts toward the
 * all-or-nothing goal) and recorded off-chain, and how many pledges of each kind. Counts and sums only:
 * no pledger's address, no receipt.
 */
export async function fundFigures(db: DatabaseSync, campaigns: CampaignReader, municipalityId: number) {
  const counts = db
    .prepare(
      `SELECT m.campaign_id, m.kind, count(*) AS n FROM idx_fund_movements m
       JOIN idx_fund_campaigns c ON c.campaign_id = m.campaign_id
       WHERE c.municipality_id = ? GROUP BY m.campaign_id, m.kind`,
    )
    .all(municipalityId) as Array<{ campaign_id: number; kind: string; n: number }>;
  const countOf = (campaignId: number, kind: string) => counts.find((c) => c.campaign_id === campaignId && c.kind === kind)?.n ?? 0;
  const list = (await campaigns.list(municipalityId)).map((c) => ({
    campaignId: c.campaignId,
    phase: c.phase,
    token: { symbol: c.token.symbol, decimals: c.token.decimals },
    goal: c.goal,
    pledged: c.pledged,
    offchainTotal: c.offchainTotal,
    refunded: c.refunded,
    released: c.released,
    progressPercent: c.progressPercent,
    progressWithOffchainPercent: c.progressWithOffchainPercent,
    deadlineAt: c.deadlineAt,
    pledges: countOf(c.campaignId, "pledge"),
    offchainPledges: countOf(c.campaignId, "offchain-pledge"),
  }));
  return {
    campaigns: list,
    totals: {
      campaigns: list.length,
      funding: list.filter((c) => c.phase === "Funding").length,
      succeeded: list.filter((c) => c.phase === "Succeeded").length,
      pledges: list.reduce((sum, c) => sum + c.pledges, 0),
      offchainPledges: list.reduce((sum, c) => sum + c.offchainPledges, 0),
    },
  };
}
