import { createHash } from "node:crypto";
import type { AnchorQueue, AnchorRecord } from "../anchoring/types.js";
import type { DocumentMeta } from "../http/validation.js";
import type { IpfsStore } from "../ipfs/types.js";
import type { MunicipalityGate } from "./municipalities.js";

/**
 * Accepting a document: hash it, store its bytes on IPFS, queue it for anchoring. The record exists
 * once it is in the durable queue, and only then does the caller answer; if storing fails nothing is
 * queued, and bytes stored without a record are content-addressed and harmless.
 */
export class DocumentService {
  constructor(
    private readonly ipfs: IpfsStore,
    private readonly queue: AnchorQueue,
    private readonly municipalities: MunicipalityGate,
    private readonly defaultMunicipalityId: number,
  ) {}

  /** The record of these bytes; `created` is false when the same document was already on the ledger. */
  async accept(bytes: Uint8Array, meta: DocumentMeta): Promise<AcceptedDocument> {
    return (await this.acceptMany([bytes], meta))[0];
  }

  /**
   * The records of several documents sent together (a bulk upload), in their order. Their bytes are all
   * stored first and their records then queued together, so they share one durable commit; a file sent
   * twice gets one record. If storing any of them fails, none is queued.
   */
  async acceptMany(files: readonly Uint8Array[], meta: DocumentMeta): Promise<AcceptedDocument[]> {
    const municipalityId = meta.municipalityId ?? this.defaultMunicipalityId;
    await this.municipalities.requireActive(municipalityId);
    const { municipalityId: _, ...publicMeta } = meta;
    const kept = Object.keys(publicMeta).length > 0 ? publicMeta : null;

    // A file sent twice in one request is stored and queued once. A document already on the ledger is
    // not checked for first: storing its bytes again is harmless (content-addressed) and mends a copy
    // that went missing, and the queue answers its first record (created: false).
    const bytesOf = new Map<string, Uint8Array>();
    const order = files.map((bytes) => {
      const sha256 = `0x${createHash("sha256").update(bytes).digest("hex")}`;
      if (!bytesOf.has(sha256)) bytesOf.set(sha256, bytes);
      return sha256;
    });
    const unique = [...bytesOf];
    const cids = await Promise.all(unique.map(([, bytes]) => this.ipfs.add(bytes)));
    // Queued in one go, after every byte is stored: one group commit (enqueueDurably) for all of them.
    const queued = await Promise.all(
      unique.map(([sha256], i) => this.queue.enqueueDurably({ sha256, cid: cids[i], municipalityId, kind: "document", meta: kept })),
    );
    const bySha256 = new Map(unique.map(([sha256], i) => [sha256, queued[i]]));
    const answered = new Set<string>();
    return order.map((sha256) => {
      const { record, created } = bySha256.get(sha256)!;
      // The first copy of a file created in this request is "created"; a repeat in the same request is not.
      const isNew = created && !answered.has(sha256);
      answered.add(sha256);
      return { record, created: isNew };
    });
  }
}

export interface AcceptedDocument {
  record: AnchorRecord;
  /** False when the same document (same bytes, same municipality) already had a record. */
  created: boolean;
}
