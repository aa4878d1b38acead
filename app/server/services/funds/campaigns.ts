import type { DatabaseSync } from "node:sqlite";
import { Contract, type JsonRpcProvider } from "ethers";
import { singleBlockCid } from "../../../shared/singleBlockCid.js";
import { AppError } from "../../errors.js";

/** CivicFund.Phase, by the same rules as its `_phase`, from the index and the chain's clock. */
export type CampaignPhase = "Draft" | "Funding" | "Succeeded" | "Failed" | "Cancelled" | "Lapsed";

/**
 * CivicFund.RELEASE_PERIOD: a funded campaign with a milestone unpaid this long after its deadline, or after
 * its latest payment, is Lapsed, and its pledgers take back what was not released (test/app/funds.test.ts
 * reads the contract's constant and compares).
 */
export const RELEASE_PERIOD_SECONDS = 180 * 24 * 60 * 60;

/** The milestone payments of a campaign as the index holds them: how many, and the time of the latest. */
export interface ReleaseFacts {
  paid: number;
  lastAt: number | null;
}

export interface TokenInfo {
  address: string;
  symbol: string | null;
  decimals: number | null;
}

interface CampaignRow {
  campaign_id: number;
  municipality_id: number;
  token: string;
  beneficiary: string;
  goal: string;
  deadline: number;
  milestones: string;
  rules_document_hash: string;
  rules_hash: string | null;
  opened_at: number | null;
  cancelled_at: number | null;
  cancel_reason_hash: string | null;
  pledged: string;
  refunded: string;
  released: string;
  offchain_total: string;
  created_by: string;
  created_tx: string;
  created_block: number;
  created_at: number;
}

interface MovementRow {
  block_number: number;
  log_index: number;
  kind: "pledge" | "offchain-pledge" | "refund" | "milestone";
  account: string | null;
  amount: string;
  reference: string | null;
  milestone_index: number | null;
  officer: string | null;
  tx_hash: string;
  timestamp: number;
}

const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

export function phaseOf(
  row: Pick<CampaignRow, "cancelled_at" | "opened_at" | "deadline" | "pledged" | "goal" | "milestones">,
  releases: ReleaseFacts,
  now: number,
): CampaignPhase {
  if (row.cancelled_at !== null) return "Cancelled";
  if (row.opened_at === null) return "Draft";
  if (now <= row.deadline) return "Funding";
  if (BigInt(row.pledged) < BigInt(row.goal)) return "Failed";
  const deadline = releaseDeadlineOf(row, releases);
  return deadline !== null && now > deadline ? "Lapsed" : "Succeeded";
}

/**
 * CivicFund.releaseDeadline while a milestone is unpaid: RELEASE_PERIOD after the deadline, or after the
 * latest payment; null once every milestone is paid (such a campaign never lapses).
 */
export function releaseDeadlineOf(row: Pick<CampaignRow, "deadline" | "milestones">, releases: ReleaseFacts): number | null {
  if (releases.paid >= (JSON.parse(row.milestones) as unknown[]).length) return null;
  return (releases.lastAt ?? row.deadline) + RELEASE_PERIOD_SECONDS;
}

/** pledged / goal in percent, two decimals, rounded down (a goal is never shown reached before it is). */
export function percentOf(part: bigint, goal: bigint): number {
  return goal === 0n ? 0 : Number((part * 10_000n) / goal) / 100;
}

const ERC20 = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];

/**
 * Campaigns as residents and auditors read them: the index's tables (a function of CivicFund's events)
 * plus the chain's clock for the phase, and the public documents' CIDs, which follow from their hashes.
 */
export class CampaignReader {
  readonly #tokens = new Map<string, Promise<TokenInfo>>();

  constructor(
    private readonly db: DatabaseSync,
    private readonly provider: JsonRpcProvider,
  ) {}

  /** The time the next block will at least have: what the contract's phase is measured against. */
  async chainTime(): Promise<number> {
    const block = await this.provider.getBlock("latest");
    return block?.timestamp ?? Math.floor(Date.now() / 1000);
  }

  /** Symbol and decimals of an ERC-20 (null when it does not say), asked once per token. */
  token(address: string): Promise<TokenInfo> {
    let info = this.#tokens.get(address);
    if (!info) {
      const erc20 = new Contract(address, ERC20, this.provider);
      info = Promise.all([erc20.symbol().catch(() => null), erc20.decimals().catch(() => null)]).then(([symbol, decimals]) => ({
        address,
        symbol: symbol === null ? null : String(symbol),
        decimals: decimals === null ? null : Number(decimals),
      }));
      this.#tokens.set(address, info);
    }
    return info;
  }

  row(campaignId: number): CampaignRow {
    const row = this.db.prepare("SELECT * FROM idx_fund_campaigns WHERE campaign_id = ?").get(campaignId) as CampaignRow | undefined;
    if (!row) throw new AppError("FUNDS_CAMPAIGN_NOT_FOUND");
    return row;
  }

  async list(municipalityId?: number) {
    const rows = this.db
      .prepare("SELECT * FROM idx_fund_campaigns WHERE (? IS NULL OR municipality_id = ?) ORDER BY campaign_id DESC")
      .all(municipalityId ?? null, municipalityId ?? null) as unknown as CampaignRow[];
    const now = await this.chainTime();
    return Promise.all(rows.map(async (row) => this.#summary(row, now)));
  }

  async detail(campaignId: number) {
    const row = this.row(campaignId);
    const now = await this.chainTime();
    const movements = this.db
      .prepare("SELECT * FROM idx_fund_movements WHERE campaign_id = ? ORDER BY block_number, log_index")
      .all(campaignId) as unknown as MovementRow[];
    const happened = (m: MovementRow) => ({ amount: m.amount, txHash: m.tx_hash, blockNumber: m.block_number, logIndex: m.log_index, at: iso(m.timestamp) });
    const releases = movements.filter((m) => m.kind === "milestone");
    const milestones = (JSON.parse(row.milestones) as string[]).map((amount, index) => {
      const release = releases.find((m) => m.milestone_index === index);
      return {
        index,
        amount,
        release: release
          ? { ...happened(release), evidenceHash: release.reference, evidence: this.#document(release.reference!), beneficiary: release.account, officer: release.officer }
          : null,
      };
    });
    return {
      // The payments are in chain order: the last one is the latest.
      ...(await this.#summary(row, now, { paid: releases.length, lastAt: releases.at(-1)?.timestamp ?? null })),
      milestones,
      rulesDocument: { sha256: row.rules_document_hash, ...this.#document(row.rules_document_hash) },
      rulesHash: row.rules_hash,
      created: { by: row.created_by, txHash: row.created_tx, blockNumber: row.created_block, at: iso(row.created_at) },
      cancellation: row.cancelled_at === null ? null : { at: iso(row.cancelled_at), reasonHash: row.cancel_reason_hash, reason: this.#document(row.cancel_reason_hash!) },
      // No personal data: on-chain pledgers are the addresses the chain shows anyway; off-chain pledges
      // are known by their receipt hash only (the payer's name exists sealed, never here).
      pledges: movements
        .filter((m) => m.kind === "pledge" || m.kind === "offchain-pledge")
        .map((m) => ({ kind: m.kind, ...(m.kind === "pledge" ? { pledger: m.account } : { receiptHash: m.reference }), ...happened(m) })),
      refunds: movements.filter((m) => m.kind === "refund").map((m) => ({ pledger: m.account, ...happened(m) })),
    };
  }

  /** The campaign's milestone payments, from the index (their block times are the chain's). */
  #releases(campaignId: number): ReleaseFacts {
    const row = this.db
      .prepare("SELECT COUNT(*) AS paid, MAX(timestamp) AS lastAt FROM idx_fund_movements WHERE campaign_id = ? AND kind = 'milestone'")
      .get(campaignId) as { paid: number; lastAt: number | null };
    return { paid: Number(row.paid), lastAt: row.lastAt === null ? null : Number(row.lastAt) };
  }

  async #summary(row: CampaignRow, now: number, releases: ReleaseFacts = this.#releases(row.campaign_id)) {
    const [goal, pledged, refunded, released, offchain] = [row.goal, row.pledged, row.refunded, row.released, row.offchain_total].map(BigInt);
    const phase = phaseOf(row, releases, now);
    // Only a funded campaign waits for its payments; before the deadline the date is not yet a promise.
    const releaseDeadline = phase === "Succeeded" || phase === "Lapsed" ? releaseDeadlineOf(row, releases) : null;
    return {
      campaignId: row.campaign_id,
      municipalityId: row.municipality_id,
      token: await this.token(row.token),
      beneficiary: row.beneficiary,
      goal: row.goal,
      deadline: row.deadline,
      deadlineAt: iso(row.deadline),
      phase,
      /** When a Succeeded campaign with a milestone unpaid lapses, and its pledgers may take back what was not released. */
      releaseDeadline,
      releaseDeadlineAt: iso(releaseDeadline),
      openedAt: iso(row.opened_at),
      pledged: row.pledged,
      refunded: row.refunded,
      released: row.released,
      escrowed: (pledged - refunded - released).toString(),
      offchainTotal: row.offchain_total,
      /** On-chain pledges only count toward the goal (CivicFund's all-or-nothing escrow). */
      progressPercent: percentOf(pledged, goal),
      /** Including cash and bank pledges recorded by the treasurer: an indication, not the goal's measure. */
      progressWithOffchainPercent: percentOf(pledged + offchain, goal),
    };
  }

  /**
   * Where a public document of a campaign is on IPFS, from the SHA-256 the chain holds: a document is one
   * block (TreasurerActions.storePublicDocument), so its CID is that hash's raw leaf on every replica.
   * Before that limit, a larger document had a dag-pb root that only funds_documents of the replica that
   * stored it knows; such a row (none is written any more) still wins there.
   */
  #document(sha256: string): { cid: string } {
    const row = this.db.prepare("SELECT cid FROM funds_documents WHERE sha256 = ?").get(sha256) as { cid: string } | undefined;
    return { cid: row?.cid ?? singleBlockCid(sha256) };
  }
}
