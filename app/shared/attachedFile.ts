/**
 * A file that came in through a workflow rather than being issued: a resident's complaint photo or
 * reason, an officer's evidence of a fix, a document attached to a permit application. Such a file is
 * never "issued by the municipality"; GET /api/verify answers it with the verdict "attached" and this.
 */
export interface AttachedFile {
  kind: "complaint-photo" | "complaint-reason" | "complaint-evidence" | "permit-application-document";
  /** Who attached it: the resident (photos, reasons, application documents) or an officer (evidence). */
  attachedBy: "resident" | "officer";
  municipalityId: number;
  /** The complaint (its public id) or the permit application (its number) it belongs to. */
  complaintId?: string;
  permitNumber?: string;
  /** When the service received it (ISO). */
  attachedAt: string;
}
