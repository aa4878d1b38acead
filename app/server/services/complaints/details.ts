import { readAll } from "../../ipfs/readAll.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { contentHashOf, readBundle, type ComplaintContent } from "./filing.js";
import { ComplaintQueries } from "./queries.js";
import type { Attachment, ComplaintDetails, ComplaintRecord } from "../../../shared/complaintAnswers.js";


export async function complaintDetails(ctx: WorkflowContext, complaint: ComplaintRecord): Promise<ComplaintDetails> {
  let content: ComplaintContent | null = null;
  let contentMatchesChain: boolean | null = null;
  if (complaint.bundleCid) {
    const bundle = await readBundle(ctx, complaint.bundleCid);
    content = bundle.content;
    contentMatchesChain = contentHashOf(bundle.salt, bundle.content) === complaint.contentHash;
  }
  const rows = ctx.db
    .prepare("SELECT kind, tx_hash, sha256, cid, filename, media_type FROM complaint_attachments WHERE complaint_id = ? ORDER BY created_at")
    .all(complaint.complaintId) as Array<{ kind: string; tx_hash: string; sha256: string; cid: string; filename: string | null; media_type: string | null }>;
  return {
    complaint,
    history: new ComplaintQueries(ctx.db).history(complaint.complaintId),
    content,
    contentMatchesChain,
    attachments: rows.map((row) => ({ kind: row.kind, txHash: row.tx_hash, sha256: row.sha256, cid: row.cid, filename: row.filename, mediaType: row.media_type })),
    // Read from the index, which holds only what is CONFIRMATIONS blocks deep.
    confirmed: true,
  };
}

export function saveAttachment(ctx: Pick<WorkflowContext, "db">, complaintId: string, txHash: string, attachment: Omit<Attachment, "txHash">): void {
  ctx.db
    .prepare(
      "INSERT OR REPLACE INTO complaint_attachments (complaint_id, tx_hash, kind, sha256, cid, filename, media_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(complaintId, txHash, attachment.kind, attachment.sha256, attachment.cid, attachment.filename, attachment.mediaType, Date.now());
}

/** The vault context each kind of attachment is sealed with (officer.ts, resident.ts, filing.ts) and opened with here. */
export const SEAL_CONTEXTS = { evidence: "complaint-evidence", reopen_reason: "complaint-reason", photo: "complaint-photo" } as const;

/**
 * One sealed attachment of a complaint, opened: for the people `complaintDetails` is for (the caller
 * checks who asks). `sha256` is the attachment's as listed in the details.
 */
export async function openAttachment(ctx: WorkflowContext, complaintId: string, sha256: string): Promise<{ bytes: Uint8Array; filename: string | null; mediaType: string | null }> {
  const row = ctx.db
    .prepare("SELECT kind, cid, filename, media_type FROM complaint_attachments WHERE complaint_id = ? AND sha256 = ? ORDER BY created_at LIMIT 1")
    .get(complaintId, sha256.toLowerCase()) as { kind: string; cid: string; filename: string | null; media_type: string | null } | undefined;
  const context = row && (SEAL_CONTEXTS as Record<string, string>)[row.kind];
  if (!row || !context) throw new AppError("COMPLAINT_ATTACHMENT_NOT_FOUND");
  return { bytes: ctx.vault.open(await readAll(ctx.ipfs, row.cid), context), filename: row.filename, mediaType: row.media_type };
}

export type { ComplaintDetails };
