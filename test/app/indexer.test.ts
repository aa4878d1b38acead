import { expect } from "chai";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { JsonRpcProvider, Wallet, id, type ContractTransactionResponse, type Filter, type FilterByBlockHash, type Log } from "ethers";
import { AnchorWorker } from "../../app/server/anchoring/worker.js";
import type { ChainClient } from "../../app/server/chain/client.js";
import { INDEX_TABLES } from "../../app/server/indexer/eventTables.js";
import { Indexer } from "../../app/server/indexer/indexer.js";
import { openDatabase } from "../../app/server/store/database.js";
import { signRecordRevocation } from "./support/issuer.js";
import { TestLedger, runScript, sha256Of, waitFor, type TestStore } from "./support/testLedger.js";
import { devWalletAt } from "../../app/server/chain/devAccounts.js";

/**
 * The index is a cache of the chain: after a history of anchors, a revocation and Directory changes,
 * a rebuild from the deployment block — aside and swapped in, in a new database, or by `npm run reindex` —
 * gives the same tables, and a chain that lost blocks under the index makes it rebuild itself (aside:
 * rebuildVerdicts.test.ts verifies through the API throughout).
 */
const ANCHOR_SERVICE = id("ANCHOR_SERVICE");
const ENGINEER = id("ENGINEER");

/** A provider as the service makes it (chain/client.ts), that notes every JSON-RPC call with its block tag. */
class CountingProvider extends JsonRpcProvider {
  readonly calls: string[] = [];

  constructor(url: string, chainId: number) {
    super(url, chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
  }

  override send(method: string, params: unknown[] | Record<string, unknown>): Promise<any> {
    const tag = Array.isArray(params) && typeof params[0] === "string" ? ` ${params[0]}` : "";
    this.calls.push(`${method}${tag}`);
    return super.send(method, params);
  }
}

/** A provider whose logs requests from early blocks wait until opened: a rebuild held at its start. */
class HeldProvider extends JsonRpcProvider {
  /** Logs requests from this block or below wait (null: none wait). */
  holdThrough: number | null = null;
  #open: () => void = () => {};
  #opened = new Promise<void>((resolve) => (this.#open = resolve));

  constructor(url: string, chainId: number) {
    super(url, chainId, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
  }

  open(): void {
    this.holdThrough = null;
    this.#open();
  }

  override async getLogs(filter: Filter | FilterByBlockHash): Promise<Log[]> {
    if (this.holdThrough !== null && "fromBlock" in filter && Number(filter.fromBlock) <= this.holdThrough) await this.#opened;
    return super.getLogs(filter);
  }
}

function snapshot(db: DatabaseSync): Record<string, string[]> {
  const tables: Record<string, string[]> = {};
  for (const table of INDEX_TABLES) {
    tables[table] = (db.prepare(`SELECT * FROM ${table}`).all() as object[]).map((row) => JSON.stringify(row)).sort();
  }
  return tables;
}

describe("indexer", function () {
  this.timeout(120_000);
  let ledger: TestLedger;
  let relayer: ChainClient;
  let store: TestStore;
  let worker: AnchorWorker | undefined;
  let newTown: number;
  let compromisedSince: number;

  async function mined(sent: Promise<ContractTransactionResponse>): Promise<void> {
    const receipt = await relayer.waitForReceipt((await sent).hash, 10_000);
    expect(receipt?.status).to.equal(1);
  }

  async function anchorRecords(label: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      store.queue.enqueue({ sha256: sha256Of(`${label}-${i}`), cid: null, municipalityId: 1, kind: "document", meta: null });
    }
    await waitFor(`${label} anchored`, () => store.queue.status().records.pending + store.queue.status().records.submitted === 0);
  }

  function indexer(db: DatabaseSync, chain: ChainClient = relayer, blockRange = 2000): Indexer {
    return new Indexer({ db, provider: chain.provider, deployment: ledger.deployment, blockRange });
  }

  /** A rebuild aside runs beside the catch-ups that start it: done when the indexer reports none. */
  const rebuilt = (index: Indexer) => waitFor("the rebuild swapped in", () => index.status().rebuild === null);

  // No periodic dumps: the last test decides what a crash of anvil loses.
  before(async () => {
    ledger = await TestLedger.start({ persistIntervalMs: 600_000 });
    relayer = ledger.client();
    store = ledger.openStore();
    worker = new AnchorWorker({ batches: store.batches, chain: relayer, batchSize: 10, batchWindowMs: 0, idleDelayMs: 20 });
    worker.start();

    await anchorRecords("history", 25);
    const [record] = store.queue.findBySha256(sha256Of("history-3"));
    // Signed by the town's DOCUMENT_ISSUER; the relayer only submits it.
    const chain = { chainId: ledger.deployment.chainId, batchAnchor: ledger.deployment.contracts.batchAnchor };
    const issuer = new Wallet(ledger.account("permitOfficer").privateKey);
    const signed = await signRecordRevocation(issuer, chain, {
      municipalityId: record.municipalityId,
      root: record.root!,
      leaf: record.leaf,
      reasonCode: 7,
      reasonHash: id("court order"),
    });
    const args = [record.municipalityId, record.root!, record.leaf, record.proof!, 7, id("court order"), signed.officer, signed.deadline, signed.signature] as const;
    const revoke = await relayer.batchAnchor.revokeRecord.populateTransaction(...args);
    const gasLimit = await relayer.batchAnchor.revokeRecord.estimateGas(...args);
    const revoked = await relayer.send({ to: revoke.to, data: revoke.data, gasLimit });
    expect((await relayer.waitForReceipt(revoked.hash, 10_000))?.status).to.equal(1);

    const national = ledger.client("nationalAdmin");
    const nationalDirectory = national.directory.connect(national.relayer);
    await mined(nationalDirectory.addMunicipality("TH-98-INDEX", "Index Town", ledger.account("auditor").address));
    newTown = Number(await relayer.directory.municipalityIdOf("TH-98-INDEX"));
    const admin = ledger.client("auditor");
    const townDirectory = admin.directory.connect(admin.relayer);
    await mined(townDirectory.grantRole(newTown, ENGINEER, ledger.account("engineer").address));
    await mined(townDirectory.grantRole(newTown, ENGINEER, ledger.account("director").address));
    await mined(townDirectory.grantRole(newTown, ANCHOR_SERVICE, ledger.account("ledgerService").address));
    await mined(townDirectory.revokeRole(newTown, ENGINEER, ledger.account("director").address));
    compromisedSince = (await relayer.provider.getBlock("latest"))!.timestamp - 60;
    await mined(townDirectory.markKeyCompromised(newTown, ledger.account("director").address, compromisedSince));
    await mined(nationalDirectory.suspendMunicipality(newTown, id("audit")));
    await mined(nationalDirectory.reinstateMunicipality(newTown));
    await mined(townDirectory.setMunicipalityAdmin(newTown, ledger.account("resident").address));
    await ledger.chain.persist(true);
  });
  after(async () => {
    await worker?.stop();
    await ledger?.stop();
  });

  it("follows the contracts' events into the query tables", async () => {
    const index = indexer(store.db);
    await index.catchUp();
    const counts = index.counts();
    const batches = store.batches.inStatus("anchored", "final");
    expect(batches.map((batch) => batch.recordCount)).to.deep.equal([10, 10, 5]);
    expect(counts.idx_batches).to.equal(3);
    for (const batch of batches) {
      const row = store.db.prepare("SELECT * FROM idx_batches WHERE root = ?").get(batch.root) as Record<string, unknown>;
      expect(row).to.deep.include({
        municipality_id: 1,
        record_count: batch.recordCount,
        block_number: batch.blockNumber,
        tx_hash: batch.txHash,
        sender: relayer.relayerAddress,
        anchored_at: batch.anchoredAt,
      });
    }
    const [record] = store.queue.findBySha256(sha256Of("history-3"));
    expect(store.db.prepare("SELECT municipality_id, root, leaf, reason_code, reason_hash, actor FROM idx_revocations").all()).to.deep.equal([
      { municipality_id: 1, root: record.root, leaf: record.leaf, reason_code: 7, reason_hash: id("court order"), actor: ledger.account("permitOfficer").address },
    ]);
    expect(store.db.prepare("SELECT municipality_id, account, since FROM idx_compromised_keys").all()).to.deep.equal([
      { municipality_id: newTown, account: ledger.account("director").address, since: compromisedSince },
    ]);
    // Every role change dated by its block, for the verdicts' "held the role when anchored".
    const changes = store.db.prepare("SELECT block_number, block_time FROM idx_role_changes").all() as { block_number: number; block_time: number }[];
    for (const change of changes) expect(change.block_time).to.equal((await relayer.provider.getBlock(change.block_number))!.timestamp);
    expect(store.db.prepare("SELECT code, admin, suspended FROM idx_municipalities ORDER BY municipality_id").all()).to.deep.equal([
      { code: "TH-50-MAEHIA", admin: ledger.account("municipalityAdmin").address, suspended: 0 },
      // The demo's second town (scripts/towns/yala.json), administered by account 15 of the mnemonic.
      { code: "TH-95-YALA", admin: devWalletAt(15).address, suspended: 0 },
      { code: "TH-98-INDEX", admin: ledger.account("resident").address, suspended: 0 },
    ]);
    // Who holds a role now is what the Directory itself answers.
    for (const [town, role] of [
      [1, ANCHOR_SERVICE],
      [newTown, ENGINEER],
      [newTown, ANCHOR_SERVICE],
    ] as const) {
      const indexed = store.db
        .prepare("SELECT account FROM idx_officer_roles WHERE municipality_id = ? AND role = ? ORDER BY account")
        .all(town, role) as { account: string }[];
      const members = [...(await relayer.directory.roleMembers(town, role))].sort();
      expect(indexed.map((row) => row.account)).to.deep.equal(members);
    }
    expect(counts.idx_role_changes).to.be.greaterThan(counts.idx_officer_roles);
    expect(index.status()).to.deep.include({ nextBlock: (await relayer.blockNumber()) + 1, lastError: null });
  });

  it("shares one catch-up among concurrent callers, reads only the tip while the chain stands still, and still sees a block mined before the call", async () => {
    const provider = new CountingProvider(ledger.chain.url, ledger.deployment.chainId);
    const index = new Indexer({ db: store.db, provider, deployment: ledger.deployment });
    const head = await index.catchUp();
    provider.calls.length = 0;
    // A burst, as GET /api/municipalities gets it: one catch-up and the one after it, each one read of the tip.
    const answers = await Promise.all(Array.from({ length: 20 }, () => index.catchUp()));
    expect(answers).to.deep.equal(Array(20).fill(head));
    expect(provider.calls).to.deep.equal(["eth_getBlockByNumber latest", "eth_getBlockByNumber latest"]);

    // A block mined while a catch-up runs: a caller who comes after it gets it.
    const running = index.catchUp();
    const mined = Number(await provider.send("evm_mine", []).then(() => provider.getBlockNumber()));
    expect(await index.catchUp()).to.equal(mined);
    await running;
    provider.calls.length = 0;
    expect(await index.catchUp()).to.equal(mined);
    expect(provider.calls).to.deep.equal(["eth_getBlockByNumber latest"]);
  });

  it("rebuilds the same tables aside and swapped in, in a new database, and in small block ranges", async () => {
    const index = indexer(store.db);
    await index.catchUp();
    const before = snapshot(store.db);
    // What a rebuild in a process that died (no such pid) left behind.
    store.db.exec("CREATE TABLE rebuild_999999999_1_idx_batches (root TEXT)");
    await index.reindex();
    expect(snapshot(store.db)).to.deep.equal(before);
    // Built in copies of the tables, which took their place: none is left, nor the abandoned one.
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'rebuild%' AND type = 'table'").all()).to.deep.equal([]);

    const fresh = ledger.openStore();
    await indexer(fresh.db, relayer, 5).catchUp();
    expect(snapshot(fresh.db)).to.deep.equal(before);
    expect(before.idx_batches).to.have.length(3);
  });

  it("rebuilds by itself when the index was built by another set of event modules (a release added tables)", async () => {
    const index = indexer(store.db);
    await index.catchUp();
    const before = snapshot(store.db);
    // As an older release would have left it: another module signature, and a table it never filled.
    store.db.exec("UPDATE idx_cursor SET modules = 'an older release'");
    store.db.exec("DELETE FROM idx_events");
    store.db.exec("DELETE FROM idx_batches");
    await index.catchUp();
    expect(index.status().rebuild).to.deep.include({ reason: "modules" });
    await rebuilt(index);
    expect(snapshot(store.db)).to.deep.equal(before);
    expect((store.db.prepare("SELECT modules FROM idx_cursor").get() as { modules: string }).modules).to.match(/^[0-9a-f]{64}$/);
  });

  it("npm run reindex rebuilds the data folder's index, from the running chain or from its saved state", async () => {
    const expected = snapshot(store.db);
    const env = { DATA_DIR: ledger.dataDir, CHAIN_ID: "31337" };
    const withRunningChain = await runScript("app/server/reindex.ts", [], env);
    expect(withRunningChain).to.include(`chain: using ${ledger.chain.url}`);
    const db = openDatabase(ledger.dataDir);
    expect(snapshot(db)).to.deep.equal(expected);

    await worker!.stop();
    worker = undefined;
    await ledger.chain.stop();
    db.exec("DELETE FROM idx_batches");
    const withSavedState = await runScript("app/server/reindex.ts", [], env);
    expect(withSavedState).to.include("started the embedded chain");
    expect(withSavedState).to.match(/idx_batches\s+3\n/);
    expect(snapshot(db)).to.deep.equal(expected);
    expect(existsSync(join(ledger.dataDir, "chain", "anvil.pid"))).to.equal(false);
    db.close();
    await ledger.restartChain();
    relayer = ledger.client();
  });

  it("rebuilds by itself when the chain under it lost blocks (anvil killed before its state was saved)", async () => {
    worker = new AnchorWorker({ batches: store.batches, chain: relayer, batchSize: 10, batchWindowMs: 0, idleDelayMs: 20 });
    worker.start();
    await anchorRecords("lost", 10);
    await worker.stop();
    worker = undefined;
    const index = indexer(store.db);
    await index.catchUp();
    expect(index.counts().idx_batches).to.equal(4);

    await ledger.killChain();
    await ledger.restartChain();
    relayer = ledger.client();
    const afterCrash = indexer(store.db, relayer);
    await afterCrash.catchUp();
    // Until the rebuilt tables replace them, the old ones answer, the lost batch with them.
    expect(afterCrash.status().rebuild).to.deep.include({ reason: "reorg" });
    expect(afterCrash.counts().idx_batches).to.equal(4);
    await rebuilt(afterCrash);
    const fresh = ledger.openStore();
    await indexer(fresh.db, relayer).catchUp();
    expect(snapshot(store.db)).to.deep.equal(snapshot(fresh.db));
    expect(afterCrash.counts().idx_batches).to.equal(3);
  });

  it("swaps a rebuild in only once it has read what the index in use read meanwhile", async () => {
    const provider = new HeldProvider(ledger.chain.url, ledger.deployment.chainId);
    try {
      const index = new Indexer({ db: store.db, provider, deployment: ledger.deployment });
      const head = await index.catchUp();
      // The rebuild waits at its first range while a batch is anchored and the index in use reads it.
      provider.holdThrough = head;
      const rebuilding = index.reindex();
      worker = new AnchorWorker({ batches: store.batches, chain: relayer, batchSize: 10, batchWindowMs: 0, idleDelayMs: 20 });
      worker.start();
      await anchorRecords("meanwhile", 3);
      expect(await index.catchUp()).to.be.greaterThan(head);
      const read = snapshot(store.db);
      const [meanwhile] = store.queue.findBySha256(sha256Of("meanwhile-0"));
      expect(read.idx_batches.some((row) => JSON.parse(row).root === meanwhile.root)).to.equal(true);
      provider.open();
      await rebuilding;
      expect(snapshot(store.db)).to.deep.equal(read);
    } finally {
      provider.open();
      provider.destroy();
    }
  });
});
