import { expect } from "chai";
import { hexlify, randomBytes } from "ethers";
import { AnchorBatchStore } from "../../app/server/anchoring/batchStore.js";
import { SqliteAnchorQueue } from "../../app/server/anchoring/queue.js";
import { AppError } from "../../app/server/errors.js";
import { SqliteIssuerHistory } from "../../app/server/indexer/issuers.js";
import { SqliteRevocations } from "../../app/server/indexer/revocations.js";
import { WorkerAnswerReader } from "../../app/server/services/answerReader.js";
import { VerificationService } from "../../app/server/services/verification.js";
import { openDatabase } from "../../app/server/store/database.js";
import { roleId } from "../../app/shared/roles.js";
import { DocumentIssuer, issuedRecords } from "./support/issuer.js";
import { cleanUp, tempDataDir } from "./support/service.js";
import { sha256Of, waitFor } from "./support/testLedger.js";

/**
 * First reads of verification answers made on the worker thread (app/server/services/answerReader.ts):
 * the same bytes as a read on the main thread, the same errors, every earlier write seen, and reads
 * back on the main thread once the worker is gone.
 */
describe("first reads on the answer worker (app/server/services/answerReader.ts)", function () {
  this.timeout(20_000);
  const dir = tempDataDir("ledger-answer-reader");
  const db = openDatabase(dir);
  const queue = new SqliteAnchorQueue(db);
  const batches = new AnchorBatchStore(db);
  const chain = { chainId: 31337, batchAnchor: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
  const local = new VerificationService(queue, new SqliteRevocations(db), new SqliteIssuerHistory(db), chain);
  const issuer = new DocumentIssuer(chain);
  const logged: string[] = [];
  let reader: WorkerAnswerReader;
  let verification: VerificationService;
  const anchored = sha256Of("anchored on the worker");

  before(async () => {
    // Started here, not when mocha loads the file: a run that leaves this suite out starts no thread.
    reader = new WorkerAnswerReader(
      { dataDir: dir, ...chain, permitRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" },
      (message) => logged.push(message),
    );
    verification = new VerificationService(queue, new SqliteRevocations(db), new SqliteIssuerHistory(db), chain, undefined, reader);
    // An issued document (its issuer's signature is a record beside it) and its issuer's grant, as the indexer keeps it.
    await queue.enqueueAllDurably(issuedRecords(await issuer.sign([anchored]), chain, [anchored]));
    db.prepare(
      `INSERT INTO idx_role_changes (block_number, log_index, municipality_id, role, account, granted, sender, tx_hash, block_time)
       VALUES (1, 0, 1, ?, ?, 1, ?, ?, 1700000000)`,
    ).run(roleId("DOCUMENT_ISSUER"), issuer.address, issuer.address, hexlify(randomBytes(32)));
    db.prepare("INSERT INTO idx_cursor (name, next_block, last_block_hash, modules) VALUES ('ledger', 100, NULL, NULL)").run();
    const [{ batchId }] = batches.closeBatches({ batchSize: 2, windowMs: 0, maxBatches: 1, now: Date.now() });
    batches.markAnchored(batchId, { txHash: hexlify(randomBytes(32)), blockNumber: 7, blockHash: null, anchoredAt: 1_790_000_000 });
    await waitFor("the answer worker to start", () => reader.available, 5000).catch((error: Error) => {
      throw new Error(`${error.message}: ${logged.join("; ")}`);
    });
  });
  after(async () => {
    await reader?.close();
    db.close();
    cleanUp(dir);
  });

  it("makes a first read on the worker, byte for byte the main thread's, and keeps it", async () => {
    const first = verification.verifySha256Body(anchored);
    expect(first).to.be.instanceOf(Promise);
    const body = await first;
    expect(body.equals(local.readAnswer("verify", anchored).body)).to.equal(true);
    const answer = JSON.parse(body.toString());
    expect(answer.verdict).to.equal("valid");
    expect(answer.issuer).to.include({ address: issuer.address, role: "DOCUMENT_ISSUER", heldRole: true });
    expect(verification.verifySha256Body(anchored)).to.equal(body);
    const proof = await verification.proofBody(anchored);
    expect(proof.equals(local.readAnswer("proof", anchored).body)).to.equal(true);
  });

  it("shares one read among the requests for a hash that arrive together", async () => {
    const hash = sha256Of("asked twice");
    const [a, b] = [verification.proofBody(hash), verification.proofBody(hash)];
    expect(a).to.equal(b);
    await Promise.allSettled([a, b]);
  });

  it("answers a client's mistake with its code, as the main thread would", async () => {
    const error = await (verification.proofBody(sha256Of("never uploaded")) as Promise<Buffer>).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AppError).with.property("code", "PROOF_NOT_FOUND");
    expect(JSON.parse((await verification.verifySha256Body(sha256Of("never uploaded"))).toString()).verdict).to.equal("unknown");
  });

  it("sees what the main connection wrote before it asked", async () => {
    const pending = sha256Of("just uploaded");
    queue.enqueue({ sha256: pending, cid: null, municipalityId: 1, kind: "document", meta: null });
    expect(JSON.parse((await verification.verifySha256Body(pending)).toString()).verdict).to.equal("pending");
  });

  it("reads on the main thread once the worker is gone", async () => {
    await reader?.close();
    const body = verification.verifySha256Body(sha256Of("after the worker"));
    expect(body).to.be.instanceOf(Buffer);
    expect(JSON.parse(body.toString()).verdict).to.equal("unknown");
  });
});
