import type { DatabaseSync } from "node:sqlite";
import type { IpfsStore } from "../../ipfs/types.js";
import { readAll } from "../../ipfs/readAll.js";
import type { PersonalDataVault } from "../../privacy/vault.js";
import { singleBlockCid } from "../../../shared/singleBlockCid.js";
import { PollingLoop } from "../../pollingLoop.js";
import { saveAttachment } from "./details.js";
import { BUNDLE_CONTEXT, type ComplaintBundle } from "./filing.js";
import { writeFiling } from "./filingQueue.js";

/** Complaints read per query, so that a first start on a large copy of the ledger never holds them all. */
const PAGE = 500;
/** A round is one indexed query when nothing is missing: cheap enough to follow the indexer closely. */
const POLL_MS = 2_000;

interface Unrestored {
  rowid: number;
  complaint_id: string;
  municipality_id: number;
  filing_id: string;
  category: string;
  area_code: string;
  content_hash: string;
  reporter_commitment: string;
  filed_at: number;
  filed_block: number;
  filed_tx: string;
}

/**
 * What only this service keeps of a filing (complaint_filings: where its sealed bundle is, its Open311
 * token, its rounded location, its channel and photo), rebuilt from the chain and IPFS for the complaints
 * the index holds without it — a fresh replica, a data folder restored without its database. The filing
 * id in ComplaintFiled is the sealed bundle's SHA-256, so its CID follows (filing.ts); the vault's key
 * opens it. A bundle this node does not hold (yet) is looked for again on the next start.
 *
 * It walks idx_complaints in insertion order from where it last stopped, so that a round costs one
 * indexed query when nothing is missing; the service runs a round every POLL_MS, `npm run reindex` one
 * after the rebuild.
 */
export class FilingRestorer {
  #after = 0;
  #running: Promise<number> | null = null;
  readonly #loop: PollingLoop;

  constructor(private readonly deps: { db: DatabaseSync; ipfs: IpfsStore; vault: PersonalDataVault; log?: (message: string) => void }) {
    this.#loop = new PollingLoop(
      async () => void (await this.restore()),
      POLL_MS,
      (error) => deps.log?.(`complaints: restoring filings: ${error.message.split("\n")[0]}`),
    );
  }

  start(): void {
    this.#loop.start();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Restores what is missing among complaints indexed since the last round; one round at a time. Answers how many. */
  restore(): Promise<number> {
    this.#running ??= this.#restoreMissing().finally(() => (this.#running = null));
    return this.#running;
  }

  async #restoreMissing(): Promise<number> {
    const { db } = this.deps;
    // A rebuilt index numbers its rows again from 1.
    const last = (db.prepare("SELECT COALESCE(MAX(rowid), 0) AS last FROM idx_complaints").get() as { last: number }).last;
    if (last < this.#after) this.#after = 0;
    let restored = 0;
    for (;;) {
      const page = db
        .prepare(
          `SELECT c.rowid, c.complaint_id, c.municipality_id, c.filing_id, c.category, c.area_code, c.content_hash, c.reporter_commitment,
                  c.filed_at, c.filed_block, c.filed_tx
             FROM idx_complaints c
            WHERE c.rowid > ? AND c.filing_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM complaint_filings f WHERE f.complaint_id = c.complaint_id)
            ORDER BY c.rowid LIMIT ?`,
        )
        .all(this.#after, PAGE) as unknown as Unrestored[];
      for (const complaint of page) {
        if (await this.#restoreOne(complaint)) restored++;
      }
      if (page.length < PAGE) break;
      this.#after = page[page.length - 1].rowid;
    }
    this.#after = last;
    return restored;
  }

  async #restoreOne(complaint: Unrestored): Promise<boolean> {
    const { db, ipfs, vault, log } = this.deps;
    const cid = singleBlockCid(complaint.filing_id);
    let bundle: ComplaintBundle;
    try {
      if (!(await ipfs.has(cid))) {
        log?.(`complaints: the sealed bundle ${cid} of ${complaint.complaint_id} is not on this IPFS node; looked for again on the next start`);
        return false;
      }
      // Sealed with a key this vault does not hold, or filed by another service: not ours to restore.
      bundle = vault.openJson<ComplaintBundle>(await readAll(ipfs, cid), BUNDLE_CONTEXT);
    } catch (error) {
      log?.(`complaints: cannot open the sealed bundle of ${complaint.complaint_id}: ${(error as Error).message.split("\n")[0]}`);
      return false;
    }
    if (bundle.version !== 2 || !bundle.token) return false;
    const photo = bundle.photo ?? null;
    const filing = {
      complaintId: complaint.complaint_id,
      filingId: complaint.filing_id,
      municipalityId: complaint.municipality_id,
      category: complaint.category,
      areaCode: complaint.area_code,
      contentHash: complaint.content_hash,
      reporterCommitment: complaint.reporter_commitment,
      bundleCid: cid,
      token: bundle.token,
      lat: bundle.content.lat,
      long: bundle.content.long,
      channel: bundle.channel ?? "web",
      photo,
    };
    const progress = { state: "confirmed" as const, createdAt: complaint.filed_at * 1000, txHash: complaint.filed_tx, sentAt: null, minedBlock: complaint.filed_block };
    writeFiling(db, filing, progress, "DO NOTHING");
    if (photo) saveAttachment({ db }, complaint.complaint_id, complaint.filed_tx, { kind: "photo", ...photo });
    return true;
  }
}
