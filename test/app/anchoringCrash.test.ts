import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { verifyMembership } from "../../app/server/anchoring/batcher.js";
import { BatchAnchorContract } from "../../app/server/anchoring/batchAnchorContract.js";
import type { StoredBatch } from "../../app/server/anchoring/batchStore.js";
import { AnchorWorker } from "../../app/server/anchoring/worker.js";
import type { ChainClient } from "../../app/server/chain/client.js";
import { TestLedger, sha256Of, waitFor, type TestStore } from "./support/testLedger.js";

/**
 * kill -9 of the service and of the chain, with records in flight: after the restart every accepted
 * record is anchored exactly once. The chain is the judge: each root is anchored once, the declared
 * counts add up to the number of records, and every record's proof holds against its root on chain.
 */
describe("anchoring worker: crashes", function () {
  this.timeout(180_000);

  /** Every root of the store's live batches is anchored once on chain, and each record verifies. */
  async function expectEachRecordAnchoredOnce(store: TestStore, chain: ChainClient, records: number): Promise<void> {
    const batches = store.batches.inStatus("final");
    expect(store.batches.inStatus("unsent", "submitted", "anchored", "abandoned")).to.deep.equal([]);
    expect(new Set(batches.map((batch) => batch.root)).size).to.equal(batches.length);
    const events = await chain.batchAnchor.queryFilter(chain.batchAnchor.filters.BatchAnchored(), chain.deployment.deploymentBlock);
    const ours = new Set(batches.map((batch) => batch.root));
    const anchoredRoots = events.map((event) => event.args.root).filter((root) => ours.has(root));
    // No root anchored twice (the contract forbids it; a worker that tried would have been refused).
    expect(anchoredRoots.length).to.equal(batches.length);
    expect(new Set(anchoredRoots).size).to.equal(batches.length);
    // The counts declared on chain add up to the records: no record is counted in two roots.
    const declared = events.filter((event) => ours.has(event.args.root)).reduce((sum, event) => sum + Number(event.args.count), 0);
    expect(declared).to.equal(records);
    expect(store.queue.status().records).to.deep.equal({ pending: 0, submitted: 0, anchored: 0, final: records });
    const rows = store.db.prepare("SELECT record_id FROM records").all() as { record_id: string }[];
    expect(rows).to.have.length(records);
    for (const { record_id } of rows) {
      const record = store.queue.get(record_id)!;
      expect(verifyMembership(record.root!, record.sha256, record.proof!)).to.equal(true);
      const [status, municipalityId, , blockNumber] = await chain.batchAnchor.verifyRecord(
        record.municipalityId,
        record.root!,
        record.leaf,
        record.proof!,
      );
      expect([status, municipalityId, blockNumber]).to.deep.equal([1n, 1n, BigInt(record.blockNumber!)]);
    }
  }

  describe("kill -9 of the service (API and worker) while records are in flight", () => {
    let ledger: TestLedger;
    let child: ChildProcess | undefined;
    before(async () => {
      ledger = await TestLedger.start();
    });
    after(async () => {
      child?.kill("SIGKILL");
      await ledger?.stop();
    });

    function runService(storeDir: string): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
      const process_ = spawn(
        process.execPath,
        ["--import", "tsx", "test/app/support/anchorWorker.child.ts", ledger.chain.url, join(ledger.dataDir, "deployment.json"), storeDir, "service-crash", "500"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      process_.stdout!.on("data", (chunk) => (output += chunk));
      process_.stderr!.on("data", (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => process_.once("exit", (code) => resolve(code)));
      return { child: process_, exited, output: () => output };
    }

    it("anchors all 500 accepted records exactly once after a restart", async () => {
      // A block a second instead of one per transaction: sent batches wait in anvil's pool, so the
      // crash finds transactions in flight, which anvil mines after the service is gone.
      await ledger.chain.rpc("evm_setAutomine", [false]);
      await ledger.chain.rpc("evm_setIntervalMining", [1]);
      const store = ledger.openStore();
      const first = runService(store.dir);
      child = first.child;
      await waitFor(`a batch in flight in the first run\n${first.output()}`, () => store.batches.inStatus("submitted").length > 0);
      first.child.kill("SIGKILL");
      await first.exited;
      // The crash came with records accepted and not yet sent, and transactions not yet mined.
      const atCrash = store.queue.status().records;
      expect(atCrash.pending + atCrash.submitted + atCrash.anchored + atCrash.final).to.equal(500);
      expect(atCrash.pending).to.be.greaterThan(0);
      expect(atCrash.submitted).to.be.greaterThan(0);

      const second = runService(store.dir);
      child = second.child;
      expect(await second.exited, second.output()).to.equal(0);
      child = undefined;
      await expectEachRecordAnchoredOnce(store, ledger.client(), 500);
    });
  });

  describe("kill -9 of anvil before its state was saved", () => {
    let ledger: TestLedger;
    const workers: AnchorWorker[] = [];
    // No periodic dumps: what the chain mines after the explicit dump below dies with it.
    before(async () => {
      ledger = await TestLedger.start({ persistIntervalMs: 600_000 });
    });
    after(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await ledger?.stop();
    });

    function startWorker(store: TestStore, chain: ChainClient): AnchorWorker {
      const worker = new AnchorWorker({
        batches: store.batches,
        chain,
        batchSize: 50,
        batchWindowMs: 0,
        maxInFlight: 2,
        idleDelayMs: 20,
        retryDelayMs: 200,
        durableBlock: () => ledger.chain.persistedBlock,
      });
      workers.push(worker);
      worker.start();
      return worker;
    }

    function enqueue(store: TestStore, from: number, to: number): void {
      for (let i = from; i < to; i++) {
        store.queue.enqueue({ sha256: sha256Of(`chain-crash-${i}`), cid: null, municipalityId: 1, kind: "document", meta: null });
      }
    }

    it("re-sends what the chain lost and anchors all 300 records exactly once", async () => {
      const store = ledger.openStore();
      const worker = startWorker(store, ledger.client());
      enqueue(store, 0, 100);
      await waitFor("two batches anchored", () => store.batches.inStatus("anchored").length === 2);
      await ledger.chain.persist(true);
      await waitFor("the saved batches final", () => store.batches.inStatus("final").length === 2);
      const saved = store.batches.inStatus("final");

      enqueue(store, 100, 300);
      await waitFor("a new batch anchored", () => store.batches.inStatus("anchored").length > 0);
      await ledger.killChain();
      await worker.stop();
      // Only what the saved state holds was ever called final.
      expect(store.batches.inStatus("final").map((batch) => batch.batchId)).to.deep.equal(saved.map((batch) => batch.batchId));
      const inFlight: StoredBatch[] = store.batches.inStatus("submitted", "anchored");
      expect(inFlight.length).to.be.greaterThan(0);

      await ledger.restartChain({ persistIntervalMs: 200 });
      const chain = ledger.client();
      const contract = new BatchAnchorContract(chain);
      // The restarted chain holds the saved batches and lost the others.
      for (const batch of saved) expect(await contract.lookup(batch.municipalityId, batch.root)).to.not.equal(null);
      for (const batch of inFlight) expect(await contract.lookup(batch.municipalityId, batch.root)).to.equal(null);

      startWorker(store, chain);
      await waitFor("300 records final", () => store.queue.depth() === 0);
      await expectEachRecordAnchoredOnce(store, chain, 300);
    });
  });
});
