import { expect } from "chai";
import { id, type ContractTransactionResponse } from "ethers";
import { leafOf } from "../../app/server/anchoring/batcher.js";
import { BatchAnchorContract } from "../../app/server/anchoring/batchAnchorContract.js";
import { AnchorWorker } from "../../app/server/anchoring/worker.js";
import type { ChainClient } from "../../app/server/chain/client.js";
import { TestLedger, sha256Of, waitFor, type TestStore } from "./support/testLedger.js";

/**
 * The worker's reconciliation with the chain, one crash window at a time. Each state is the one a
 * kill -9 at that moment leaves in the database, made with the real store and the real chain; a new
 * worker must bring every record to exactly one anchor.
 */
const ANCHOR_SERVICE = id("ANCHOR_SERVICE");
const SETTLE = { batchSize: 1000, windowMs: 0, maxBatches: 10 };

describe("anchoring worker: recovery", function () {
  this.timeout(120_000);
  let ledger: TestLedger;
  let relayer: ChainClient;
  let contract: BatchAnchorContract;
  let otherTown: number;
  const workers: AnchorWorker[] = [];

  async function mined(sent: Promise<ContractTransactionResponse>): Promise<void> {
    const receipt = await relayer.waitForReceipt((await sent).hash, 10_000);
    expect(receipt?.status).to.equal(1);
  }

  before(async () => {
    ledger = await TestLedger.start();
    relayer = ledger.client();
    contract = new BatchAnchorContract(relayer);
    // A second municipality whose own anchoring key is the "resident" account; the service's relayer
    // anchors there too.
    const national = ledger.client("nationalAdmin");
    await mined(national.directory.connect(national.relayer).addMunicipality("TH-99-OTHER", "Other Town", ledger.account("auditor").address));
    otherTown = Number(await national.directory.municipalityIdOf("TH-99-OTHER"));
    const admin = ledger.client("auditor");
    const directory = admin.directory.connect(admin.relayer);
    await mined(directory.grantRole(otherTown, ANCHOR_SERVICE, ledger.account("resident").address));
    await mined(directory.grantRole(otherTown, ANCHOR_SERVICE, ledger.account("ledgerService").address));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  after(async () => {
    await ledger?.stop();
  });

  function startWorker(store: TestStore): AnchorWorker {
    const worker = new AnchorWorker({ batches: store.batches, chain: relayer, batchWindowMs: 0, idleDelayMs: 20 });
    workers.push(worker);
    worker.start();
    return worker;
  }

  async function anchoredEvents(root: string) {
    return relayer.batchAnchor.queryFilter(relayer.batchAnchor.filters.BatchAnchored(root));
  }

  function enqueue(store: TestStore, label: string, count: number, municipalityId = 1) {
    return Array.from({ length: count }, (_, i) =>
      store.queue.enqueue({ sha256: sha256Of(`${label}-${i}`), cid: null, municipalityId, kind: "document", meta: null }),
    );
  }

  it("sends a batch formed before a crash (membership stored, nothing sent) with the root it stored", async () => {
    const store = ledger.openStore();
    enqueue(store, "formed", 7);
    const [batch] = store.batches.closeBatches({ ...SETTLE, now: Date.now() });
    expect(batch.status).to.equal("unsent");

    startWorker(store);
    await waitFor("the batch final", () => store.batches.get(batch.batchId)!.status === "final");
    expect(await anchoredEvents(batch.root)).to.have.length(1);
    expect(store.batches.inStatus("unsent", "submitted", "anchored", "abandoned")).to.deep.equal([]);
  });

  it("adopts a batch whose transaction was mined although the database never heard of the send", async () => {
    const store = ledger.openStore();
    enqueue(store, "mined-unrecorded", 5);
    const [batch] = store.batches.closeBatches({ ...SETTLE, now: Date.now() });
    const preflight = await contract.preflight(batch.municipalityId, batch.root, batch.recordCount);
    if (preflight.kind !== "ready") throw new Error(`unexpected ${preflight.kind}`);
    const sent = await contract.send(batch.municipalityId, batch.root, batch.recordCount, preflight.gasLimit, () => {});
    await relayer.waitForReceipt(sent.hash, 10_000);
    const nonceBefore = await relayer.provider.getTransactionCount(relayer.relayerAddress, "pending");

    startWorker(store);
    await waitFor("the batch final", () => store.batches.get(batch.batchId)!.status === "final");
    expect(store.batches.get(batch.batchId)!.txHash).to.equal(sent.hash);
    expect((await anchoredEvents(batch.root)).map((event) => event.transactionHash)).to.deep.equal([sent.hash]);
    // Nothing was sent for it again.
    expect(await relayer.provider.getTransactionCount(relayer.relayerAddress, "pending")).to.equal(nonceBefore);
  });

  it("re-sends a batch recorded as submitted whose transaction never reached the chain", async () => {
    const store = ledger.openStore();
    enqueue(store, "signed-unsent", 3);
    const [batch] = store.batches.closeBatches({ ...SETTLE, now: Date.now() });
    const preflight = await contract.preflight(batch.municipalityId, batch.root, batch.recordCount);
    if (preflight.kind !== "ready") throw new Error(`unexpected ${preflight.kind}`);
    // The crash window between "hash recorded" and "broadcast": the process dies in between.
    const crash = contract.send(batch.municipalityId, batch.root, batch.recordCount, preflight.gasLimit, (tx) => {
      store.batches.markSubmitted(batch.batchId, tx.hash, tx.nonce, Date.now());
      throw new Error("killed before the broadcast");
    });
    const crashed = await crash.then(
      () => "broadcast",
      (error: Error) => error.message,
    );
    expect(crashed).to.equal("killed before the broadcast");
    const lost = store.batches.get(batch.batchId)!;
    expect(lost.status).to.equal("submitted");
    expect(await relayer.knowsTransaction(lost.txHash!)).to.equal(false);

    startWorker(store);
    await waitFor("the batch final", () => store.batches.get(batch.batchId)!.status === "final");
    const events = await anchoredEvents(batch.root);
    expect(events).to.have.length(1);
    expect(store.batches.get(batch.batchId)!.txHash).to.equal(events[0].transactionHash);
  });

  it("anchors its plain root even when another municipality's key anchored that root first", async () => {
    const store = ledger.openStore();
    const [record] = enqueue(store, "taken", 1);
    const [batch] = store.batches.closeBatches({ ...SETTLE, now: Date.now() });
    expect(batch.root).to.equal(leafOf(record.sha256));
    // Another town's anchoring key anchors the same root first, under its own id: roots are scoped by
    // municipality, so Mae Hia's batch is neither blocked nor mistaken for landed.
    const squatter = ledger.client("resident");
    await mined(squatter.batchAnchor.anchor(otherTown, batch.root, 1));

    startWorker(store);
    await waitFor("the record final", () => store.queue.get(record.recordId)!.status === "final");
    const anchored = store.queue.get(record.recordId)!;
    expect(anchored.root).to.equal(batch.root);
    const events = await anchoredEvents(batch.root);
    expect(events.map((event) => Number(event.args.municipalityId)).sort()).to.deep.equal([1, otherTown]);
    expect(store.batches.get(batch.batchId)!.txHash).to.equal(events.find((event) => Number(event.args.municipalityId) === 1)!.transactionHash);
    for (const municipality of [1, otherTown]) {
      const [status, municipalityId] = await relayer.batchAnchor.verifyRecord(municipality, batch.root, record.leaf, []);
      expect([status, municipalityId]).to.deep.equal([1n, BigInt(municipality)]);
    }
    expect(store.queue.status().records).to.deep.equal({ pending: 0, submitted: 0, anchored: 0, final: 1 });
  });

  it("anchors the same document for two municipalities under two roots", async () => {
    const store = ledger.openStore();
    const sha256 = sha256Of("shared-document");
    const here = store.queue.enqueue({ sha256, cid: null, municipalityId: 1, kind: "document", meta: null });
    const there = store.queue.enqueue({ sha256, cid: null, municipalityId: otherTown, kind: "document", meta: null });
    startWorker(store);
    await waitFor("both final", () => store.queue.depth() === 0);
    const [a, b] = [store.queue.get(here.recordId)!, store.queue.get(there.recordId)!];
    expect(a.root).to.not.equal(b.root);
    for (const record of [a, b]) {
      const [status, municipalityId] = await relayer.batchAnchor.verifyRecord(
        record.municipalityId,
        record.root!,
        record.leaf,
        record.proof!,
      );
      expect([status, municipalityId]).to.deep.equal([1n, BigInt(record.municipalityId)]);
    }
  });

  it("holds a batch the contract refuses (municipality suspended) and sends it after reinstatement", async () => {
    const store = ledger.openStore();
    const national = ledger.client("nationalAdmin");
    const directory = national.directory.connect(national.relayer);
    await mined(directory.suspendMunicipality(otherTown, id("audit")));
    const [record] = enqueue(store, "suspended", 1, otherTown);
    const worker = new AnchorWorker({ batches: store.batches, chain: relayer, batchWindowMs: 0, idleDelayMs: 20, retryDelayMs: 200 });
    workers.push(worker);
    worker.start();
    await waitFor("the refusal recorded", () => store.batches.inStatus("unsent")[0]?.lastError !== null && store.batches.inStatus("unsent").length === 1);
    expect(store.batches.inStatus("unsent")[0].lastError).to.match(/^DirectoryMunicipalitySuspended\(/);
    expect(store.queue.get(record.recordId)!.status).to.equal("pending");

    await mined(directory.reinstateMunicipality(otherTown));
    await waitFor("the record final", () => store.queue.get(record.recordId)!.status === "final");
    expect(await anchoredEvents(store.queue.get(record.recordId)!.root!)).to.have.length(1);
  });
});
