import { Router, type Request } from "express";
import { Interface } from "ethers";
import QRCode from "qrcode";
import { z } from "zod";
import { ReceiptFormatError, parsePledgeReceipt } from "../../shared/pledgeReceipt.js";
import { RpcFailedError } from "../../shared/verifyBundle.js";
import { verifyPledgeReceipt } from "../../shared/verifyReceipt.js";
import { officerOf, requireOfficer } from "../auth/middleware.js";
import { AppError } from "../errors.js";
import { CampaignReader } from "../services/funds/campaigns.js";
import { OffchainPledges, offchainPledgeSchema } from "../services/funds/offchainPledges.js";
import { ReceiptBook, parseReceiptId } from "../services/funds/receipts.js";
import { TreasurerActions, campaignTermsSchema, officerTransactionSchema, parseBody, sameCampaign } from "../services/funds/treasurer.js";
import type { WorkflowContext } from "../workflows/context.js";
import { uploadedBytes } from "./documents.js";

const ERC20 = new Interface(["function approve(address spender, uint256 amount) returns (bool)"]);

function campaignIdOf(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw new AppError("FUNDS_CAMPAIGN_NOT_FOUND");
  return id;
}

const txHashSchema = z.object({ txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/) });

/**
 * Civic funds (docs/funds.md): campaigns, the treasurer's signed actions, residents' pledges and
 * refunds from their own wallets, off-chain pledges anchored in batches, and the receipts residents keep.
 */
export function fundsRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  const officer = requireOfficer(ctx.sessions);
  const campaigns = new CampaignReader(ctx.db, ctx.chain.provider);
  const treasurer = new TreasurerActions(ctx, campaigns);
  const receipts = new ReceiptBook(ctx, campaigns);
  const offchain = new OffchainPledges(ctx, campaigns, treasurer, receipts);
  const detail = async (campaignId: number) => {
    await ctx.catchUpIndex();
    return campaigns.detail(campaignId);
  };

  router.get("/api/funds/campaigns", async (req, res) => {
    const raw = req.query.municipality;
    const municipalityId = raw === undefined ? undefined : Number(raw);
    if (municipalityId !== undefined && (!Number.isSafeInteger(municipalityId) || municipalityId < 1)) {
      throw new AppError("QUERY_INVALID", "?municipality must be a municipality id");
    }
    res.json({ campaigns: await campaigns.list(municipalityId) });
  });

  router.get("/api/funds/campaigns/:id", async (req, res) => {
    res.json(await campaigns.detail(campaignIdOf(req)));
  });

  // ── the treasurer: unsigned transaction, then the signed one ──────────────────────────────────
  router.post("/api/funds/campaigns/transaction", officer, ctx.upload, async (req, res) => {
    const bytes = uploadedBytes(req.file);
    const terms = parseBody(campaignTermsSchema, req.body);
    res.json(await treasurer.createTransaction(officerOf(res).address, terms, bytes));
  });

  router.post("/api/funds/campaigns", officer, async (req, res) => {
    const input = parseBody(officerTransactionSchema, req.body);
    // The contract checks the TREASURER role of the campaign's municipality; the simulation before the
    // broadcast turns its refusal into 403 ROLE_REQUIRED.
    const mined = await treasurer.submit(officerOf(res).address, input, "createCampaign", () => {});
    const created = mined.events.find((event) => event.name === "CampaignCreated")!;
    res.status(201).json(await detail(Number(created.args.campaignId)));
  });

  router.post("/api/funds/campaigns/:id/open/transaction", officer, async (req, res) => {
    const campaignId = campaignIdOf(req);
    await treasurer.treasurerOfCampaign(officerOf(res).address, campaignId);
    res.json({ transaction: await treasurer.unsigned(officerOf(res).address, "openCampaign", [campaignId]) });
  });

  router.post("/api/funds/campaigns/:id/cancel/transaction", officer, async (req, res) => {
    const campaignId = campaignIdOf(req);
    const { reason } = parseBody(z.object({ reason: z.string().trim().min(1).max(5000) }), req.body);
    await treasurer.treasurerOfCampaign(officerOf(res).address, campaignId);
    // The decision is public (why a city project stopped); its hash goes on chain.
    const reasonDocument = await treasurer.storePublicDocument(Buffer.from(reason, "utf8"));
    res.json({ reasonDocument, transaction: await treasurer.unsigned(officerOf(res).address, "cancelCampaign", [campaignId, reasonDocument.sha256]) });
  });

  router.post("/api/funds/campaigns/:id/milestones/:index/transaction", officer, ctx.upload, async (req, res) => {
    const campaignId = campaignIdOf(req);
    const index = Number(req.params.index);
    if (!Number.isInteger(index) || index < 0 || index > 255) throw new AppError("BODY_INVALID", "the milestone index is 0 to 255");
    const bytes = uploadedBytes(req.file);
    await treasurer.treasurerOfCampaign(officerOf(res).address, campaignId);
    const evidence = await treasurer.storePublicDocument(bytes);
    res.json({ evidence, transaction: await treasurer.unsigned(officerOf(res).address, "releaseMilestone", [campaignId, index, evidence.sha256]) });
  });

  const signedAction = (path: string, method: "openCampaign" | "cancelCampaign" | "releaseMilestone") =>
    router.post(path, officer, async (req, res) => {
      const campaignId = campaignIdOf(req);
      const input = parseBody(officerTransactionSchema, req.body);
      await treasurer.treasurerOfCampaign(officerOf(res).address, campaignId);
      await treasurer.submit(officerOf(res).address, input, method, (args) => {
        sameCampaign(campaignId)(args);
        if (method === "releaseMilestone" && Number(args[1]) !== Number(req.params.index)) {
          throw new AppError("TX_INVALID", `The transaction releases milestone ${args[1]}, not ${req.params.index}.`);
        }
      });
      res.json(await detail(campaignId));
    });
  signedAction("/api/funds/campaigns/:id/open", "openCampaign");
  signedAction("/api/funds/campaigns/:id/cancel", "cancelCampaign");
  signedAction("/api/funds/campaigns/:id/milestones/:index", "releaseMilestone");

  router.post("/api/funds/campaigns/:id/offchain-pledges/transaction", officer, async (req, res) => {
    const pledge = parseBody(offchainPledgeSchema, req.body);
    res.json(await offchain.prepare(officerOf(res).address, campaignIdOf(req), pledge));
  });

  router.post("/api/funds/campaigns/:id/offchain-pledges", officer, async (req, res) => {
    const input = parseBody(officerTransactionSchema, req.body);
    const receiptId = await offchain.record(officerOf(res).address, campaignIdOf(req), input);
    res.status(201).json(receipts.get(receiptId, ctx.publicUrl));
  });

  // ── residents: their own wallet sends; the API finds the event and issues the receipt ─────────
  router.get("/api/funds/campaigns/:id/pledge-transactions", async (req, res) => {
    const campaignId = campaignIdOf(req);
    const { amount } = parseBody(z.object({ amount: z.string().regex(/^[1-9][0-9]{0,77}$/) }), req.query);
    const { token } = campaigns.row(campaignId);
    const fund = ctx.contracts.civicFund;
    const fundAddress = await fund.getAddress();
    res.json({
      chainId: ctx.chainId,
      approve: { to: token, data: ERC20.encodeFunctionData("approve", [fundAddress, amount]) },
      pledge: { to: fundAddress, data: fund.interface.encodeFunctionData("pledge", [campaignId, amount]) },
      refund: { to: fundAddress, data: fund.interface.encodeFunctionData("refund", [campaignId]) },
    });
  });

  for (const [path, kind] of [["pledges", "pledge"], ["refunds", "refund"]] as const) {
    router.post(`/api/funds/campaigns/:id/${path}`, async (req, res) => {
      const { txHash } = parseBody(txHashSchema, req.body);
      const { receiptId, created } = await receipts.issueOnchain(kind, campaignIdOf(req), txHash);
      res.status(created ? 201 : 200).json(receipts.get(receiptId, ctx.publicUrl));
    });
  }

  // ── receipts ─────────────────────────────────────────────────────────────────────────────────
  router.get("/api/funds/receipts/:receiptId", (req, res) => {
    const receiptId = parseReceiptId(req.params.receiptId);
    // The receipt's verifyUrl is this address and its QR code holds it: a browser that opens it (asking
    // for a page) is sent to the web app, which fetches this JSON and checks it against the chain itself.
    if (req.accepts(["application/json", "text/html"]) === "text/html") {
      receipts.get(receiptId, ctx.publicUrl);
      return res.redirect(303, `/funds/receipts?receipt=${receiptId}`);
    }
    res.json(receipts.get(receiptId, ctx.publicUrl));
  });

  router.get("/api/funds/receipts/:receiptId/qr", async (req, res) => {
    const receipt = receipts.get(parseReceiptId(req.params.receiptId), ctx.publicUrl);
    if (req.query.format === "svg") {
      res.type("image/svg+xml").send(await QRCode.toString(receipt.verifyUrl, { type: "svg", errorCorrectionLevel: "M" }));
    } else {
      res.type("image/png").send(await QRCode.toBuffer(receipt.verifyUrl, { type: "png", errorCorrectionLevel: "M", margin: 2, scale: 6 }));
    }
  });

  // The API checks against its own RPC node here; anyone can run verifyPledgeReceipt against another.
  router.post("/api/funds/receipts/verify", async (req, res) => {
    let receipt;
    try {
      receipt = parsePledgeReceipt(req.body);
    } catch (error) {
      if (error instanceof ReceiptFormatError) throw new AppError("FUNDS_RECEIPT_INVALID", error.message);
      throw error;
    }
    try {
      res.json(await verifyPledgeReceipt(receipt, ctx.chain.provider));
    } catch (error) {
      if (error instanceof RpcFailedError) throw new AppError("ENGINE_UNAVAILABLE", error.message);
      throw error;
    }
  });

  return router;
}
