import { expect } from "chai";
import { Transaction, hexlify, id, randomBytes, toQuantity } from "ethers";
import { AnchorWorker } from "../../app/server/anchoring/worker.js";
import { ChainClient } from "../../app/server/chain/client.js";
import { firstFees, readFeeMarket, replacementFees, type FeeMarket } from "../../app/server/chain/feeMarket.js";
import { readRelayerFeeConfig } from "../../app/server/chain/relayerFeeConfig.js";
import { EngineError } from "../../app/server/errors.js";
import { ServiceCalls } from "../../app/server/chain/serviceCalls.js";
import { complaintIdOf } from "../../app/server/services/complaints/filing.js";
import { ComplaintFilings } from "../../app/server/services/complaints/filingQueue.js";
import { areaCode } from "../../app/server/services/complaints/queries.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/index.js";
import { CHAIN_ID, TestLedger, sha256Of, waitFor, type TestStore } from "./support/testLedger.js";

/**
 * The relayer's transactions on a chain that misbehaves (chain/inFlight.ts), against a real anvil: one
 * that stops mining and resumes, a base fee that jumps above what a pending transaction offers, a node
 * that loses its pool or one transaction of it, and a base fee above the relayer's ceiling. Whatever
 * happens, every record is anchored exactly once and every nonce of the relayer is used once: a stalled
 * transaction is raised at its own nonce, never sent again under a new one.
 */
const STALL_MS = 400;

describe("the relayer's stalled, underpriced and lost transactions", function () {
  this.timeout(120_000);
  let ledger: TestLedger;
  const clients: ChainClient[] = [];
  const workers: AnchorWorker[] = [];
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => ledger.chain.rpc<T>(method, params);

  before(async () => {
    ledger = await TestLedger.start();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    for (const client of clients.splice(0)) client.destroy();
    // Back to the embedded chain's ways: a block per transaction, at a low base fee.
    await rpc("evm_setIntervalMining", [0]);
    await rpc("evm_setAutomine", [true]);
    await rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(10n ** 8n)]);
    await rpc("evm_mine");
  });
  after(async () => {
    await ledger?.stop();
  });

  /** The service's relayer, raising what stalls for STALL_MS, offering at most `maxFeePerGasWei`. */
  function relayer(maxFeePerGasWei = 500n * 10n ** 9n): ChainClient {
    const client = new ChainClient({
      rpcUrl: ledger.chain.url,
      chainId: CHAIN_ID,
      privateKey: ledger.account("ledgerService").privateKey,
      deployment: ledger.deployment,
      fees: { replaceAfterMs: STALL_MS, maxFeePerGasWei },
      log: (message) => process.env.DEBUG_RELAYER && console.log(message),
    });
    clients.push(client);
    return client;
  }

  /** A worker that would send a waiting batch again after STALL_MS if it did not leave that to the client. */
  function startWorker(store: TestStore, chain: ChainClient): AnchorWorker {
    const worker = new AnchorWorker({ batches: store.batches, chain, batchWindowMs: 0, idleDelayMs: 20, resendAfterMs: STALL_MS, retryDelayMs: 200 });
    workers.push(worker);
    worker.start();
    return worker;
  }

  function enqueue(store: TestStore, label: string, count: number, municipalityId: number) {
    return Array.from({ length: count }, (_, i) =>
      store.queue.enqueue({ sha256: sha256Of(`${label}-${i}`), cid: null, municipalityId, kind: "document", meta: null }),
    );
  }

  /** The chain stops building blocks: what is sent waits in the pool. */
  async function halt(): Promise<void> {
    await rpc("evm_setAutomine", [false]);
    await rpc("evm_setIntervalMining", [0]);
  }

  /**
   * With the chain standing still, a worker sends one batch per group of records: they wait in the pool.
   * The batches come back as sent, lowest nonce first.
   */
  async function sentWhileHalted(chain: ChainClient, groups: Array<[label: string, count: number, municipalityId: number]>) {
    const store = ledger.openStore();
    const nonceBefore = await minedNonce(chain);
    await halt();
    for (const [label, count, municipalityId] of groups) enqueue(store, label, count, municipalityId);
    const worker = startWorker(store, chain);
    await waitFor(`${groups.length} batch(es) sent`, () => store.batches.inStatus("submitted").length === groups.length);
    const sent = store.batches.inStatus("submitted").sort((a, b) => a.nonce! - b.nonce!);
    return { store, worker, nonceBefore, sent };
  }

  const minedNonce = (chain: ChainClient) => chain.provider.getTransactionCount(chain.relayerAddress, "latest");

  async function anchorsOf(chain: ChainClient, root: string, municipalityId: number) {
    const events = await chain.batchAnchor.queryFilter(chain.batchAnchor.filters.BatchAnchored(root));
    return events.filter((event) => Number(event.args.municipalityId) === municipalityId);
  }

  /** Every batch of the store final, each root anchored once, and each by the transaction its batch names. */
  async function expectAnchoredOnce(chain: ChainClient, store: TestStore, records: number): Promise<void> {
    await waitFor("every record final", () => store.queue.status().records.final === records, 60_000);
    for (const batch of store.batches.inStatus("final")) {
      const anchors = await anchorsOf(chain, batch.root, batch.municipalityId);
      expect(anchors, `anchors of batch ${batch.batchId}`).to.have.length(1);
      expect(batch.txHash).to.equal(anchors[0].transactionHash);
    }
  }

  it("waits while the chain stops mining, sends nothing again, and anchors everything once when it resumes", async () => {
    const chain = relayer();
    const { store, nonceBefore, sent } = await sentWhileHalted(chain, [
      ["halted-1", 5, 1],
      ["halted-2", 4, 2],
    ]);
    const sentAt = Math.max(...sent.map((batch) => batch.submittedAt!));

    // Well past the worker's resend window and the client's stall time: the chain builds no block, so no
    // fee would help and nothing is raised; what waits in the pool is not sent again under a new nonce.
    await waitFor("three resend windows", () => Date.now() - sentAt > 3 * STALL_MS);
    expect(chain.inFlight().map((tx) => tx.hashes.length)).to.deep.equal([1, 1]);
    expect(await chain.provider.getTransactionCount(chain.relayerAddress, "pending")).to.equal(nonceBefore + 2);

    await rpc("evm_setIntervalMining", [1]);
    await expectAnchoredOnce(chain, store, 9);
    expect(await minedNonce(chain)).to.equal(nonceBefore + 2);
    await waitFor("nothing in flight", () => chain.inFlight().length === 0);
  });

  it("raises an anchor and a complaint filing at their nonces when the base fee jumps above what they offer, and their queues take the mined ones", async () => {
    const chain = relayer();
    const {
      store,
      nonceBefore,
      sent: [sent],
    } = await sentWhileHalted(chain, [["jump", 6, 1]]);

    // A resident's complaint, accepted while the chain stands still: its row holds the hash first signed.
    const filings = new ComplaintFilings({
      db: store.db,
      chain,
      complaintLedger: ComplaintLedger__factory.connect(ledger.deployment.contracts.complaintLedger, chain.relayer),
      serviceCalls: new ServiceCalls(chain),
    });
    const filingId = hexlify(randomBytes(32));
    const complaintId = complaintIdOf(1, chain.relayerAddress, filingId);
    const accepted = await filings.accept({
      complaintId,
      filingId,
      municipalityId: 1,
      category: id("ROAD"),
      areaCode: areaCode(""),
      contentHash: hexlify(randomBytes(32)),
      reporterCommitment: hexlify(randomBytes(32)),
      bundleCid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
      token: "stalled-filing",
      lat: null,
      long: null,
      channel: "web",
      photo: null,
    });
    expect(accepted.state).to.equal("sent");

    const offered = (await chain.provider.getTransaction(sent.txHash!))!.maxFeePerGas!;
    // The next blocks ask twenty times what the transactions offer: they are not minable any more.
    await rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(offered * 20n)]);
    await rpc("evm_setIntervalMining", [1]);

    await expectAnchoredOnce(chain, store, 6);
    const anchored = store.batches.get(sent.batchId)!;
    expect(anchored.txHash, "the raised transaction was mined, not the first").not.to.equal(sent.txHash);
    const mined = (await chain.provider.getTransaction(anchored.txHash!))!;
    expect(mined.nonce).to.equal(sent.nonce);
    expect(mined.maxFeePerGas! > offered * 20n, "raised past the base fee it met").to.equal(true);
    // The first hash is one of the family: asked about it, the client answers the mined transaction.
    expect((await chain.receipt(sent.txHash!))?.hash).to.equal(anchored.txHash);

    await waitFor("the filing mined", async () => {
      await filings.round();
      return filings.get(complaintId)!.state === "mined";
    });
    const filing = filings.get(complaintId)!;
    expect(filing.txHash, "the queue recorded the raised transaction before it was broadcast").not.to.equal(accepted.txHash);
    const filed = (await chain.receipt(filing.txHash!))!;
    expect(filed.status).to.equal(1);
    expect((await chain.receipt(accepted.txHash!))?.hash).to.equal(filed.hash);
    expect((await chain.provider.getTransaction(filed.hash))!.nonce).to.equal(sent.nonce! + 1);
    // Two calls, two nonces: nothing was sent again under a new one.
    expect(await minedNonce(chain)).to.equal(nonceBefore + 2);
  });

  it("sends again what a node lost with its pool, and fills the gap a lost transaction leaves before one it still holds", async () => {
    const chain = relayer();
    const {
      store,
      nonceBefore,
      sent: [first, second],
    } = await sentWhileHalted(chain, [
      ["lost-1", 3, 1],
      ["lost-2", 3, 2],
    ]);
    const secondSigned = Transaction.from((await chain.provider.getTransaction(second.txHash!))!).serialized;

    // The node restarts without its pool; the later transaction comes back to it (from a peer, say), the
    // earlier does not: a gap at the lower nonce holds the later one back.
    await rpc("anvil_dropAllTransactions");
    expect(await chain.provider.getTransaction(first.txHash!)).to.equal(null);
    await rpc("eth_sendRawTransaction", [secondSigned]);
    await rpc("evm_setIntervalMining", [1]);

    await expectAnchoredOnce(chain, store, 6);
    expect(store.batches.get(first.batchId)!.txHash).to.equal(first.txHash);
    expect(store.batches.get(second.batchId)!.txHash).to.equal(second.txHash);
    expect(await minedNonce(chain)).to.equal(nonceBefore + 2);
  });

  it("after a restart, follows the stuck transaction the last process left in the pool and raises it at its nonce", async () => {
    const before = relayer();
    const {
      store,
      worker: crashed,
      nonceBefore,
      sent: [sent],
    } = await sentWhileHalted(before, [["restart", 3, 2]]);
    // The process ends: its worker and client are gone, the transaction waits in the node's pool.
    await crashed.stop();
    before.destroy();

    const after = relayer();
    const offered = (await after.provider.getTransaction(sent.txHash!))!.maxFeePerGas!;
    await rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(offered * 20n)]);
    startWorker(store, after);
    await waitFor("the pool's transaction followed", () => after.inFlight().some((tx) => tx.nonce === sent.nonce));
    await rpc("evm_setIntervalMining", [1]);

    await expectAnchoredOnce(after, store, 3);
    const mined = (await after.provider.getTransaction(store.batches.get(sent.batchId)!.txHash!))!;
    expect(mined.hash).not.to.equal(sent.txHash);
    expect(mined.nonce).to.equal(sent.nonce);
    expect(await minedNonce(after)).to.equal(nonceBefore + 1);
  });

  it("raises no further than RELAYER_MAX_FEE_GWEI, says so, refuses new sends above it, and goes on when fees fall", async () => {
    const market = await readFeeMarket(ledger.client().provider);
    const first = firstFees(market, 2n ** 255n);
    const usual = first.type === 2 ? first.maxFeePerGas : first.gasPrice;
    const ceiling = usual * 3n;
    const chain = relayer(ceiling);
    const {
      store,
      nonceBefore,
      sent: [sent],
    } = await sentWhileHalted(chain, [["ceiling", 4, 1]]);
    expect(chain.feeCeiling()).to.equal(null);

    // The base fee jumps far above the ceiling: no raise could be mined, so none is signed.
    await rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(usual * 50n)]);
    await rpc("evm_setIntervalMining", [1]);
    await waitFor("the stall at the ceiling reported", () => chain.feeCeiling()?.nonces.includes(sent.nonce!) === true);
    const reported = chain.feeCeiling()!;
    expect(reported).to.include({ ceilingWei: ceiling, sendsRefused: false });
    expect(reported.baseFeePerGas! > ceiling).to.equal(true);
    const head = await chain.blockNumber();
    await waitFor("three more blocks without it", async () => (await chain.blockNumber()) >= head + 3);
    expect(chain.inFlight().map((tx) => tx.hashes.length), "nothing signed at the ceiling").to.deep.equal([1]);

    // A new transaction is refused before anything is signed or recorded.
    const { to, data } = await chain.batchAnchor.anchor.populateTransaction(1, hexlify(randomBytes(32)), 1);
    const refused = await chain.send({ to, data, gasLimit: 200_000n }, () => expect.fail("nothing is recorded")).then(
      () => null,
      (error: { code?: string }) => error.code,
    );
    expect(refused).to.equal("RELAYER_FEE_CEILING");
    expect(chain.feeCeiling()).to.include({ sendsRefused: true });

    // Fees fall below the ceiling, not below what the transaction offers: it is raised, to the ceiling
    // at most, and mined; the problem is gone.
    await rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(usual * 2n)]);
    await expectAnchoredOnce(chain, store, 4);
    const mined = (await chain.provider.getTransaction(store.batches.get(sent.batchId)!.txHash!))!;
    expect(mined.nonce).to.equal(sent.nonce);
    expect(mined.maxFeePerGas! <= ceiling).to.equal(true);
    await waitFor("the ceiling no longer holds anything back", () => chain.feeCeiling() === null);
    expect(await minedNonce(chain)).to.equal(nonceBefore + 1);
  });
});

describe("what a replacement offers (feeMarket.ts) and RELAYER_* fee settings", () => {
  const GWEI = 10n ** 9n;
  const market = (baseGwei: bigint, tipGwei = 1n): FeeMarket => ({ baseFeePerGas: baseGwei * GWEI, priorityFeePerGas: tipGwei * GWEI, gasPrice: 0n });
  const old = { type: 2, maxFeePerGas: 8n * GWEI, maxPriorityFeePerGas: 2n * GWEI } as const;

  it("raises both fees by at least 12.5 % (rounded up), and to what the base fee asks now", () => {
    expect(replacementFees(old, market(1n), 1000n * GWEI)).to.deep.equal({
      kind: "raised",
      fees: { type: 2, maxFeePerGas: 9n * GWEI, maxPriorityFeePerGas: (9n * GWEI) / 4n },
    });
    // A base fee of 100 gwei: twice it, over the raised tip, in one step.
    expect(replacementFees(old, market(100n), 1000n * GWEI)).to.deep.equal({
      kind: "raised",
      fees: { type: 2, maxFeePerGas: 200n * GWEI + 1n * GWEI, maxPriorityFeePerGas: (9n * GWEI) / 4n },
    });
    const odd = replacementFees({ type: 2, maxFeePerGas: 9n, maxPriorityFeePerGas: 1n }, { baseFeePerGas: 1n, priorityFeePerGas: 0n, gasPrice: 0n }, 1000n);
    expect(odd).to.deep.equal({ kind: "raised", fees: { type: 2, maxFeePerGas: 11n, maxPriorityFeePerGas: 2n } });
  });

  it("stops at the ceiling, and signs nothing when the ceiling leaves no room or is below the base fee", () => {
    expect(replacementFees(old, market(15n), 20n * GWEI)).to.deep.equal({
      kind: "raised",
      fees: { type: 2, maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: (9n * GWEI) / 4n },
    });
    expect(replacementFees(old, market(5n), 8n * GWEI + GWEI / 2n)).to.deep.equal({ kind: "at-ceiling" });
    expect(replacementFees(old, market(30n), 20n * GWEI)).to.deep.equal({ kind: "at-ceiling" });
    expect(firstFees(market(100n), 20n * GWEI)).to.deep.equal({ type: 2, maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: GWEI });
  });

  it("raises a legacy gas price the same way, and leaves a free-gas chain's transactions as they are", () => {
    const legacy: FeeMarket = { baseFeePerGas: null, priorityFeePerGas: 0n, gasPrice: 3n * GWEI };
    expect(replacementFees({ type: 0, gasPrice: 8n * GWEI }, legacy, 1000n * GWEI)).to.deep.equal({ kind: "raised", fees: { type: 0, gasPrice: 9n * GWEI } });
    expect(replacementFees({ type: 0, gasPrice: 0n }, { ...legacy, gasPrice: 0n }, 1000n * GWEI)).to.deep.equal({ kind: "unchanged" });
  });

  it("reads RELAYER_REPLACE_AFTER_SECONDS and RELAYER_MAX_FEE_GWEI, and refuses what they cannot be", () => {
    expect(readRelayerFeeConfig({})).to.deep.equal({ replaceAfterMs: 30_000, maxFeePerGasWei: 500n * GWEI });
    expect(readRelayerFeeConfig({ RELAYER_REPLACE_AFTER_SECONDS: "12", RELAYER_MAX_FEE_GWEI: "0.05" })).to.deep.equal({
      replaceAfterMs: 12_000,
      maxFeePerGasWei: GWEI / 20n,
    });
    for (const env of [{ RELAYER_REPLACE_AFTER_SECONDS: "0" }, { RELAYER_REPLACE_AFTER_SECONDS: "1.5" }, { RELAYER_MAX_FEE_GWEI: "0" }, { RELAYER_MAX_FEE_GWEI: "-1" }, { RELAYER_MAX_FEE_GWEI: "1e3" }, { RELAYER_MAX_FEE_GWEI: "0.0000000001" }]) {
      expect(() => readRelayerFeeConfig(env), JSON.stringify(env)).to.throw(EngineError, new RegExp(Object.keys(env)[0]));
    }
  });
});
