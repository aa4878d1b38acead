import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Contract, Wallet, id, toBeHex } from "ethers";
import { AnvilChain } from "../../app/server/chain/anvil.js";
import { chainFailureOf } from "../../app/server/chain/chainErrors.js";
import { deployLedger, readDeployment } from "../../app/server/chain/deploy.js";
import { demoTownProfiles } from "../../app/server/chain/demoTowns.js";
import { devAccounts, type DevRole } from "../../app/server/chain/devAccounts.js";
import { reasonHashOf } from "../../app/shared/issuance.js";
import { townProfileBytes } from "../../app/shared/townProfile.js";
import { DocumentIssuer, devWallet, signRecordRevocation } from "./support/issuer.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * What an operator sees (docs/monitoring.md): /api/health's relayer section and problems, each with its
 * stable code, and API errors that say the chain node is unreachable or the relayer is out of funds.
 * Provoked for real: the service runs against an anvil this test started (CHAIN_RPC_URL), with the
 * demo towns deployed there; the relayer's balance is set to 0 with anvil_setBalance, a municipality is
 * added without the relayer's role, and at the end the anvil process is stopped.
 */
const DIRECTORY_ABI = [
  "function addMunicipality(string code, string name, address admin) returns (uint32)",
  "function grantRole(uint32 municipalityId, bytes32 role, address account)",
  "function municipalityIdOf(string code) view returns (uint32)",
];
const REASON = "Issued in error";

interface Problem {
  code: string;
  severity: "error" | "warning";
  message: string;
  municipalityId?: number;
  detail?: string;
}

describe("what operators see: /api/health's problems and the chain's failures as API errors", function () {
  this.timeout(600_000);
  const chainDir = tempDataDir("ledger-health-chain");
  const dataDir = tempDataDir("ledger-health-data");
  const chain = new AnvilChain({ stateDir: chainDir, chainId: 31337 });
  const account = (role: DevRole) => devAccounts().find((a) => a.role === role)!;
  const relayer = account("ledgerService");
  let service: RunningService;
  let issuer: DocumentIssuer;
  /** A document anchored while all is well, revoked later to provoke the chain's failures. */
  let anchored: { sha256: string; municipalityId: number; root: string; leaf: string };

  const health = async () => {
    const response = await fetch(`${service.url}/api/health`);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const problems = async () => (await health()).body.problems as Problem[];
  const rpc = (method: string, params: unknown[]) => rpcProvider(chain.url).send(method, params);
  /** Relays the permit officer's signed revocation of the anchored document: the relayer pays for it. */
  async function revoke() {
    const signed = await signRecordRevocation(devWallet("permitOfficer"), issuer.chain, { ...anchored, reasonCode: 1, reasonHash: reasonHashOf(REASON) });
    const response = await fetch(`${service.url}/api/documents/${anchored.sha256}/revocation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reasonCode: 1, reason: REASON, ...signed }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  async function upload(as: DocumentIssuer): Promise<{ sha256: string; recordId: string }> {
    const response = await fetch(`${service.url}/api/documents`, { method: "POST", body: await as.form(randomBytes(300)) });
    expect(response.status, await response.clone().text()).to.equal(201);
    return (await response.json()) as { sha256: string; recordId: string };
  }

  before(async () => {
    await chain.start();
    await deployLedger({ rpcUrl: chain.url, chainId: 31337, dataDir, privateKeys: devAccounts().map((a) => a.privateKey), seedDemo: true });
    service = await startService(dataDir, {
      CHAIN_RPC_URL: chain.url,
      DEPLOYMENT_FILE: join(dataDir, "deployment.json"),
      RELAYER_PRIVATE_KEY: relayer.privateKey,
      ANCHOR_BATCH_MS: "100",
      // An idle anvil makes no blocks: anchored is as far as a record gets here, and far enough.
      CONFIRMATIONS: "0",
      ANCHOR_STALL_SECONDS: "3",
      // Far above the idle anvil's fees (about 1 gwei), far below the base fee one test sets.
      RELAYER_MAX_FEE_GWEI: "50",
      // Two transactions an hour for anonymous requests: the third complaint is refused (RELAYER_BUDGET_EXHAUSTED).
      ANONYMOUS_TRANSACTIONS_PER_HOUR: "2",
      // Read the chain and check the relayer's roles every second, not every 5 and 30: the tests wait on what
      // the readings show, not on the cache.
      HEALTH_CHAIN_READ_SECONDS: "1",
      HEALTH_ROLES_CHECK_SECONDS: "1",
    });
    issuer = await DocumentIssuer.of(service.url);
  });
  after(async () => {
    await service?.kill();
    await chain.stop();
    cleanUp(dataDir);
    cleanUp(chainDir);
  });

  it("reports the relayer's address, balance and roles, and no problem while all is well", async () => {
    const { status, body } = await health();
    expect(status).to.equal(200);
    expect(body.ok).to.equal(true);
    expect(body.problems).to.deep.equal([]);
    expect(body.relayer).to.include({ address: relayer.address, balanceWei: (await rpcProvider(chain.url).getBalance(relayer.address)).toString() });
    expect(BigInt(body.relayer.oneTransactionWei)).to.be.greaterThan(0n);
    // The demo towns: the relayer holds ANCHOR_SERVICE in each.
    expect(body.relayer.roles.municipalities).to.be.at.least(1);
    expect(body.relayer.roles.missing).to.deep.equal([]);
    // Everything /api/health answered before is still there.
    expect(body.engines.chain).to.deep.equal({ ok: true, engine: "external" });
    expect(body.chain).to.include.keys("chainId", "rpcUrl", "latestBlock", "deploymentBlock", "contracts");
    expect(body.queue).to.include.keys("depth", "records", "lastAnchoredBlock");
  });

  it("estimates the days the balance lasts from what the relayer spent since", async () => {
    const before = BigInt((await health()).body.relayer.balanceWei);
    const { sha256 } = await upload(issuer);
    const proof = await eventually(
      async () => (await fetch(`${service.url}/api/proofs/${sha256}`)).json() as Promise<Record<string, any>>,
      (answer) => typeof answer.root === "string",
    );
    anchored = { sha256, municipalityId: proof.municipalityId, root: proof.root, leaf: proof.leaf };
    const after = await rpcProvider(chain.url).getBalance(relayer.address);
    expect(after < before, "anchoring cost the relayer gas").to.equal(true);
    // The service reads the balance again within HEALTH_CHAIN_READ_SECONDS; the spending is what it fell by.
    const relayerNow = (await eventually(health, (h) => h.body.relayer.balanceWei === after.toString(), 30_000)).body.relayer;
    expect(BigInt(relayerNow.spentWei)).to.equal(before - after);
    // Less than an hour of readings counts as an hour: the daily pace is 24 times what fell.
    const perDay = (before - after) * 24n;
    expect(BigInt(relayerNow.perDayWei)).to.equal(perDay);
    // Plain numbers: the chai matchers' closeTo takes only whole numbers (as bigints).
    expect(Math.abs(relayerNow.daysLeft - Number((after * 1000n) / perDay) / 1000)).to.be.below(0.001);
    expect(relayerNow.estimate).to.be.a("string").and.include("fell by");
  });

  it("names a municipality where the relayer lacks ANCHOR_SERVICE, an error once its records wait, and a stall after ANCHOR_STALL_SECONDS", async () => {
    const directoryAddress = (await health()).body.chain.contracts.directory as string;
    const directory = (role: DevRole) => new Contract(directoryAddress, DIRECTORY_ABI, new Wallet(account(role).privateKey, rpcProvider(chain.url)));
    const mined = async (tx: Promise<{ hash: string }>) =>
      expect(await rpcProvider(chain.url).waitForTransaction((await tx).hash, 1, 60_000)).to.have.property("status", 1);
    await mined(directory("nationalAdmin").addMunicipality("TH-50-HEALTH", "Health Check Municipality", account("municipalityAdmin").address));
    const municipalityId = Number(await directory("nationalAdmin").municipalityIdOf("TH-50-HEALTH"));

    // The roles are checked again every HEALTH_ROLES_CHECK_SECONDS.
    const missing = await eventually(problems, (list) => list.some((p) => p.code === "RELAYER_ROLE_MISSING"), 30_000);
    expect(missing).to.have.length(1);
    expect(missing[0]).to.include({ code: "RELAYER_ROLE_MISSING", severity: "warning", municipalityId });
    expect(missing[0].message).to.include(relayer.address).and.include("TH-50-HEALTH");
    expect((await health()).status, "nothing waits yet: a warning").to.equal(200);

    // The town's issuer issues a document there: it is accepted, but cannot be anchored.
    await mined(directory("municipalityAdmin").grantRole(municipalityId, id("DOCUMENT_ISSUER"), account("permitOfficer").address));
    const stranded = await upload(new DocumentIssuer(issuer.chain, devWallet("permitOfficer"), municipalityId));
    const stalled = await eventually(health, (h) => h.body.problems.some((p: Problem) => p.code === "ANCHORING_STALLED"), 60_000);
    expect(stalled.status).to.equal(503);
    expect(stalled.body.ok).to.equal(false);
    const byCode = new Map((stalled.body.problems as Problem[]).map((p) => [p.code, p]));
    expect(byCode.get("RELAYER_ROLE_MISSING")).to.include({ severity: "error", municipalityId });
    expect(byCode.get("ANCHORING_STALLED")).to.include({ severity: "error", municipalityId });
    expect(byCode.get("ANCHORING_STALLED")!.detail).to.include("DirectoryUnauthorizedAccount");

    // The admin grants the role: the record is anchored and the problems clear.
    await mined(directory("municipalityAdmin").grantRole(municipalityId, id("ANCHOR_SERVICE"), relayer.address));
    await eventually(async () => (await fetch(`${service.url}/api/records/${stranded.recordId}`)).json() as Promise<{ status: string }>, (r) => r.status !== "pending", 60_000);
    const healed = await eventually(health, (h) => h.body.problems.length === 0, 30_000);
    expect(healed.status).to.equal(200);
  });

  it("says the relayer is out of funds, in /api/health and in the answer of a request it would pay for", async () => {
    const balance = await rpcProvider(chain.url).getBalance(relayer.address);
    await rpc("anvil_setBalance", [relayer.address, "0x0"]);
    try {
      const drained = await eventually(health, (h) => h.body.problems.some((p: Problem) => p.code === "RELAYER_OUT_OF_FUNDS"), 30_000);
      expect(drained.status).to.equal(503);
      expect(drained.body.relayer.balanceWei).to.equal("0");
      const problem = (drained.body.problems as Problem[]).find((p) => p.code === "RELAYER_OUT_OF_FUNDS")!;
      expect(problem.severity).to.equal("error");
      expect(problem.message).to.include(relayer.address).and.include("out of funds");

      const refused = await revoke();
      expect(refused.status, JSON.stringify(refused.body)).to.equal(503);
      expect(refused.body.error.code).to.equal("RELAYER_OUT_OF_FUNDS");
      expect(refused.body.error.message).to.include("relayer is out of funds");
    } finally {
      await rpc("anvil_setBalance", [relayer.address, toBeHex(balance)]);
    }
    const topped = await eventually(health, (h) => h.status === 200, 30_000);
    expect(topped.body.problems.map((p: Problem) => p.code)).not.to.include("RELAYER_OUT_OF_FUNDS");
  });

  it("says the chain's fees are above the relayer's ceiling (RELAYER_FEE_CEILING), in /api/health and in the answer of a request it would pay for", async () => {
    const gwei = 10n ** 9n;
    await rpc("anvil_setNextBlockBaseFeePerGas", [toBeHex(200n * gwei)]);
    await rpc("evm_mine", []);
    try {
      const refused = await revoke();
      expect(refused.status, JSON.stringify(refused.body)).to.equal(503);
      expect(refused.body.error.code).to.equal("RELAYER_FEE_CEILING");
      expect(refused.body.error.message).to.include("RELAYER_MAX_FEE_GWEI = 50");
      const capped = await eventually(health, (h) => h.body.problems.some((p: Problem) => p.code === "RELAYER_FEE_CEILING"), 30_000);
      expect(capped.status).to.equal(503);
      const problem = (capped.body.problems as Problem[]).find((p) => p.code === "RELAYER_FEE_CEILING")!;
      expect(problem.severity).to.equal("error");
      expect(problem.message).to.include("50 gwei").and.include("RELAYER_MAX_FEE_GWEI");
    } finally {
      await rpc("anvil_setNextBlockBaseFeePerGas", [toBeHex(gwei / 10n)]);
      await rpc("evm_mine", []);
    }
    // Fees fell: the next transaction goes out, and the problem is gone.
    const { sha256 } = await upload(issuer);
    await eventually(async () => (await fetch(`${service.url}/api/proofs/${sha256}`)).json() as Promise<Record<string, unknown>>, (answer) => typeof answer.root === "string");
    const cleared = await eventually(health, (h) => !h.body.problems.some((p: Problem) => p.code === "RELAYER_FEE_CEILING"), 30_000);
    expect(cleared.status).to.equal(200);
  });

  it("says the complaint filings' queue has stalled when a filing it accepted is not mined after ANCHOR_STALL_SECONDS", async () => {
    const balance = await rpcProvider(chain.url).getBalance(relayer.address);
    await rpc("anvil_setBalance", [relayer.address, "0x0"]);
    try {
      // On an external chain a town's profile (its complaint categories) comes as its admin's published bytes.
      const [maeHia] = demoTownProfiles(readDeployment(join(dataDir, "deployment.json")));
      const stored = await fetch(`${service.url}/api/municipalities/1/profile`, { method: "PUT", body: Buffer.from(townProfileBytes(maeHia)) });
      expect(stored.status, await stored.clone().text()).to.equal(201);
      // Accepted all the same (its row is written before the node sees it); the node refuses the transaction.
      const complaint = { municipalityId: 1, service_code: "ROAD", lat: 18.75, long: 98.97, description: "A pothole by the market", attribute: { hazard: "high" } };
      const filed = await fetch(`${service.url}/api/complaints`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(complaint) });
      expect(filed.status, await filed.clone().text()).to.equal(201);
      const stalled = await eventually(health, (h) => h.body.problems.some((p: Problem) => p.code === "COMPLAINT_FILING_STALLED"), 30_000);
      expect(stalled.status).to.equal(503);
      const problem = (stalled.body.problems as Problem[]).find((p) => p.code === "COMPLAINT_FILING_STALLED")!;
      expect(problem).to.include({ severity: "error", municipalityId: 1 });
      expect(problem.message).to.include("not on the chain");
      // Documents are another queue: nothing of theirs waits.
      expect(stalled.body.problems.map((p: Problem) => p.code)).not.to.include("ANCHORING_STALLED");
    } finally {
      // The queue sends the filing again within half a minute; no later test needs the service healthy.
      await rpc("anvil_setBalance", [relayer.address, toBeHex(balance)]);
    }
  });

  it("refuses residents' filings past the hour's relayer budget, in each API's format, and says so; officers' signed acts go on", async () => {
    // The town's profile (its categories) was stored by the test before, which filed one complaint of the two.
    const complaint = { municipalityId: 1, service_code: "ROAD", lat: 18.75, long: 98.97, description: "Another pothole", attribute: { hazard: "low" } };
    const file = () => fetch(`${service.url}/api/complaints`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(complaint) });
    let answer = await file();
    for (let tries = 0; answer.status === 201 && tries < 2; tries++) answer = await file();
    expect(answer.status, await answer.clone().text()).to.equal(503);
    expect(((await answer.json()) as { error: { code: string } }).error.code).to.equal("RELAYER_BUDGET_EXHAUSTED");
    // The oldest of the two frees its place an hour after it was spent.
    expect(Number(answer.headers.get("retry-after"))).to.be.within(3000, 3600);

    // An Open311 client is answered in Open311's format, refused before its body is read.
    const open311 = await fetch(`${service.url}/open311/v2/requests.xml`, { method: "POST", body: new URLSearchParams({ jurisdiction_id: "maehia.go.th", service_code: "ROAD" }) });
    expect(open311.status).to.equal(503);
    expect(open311.headers.get("x-error-code")).to.equal("RELAYER_BUDGET_EXHAUSTED");
    expect(open311.headers.get("retry-after")).to.match(/^\d+$/);
    expect(await open311.text()).to.match(/<errors><error><code>503<\/code><description>.+<\/description><\/error><\/errors>/);

    const { body } = await health();
    const problem = (body.problems as Problem[]).find((p) => p.code === "RELAYER_BUDGET_EXHAUSTED")!;
    expect(problem).to.include({ severity: "warning" });
    expect(problem.message).to.include("ANONYMOUS_TRANSACTIONS_PER_HOUR is 2");
    expect(Date.parse((problem as Problem & { since: string }).since)).to.be.greaterThan(0);
    expect(body.relayer.anonymousTransactions).to.deep.equal({ perHour: 2, lastHour: 2 });
    // An issuer's upload is a signed act, not an anonymous one: it is not counted.
    await upload(issuer);
  });

  it("tells an officer's own empty account from the relayer's (OFFICER_OUT_OF_FUNDS)", async () => {
    // The error the node gives for an officer's signed transaction that its account cannot pay for.
    const provider = rpcProvider(chain.url);
    const officer = Wallet.createRandom(provider);
    const fees = await provider.getFeeData();
    const signed = await officer.signTransaction({
      to: officer.address,
      gasLimit: 21_000n,
      nonce: 0,
      chainId: 31337,
      type: 2,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    const error = await provider.broadcastTransaction(signed).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(chainFailureOf(error, "officer")?.code).to.equal("OFFICER_OUT_OF_FUNDS");
    expect(chainFailureOf(error)?.code).to.equal("RELAYER_OUT_OF_FUNDS");
  });

  it("says the chain node is unreachable, in /api/health and in API errors, instead of INTERNAL", async () => {
    await chain.stop();
    const down = await eventually(health, (h) => h.body.problems.some((p: Problem) => p.code === "CHAIN_UNREACHABLE"), 30_000);
    expect(down.status).to.equal(503);
    expect(down.body.engines.chain.ok).to.equal(false);
    expect(down.body.chain.latestBlock).to.equal(null);
    expect(down.body.relayer).to.include({ address: relayer.address, balanceWei: null });
    const problem = (down.body.problems as Problem[]).find((p) => p.code === "CHAIN_UNREACHABLE")!;
    expect(problem).to.include({ severity: "error" });
    expect(problem.message).to.include("unreachable");

    const refused = await revoke();
    expect(refused.status, JSON.stringify(refused.body)).to.equal(503);
    expect(refused.body.error.code).to.equal("CHAIN_UNREACHABLE");
    expect(refused.body.error.message).to.include("chain node is unreachable");
    // A read the service answers from its own database still works.
    expect((await fetch(`${service.url}/api/verify?sha256=${sha256Of(randomBytes(8))}`)).status).to.equal(200);
  });
});
