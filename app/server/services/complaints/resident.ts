import { createHash } from "node:crypto";
import { ZeroHash } from "ethers";
import { AppError } from "../../errors.js";
import { newTrackingCode, normalizeTrackingCode, randomSalt, saltedHash, trackingSecret } from "../../privacy/commitments.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { indexReaches } from "../../workflows/indexCatchUp.js";
import { complaintDetails, saveAttachment, SEAL_CONTEXTS, type ComplaintDetails } from "./details.js";
import { filingView, trackingCommitment } from "./filing.js";
import type { FilingRow } from "./filingQueue.js";
import { ComplaintQueries, type ComplaintRecord } from "./queries.js";

/**
 * The resident's side: whoever holds a complaint's tracking code may read it (with its unsealed text)
 * and, once resolved, confirm the fix or reopen it. The service relays both with the code's secret
 * (ComplaintLedger.confirmBySecret / reopenBySecret); reopening reveals the secret on the chain, so the
 * commitment is rotated to a NEW code, which is returned once and replaces the old one.
 */
function trackingCodeOf(rawCode: unknown): string {
  const code = typeof rawCode === "string" ? normalizeTrackingCode(rawCode) : null;
  if (!code) throw new AppError("TRACKING_CODE_INVALID");
  return code;
}

/** The confirmed complaint (in the index) whose tracking code this is; 404 TRACKING_CODE_UNKNOWN otherwise. */
export async function complaintOfCode(ctx: WorkflowContext, rawCode: unknown): Promise<{ code: string; complaint: ComplaintRecord }> {
  const code = trackingCodeOf(rawCode);
  await ctx.catchUpIndex();
  const complaint = new ComplaintQueries(ctx.db).byCommitment(trackingCommitment(code));
  if (!complaint) throw new AppError("TRACKING_CODE_UNKNOWN");
  return { code, complaint };
}

/**
 * The complaint of a tracking code: from the index once its filing is confirmed; before, the filing as
 * far as it got (accepted, mined, or refused by the chain), with `confirmed: false`.
 */
export async function track(ctx: WorkflowContext, rawCode: unknown): Promise<ComplaintDetails> {
  const code = trackingCodeOf(rawCode);
  await ctx.catchUpIndex();
  const commitment = trackingCommitment(code);
  const complaint = new ComplaintQueries(ctx.db).byCommitment(commitment);
  if (complaint) return complaintDetails(ctx, complaint);
  const filing = ctx.complaintFilings.open({ commitment });
  if (!filing) throw new AppError("TRACKING_CODE_UNKNOWN");
  return pendingDetails(ctx, filing);
}

/** What the tracking code shows of a filing the index does not hold yet: its content, and how far it got. */
async function pendingDetails(ctx: WorkflowContext, filing: FilingRow): Promise<ComplaintDetails> {
  const view = await filingView(ctx, filing);
  const details = await complaintDetails(ctx, view.complaint);
  // Before it is mined there is no chain to match: complaintDetails compared with the filing's own hash.
  return { ...details, contentMatchesChain: filing.state === "mined" ? details.contentMatchesChain : null, confirmed: false, filing: view.filing };
}

/** What the resident's confirm and reopen answer: the transaction, and whether the details show it yet. */
export interface ResidentAction {
  txHash: string;
  /** The transaction is CONFIRMATIONS blocks deep and the details show it (else they predate it: a bounded wait). */
  confirmed: boolean;
  details: ComplaintDetails;
}

export async function confirm(ctx: WorkflowContext, rawCode: unknown): Promise<ResidentAction> {
  const { code, complaint } = await complaintOfCode(ctx, rawCode);
  const mined = await ctx.serviceCalls.send(ctx.contracts.complaintLedger, "confirmBySecret", [complaint.complaintId, trackingSecret(code)]);
  return { txHash: mined.txHash, ...(await refreshed(ctx, complaint.complaintId, mined.blockNumber)) };
}

export async function reopen(
  ctx: WorkflowContext,
  rawCode: unknown,
  reason: string | null,
): Promise<ResidentAction & { trackingCode: string }> {
  const { code, complaint } = await complaintOfCode(ctx, rawCode);
  const next = newTrackingCode();
  // The reason is the resident's own words: sealed to IPFS, on-chain only as a salted hash.
  let reasonHash = ZeroHash;
  let sealedReason: { cid: string; sha256: string } | null = null;
  if (reason) {
    const salt = randomSalt();
    reasonHash = saltedHash(salt, reason);
    const sealed = ctx.vault.sealJson({ reason, salt }, SEAL_CONTEXTS.reopen_reason);
    sealedReason = { cid: await ctx.ipfs.add(sealed), sha256: `0x${createHash("sha256").update(sealed).digest("hex")}` };
  }
  const mined = await ctx.serviceCalls.send(ctx.contracts.complaintLedger, "reopenBySecret", [
    complaint.complaintId,
    trackingSecret(code),
    trackingCommitment(next),
    reasonHash,
  ]);
  if (sealedReason) {
    saveAttachment(ctx, complaint.complaintId, mined.txHash, { kind: "reopen_reason", ...sealedReason, filename: null, mediaType: "application/json" });
  }
  return { txHash: mined.txHash, trackingCode: next, ...(await refreshed(ctx, complaint.complaintId, mined.blockNumber)) };
}

/** The complaint's details once the index read `blockNumber` (a bounded wait: indexCatchUp.ts). */
async function refreshed(ctx: WorkflowContext, complaintId: string, blockNumber: number): Promise<{ confirmed: boolean; details: ComplaintDetails }> {
  const confirmed = await indexReaches(ctx, blockNumber);
  return { confirmed, details: await complaintDetails(ctx, new ComplaintQueries(ctx.db).get(complaintId)!) };
}
