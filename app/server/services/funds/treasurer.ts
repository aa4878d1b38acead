import { createHash } from "node:crypto";
import { Transaction, getAddress, isAddress, type Interface } from "ethers";
import { z } from "zod";
import type { OfficerTransactionInput } from "../../chain/officerTransactions.js";
import { SINGLE_BLOCK_MAX_BYTES, singleBlockCid } from "../../../shared/singleBlockCid.js";
import { AppError, ERRORS } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { indexReaches } from "../../workflows/indexCatchUp.js";
import type { CampaignReader } from "./campaigns.js";

/** A transaction for the officer's wallet to sign: the API never signs for an officer. */
export interface UnsignedTransaction {
  from: string;
  to: string;
  data: string;
  chainId: number;
  value: "0x0";
}

export type CivicFundMethod = "createCampaign" | "openCampaign" | "cancelCampaign" | "releaseMilestone" | "recordOffchainPledge";

const uint = z.string().regex(/^[0-9]{1,78}$/, "a whole number as decimal text (the token's smallest unit)");

export const campaignTermsSchema = z.object({
  municipalityId: z.coerce.number().int().min(1).max(2 ** 32 - 1),
  token: z.string().refine(isAddress, "an address").optional(),
  beneficiary: z.string().refine(isAddress, "an address"),
  goal: uint,
  deadline: z.coerce.number().int().min(1),
  /** JSON array or comma-separated list of amounts (multipart forms carry text). */
  milestones: z.union([z.array(uint), z.string().transform((text, ctx) => {
    const list = text.trim().startsWith("[") ? (JSON.parse(text) as unknown[]).map(String) : text.split(",").map((s) => s.trim());
    if (!list.every((amount) => /^[0-9]{1,78}$/.test(amount))) ctx.addIssue({ code: "custom", message: "amounts as decimal text" });
    return list;
  })]),
});
export type CampaignTerms = z.infer<typeof campaignTermsSchema>;

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new AppError("BODY_INVALID", result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
}

/**
 * The treasurer's side of a campaign. Each action is two calls: the API answers the unsigned
 * transaction (after checking the officer's TREASURER role on-chain and storing any public document it
 * names), the officer signs it with their own key, and the API checks and relays the signed bytes (or
 * is told the hash the wallet broadcast) through `officerTransactions`.
 */
export class TreasurerActions {
  constructor(
    private readonly ctx: WorkflowContext,
    private readonly campaigns: CampaignReader,
  ) {}

  /**
   * Stores a public document (rules, evidence, cancellation decision) on IPFS; its SHA-256 goes on chain.
   * At most one IPFS block (1 MiB), refused before anything is stored: then its CID is CIDv1-raw of that
   * SHA-256 (singleBlockCid), so every replica and every reindex finds it from the chain alone, with no
   * table of this service's to say where it is.
   */
  async storePublicDocument(bytes: Uint8Array): Promise<{ sha256: string; cid: string }> {
    if (bytes.length > SINGLE_BLOCK_MAX_BYTES) {
      throw new AppError("FUNDS_DOCUMENT_TOO_LARGE", `${ERRORS.FUNDS_DOCUMENT_TOO_LARGE.message} This one is ${bytes.length.toLocaleString("en")} bytes.`);
    }
    const sha256 = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    const cid = singleBlockCid(sha256);
    // Both engines store a one-block file as its raw leaf (the Kubo adapter checks its node's CID); were
    // that ever not so, readers would be sent to a CID nobody holds.
    const stored = await this.ctx.ipfs.add(bytes);
    if (stored !== cid) throw new Error(`IPFS stored a campaign document as ${stored}, not as its raw leaf ${cid}`);
    return { sha256, cid };
  }

  /** 403 unless `officer` is a TREASURER of the campaign's (or the given) municipality now. */
  async requireTreasurer(officer: string, municipalityId: number): Promise<void> {
    await this.ctx.officers.requireRole(officer, municipalityId, ["TREASURER"]);
  }

  /** The campaign's municipality, after the treasurer check. */
  async treasurerOfCampaign(officer: string, campaignId: number): Promise<number> {
    const municipalityId = this.campaigns.row(campaignId).municipality_id;
    await this.requireTreasurer(officer, municipalityId);
    return municipalityId;
  }

  async createTransaction(officer: string, terms: CampaignTerms, rulesBytes: Uint8Array) {
    await this.requireTreasurer(officer, terms.municipalityId);
    // By default the town's own token, as its profile names it (the demo token for the demo's Mae Hia).
    const token = terms.token ?? this.ctx.towns.profile(terms.municipalityId)?.fund?.token;
    if (!token) throw new AppError("FUNDS_TOKEN_REQUIRED");
    const sum = terms.milestones.reduce((total, amount) => total + BigInt(amount), 0n);
    if (terms.milestones.length === 0 || sum !== BigInt(terms.goal)) {
      throw new AppError("BODY_INVALID", `milestones must add up to the goal ${terms.goal} (they add up to ${sum})`);
    }
    if (terms.deadline <= (await this.campaigns.chainTime())) throw new AppError("BODY_INVALID", "deadline: must be after the chain's current time");
    const rulesDocument = await this.storePublicDocument(rulesBytes);
    const args = [terms.municipalityId, getAddress(token), getAddress(terms.beneficiary), terms.goal, terms.deadline, terms.milestones, rulesDocument.sha256];
    return { rulesDocument, transaction: await this.unsigned(officer, "createCampaign", args) };
  }

  async unsigned(officer: string, method: CivicFundMethod, args: readonly unknown[]): Promise<UnsignedTransaction> {
    const fund = this.ctx.contracts.civicFund;
    return {
      from: getAddress(officer),
      to: await fund.getAddress(),
      data: (fund.interface as Interface).encodeFunctionData(method, args),
      chainId: this.ctx.chainId,
      value: "0x0",
    };
  }

  /**
   * Relays the officer's transaction calling `method`. `expect` checks its decoded arguments before
   * anything is broadcast (when the signed bytes are given) and again after (when only a hash is).
   */
  async submit(officer: string, input: OfficerTransactionInput, method: CivicFundMethod, expect: (args: unknown[]) => void) {
    const early = signedArgs(input, this.ctx.contracts.civicFund.interface, method);
    if (early) expect(early);
    const mined = await this.ctx.officerTransactions.submit(officer, input, { contract: this.ctx.contracts.civicFund, method });
    if (!early) expect(mined.args);
    // The answer is read from the index, which reads the block CONFIRMATIONS blocks later: a bounded wait.
    await indexReaches(this.ctx, mined.blockNumber);
    return mined;
  }
}

/** The body of an officer transaction: the signed bytes or the hash the wallet broadcast. */
export const officerTransactionSchema = z.union([
  z.object({ signedTransaction: z.string().regex(/^0x[0-9a-fA-F]+$/) }),
  z.object({ txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/) }),
]);

function signedArgs(input: OfficerTransactionInput, iface: { parseTransaction(tx: { data: string }): { name: string; args: ArrayLike<unknown> } | null }, method: string): unknown[] | null {
  if (!("signedTransaction" in input)) return null;
  try {
    const call = iface.parseTransaction({ data: Transaction.from(input.signedTransaction).data });
    return call?.name === method ? Array.from(call.args) : null;
  } catch {
    return null; // officerTransactions reports what is wrong with it
  }
}

/** Throws TX_INVALID when the transaction's campaign id is not the URL's. */
export function sameCampaign(campaignId: number) {
  return (args: unknown[]) => {
    if (BigInt(args[0] as bigint) !== BigInt(campaignId)) {
      throw new AppError("TX_INVALID", `The transaction is for campaign ${args[0]}, not ${campaignId}.`);
    }
  };
}
