import { randomBytes } from "node:crypto";
import { getAddress, sha256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { OFFCHAIN_PLEDGE_FORMAT, type OffchainPledgeDocument } from "../../../shared/pledgeReceipt.js";
import type { OfficerTransactionInput } from "../../chain/officerTransactions.js";
import { AppError } from "../../errors.js";
import { randomSalt, saltedHash } from "../../privacy/commitments.js";
import type { WorkflowContext } from "../../workflows/context.js";
import type { CampaignReader } from "./campaigns.js";
import type { ReceiptBook } from "./receipts.js";
import { sameCampaign, type TreasurerActions } from "./treasurer.js";

export const offchainPledgeSchema = z.object({
  amount: z.string().regex(/^[1-9][0-9]{0,77}$/, "a positive whole number as decimal text (the token's smallest unit)"),
  method: z.enum(["cash", "bank-transfer"]),
  paidOn: z.iso.date(),
  /** The payer's name: sealed by the vault, only a salted commitment to it goes into the receipt. */
  payerName: z.string().trim().min(1).max(200),
});

/** The vault context of an off-chain pledge's sealed payer (funds_offchain_pledges.sealed_payer). */
export function payerSealContext(receiptHash: string): string {
  return `funds/offchain/${receiptHash}`;
}

interface PreparedRow {
  campaign_id: number;
  document: string;
  record_id: string | null;
}

/**
 * Pledges paid in cash or by bank transfer. The treasurer's receipt document is anchored in a Merkle
 * batch (the issue's "receipt batched"), AND the treasurer records its hash and amount with
 * CivicFund.recordOffchainPledge, so the campaign's off-chain total is on chain and a payer can check
 * that their receipt was counted (`offchainReceipt`). The document is written when the treasurer asks
 * for the transaction and queued for anchoring only once that transaction is mined: a receipt never
 * exists for a pledge the chain did not count.
 */
export class OffchainPledges {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly campaigns: CampaignReader,
    private readonly treasurer: TreasurerActions,
    private readonly receipts: ReceiptBook,
  ) {}

  async prepare(officer: string, campaignId: number, pledge: z.infer<typeof offchainPledgeSchema>) {
    const municipalityId = await this.treasurer.treasurerOfCampaign(officer, campaignId);
    const payerSalt = randomSalt();
    const document: OffchainPledgeDocument = {
      format: OFFCHAIN_PLEDGE_FORMAT,
      chainId: this.ctx.chainId,
      civicFund: getAddress(await this.ctx.contracts.civicFund.getAddress()),
      campaignId: String(campaignId),
      municipalityId,
      amount: pledge.amount,
      method: pledge.method,
      paidOn: pledge.paidOn,
      payerCommitment: saltedHash(payerSalt, pledge.payerName),
      nonce: `0x${randomBytes(16).toString("hex")}`,
    };
    const text = JSON.stringify(document);
    const receiptHash = sha256(toUtf8Bytes(text));
    this.ctx.db
      .prepare("INSERT INTO funds_offchain_pledges (receipt_hash, campaign_id, document, sealed_payer, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(receiptHash, campaignId, text, this.ctx.vault.sealJson({ payerName: pledge.payerName, payerSalt }, payerSealContext(receiptHash)), Date.now());
    return {
      receiptHash,
      document: text,
      // For the payer's paper receipt only: with it, the payer (and nobody without it) can show that
      // the commitment is their name. It is not in the public receipt.
      payerSalt,
      transaction: await this.treasurer.unsigned(officer, "recordOffchainPledge", [campaignId, receiptHash, pledge.amount]),
    };
  }

  async record(officer: string, campaignId: number, input: OfficerTransactionInput): Promise<string> {
    const municipalityId = await this.treasurer.treasurerOfCampaign(officer, campaignId);
    let prepared: PreparedRow | undefined;
    const mined = await this.treasurer.submit(officer, input, "recordOffchainPledge", (args) => {
      sameCampaign(campaignId)(args);
      prepared = this.ctx.db
        .prepare("SELECT campaign_id, document, record_id FROM funds_offchain_pledges WHERE receipt_hash = ?")
        .get(String(args[1]).toLowerCase()) as PreparedRow | undefined;
      if (!prepared || prepared.campaign_id !== campaignId) throw new AppError("FUNDS_OFFCHAIN_UNKNOWN");
      const amount = (JSON.parse(prepared.document) as OffchainPledgeDocument).amount;
      if (String(args[2]) !== amount) throw new AppError("TX_INVALID", `The transaction records ${args[2]}, the receipt document ${amount}.`);
    });
    const text = prepared!.document;
    const receiptHash = sha256(toUtf8Bytes(text));
    const bytes = toUtf8Bytes(text);
    // The document holds no personal data (a salted commitment only): it goes to IPFS in clear.
    const cid = await this.ctx.ipfs.add(bytes);
    const record = this.ctx.queue.enqueue({ sha256: receiptHash, cid, municipalityId, kind: "pledge-receipt", meta: { campaignId: String(campaignId) } });
    this.ctx.db.prepare("UPDATE funds_offchain_pledges SET record_id = ?, recorded_tx = ? WHERE receipt_hash = ?").run(record.recordId, mined.txHash, receiptHash);
    const log = mined.receipt.logs.find((l) => l.topics[2]?.toLowerCase() === receiptHash)!;
    const campaign = this.campaigns.row(campaignId);
    return this.receipts.issueOffchain(
      {
        kind: "offchain-pledge",
        chainId: this.ctx.chainId,
        civicFund: getAddress(await this.ctx.contracts.civicFund.getAddress()),
        campaignId: String(campaignId),
        municipalityId,
        token: getAddress(campaign.token),
        amount: (JSON.parse(text) as OffchainPledgeDocument).amount,
        document: text,
        receiptHash,
        recordTxHash: mined.txHash.toLowerCase(),
        recordId: record.recordId,
      },
      log?.index ?? 0,
    );
  }
}
