import { expect } from "chai";
import { AnchorInputError } from "../../app/server/anchoring/errors.js";
import { leafOf } from "../../app/server/anchoring/batcher.js";
import type { AnchorRecord } from "../../app/server/anchoring/types.js";
import { AnchorWorker, type AnchorWorkerOptions } from "../../app/server/anchoring/worker.js";
import { startAnchoringEngine } from "../../app/server/anchoring/engine.js";
import { readAnchoringConfig } from "../../app/server/anchoring/config.js";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import type { ChainClient } from "../../app/server/chain/client.js";
import { TestLedger, sha256Of, waitFor, type TestStore } from "./support/testLedger.js";

/**
 * The anchoring engine end to end on a real anvil chain and real SQLite files: queue → Merkle batch →
 * BatchAnchor → final, with the closing rules (N records or T ms), confirmations, the saved-state gate
 * of the embedded chain, and one nonce keeper for every send of the relayer.
 */
const RECORD_ANCHORED = 1n;

describe("anchoring worker", function () {
  this.timeout(120_000);
  let ledger: TestLedger;
  let chain: ChainClient;
  const workers: AnchorWorker[] = [];

  // No periodic dumps: the test of the saved-state gate dumps by hand.
  before(async () => {
    ledger = await TestLedger.start({ persistIntervalMs: 600_000 });
    chain = ledger.client();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  after(async () => {
    await ledger?.stop();
  });

  function startWorker(store: TestStore, options: Partial<AnchorWorkerOptions> = {}, client = chain): AnchorWorker {
    const worker = new AnchorWorker({ batches: store.batches, chain: client, batchWindowMs: 200, idleDelayMs: 20, ...options });
    workers.push(worker);
    worker.start();
    return worker;
  }

  function enqueue(store: TestStore, label: string, count: number, municipalityId = 1): AnchorRecord[] {
    return Array.from({ length: count }, (_, i) =>
      store.queue.enqueue({ sha256: sha256Of(`${label}-${i}`), cid: null, municipalityId, kind: "document", meta: { i } }),
    );
  }

  async function expectVerifiedOnChain(record: AnchorRecord): Promise<void> {
    const [status, municipalityId, anchoredAt, blockNumber] = await chain.batchAnchor.verifyRecord(
      record.municipalityId,
      record.root!,
      leafOf(record.sha256),
      record.proof!,
    );
    expect([status, municipalityId, anchoredAt, blockNumber]).to.deep.equal([
      RECORD_ANCHORED,
      BigInt(record.municipalityId),
      BigInt(record.anchoredAt!),
      BigInt(record.blockNumber!),
    ]);
  }

  it("anchors queued records in one Merkle batch whose every stored proof BatchAnchor.verifyRecord accepts", async () => {
    const store = ledger.openStore();
    const accepted = enqueue(store, "batch", 20);
    expect(accepted.map((record) => record.status)).to.deep.equal(Array(20).fill("pending"));
    expect(store.queue.depth()).to.equal(20);
    startWorker(store);
    await waitFor("20 final records", () => store.queue.depth() === 0);

    const records = accepted.map((record) => store.queue.get(record.recordId)!);
    expect(new Set(records.map((record) => record.status))).to.deep.equal(new Set(["final"]));
    expect(new Set(records.map((record) => record.root)).size).to.equal(1);
    for (const record of records) await expectVerifiedOnChain(record);
    const receipt = await chain.receipt(records[0].txHash!);
    expect(receipt!.blockNumber).to.equal(records[0].blockNumber);
    const events = await chain.batchAnchor.queryFilter(chain.batchAnchor.filters.BatchAnchored(records[0].root!));
    expect(events.map((event) => [event.transactionHash, Number(event.args.municipalityId), Number(event.args.count)])).to.deep.equal([
      [records[0].txHash, 1, 20],
    ]);
    expect(store.queue.status()).to.deep.equal({
      records: { pending: 0, submitted: 0, anchored: 0, final: 20 },
      lastAnchoredBlock: records[0].blockNumber,
    });
  });

  it("anchors a lone record as a batch of one: its root is leafOf(sha256) and its proof is empty", async () => {
    const store = ledger.openStore();
    const [accepted] = enqueue(store, "lone", 1);
    startWorker(store);
    await waitFor("the record final", () => store.queue.get(accepted.recordId)!.status === "final");
    const record = store.queue.get(accepted.recordId)!;
    expect(record.root).to.equal(await chain.batchAnchor.leafOf(record.sha256));
    expect(record.proof).to.deep.equal([]);
    await expectVerifiedOnChain(record);
  });

  it("closes a batch at N records, and a partial one only once its oldest record waited T ms", async () => {
    const store = ledger.openStore();
    const accepted = enqueue(store, "closing", 250);
    startWorker(store, { batchSize: 100, batchWindowMs: 1500 });
    await waitFor("250 final records", () => store.queue.depth() === 0);

    const batches = store.batches.inStatus("final");
    expect(batches.map((batch) => batch.recordCount)).to.deep.equal([100, 100, 50]);
    const oldestOfLast = Math.min(...store.batches.members(batches[2].batchId).map((m) => accepted.find((r) => r.recordId === m.recordId)!.acceptedAt));
    expect(batches[2].createdAt - oldestOfLast).to.be.at.least(1500);
    // In order of acceptance: the first 100 records form the first batch.
    expect(store.batches.members(batches[0].batchId).map((m) => m.recordId)).to.deep.equal(accepted.slice(0, 100).map((r) => r.recordId));
    for (const batch of batches) {
      const [event] = await chain.batchAnchor.queryFilter(chain.batchAnchor.filters.BatchAnchored(batch.root));
      expect(Number(event.args.count)).to.equal(batch.recordCount);
    }
  });

  it("anchors a lone record after T ms when N is never reached", async () => {
    const store = ledger.openStore();
    const [accepted] = enqueue(store, "window", 1);
    startWorker(store, { batchSize: 100, batchWindowMs: 400 });
    await waitFor("the record final", () => store.queue.get(accepted.recordId)!.status === "final");
    const [batch] = store.batches.inStatus("final");
    expect(batch.recordCount).to.equal(1);
    expect(batch.createdAt - accepted.acceptedAt).to.be.at.least(400);
  });

  it("keeps a record anchored, not final, until CONFIRMATIONS blocks are built on its block", async () => {
    const store = ledger.openStore();
    const [accepted] = enqueue(store, "confirmations", 1);
    startWorker(store, { confirmations: 2 });
    await waitFor("the record anchored", () => store.queue.get(accepted.recordId)!.status === "anchored");
    await ledger.chain.rpc("evm_mine");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(store.queue.get(accepted.recordId)!.status).to.equal("anchored");
    await ledger.chain.rpc("evm_mine");
    await waitFor("the record final", () => store.queue.get(accepted.recordId)!.status === "final");
  });

  it("on the embedded chain, calls nothing final that the chain's saved state does not hold yet", async () => {
    const store = ledger.openStore();
    const [accepted] = enqueue(store, "durable", 1);
    startWorker(store, { durableBlock: () => ledger.chain.persistedBlock });
    await waitFor("the record anchored", () => store.queue.get(accepted.recordId)!.status === "anchored");
    expect(ledger.chain.persistedBlock < BigInt(store.queue.get(accepted.recordId)!.blockNumber!)).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(store.queue.get(accepted.recordId)!.status).to.equal("anchored");
    await ledger.chain.persist(true);
    await waitFor("the record final", () => store.queue.get(accepted.recordId)!.status === "final");
  });

  it("never gives two sends one nonce: back-to-back batches and direct sends through the same client", async () => {
    const store = ledger.openStore();
    const client = ledger.client();
    const startNonce = await client.provider.getTransactionCount(client.relayerAddress, "pending");
    const problems: string[] = [];
    enqueue(store, "nonces", 200);
    startWorker(store, { batchSize: 5, maxInFlight: 16, log: (message) => problems.push(message) }, client);
    // Meanwhile, other transactions of the relayer (as the API's direct contract calls would be).
    const direct = await Promise.all(
      Array.from({ length: 20 }, () => client.send({ to: client.relayerAddress, data: "0x", gasLimit: 21_000n })),
    );
    await waitFor("200 final records", () => store.queue.depth() === 0);

    const batches = store.batches.inStatus("final");
    expect(batches).to.have.length(40);
    const nonces = [...batches.map((batch) => batch.nonce!), ...direct.map((tx) => tx.nonce)].sort((a, b) => a - b);
    expect(nonces).to.deep.equal(Array.from({ length: 60 }, (_, i) => startNonce + i));
    for (const tx of direct) expect((await client.waitForReceipt(tx.hash, 10_000))!.status).to.equal(1);
    expect(await client.provider.getTransactionCount(client.relayerAddress, "latest")).to.equal(startNonce + 60);
    expect(problems).to.deep.equal([]);
  });

  it("runs as one engine: queue, worker and indexer on the data folder's database, with a status for /api/health", async () => {
    const engine = startAnchoringEngine({
      dataDir: mkdtempSync(join(ledger.dataDir, "engine-")),
      rpcUrl: ledger.chain.url,
      deployment: ledger.deployment,
      relayerPrivateKey: ledger.account("ledgerService").privateKey,
      config: { ...readAnchoringConfig({}, { embedded: true }), batchWindowMs: 100 },
      durableBlock: () => ledger.chain.persistedBlock,
    });
    try {
      const record = engine.queue.enqueue({ sha256: sha256Of("engine"), cid: "bafkreiabc", municipalityId: 1, kind: "document", meta: { title: "x" } });
      await waitFor("the record anchored", () => engine.queue.get(record.recordId)!.status === "anchored");
      await ledger.chain.persist(true);
      await waitFor("the record final", () => engine.queue.get(record.recordId)!.status === "final");
      const anchored = engine.queue.get(record.recordId)!;
      expect(anchored).to.deep.include({ cid: "bafkreiabc", meta: { title: "x" }, kind: "document" });
      await waitFor("the indexer past the anchor", () => (engine.indexer.status().lastIndexedBlock ?? 0) >= anchored.blockNumber!);
      const status = engine.status();
      expect(status.queue).to.deep.equal({ records: { pending: 0, submitted: 0, anchored: 0, final: 1 }, lastAnchoredBlock: anchored.blockNumber });
      expect(status.worker).to.deep.equal({ running: true, reconciled: true, lastError: null, failingSince: null });
      expect(status.indexer).to.deep.include({ running: true, lastError: null });
      expect(engine.indexer.counts().idx_batches).to.be.at.least(1);
    } finally {
      await engine.stop();
    }
  });

  it("refuses malformed records with a stable code and writes nothing", async () => {
    const store = ledger.openStore();
    const good = { sha256: sha256Of("good"), cid: null, municipalityId: 1, kind: "document", meta: null };
    const cases: [Record<string, unknown>, string][] = [
      [{ sha256: "0x1234" }, "ANCHOR_INVALID_SHA256"],
      [{ sha256: sha256Of("x").slice(2) }, "ANCHOR_INVALID_SHA256"],
      [{ municipalityId: 0 }, "ANCHOR_INVALID_MUNICIPALITY"],
      [{ municipalityId: 1.5 }, "ANCHOR_INVALID_MUNICIPALITY"],
      [{ municipalityId: 2 ** 32 }, "ANCHOR_INVALID_MUNICIPALITY"],
      [{ kind: "" }, "ANCHOR_INVALID_KIND"],
      [{ kind: "Document!" }, "ANCHOR_INVALID_KIND"],
      [{ cid: "not a cid" }, "ANCHOR_INVALID_CID"],
      [{ meta: ["list"] }, "ANCHOR_INVALID_META"],
      [{ meta: { text: "x".repeat(17_000) } }, "ANCHOR_INVALID_META"],
    ];
    for (const [change, code] of cases) {
      const bad = { ...good, ...change } as typeof good;
      expect(() => store.queue.enqueue(bad), code).to.throw(AnchorInputError).with.property("code", code);
    }
    expect(store.queue.depth()).to.equal(0);
  });

  it("keeps one record per document and municipality, and gives ids that sort by acceptance", async () => {
    const store = ledger.openStore();
    const sha256 = sha256Of("twice");
    const first = store.queue.enqueue({ sha256, cid: null, municipalityId: 1, kind: "document", meta: { upload: 1 } });
    const again = store.queue.enqueue({ sha256: sha256.toUpperCase().replace("0X", "0x"), cid: null, municipalityId: 1, kind: "document", meta: { upload: 2 } });
    const elsewhere = store.queue.enqueue({ sha256, cid: null, municipalityId: 2, kind: "document", meta: null });
    expect(again).to.deep.equal(first);
    expect(elsewhere.recordId).to.not.equal(first.recordId);
    expect(elsewhere.recordId > first.recordId).to.equal(true);
    expect(store.queue.findBySha256(sha256).map((record) => record.recordId)).to.deep.equal([elsewhere.recordId, first.recordId]);
    expect(store.queue.get("rec_unknown")).to.equal(undefined);
    expect(store.queue.depth()).to.equal(2);
  });
});
