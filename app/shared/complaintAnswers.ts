// The complaint answers of the API (docs/complaints.md), as the service builds them and the web app reads
// them: one definition for both sides. Types only, plus the status names they use.

/** ComplaintLedger.Status by number, as the detailed status of the Open311 extensions. */
export const STATUS_NAMES = [
  "none",
  "filed",
  "acknowledged",
  "in_progress",
  "resolved",
  "confirmed",
  "reopened",
  "rejected",
  "duplicate",
  "not_responsible",
] as const;

export type DetailedStatus = (typeof STATUS_NAMES)[number];

/** A complaint's public record: the index's row, with the service's own CID, token and rounded location. */
export interface ComplaintRecord {
  complaintId: string;
  municipalityId: number;
  category: string;
  serviceCode: string;
  serviceName: string;
  area: string;
  status: number;
  detailedStatus: DetailedStatus;
  contentHash: string;
  reporterCommitment: string;
  filedAt: number;
  dueAt: number;
  updatedAt: number;
  reopenCount: number;
  filedTx: string;
  bundleCid: string | null;
  token: string | null;
  /** Public location, rounded to about 100 m so that it points at a street, not at a house. */
  lat: number | null;
  long: number | null;
}

export interface StatusNote {
  status: DetailedStatus;
  previous: DetailedStatus | null;
  /** Block time, unix seconds. */
  at: number;
  actor: string;
  dataHash: string | null;
  reasonCode: number;
  txHash: string;
  blockNumber: number;
}

export interface ComplaintContent {
  description: string;
  addressString: string | null;
  lat: number | null;
  long: number | null;
  mediaUrl: string | null;
  /** SHA-256 of the photo filed with the complaint (sealed on IPFS); absent without one, so older content hashes stay as they were. */
  photoSha256?: string;
  attributes: Record<string, string | string[]>;
  contact: { firstName: string | null; lastName: string | null; phone: string | null; email: string | null };
}

/**
 * A complaint as the people entitled to its sealed content see it — the reporter (with the tracking
 * code) and the municipality's complaint officers: the public record, the status history with its
 * transactions, the unsealed text and contact, whether that text still matches the contentHash on the
 * chain, and the sealed files attached to its status changes.
 */
export interface ComplaintDetails {
  complaint: ComplaintRecord;
  history: StatusNote[];
  content: ComplaintContent | null;
  /** keccak256(abi.encode(salt, content)) equals the on-chain contentHash; null while it is not on the chain. */
  contentMatchesChain: boolean | null;
  attachments: Attachment[];
  /**
   * The filing is on the chain under the service's CONFIRMATIONS blocks (its index holds it). A filing
   * is answered as soon as it is accepted; until then `complaint` is what the filing says (its status
   * "filed", its due date reckoned from the category's SLA) and `filing` how far it got.
   */
  confirmed: boolean;
  filing?: FilingProgress;
}

/** A filing on its way to the chain, before the index (CONFIRMATIONS blocks deep) holds it. */
export interface FilingProgress {
  /** sent: accepted, its transaction sent (again after a crash if need be); mined: in a block; refused: the chain reverted it. */
  state: "sent" | "mined" | "refused";
  txHash: string | null;
  blockNumber: number | null;
  /** Blocks from the filing's own on (1 once mined, 0 before). */
  confirmations: number;
  /** Why the chain refused it. */
  error: string | null;
}

export interface Attachment {
  kind: string;
  txHash: string;
  sha256: string;
  cid: string;
  filename: string | null;
  mediaType: string | null;
}
