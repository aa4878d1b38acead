import type { DatabaseSync } from "node:sqlite";
import { getAddress, id as keccakText, type Log } from "ethers";
import {
  PLEDGE_RECEIPT_FORMAT,
  type OffchainReceipt,
  type OnchainReceipt,
  type PledgeReceipt,
} from "../../../shared/pledgeReceipt.js";
import { proofBundleFor } from "../../../shared/proofBundleFormat.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import type { CampaignReader } from "./campaigns.js";

const RECEIPT_WAIT_MS = 60_000;

/** Stable ids: the same transaction's log (or the same off-chain document) is always the same receipt. */
export function receiptIdOf(...parts: Array<string | number>): string {
  return `rcp_${keccakText(parts.join(":")).slice(2, 34)}`;
}

export function parseReceiptId(value: unknown): string {
  if (typeof value !== "string" || !/^rcp_[0-9a-f]{32}$/.test(value)) throw new AppError("FUNDS_RECEIPT_NOT_FOUND");
  return value;
}

type StoredOnchain = Omit<OnchainReceipt, "verifyUrl">;
type StoredOffchain = Omit<OffchainReceipt, "verifyUrl" | "proof"> & { recordId: string };

/**
 * The receipts residents keep. An on-chain pledge's (or refund's) receipt is its event log, found in
 * the transaction the resident's wallet sent; an off-chain pledge's is its anchored document. Both are
 * written once to `funds_receipts` and served by id with a fresh proof (see docs/funds.md).
 */
export class ReceiptBook {
  readonly #db: DatabaseSync;

  constructor(
    private readonly ctx: WorkflowContext,
    private readonly campaigns: CampaignReader,
  ) {
    this.#db = ctx.db;
  }

  /** The receipt of the resident's own pledge or refund in `txHash`; 201 the first time, the same after. */
  async issueOnchain(kind: "pledge" | "refund", campaignId: number, txHash: string): Promise<{ receiptId: string; created: boolean }> {
    const campaign = this.campaigns.row(campaignId);
    const mined = await this.ctx.chain.waitForReceipt(txHash, RECEIPT_WAIT_MS);
    if (!mined) {
      throw (await this.ctx.chain.knowsTransaction(txHash)) ? new AppError("TX_PENDING") : new AppError("TX_NOT_FOUND");
    }
    if (mined.status !== 1) throw new AppError("TX_REVERTED");
    const fund = this.ctx.contracts.civicFund;
    const eventName = kind === "pledge" ? "Pledged" : "Refunded";
    const fundAddress = (await fund.getAddress()).toLowerCase();
    const found = mined.logs
      .filter((log) => log.address.toLowerCase() === fundAddress)
      .map((log) => ({ log, event: fund.interface.parseLog({ topics: [...log.topics], data: log.data }) }))
      .find(({ event }) => event?.name === eventName && BigInt(event.args.campaignId) === BigInt(campaignId));
    if (!found) throw new AppError("FUNDS_EVENT_NOT_FOUND", `Transaction ${txHash} holds no ${eventName} of campaign ${campaignId}.`);
    const { log, event } = found as { log: Log; event: NonNullable<(typeof found)>["event"] & object };
    const block = await this.ctx.chain.provider.getBlock(log.blockNumber);
    const receiptId = receiptIdOf(this.ctx.chainId, txHash.toLowerCase(), log.index);
    const body: StoredOnchain = {
      format: PLEDGE_RECEIPT_FORMAT,
      receiptId,
      kind,
      chainId: this.ctx.chainId,
      civicFund: getAddress(fundAddress),
      campaignId: String(campaignId),
      municipalityId: campaign.municipality_id,
      token: getAddress(campaign.token),
      amount: String(event.args.amount),
      pledger: getAddress(event.args.pledger),
      txHash: txHash.toLowerCase(),
      blockNumber: log.blockNumber,
      logIndex: log.index,
      timestamp: block!.timestamp,
    };
    const created = this.#store(body, campaignId, txHash, log.index, null);
    await this.ctx.catchUpIndex();
    return { receiptId, created };
  }

  /** The receipt of an off-chain pledge whose document is queued as `recordId`. */
  issueOffchain(body: Omit<StoredOffchain, "format" | "receiptId">, logIndex: number): string {
    const receiptId = receiptIdOf(body.chainId, body.receiptHash);
    this.#store({ format: PLEDGE_RECEIPT_FORMAT, receiptId, ...body }, Number(body.campaignId), body.recordTxHash, logIndex, body.receiptHash);
    return receiptId;
  }

  /** The receipt as the resident keeps it, with its verify URL and, off-chain, the proof once anchored. */
  get(receiptId: string, baseUrl: string): PledgeReceipt {
    const row = this.#db.prepare("SELECT body FROM funds_receipts WHERE receipt_id = ?").get(receiptId) as { body: string } | undefined;
    if (!row) throw new AppError("FUNDS_RECEIPT_NOT_FOUND");
    const stored = JSON.parse(row.body) as StoredOnchain | StoredOffchain;
    const verifyUrl = `${baseUrl}/api/funds/receipts/${receiptId}`;
    if (stored.kind !== "offchain-pledge") return { ...stored, verifyUrl };
    const { recordId, ...fields } = stored;
    const record = this.ctx.queue.get(recordId);
    const anchored = record && (record.status === "anchored" || record.status === "final");
    const proof = anchored ? proofBundleFor(record, { chainId: this.ctx.chainId, contract: this.ctx.deployment.contracts.batchAnchor }) : null;
    return { ...fields, verifyUrl, proof };
  }

  #store(body: StoredOnchain | StoredOffchain, campaignId: number, txHash: string, logIndex: number, receiptHash: string | null): boolean {
    const result = this.#db
      .prepare(
        `INSERT OR IGNORE INTO funds_receipts (receipt_id, kind, campaign_id, tx_hash, log_index, receipt_hash, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(body.receiptId, body.kind, campaignId, txHash.toLowerCase(), logIndex, receiptHash, JSON.stringify(body), Date.now());
    return result.changes === 1;
  }
}
