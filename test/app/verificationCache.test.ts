import { expect } from "chai";
import { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { hexlify, randomBytes } from "ethers";
import { AnchorBatchStore } from "../../app/server/anchoring/batchStore.js";
import { SqliteAnchorQueue } from "../../app/server/anchoring/queue.js";
import { SqliteIssuerHistory } from "../../app/server/indexer/issuers.js";
import { SqliteRevocations } from "../../app/server/indexer/revocations.js";
import { VerificationService } from "../../app/server/services/verification.js";
import { databasePath, openDatabase } from "../../app/server/store/database.js";
import { cleanUp, tempDataDir } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * Answers kept by VerificationService are served again only while the store's change mark is the
 * same: any write, through the service's connection or another one, makes the next answer a fresh read.
 */
describe("kept answers follow the store (app/server/services/verification.ts)", () => {
  const dir = tempDataDir("ledger-verification-cache");
  const db = openDatabase(dir);
  const queue = new SqliteAnchorQueue(db);
  const batches = new AnchorBatchStore(db);
  const other = new DatabaseSync(databasePath(dir));
  const verification = new VerificationService(queue, new SqliteRevocations(db), new SqliteIssuerHistory(db), {
    chainId: 31337,
    batchAnchor: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  });
  const sha256 = sha256Of("kept");
  const landing = (blockNumber: number) => ({ txHash: hexlify(randomBytes(32)), blockNumber, blockHash: null, anchoredAt: 1_790_000_000 });
  let batchId: number;
  /** Without a reader every answer is read on this thread, so it comes back at once. */
  const kept = (body: Buffer | Promise<Buffer>) => {
    expect(body).to.be.instanceOf(Buffer);
    return (body as Buffer).toString();
  };

  before(() => {
    const record = queue.enqueue({ sha256, cid: null, municipalityId: 1, kind: "document", meta: null });
    [{ batchId }] = batches.closeBatches({ batchSize: 1, windowMs: 0, maxBatches: 1, now: Date.now() });
    batches.markAnchored(batchId, landing(10));
    expect(queue.get(record.recordId)!.status).to.equal("anchored");
  });
  after(() => {
    other.close();
    db.close();
    cleanUp(dir);
  });

  it("moves the change mark on every write, its own or another connection's, and never on a read", () => {
    const mark = queue.changeMark();
    queue.findBySha256(sha256);
    verification.verifySha256Body(sha256);
    expect(queue.changeMark()).to.equal(mark);
    queue.enqueue({ sha256: sha256Of("another"), cid: null, municipalityId: 1, kind: "document", meta: null });
    const afterOwnWrite = queue.changeMark();
    expect(afterOwnWrite).to.not.equal(mark);
    other.prepare("UPDATE records SET meta = '{}' WHERE sha256 = ?").run(sha256Of("another"));
    expect(queue.changeMark()).to.not.equal(afterOwnWrite);
  });

  it("answers a proof from the store again once the store changed (the mark is re-read after 1 ms)", async () => {
    expect(JSON.parse(kept(verification.proofBody(sha256))).blockNumber).to.equal(10);
    expect(JSON.parse(kept(verification.proofBody(sha256))).blockNumber).to.equal(10);
    batches.markUnsent(batchId, "the chain lost it");
    await sleep(2);
    expect(() => verification.proofBody(sha256)).to.throw().with.property("code", "PROOF_PENDING");
    batches.markAnchored(batchId, landing(12));
    await sleep(2);
    expect(JSON.parse(kept(verification.proofBody(sha256))).blockNumber).to.equal(12);
  });

  it("keeps answers up to its bound in bytes, the oldest making room, whatever their number", () => {
    const hashes = ["kept-1", "kept-2", "kept-3"].map((name) => sha256Of(name));
    for (const hash of hashes) queue.enqueue({ sha256: hash, cid: null, municipalityId: 1, kind: "document", meta: null });
    for (const { batchId: id } of batches.closeBatches({ batchSize: 10, windowMs: 0, maxBatches: 1, now: Date.now() })) batches.markAnchored(id, landing(14));
    // Room for any two of the three proofs, not for all three.
    const bytes = hashes.map((hash) => verification.readAnswer("proof", hash).body.length);
    const bounded = new VerificationService(
      queue,
      new SqliteRevocations(db),
      new SqliteIssuerHistory(db),
      { chainId: 31337, batchAnchor: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
      undefined,
      undefined,
      undefined,
      bytes[0] + bytes[1] + bytes[2] - 1,
    );
    const [first, second, third] = hashes.map((hash) => bounded.proofBody(hash) as Buffer);
    expect(bounded.proofBody(hashes[1])).to.equal(second);
    expect(bounded.proofBody(hashes[2])).to.equal(third);
    // The first was the oldest: read again, a new answer (equal, not the same bytes).
    const again = bounded.proofBody(hashes[0]) as Buffer;
    expect(again).to.not.equal(first);
    expect(again.equals(first)).to.equal(true);
  });

  it("forgets its kept verdicts when a rebuilt index replaces the one they were read from (Indexer.onRebuilt)", async () => {
    const receipt = sha256Of("receipt");
    const verdict = () => JSON.parse(kept(verification.verifySha256Body(receipt))).verdict;
    queue.enqueue({ sha256: receipt, cid: null, municipalityId: 1, kind: "pledge-receipt", meta: null });
    for (const { batchId: id } of batches.closeBatches({ batchSize: 10, windowMs: 0, maxBatches: 1, now: Date.now() })) batches.markAnchored(id, landing(16));
    expect(verdict()).to.equal("valid");
    // What a rebuild that read the chain after a reorganisation may hold: a revocation the old index had not.
    const [record] = queue.findBySha256(receipt);
    other
      .prepare(
        `INSERT INTO idx_revocations (municipality_id, root, leaf, reason_code, reason_hash, actor, block_number, log_index, tx_hash, revoked_at)
         VALUES (1, ?, ?, 1, ?, ?, 17, 0, ?, 1790000100)`,
      )
      .run(record.root!, record.leaf, hexlify(randomBytes(32)), hexlify(randomBytes(20)), hexlify(randomBytes(32)));
    await sleep(2);
    // A settled verdict outlives a change of the store by its grace period…
    expect(verdict()).to.equal("valid");
    // …but not the index it was read from.
    verification.forgetAnswers();
    expect(verdict()).to.equal("revoked");
  });

  it("keeps no answer of a record that is not settled", () => {
    const pending = sha256Of("pending");
    expect(JSON.parse(kept(verification.verifySha256Body(pending))).verdict).to.equal("unknown");
    queue.enqueue({ sha256: pending, cid: null, municipalityId: 1, kind: "document", meta: null });
    expect(JSON.parse(kept(verification.verifySha256Body(pending))).verdict).to.equal("pending");
  });
});
