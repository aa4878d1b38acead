import type { DatabaseSync } from "node:sqlite";
import { readAll } from "../ipfs/readAll.js";
import type { IpfsStore } from "../ipfs/types.js";
import { PollingLoop } from "../pollingLoop.js";
import { sealedHeader, sealedKeyId, type PersonalDataVault } from "../privacy/vault.js";
import { inTransaction } from "../store/database.js";
import { SEAL_CONTEXTS } from "./complaints/details.js";
import { payerSealContext } from "./funds/offchainPledges.js";
import { VAULT_CONTEXT } from "./permits/applications.js";

/** Items re-sealed per query, so that a large backlog is never held at once. */
const PAGE = 100;
/** Once every file is under the current key a round is a few indexed queries; nothing here is urgent. */
const POLL_MS = 60_000;

/**
 * After a key rotation (docs/operator-guide.md), moves the personal data the database names to the
 * current key, so that a retired key is needed only for what the database does not name alone:
 *  - in SQLite, an off-chain pledge's sealed payer: sealed again in place;
 *  - on IPFS, the sealed files whose only name is a CID in the database — a permit application's
 *    applicant data, documents, decision notes and reasons, a complaint's photo, evidence and reopen
 *    reason: sealed again, stored, and every reference to the old CID moved to the new one at once.
 *    The old file stays on IPFS (a node's pins and copies elsewhere are not this service's to undo).
 * Not re-sealed, because the chain names them by their bytes: a complaint's bundle (ComplaintFiled's
 * filing id is its SHA-256, and a copy of the ledger restores the filing from it: filingRestore.ts) and a
 * permit certificate (the officer signed its CID, which PermitIssued and PermitAmended carry). A photo
 * is named inside its complaint's bundle too: a restore from the bundle finds the old copy again, which
 * opens as long as the bundle's key is kept, and this job moves it again.
 *
 * With one key in the keyring there is nothing to do. Files this node does not hold, or sealed under a
 * key the keyring lacks, are left as they are and counted; the next start looks at them again.
 */
export class PersonalDataResealer {
  readonly #loop: PollingLoop;
  /** CIDs and pledges' receipt hashes this process could not re-seal (not on this node, a key missing, damaged): not tried again. */
  readonly #skipped = new Set<string>();
  /** The reasons already logged, each once. */
  readonly #noted = new Set<string>();
  #running: Promise<ResealRound> | null = null;
  #reportedDone = false;

  constructor(private readonly deps: { db: DatabaseSync; ipfs: IpfsStore; vault: PersonalDataVault; log?: (message: string) => void }) {
    this.#loop = new PollingLoop(
      async () => void (await this.reseal()),
      POLL_MS,
      (error) => deps.log?.(`personal data: re-sealing: ${error.message.split("\n")[0]}`),
    );
  }

  start(): void {
    if (this.deps.vault.keyIds.length > 1) this.#loop.start();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Re-seals everything that is not under the current key yet; one round at a time. */
  reseal(): Promise<ResealRound> {
    this.#running ??= this.#round().finally(() => (this.#running = null));
    return this.#running;
  }

  async #round(): Promise<ResealRound> {
    const round: ResealRound = { resealed: 0, skipped: 0 };
    if (this.deps.vault.keyIds.length < 2) return round;
    round.resealed += this.#resealPayers();
    round.resealed += await this.#resealFiles();
    round.skipped = this.#skipped.size;
    const { log, vault } = this.deps;
    if (round.resealed > 0 || (round.skipped === 0 && !this.#reportedDone)) {
      log?.(
        `personal data: ${round.resealed} sealed item${round.resealed === 1 ? "" : "s"} moved to key ${vault.currentKeyId}` +
          (round.skipped ? `; ${round.skipped} left under other keys (not on this node, or their key is not in the keyring)` : "; the database names nothing under an older key"),
      );
      this.#reportedDone = round.skipped === 0;
    }
    return round;
  }

  /** Off-chain pledges' payers, sealed in SQLite: a blob under another key starts with another header. */
  #resealPayers(): number {
    const { db, vault } = this.deps;
    const header = sealedHeader(vault.currentKeyId);
    const notCurrent = db.prepare(
      `SELECT receipt_hash, sealed_payer FROM funds_offchain_pledges
        WHERE substr(sealed_payer, 1, ?) <> ? AND receipt_hash NOT IN (SELECT value FROM json_each(?)) LIMIT ?`,
    );
    // Only if nobody changed it meanwhile.
    const update = db.prepare("UPDATE funds_offchain_pledges SET sealed_payer = ? WHERE receipt_hash = ? AND sealed_payer = ?");
    let moved = 0;
    for (;;) {
      const rows = notCurrent.all(header.length, header, JSON.stringify([...this.#skipped]), PAGE) as Array<{ receipt_hash: string; sealed_payer: Uint8Array }>;
      for (const row of rows) {
        const context = payerSealContext(row.receipt_hash);
        let resealed: Uint8Array;
        try {
          resealed = vault.seal(vault.open(row.sealed_payer, context), context);
        } catch (error) {
          this.#skipped.add(row.receipt_hash);
          this.#note(error);
          continue;
        }
        moved += Number(update.run(resealed, row.receipt_hash, row.sealed_payer).changes);
      }
      if (rows.length < PAGE) break;
    }
    return moved;
  }

  async #resealFiles(): Promise<number> {
    const { db, ipfs, vault } = this.deps;
    let moved = 0;
    for (;;) {
      const files = this.#filesNotCurrent();
      if (files.length === 0) break;
      for (const file of files) {
        if (this.#loop.stopping) return moved;
        try {
          if (!(await ipfs.has(file.cid))) throw new Error("not on this IPFS node");
          const sealed = await readAll(ipfs, file.cid);
          if (sealedKeyId(sealed) === vault.currentKeyId) {
            db.prepare("INSERT OR REPLACE INTO sealed_file_keys (cid, key_id) VALUES (?, ?)").run(file.cid, vault.currentKeyId);
            continue;
          }
          const cid = await ipfs.add(vault.seal(vault.open(sealed, file.context), file.context));
          inTransaction(db, () => moveReferences(db, file.cid, cid, vault.currentKeyId));
          moved++;
        } catch (error) {
          this.#skipped.add(file.cid);
          this.#note(error);
        }
      }
    }
    return moved;
  }

  /** Sealed files the database names whose key is not known to be the current one. */
  #filesNotCurrent(): Array<{ cid: string; context: string }> {
    const { db, vault } = this.deps;
    const rows = db
      .prepare(
        `SELECT cid, source, kind FROM (
           SELECT applicant_cid AS cid, 'permit' AS source, 'applicant' AS kind FROM permit_applications
           UNION SELECT cid, 'permit', kind FROM permit_files WHERE kind IN ('document', 'note', 'reason')
           UNION SELECT cid, 'complaint', kind FROM complaint_attachments WHERE kind IN ('evidence', 'reopen_reason', 'photo')
           UNION SELECT json_extract(photo, '$.cid'), 'complaint', 'photo' FROM complaint_filings WHERE photo IS NOT NULL
         ) AS named
         WHERE cid IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM sealed_file_keys k WHERE k.cid = named.cid AND k.key_id = ?)
           AND cid NOT IN (SELECT value FROM json_each(?))
         LIMIT ?`,
      )
      .all(vault.currentKeyId, JSON.stringify([...this.#skipped]), PAGE) as Array<{ cid: string; source: "permit" | "complaint"; kind: string }>;
    return rows.map((row) => ({
      cid: row.cid,
      context: row.source === "permit" ? VAULT_CONTEXT[row.kind as keyof typeof VAULT_CONTEXT] : SEAL_CONTEXTS[row.kind as keyof typeof SEAL_CONTEXTS],
    }));
  }

  /** Why an item stays under its key, once per kind of reason: never the data, never a key. */
  #note(error: unknown): void {
    const why = (error as Error).message.split("\n")[0];
    if (this.#noted.has(why)) return;
    this.#noted.add(why);
    this.deps.log?.(`personal data: an item stays under its older key: ${why}`);
  }
}

export interface ResealRound {
  /** Items moved to the current key in this round. */
  resealed: number;
  /** Items left under another key (not on this node, a key missing, damaged). */
  skipped: number;
}

/** Every reference to the sealed file `from` now names `to`, sealed under `keyId`. */
function moveReferences(db: DatabaseSync, from: string, to: string, keyId: string): void {
  db.prepare("UPDATE permit_applications SET applicant_cid = ? WHERE applicant_cid = ?").run(to, from);
  db.prepare("UPDATE permit_files SET cid = ? WHERE cid = ?").run(to, from);
  // A reopen reason's sha256 is that of the sealed bytes first stored: it stays, as the name its links use.
  db.prepare("UPDATE complaint_attachments SET cid = ? WHERE cid = ?").run(to, from);
  db.prepare("UPDATE complaint_filings SET photo = json_set(photo, '$.cid', ?) WHERE photo IS NOT NULL AND json_extract(photo, '$.cid') = ?").run(to, from);
  db.prepare("INSERT OR REPLACE INTO sealed_file_keys (cid, key_id) VALUES (?, ?)").run(to, keyId);
}
