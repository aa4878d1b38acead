import { expect } from "chai";
import type { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { hexlify, randomBytes } from "ethers";
import { AnchorBatchStore } from "../../app/server/anchoring/batchStore.js";
import { SqliteAnchorQueue } from "../../app/server/anchoring/queue.js";
import { SqliteIssuerHistory } from "../../app/server/indexer/issuers.js";
import { SqliteRevocations } from "../../app/server/indexer/revocations.js";
import { VerificationService, type AnchoredVerification } from "../../app/server/services/verification.js";
import { openDatabase } from "../../app/server/store/database.js";
import type { ProofBundle } from "../../app/shared/proofBundle.js";
import { roleId } from "../../app/shared/roles.js";
import { DocumentIssuer, issuedRecords } from "./support/issuer.js";
import { cleanUp, tempDataDir } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * The verdict of an issued document from what the service holds (app/server/services/verification.ts
 * with indexer/issuers.ts): its issuer's signature anchored, and the Directory's history as the index
 * read it — the role held at the signature's anchor time, the key not marked compromised from before it,
 * and "pending" while the index has not read the anchor's block. The index's tables are written here as
 * the indexer writes them, so each case is exact in time, which a running chain cannot be.
 */
const CHAIN = { chainId: 31337, batchAnchor: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
const DOCUMENT_ISSUER = roleId("DOCUMENT_ISSUER");
/** The anchor of the issuance and its document: block 20, at this time. */
const ANCHOR_BLOCK = 20;
const ANCHORED_AT = 1_790_000_000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe("verdicts of issued documents (app/server/services/verification.ts, indexer/issuers.ts)", () => {
  const issuer = new DocumentIssuer(CHAIN);
  let dir: string;
  let db: DatabaseSync;
  let queue: SqliteAnchorQueue;
  let batches: AnchorBatchStore;
  let verification: VerificationService;
  let nextLog = 0;

  beforeEach(() => {
    dir = tempDataDir("ledger-issuer-verdicts");
    db = openDatabase(dir);
    queue = new SqliteAnchorQueue(db);
    batches = new AnchorBatchStore(db);
    verification = new VerificationService(queue, new SqliteRevocations(db), new SqliteIssuerHistory(db), CHAIN);
  });
  afterEach(() => {
    db.close();
    cleanUp(dir);
  });

  /** The index has read every block up to `block`. */
  const indexedThrough = (block: number) =>
    db.prepare("INSERT OR REPLACE INTO idx_cursor (name, next_block, last_block_hash, modules) VALUES ('ledger', ?, NULL, NULL)").run(block + 1);
  /** A grant (or revocation) of DOCUMENT_ISSUER as the indexer records it. */
  const roleChange = (account: string, granted: boolean, block: number, time: number, municipalityId = 1) =>
    db
      .prepare(
        `INSERT INTO idx_role_changes (block_number, log_index, municipality_id, role, account, granted, sender, tx_hash, block_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(block, nextLog++, municipalityId, DOCUMENT_ISSUER, account, granted ? 1 : 0, account, hexlify(randomBytes(32)), time);
  const compromised = (account: string, since: number) =>
    db
      .prepare("INSERT OR REPLACE INTO idx_compromised_keys (municipality_id, account, since, block_number, tx_hash) VALUES (1, ?, ?, 30, ?)")
      .run(account, since, hexlify(randomBytes(32)));
  /** Everything waiting, anchored in one batch at ANCHOR_BLOCK / ANCHORED_AT. */
  const anchorQueued = () => {
    for (const { batchId } of batches.closeBatches({ batchSize: 100, windowMs: 0, maxBatches: 10, now: Date.now() })) {
      batches.markAnchored(batchId, { txHash: hexlify(randomBytes(32)), blockNumber: ANCHOR_BLOCK, blockHash: null, anchoredAt: ANCHORED_AT });
    }
  };
  /** A document issued by `by` and anchored. */
  const issuedDocument = async (by = issuer) => {
    const sha256 = sha256Of(randomBytes(64));
    await queue.enqueueAllDurably(issuedRecords(await by.sign([sha256]), CHAIN, [sha256]));
    anchorQueued();
    return sha256;
  };
  const verdict = (sha256: string) => verification.verifySha256(sha256) as AnchoredVerification;

  it("is valid when the signer held DOCUMENT_ISSUER at the signature's anchor time, naming who and when", async () => {
    roleChange(issuer.address, true, 5, ANCHORED_AT - 100);
    indexedThrough(ANCHOR_BLOCK);
    const sha256 = await issuedDocument();
    const answer = verdict(sha256);
    expect(answer.verdict).to.equal("valid");
    expect(answer.issuer).to.deep.include({
      municipalityId: 1,
      address: issuer.address,
      role: "DOCUMENT_ISSUER",
      signedAt: iso(ANCHORED_AT),
      heldRole: true,
      compromisedSince: null,
    });
    // The bundle the verdict names (GET /api/proofs) carries the signed issuance it rests on.
    expect(answer.proofUrl).to.equal(`/api/proofs/${sha256}`);
    expect((verification.proofFor(sha256) as ProofBundle).issuance).to.deep.include({ signer: issuer.address, documentProof: [] });
  });

  it("waits (pending) while the index has not read the anchor's block: an unseen grant is no answer, not a no", async () => {
    indexedThrough(ANCHOR_BLOCK - 1);
    const sha256 = await issuedDocument();
    const waiting = verdict(sha256);
    expect(waiting.verdict).to.equal("pending");
    expect(waiting.issuer).to.deep.include({ signedAt: iso(ANCHORED_AT), heldRole: null });
    // The grant was in the anchor's own block, just before it; the index reads it.
    roleChange(issuer.address, true, ANCHOR_BLOCK, ANCHORED_AT);
    indexedThrough(ANCHOR_BLOCK);
    await sleep(2); // the change mark is read again after a millisecond
    expect(verdict(sha256).verdict).to.equal("valid");
  });

  it("is unauthorised when the role was revoked before the signature was anchored, and valid when after", async () => {
    roleChange(issuer.address, true, 5, ANCHORED_AT - 100);
    roleChange(issuer.address, false, 15, ANCHORED_AT - 10);
    indexedThrough(ANCHOR_BLOCK);
    const revokedBefore = verdict(await issuedDocument());
    expect(revokedBefore.verdict).to.equal("unauthorised");
    expect(revokedBefore.reason).to.be.a("string").and.not.equal("");
    expect(revokedBefore.issuer).to.deep.include({ heldRole: false });

    const other = issuer.as("engineer");
    roleChange(other.address, true, 5, ANCHORED_AT - 100);
    roleChange(other.address, false, 25, ANCHORED_AT + 10);
    indexedThrough(30);
    expect(verdict(await issuedDocument(other)).verdict).to.equal("valid");
  });

  it("is unauthorised when the signer held DOCUMENT_ISSUER only in another municipality", async () => {
    roleChange(issuer.address, true, 5, ANCHORED_AT - 100, 2);
    indexedThrough(ANCHOR_BLOCK);
    expect(verdict(await issuedDocument())).to.deep.include({ verdict: "unauthorised" });
  });

  it("is unauthorised when the key is marked compromised from the anchor time or before, valid when from after", async () => {
    roleChange(issuer.address, true, 5, ANCHORED_AT - 100);
    indexedThrough(30);
    const sha256 = await issuedDocument();
    compromised(issuer.address, ANCHORED_AT + 1);
    expect(verdict(sha256)).to.deep.include({ verdict: "valid" });
    expect(verdict(sha256).issuer!.compromisedSince).to.equal(iso(ANCHORED_AT + 1));
    compromised(issuer.address, ANCHORED_AT);
    // The store's change mark is read again after a millisecond (verification.ts): a verdict as fast as
    // the last one could still see the facts read before this write.
    await sleep(2);
    const answer = verdict(sha256);
    expect(answer.verdict).to.equal("unauthorised");
    expect(answer.issuer).to.deep.include({ heldRole: true, compromisedSince: iso(ANCHORED_AT) });
  });

  it("is unauthorised for an anchored document that no issuer signed", async () => {
    indexedThrough(30);
    const sha256 = sha256Of(randomBytes(64));
    queue.enqueue({ sha256, cid: null, municipalityId: 1, kind: "document", meta: { title: "uploaded before issuance was required" } });
    anchorQueued();
    const answer = verdict(sha256);
    expect(answer.verdict).to.equal("unauthorised");
    expect(answer.reason).to.be.a("string").and.not.equal("");
    expect(answer.issuer).to.equal(undefined);
  });

  it("is pending while the document is anchored but its issuer's signature is not yet", async () => {
    roleChange(issuer.address, true, 5, ANCHORED_AT - 100);
    indexedThrough(30);
    const sha256 = sha256Of(randomBytes(64));
    const [signature, document] = issuedRecords(await issuer.sign([sha256]), CHAIN, [sha256]);
    queue.enqueue(document);
    anchorQueued();
    queue.enqueue(signature);
    const answer = verdict(sha256);
    expect(answer.verdict).to.equal("pending");
    expect(answer.issuer).to.deep.include({ signedAt: null, heldRole: null });
  });
});
