import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { DOCUMENT_REVOCATION_REASONS, REVOCATION_REASON_MAX_LENGTH, reasonHashOf } from "../../shared/issuance.js";
import type { AnchorRecord } from "../anchoring/types.js";
import { AppError } from "../errors.js";
import type { WorkflowContext } from "../workflows/context.js";
import { parseBody } from "./permits/signatures.js";

const revocationSchema = z.object({
  municipalityId: z.int().min(1).max(2 ** 32 - 1).optional(),
  reasonCode: z.int().refine((code) => code in DOCUMENT_REVOCATION_REASONS, "a reason code of DOCUMENT_REVOCATION_REASONS"),
  reason: z.string().trim().min(1).max(REVOCATION_REASON_MAX_LENGTH),
  officer: z.string().refine((value) => isAddress(value), "an address").transform((value) => getAddress(value)),
  deadline: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature as 0x-hex"),
});

/**
 * Revoking an issued document: the officer's own EIP-712 RecordRevocation (shared/issuance.ts), which
 * BatchAnchor.revokeRecord checks on the chain (a DOCUMENT_ISSUER of the document's municipality, before
 * the deadline); the service only relays it and pays. The reason's words are public (stored on IPFS and
 * here, by their SHA-256, which is what the chain holds): no personal data in them.
 */
export async function revokeDocument(ctx: WorkflowContext, sha256: string, body: unknown) {
  const input = parseBody(revocationSchema, body);
  const record = anchoredDocument(ctx, sha256, input.municipalityId);
  const reasonHash = reasonHashOf(input.reason);
  // Simulated first: a signature the chain refuses is answered with its error and never sent. Only then
  // are the words stored: a stranger's unsigned request writes nothing to IPFS or here.
  const mined = await ctx.serviceCalls.send(ctx.contracts.batchAnchor, "revokeRecord", [
    record.municipalityId,
    record.root,
    record.leaf,
    record.proof,
    input.reasonCode,
    reasonHash,
    input.officer,
    input.deadline,
    input.signature,
  ]);
  const cid = await ctx.ipfs.add(new TextEncoder().encode(input.reason));
  ctx.db
    .prepare("INSERT OR IGNORE INTO document_revocation_reasons (reason_hash, reason, cid) VALUES (?, ?, ?)")
    .run(reasonHash, input.reason, cid);
  await ctx.catchUpIndex();
  return { sha256: record.sha256, verdict: "revoked" as const, reasonCode: input.reasonCode, reason: input.reason, reasonHash, revokedBy: input.officer, txHash: mined.txHash };
}

/** The anchored document record of `sha256` (of `municipalityId` when several towns anchored it). */
function anchoredDocument(ctx: WorkflowContext, sha256: string, municipalityId: number | undefined): AnchorRecord & { root: string; proof: string[] } {
  const records = ctx.queue.findBySha256(sha256).filter((r) => r.kind === "document" && (municipalityId === undefined || r.municipalityId === municipalityId));
  if (records.length === 0) throw new AppError("PROOF_NOT_FOUND");
  if (records.length > 1) throw new AppError("BODY_INVALID", "Several municipalities issued this document: name its `municipalityId`.");
  const [record] = records;
  if ((record.status !== "anchored" && record.status !== "final") || !record.root || !record.proof) throw new AppError("PROOF_PENDING");
  return record as AnchorRecord & { root: string; proof: string[] };
}
