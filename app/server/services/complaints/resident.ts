import { createHash } from "node:crypto";
import { ZeroHash } from "ethers";
import { AppError } from "../../errors.js";
import { newTrackingCode, normalizeTrackingCode, randomSalt, saltedHash, trackingSecret } from "../../privacy/commitments.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { complaintDetails, saveAttachment, SEAL_CONTEXTS, type ComplaintDetails } from "./details.js";
import { trackingCommitment } from "./filing.js";
import { ComplaintQueries, type ComplaintRecord } from "./queries.js";

/**
 * The resident's side: whoever holds a complaint's tracking code may read it (with its unsealed text)
 * and, once resolved, confirm the fix or reopen it. The service relays both with the code's secret
 * (ComplaintLedger.confirmBySecret / reopenBySecret); reopening reveals the secret on the chain, so the
 * commitment is rotated to a NEW code, which is returned once and replaces the old one.
 */
export async function complaintOfCode(ctx: WorkflowContext, rawCode: unknown): Promise<{ code: string; complaint: ComplaintRecord }> {
  const code = typeof rawCode === "string" ? normalizeTrackingCode(rawCode) : null;
  if (!code) throw new AppError("TRACKING_CODE_INVALID");
  await ctx.catchUpIndex();
  const complaint = new ComplaintQueries(ctx.db).byCommitment(trackingCommitment(code));
  if (!complaint) throw new AppError("TRACKING_CODE_UNKNOWN");
  return { code, complaint };
}

export async function track(ctx: WorkflowContext, rawCode: unknown): Promise<ComplaintDetails> {
  return complaintDetails(ctx, (await complaintOfCode(ctx, rawCode)).complaint);
}

export async function confirm(ctx: WorkflowContext, rawCode: unknown): Promise<{ txHash: string; details: ComplaintDetails }> {
  const { code, complaint } = await complaintOfCode(ctx, rawCode);
  const mined = await ctx.serviceCalls.send(ctx.contracts.complaintLedger, "confirmBySecret", [complaint.complaintId, trackingSecret(code)]);
  return { txHash: mined.txHash, details: await refreshed(ctx, complaint.complaintId) };
}

export async function reopen(
  ctx: WorkflowContext,
  rawCode: unknown,
  reason: string | null,
): Promise<{ txHash: string; trackingCode: string; details: ComplaintDetails }> {
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
  return { txHash: mined.txHash, trackingCode: next, details: await refreshed(ctx, complaint.complaintId) };
}

async function refreshed(ctx: WorkflowContext, complaintId: string): Promise<ComplaintDetails> {
  await ctx.catchUpIndex();
  return complaintDetails(ctx, new ComplaintQueries(ctx.db).get(complaintId)!);
}
