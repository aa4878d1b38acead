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
  async accept(bytes: Uint8Array, meta: DocumentMeta): Promise<{ record: AnchorRecord; created: boolean }> {
    const municipalityId = meta.municipalityId ?? this.defaultMunicipalityId;
    await this.municipalities.requireActive(municipalityId);
    const sha256 = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    const existing = this.queue.findBySha256(sha256).find((r) => r.municipalityId === municipalityId);
    if (existing) return { record: existing, created: false };
    const cid = await this.ipfs.add(bytes);
    const { municipalityId: _, ...publicMeta } = meta;
    const record = await this.queue.enqueueDurably({
      sha256,
      cid,
      municipalityId,
      kind: "document",
      meta: Object.keys(publicMeta).length > 0 ? publicMeta : null,
    });
    return { record, created: true };
  }
}
