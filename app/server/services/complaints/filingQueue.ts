import type { DatabaseSync } from "node:sqlite";
import type { ComplaintLedger } from "../../../../types/ethers-contracts/ComplaintLedger.js";
import { decodeContractError } from "../../chain/chainErrors.js";
import type { ChainClient, SentTransaction } from "../../chain/client.js";
import type { ServiceCalls } from "../../chain/serviceCalls.js";
import { AppError } from "../../errors.js";
import { PollingLoop } from "../../pollingLoop.js";
import { saveAttachment } from "./details.js";

/**
 * Complaint filings as a durable queue (complaint_filings, schema migration 9). A resident's filing is
 * answered once it is accepted — simulated against the chain, its row written with everything the
 * transaction carries and the signed transaction's hash, before the node sees it — not once it is mined:
 * on a real chain a receipt takes a block and the index CONFIRMATIONS more. From then on this queue
 * owns it. Each round it looks at every filing the index does not hold yet:
 *  - mined (a receipt with status 1): `mined`, with its block, until the index holds it: `confirmed`
 *    (the photo filed with it is attached to the filing transaction then);
 *  - in the node's pool: it waits, never sent again under a new nonce: the chain client raises it at its
 *    nonce if it stalls (chain/inFlight.ts), recording each new hash here first (the `record` callbacks
 *    run again), and answers any of its hashes with the receipt of the one mined;
 *  - unknown to the node (a crash between accepting and broadcasting, a node restarted without its
 *    pool) and not on the chain: sent again, under the same filing id. ComplaintLedger derives the
 *    complaint's id from the filer and that id and refuses it twice, so nothing is filed twice;
 *  - reverted and not on the chain (the category closed meanwhile): `refused`, which the resident's
 *    tracking view shows.
 * A reorganisation that drops a mined filing before the index read it is the "unknown" case again.
 */
export type FilingState = "sent" | "mined" | "confirmed" | "refused";

/** The sealed photo filed with a complaint, attached to its filing transaction (the one sent last, until one is mined). */
export interface SealedPhoto {
  cid: string;
  sha256: string;
  filename: string | null;
  mediaType: string;
}

/** What ComplaintLedger.file carries, and what only this service keeps of a filing. */
export interface NewFiling {
  complaintId: string;
  filingId: string;
  municipalityId: number;
  category: string;
  areaCode: string;
  contentHash: string;
  reporterCommitment: string;
  bundleCid: string;
  token: string;
  lat: number | null;
  long: number | null;
  channel: string;
  photo: SealedPhoto | null;
}

export interface FilingRow extends NewFiling {
  state: FilingState;
  txHash: string | null;
  createdAt: number;
  sentAt: number | null;
  minedBlock: number | null;
  lastError: string | null;
}

/**
 * Writes a filing's row — what ComplaintLedger.file carries and what only this service keeps — for the
 * queue when it accepts one, and for filingRestore.ts when it rebuilds one from its sealed bundle.
 * `onConflict` is the clause taken when the complaint already has a row.
 */
export function writeFiling(
  db: DatabaseSync,
  filing: NewFiling,
  progress: { state: FilingState; createdAt: number; txHash: string; sentAt: number | null; minedBlock: number | null },
  onConflict: string,
): void {
  db.prepare(
    `INSERT INTO complaint_filings (complaint_id, municipality_id, bundle_cid, token, lat, long, channel, created_at, state,
       filing_id, category, area_code, content_hash, reporter_commitment, photo, tx_hash, sent_at, mined_block)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (complaint_id) ${onConflict}`,
  ).run(
    filing.complaintId,
    filing.municipalityId,
    filing.bundleCid,
    filing.token,
    filing.lat,
    filing.long,
    filing.channel,
    progress.createdAt,
    progress.state,
    filing.filingId,
    filing.category,
    filing.areaCode,
    filing.contentHash,
    filing.reporterCommitment,
    filing.photo ? JSON.stringify(filing.photo) : null,
    progress.txHash,
    progress.sentAt,
    progress.minedBlock,
  );
}

/** The arguments of ComplaintLedger.file for a filing. */
function fileArguments(filing: NewFiling): unknown[] {
  return [filing.filingId, filing.municipalityId, filing.category, filing.areaCode, filing.contentHash, filing.reporterCommitment];
}

/**
 * How long a filing this process signed may stay unknown to the node before it is sent again: long
 * enough that a transaction recorded but still being broadcast is never sent twice.
 */
const RESEND_AFTER_MS = 30_000;
const POLL_MS = 1_000;

interface DbRow {
  complaint_id: string;
  municipality_id: number;
  bundle_cid: string;
  token: string;
  lat: number | null;
  long: number | null;
  channel: string;
  created_at: number;
  state: FilingState;
  filing_id: string | null;
  category: string | null;
  area_code: string | null;
  content_hash: string | null;
  reporter_commitment: string | null;
  photo: string | null;
  tx_hash: string | null;
  sent_at: number | null;
  mined_block: number | null;
  last_error: string | null;
}

function filingRow(row: DbRow): FilingRow {
  return {
    complaintId: row.complaint_id,
    filingId: row.filing_id ?? "",
    municipalityId: row.municipality_id,
    category: row.category ?? "",
    areaCode: row.area_code ?? "",
    contentHash: row.content_hash ?? "",
    reporterCommitment: row.reporter_commitment ?? "",
    bundleCid: row.bundle_cid,
    token: row.token,
    lat: row.lat,
    long: row.long,
    channel: row.channel,
    photo: row.photo ? (JSON.parse(row.photo) as SealedPhoto) : null,
    state: row.state,
    txHash: row.tx_hash,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    minedBlock: row.mined_block,
    lastError: row.last_error,
  };
}

/** Filings the index does not hold yet (whatever their state), by one of their keys. */
const OPEN_FILING = `SELECT f.* FROM complaint_filings f
  WHERE f.filing_id IS NOT NULL AND f.state <> 'confirmed'
    AND NOT EXISTS (SELECT 1 FROM idx_complaints c WHERE c.complaint_id = f.complaint_id)`;

export interface ComplaintFilingsDeps {
  db: DatabaseSync;
  chain: ChainClient;
  complaintLedger: ComplaintLedger;
  serviceCalls: ServiceCalls;
  log?: (message: string) => void;
}

export class ComplaintFilings {
  readonly #db: DatabaseSync;
  readonly #chain: ChainClient;
  readonly #ledger: ComplaintLedger;
  readonly #serviceCalls: ServiceCalls;
  readonly #log: (message: string) => void;
  readonly #startedAt = Date.now();
  readonly #loop: PollingLoop;

  constructor(deps: ComplaintFilingsDeps) {
    this.#db = deps.db;
    this.#chain = deps.chain;
    this.#ledger = deps.complaintLedger;
    this.#serviceCalls = deps.serviceCalls;
    this.#log = deps.log ?? (() => {});
    this.#loop = new PollingLoop(() => this.round(), POLL_MS, (error) => this.#log(`complaint filings: ${error.message.split("\n")[0]}`));
  }

  /**
   * Accepts a filing: the contract's checks run first (a refusal is the API error of its contract
   * error, and nothing is kept), then the row is written with the signed transaction's hash before the
   * node sees it. A broadcast that fails after that leaves the filing accepted: the queue sends it again.
   */
  async accept(filing: NewFiling): Promise<FilingRow> {
    let recorded = false;
    const record = (sent: SentTransaction) => {
      // A second call is ChainClient signing again with a fresh nonce: the same filing, a new hash.
      writeFiling(
        this.#db,
        filing,
        { state: "sent", createdAt: Date.now(), txHash: sent.hash, sentAt: Date.now(), minedBlock: null },
        "DO UPDATE SET tx_hash = excluded.tx_hash, sent_at = excluded.sent_at",
      );
      if (filing.photo) this.#attachPhoto(filing.complaintId, sent.hash, filing.photo);
      recorded = true;
    };
    try {
      await this.#serviceCalls.submit(this.#ledger, "file", fileArguments(filing), record);
    } catch (error) {
      if (!recorded) throw error;
      this.#log(`complaint filing: broadcast failed, the queue sends it again: ${(error as Error).message.split("\n")[0]}`);
    }
    return this.get(filing.complaintId)!;
  }

  get(complaintId: string): FilingRow | null {
    const row = this.#db.prepare("SELECT * FROM complaint_filings WHERE complaint_id = ? AND filing_id IS NOT NULL").get(complaintId.toLowerCase()) as
      | DbRow
      | undefined;
    return row ? filingRow(row) : null;
  }

  /** The filing not yet in the index whose tracking commitment, Open311 token or id is this. */
  open(key: { commitment: string } | { token: string } | { complaintId: string }): FilingRow | null {
    const [column, value] =
      "commitment" in key ? ["reporter_commitment", key.commitment] : "token" in key ? ["token", key.token] : ["complaint_id", key.complaintId.toLowerCase()];
    const row = this.#db.prepare(`${OPEN_FILING} AND f.${column} = ? ORDER BY f.created_at DESC LIMIT 1`).get(value) as DbRow | undefined;
    return row ? filingRow(row) : null;
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops after the current round. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One look at every filing the index does not hold yet: confirms, follows, or sends again. */
  async round(): Promise<void> {
    this.#confirmIndexed();
    const open = (this.#db.prepare(`${OPEN_FILING} AND f.state IN ('sent', 'mined') ORDER BY f.created_at`).all() as unknown as DbRow[]).map(filingRow);
    for (const filing of open) {
      if (this.#loop.stopping) return;
      await this.#follow(filing);
    }
  }

  /** Filings the index holds now are confirmed, with the transaction that filed them (and their photo with it). */
  #confirmIndexed(): void {
    const indexed = this.#db
      .prepare(
        `SELECT f.complaint_id, f.photo, f.tx_hash, c.filed_tx FROM complaint_filings f JOIN idx_complaints c ON c.complaint_id = f.complaint_id
         WHERE f.filing_id IS NOT NULL AND f.state <> 'confirmed'`,
      )
      .all() as Array<{ complaint_id: string; photo: string | null; tx_hash: string | null; filed_tx: string }>;
    for (const row of indexed) {
      if (row.photo && row.tx_hash !== row.filed_tx) this.#attachPhoto(row.complaint_id, row.filed_tx, JSON.parse(row.photo) as SealedPhoto);
      this.#db.prepare("UPDATE complaint_filings SET state = 'confirmed', tx_hash = ?, last_error = NULL WHERE complaint_id = ?").run(row.filed_tx, row.complaint_id);
    }
  }

  /** The photo filed with the complaint, attached to the filing transaction `txHash` (the one sent last, until one is mined). */
  #attachPhoto(complaintId: string, txHash: string, photo: SealedPhoto): void {
    this.#db.prepare("DELETE FROM complaint_attachments WHERE complaint_id = ? AND kind = 'photo'").run(complaintId);
    saveAttachment({ db: this.#db }, complaintId, txHash, { kind: "photo", ...photo });
  }

  async #follow(filing: FilingRow): Promise<void> {
    if (filing.txHash) {
      const receipt = await this.#chain.receipt(filing.txHash);
      if (receipt?.status === 1) return this.#mined(filing, receipt.blockNumber);
      if (receipt) {
        // Reverted: refused, unless an earlier transaction of this filing got there first.
        if (await this.#onChain(filing)) return this.#mined(filing, null);
        return this.#refused(filing, `the chain reverted the filing transaction ${filing.txHash}`);
      }
      if (await this.#chain.knowsTransaction(filing.txHash)) return;
      // Signed by this process a moment ago, it may still be on its way to the node; one signed before
      // this process started is not (a crash between accepting and broadcasting).
      const sentHere = filing.sentAt !== null && filing.sentAt >= this.#startedAt;
      if (sentHere && Date.now() - filing.sentAt! < RESEND_AFTER_MS) return;
    }
    if (await this.#onChain(filing)) return this.#mined(filing, null);
    // The node lost it, or never got it: its nonce is free again, and the relayer's next one unknown.
    this.#chain.forgetNonce();
    try {
      await this.#serviceCalls.submit(this.#ledger, "file", fileArguments(filing), (sent) => {
        this.#db.prepare("UPDATE complaint_filings SET tx_hash = ?, sent_at = ?, state = 'sent' WHERE complaint_id = ?").run(sent.hash, Date.now(), filing.complaintId);
        if (filing.photo) this.#attachPhoto(filing.complaintId, sent.hash, filing.photo);
      });
      this.#log(`complaint filing ${filing.complaintId} sent again`);
    } catch (error) {
      // A contract refusal now (the category closed meanwhile) is final, unless it is the filing itself
      // that got there meanwhile; anything else (the node unreachable) is tried again next round.
      if (error instanceof AppError && error.status < 500) {
        if (await this.#onChain(filing)) return this.#mined(filing, null);
        return this.#refused(filing, `${error.code}: ${error.message}`);
      }
      this.#db.prepare("UPDATE complaint_filings SET last_error = ? WHERE complaint_id = ?").run((error as Error).message.split("\n")[0], filing.complaintId);
    }
  }

  /** Whether ComplaintLedger holds the complaint (it reverts with ComplaintLedgerUnknownComplaint for one never filed). */
  async #onChain(filing: FilingRow): Promise<boolean> {
    try {
      await this.#ledger.complaint(filing.complaintId);
      return true;
    } catch (error) {
      if (decodeContractError(error)?.name === "ComplaintLedgerUnknownComplaint") return false;
      throw error;
    }
  }

  #mined(filing: FilingRow, blockNumber: number | null): void {
    if (filing.state === "mined" && filing.minedBlock === blockNumber) return;
    this.#db.prepare("UPDATE complaint_filings SET state = 'mined', mined_block = ?, last_error = NULL WHERE complaint_id = ?").run(blockNumber, filing.complaintId);
  }

  #refused(filing: FilingRow, why: string): void {
    this.#log(`complaint filing ${filing.complaintId} refused: ${why}`);
    this.#db.prepare("UPDATE complaint_filings SET state = 'refused', last_error = ? WHERE complaint_id = ?").run(why, filing.complaintId);
  }
}
