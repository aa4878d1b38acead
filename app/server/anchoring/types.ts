/**
 * The anchoring engine's contract with the API. A record is accepted only once it is in the durable
 * queue (SQLite); the worker then anchors it in a Merkle batch through BatchAnchor and moves it
 * pending → submitted (tx hash) → anchored (block) → final (after CONFIRMATIONS blocks).
 */
export type RecordStatus = "pending" | "submitted" | "anchored" | "final";

export interface AnchorRecord {
  /** Stable id given at acceptance (e.g. "rec_" + ULID). */
  recordId: string;
  /** SHA-256 of the document's bytes, 0x-prefixed lowercase hex. */
  sha256: string;
  /** CID of the stored bytes, when the document was stored on IPFS. */
  cid: string | null;
  municipalityId: number;
  /** What the record is ("document" for uploads; later kinds: "pledge-receipt", "complaint-update"). */
  kind: string;
  /** Public metadata given at upload (never personal data in clear). */
  meta: Record<string, unknown> | null;
  status: RecordStatus;
  /** When the API accepted it (ms since epoch). */
  acceptedAt: number;
  /** BatchAnchor.leafOf(sha256): the StandardMerkleTree leaf of ["bytes32"]. */
  leaf: string;
  /** Set once the record is in a batch. */
  root: string | null;
  proof: string[] | null;
  txHash: string | null;
  blockNumber: number | null;
  /** Block timestamp of the anchor (s since epoch). */
  anchoredAt: number | null;
}

export interface NewRecord {
  sha256: string;
  cid: string | null;
  municipalityId: number;
  kind: string;
  meta: Record<string, unknown> | null;
  /**
   * A key no other record may hold (an issuance's signer and nonce): queuing a record whose claim another
   * record holds fails with ANCHOR_CLAIM_TAKEN, and nothing of its group is written.
   */
  claim?: string;
}

/** A queued record, and whether queuing it made it (false: the same document was already there). */
export interface QueuedRecord {
  record: AnchorRecord;
  created: boolean;
}

export interface AnchorQueue {
  /**
   * Durably queues a record and returns it. The same sha256 for the same municipality is one record:
   * a second upload returns the first record (nothing is anchored twice).
   */
  enqueue(record: NewRecord): AnchorRecord;
  /** {@link enqueue}, committed together with the records that arrive at the same time; settles once that commit is on the disk. */
  enqueueDurably(record: NewRecord): Promise<QueuedRecord>;
  /** {@link enqueueDurably} of several records that are queued all together or not at all (an issuance and its documents). */
  enqueueAllDurably(records: readonly NewRecord[]): Promise<QueuedRecord[]>;
  get(recordId: string): AnchorRecord | undefined;
  /** A value that changes whenever anything the store answers from may have changed (for caches). */
  changeMark(): string;
  /** Records of this document hash, newest first. */
  findBySha256(sha256: string): AnchorRecord[];
  /** Records not yet final. */
  depth(): number;
  /** Records per status and the newest anchor block, for /api/health. */
  status(): AnchorQueueStatus;
}

export interface AnchorQueueStatus {
  records: Record<RecordStatus, number>;
  /** The newest block holding one of this service's anchors, once there is one. */
  lastAnchoredBlock: number | null;
}
