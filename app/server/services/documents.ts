import { createHash } from "node:crypto";
import type { AnchorQueue, AnchorRecord, NewRecord } from "../anchoring/types.js";
import { AnchorInputError } from "../anchoring/errors.js";
import { AppError } from "../errors.js";
import type { DocumentMeta } from "../http/validation.js";
import type { IpfsStore } from "../ipfs/types.js";
import type { IssuanceAuthority } from "./issuance.js";
import type { MunicipalityGate } from "./municipalities.js";

/** Issuance records known to be in the queue, remembered (the queue keeps them for good). */
const ISSUANCES_KEPT = 10_000;

/**
 * Issuing documents: check the issuer's signature, hash the files, store their bytes on IPFS, queue them
 * for anchoring together with the signature itself. The records exist once they are in the durable queue,
 * and only then does the caller answer; if storing fails nothing is queued, and bytes stored without a
 * record are content-addressed and harmless. Nothing is stored before the signature is checked.
 */
export class DocumentService {
  /** Issuance records this service has committed, by municipality and SHA-256. */
  readonly #issuancesQueued = new Set<string>();

  constructor(
    private readonly ipfs: IpfsStore,
    private readonly queue: AnchorQueue,
    private readonly municipalities: MunicipalityGate,
    private readonly issuance: IssuanceAuthority,
  ) {}

  /** The record of these bytes; `created` is false when the same document was already on the ledger. */
  async accept(bytes: Uint8Array, meta: DocumentMeta, issuance: unknown): Promise<AcceptedDocument> {
    return (await this.acceptMany([bytes], meta, issuance))[0];
  }

  /**
   * The records of several documents sent together (a bulk upload), in their order, issued under the
   * signed statement `issuance` (the upload's field of that name; services/issuance.ts). Their bytes are
   * all stored first and their records then queued together with the issuance's own record, all or none,
   * in one durable commit; a file sent twice gets one record. If storing any of them fails, none is queued.
   */
  async acceptMany(files: readonly Uint8Array[], meta: DocumentMeta, issuance: unknown): Promise<AcceptedDocument[]> {
    // A file sent twice in one request is stored and queued once.
    const bytesOf = new Map<string, Uint8Array>();
    const order = files.map((bytes) => {
      const sha256 = `0x${createHash("sha256").update(bytes).digest("hex")}`;
      if (!bytesOf.has(sha256)) bytesOf.set(sha256, bytes);
      return sha256;
    });
    const { municipalityId: metaMunicipalityId, ...publicMeta } = meta;
    const issued = await this.issuance.authorise(issuance, order, metaMunicipalityId, (id) => this.municipalities.requireActive(id));
    const { municipalityId, signer, nonce } = issued.statement;

    // A document already on the ledger is not checked for first: storing its bytes again is harmless
    // (content-addressed) and mends a copy that went missing, and the queue answers its first record.
    const unique = [...bytesOf];
    const cids = await Promise.all(unique.map(([, bytes]) => this.ipfs.add(bytes)));
    // The signature is a record of its own: its anchor dates it, for the signer's role and key at that time.
    // Once committed it is not sent again with each further file of its list (a day's scans, one a request).
    const issuanceKey = `${municipalityId}/${issued.recordSha256}`;
    const issuanceQueued = this.#issuancesQueued.has(issuanceKey);
    const records: NewRecord[] = [
      ...(issuanceQueued
        ? []
        : [{ sha256: issued.recordSha256, cid: null, municipalityId, kind: "issuance", meta: { ...issued.statement }, claim: `${signer}/${nonce}` }]),
      ...unique.map(([sha256], i) => ({
        sha256,
        cid: cids[i],
        municipalityId,
        kind: "document",
        meta: { ...publicMeta, issuance: { sha256: issued.recordSha256, proof: issued.proofs.get(sha256)! } },
      })),
    ];
    let queued;
    try {
      queued = await this.queue.enqueueAllDurably(records);
    } catch (error) {
      if (error instanceof AnchorInputError && error.code === "ANCHOR_CLAIM_TAKEN") throw new AppError("ISSUANCE_REPLAYED");
      throw error;
    }
    const documents = issuanceQueued ? queued : queued.slice(1);
    const issuanceCreated = !issuanceQueued && queued[0].created;
    if (!issuanceQueued) {
      if (this.#issuancesQueued.size >= ISSUANCES_KEPT) this.#issuancesQueued.delete(this.#issuancesQueued.values().next().value!);
      this.#issuancesQueued.add(issuanceKey);
    }
    // The same signature sent again for documents it already issued: a replay, refused (nothing was written).
    if (!issuanceCreated && documents.every(({ created }) => !created)) throw new AppError("ISSUANCE_REPLAYED");
    const bySha256 = new Map(unique.map(([sha256], i) => [sha256, documents[i]]));
    const answered = new Set<string>();
    return order.map((sha256) => {
      const { record, created } = bySha256.get(sha256)!;
      // The first copy of a file created in this request is "created"; a repeat in the same request is not.
      const isNew = created && !answered.has(sha256);
      answered.add(sha256);
      return { record, created: isNew, issuer: signer };
    });
  }
}

export interface AcceptedDocument {
  record: AnchorRecord;
  /** False when the same document (same bytes, same municipality) already had a record. */
  created: boolean;
  /** The address that signed this upload's issuance. */
  issuer: string;
}
