import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AttachedFile } from "../../shared/attachedFile.js";

const COMPLAINT_KINDS: Record<string, Pick<AttachedFile, "kind" | "attachedBy">> = {
  photo: { kind: "complaint-photo", attachedBy: "resident" },
  reopen_reason: { kind: "complaint-reason", attachedBy: "resident" },
  evidence: { kind: "complaint-evidence", attachedBy: "officer" },
};

/** Files attached through the complaint and permit workflows, by their SHA-256 (the plain file's). */
export class SqliteAttachedFiles {
  readonly #complaint: StatementSync;
  readonly #permit: StatementSync;

  constructor(db: DatabaseSync) {
    this.#complaint = db.prepare(
      `SELECT a.complaint_id, a.kind, a.created_at, f.municipality_id
       FROM complaint_attachments a JOIN complaint_filings f ON f.complaint_id = a.complaint_id
       WHERE a.sha256 = ? ORDER BY a.created_at LIMIT 1`,
    );
    this.#permit = db.prepare(
      `SELECT p.number, p.municipality_id, f.created_at
       FROM permit_files f JOIN permit_applications p ON p.permit_id = f.permit_id
       WHERE f.sha256 = ? AND f.kind = 'document' ORDER BY f.created_at LIMIT 1`,
    );
  }

  find(sha256: string): AttachedFile | undefined {
    const complaint = this.#complaint.get(sha256) as { complaint_id: string; kind: string; created_at: number; municipality_id: number } | undefined;
    if (complaint && COMPLAINT_KINDS[complaint.kind]) {
      return {
        ...COMPLAINT_KINDS[complaint.kind],
        municipalityId: complaint.municipality_id,
        complaintId: complaint.complaint_id,
        attachedAt: new Date(complaint.created_at).toISOString(),
      };
    }
    const permit = this.#permit.get(sha256) as { number: string; municipality_id: number; created_at: number } | undefined;
    if (permit) {
      return {
        kind: "permit-application-document",
        attachedBy: "resident",
        municipalityId: permit.municipality_id,
        permitNumber: permit.number,
        attachedAt: new Date(permit.created_at).toISOString(),
      };
    }
    return undefined;
  }
}
