import { createHash } from "node:crypto";
import { cpSync, rmSync } from "node:fs";
import { expect } from "chai";
import { Interface, Wallet, id } from "ethers";
import { devAccounts, devWalletAt } from "../../app/server/chain/devAccounts.js";
import { profileCid } from "../../app/server/ipfs/profile.js";
import { saltedHash } from "../../app/server/privacy/commitments.js";
import { databasePath } from "../../app/server/store/database.js";
import { parsePledgeReceipt } from "../../app/shared/pledgeReceipt.js";
import { SINGLE_BLOCK_MAX_BYTES, singleBlockCid } from "../../app/shared/singleBlockCid.js";
import { RELEASE_PERIOD_SECONDS } from "../../app/server/services/funds/campaigns.js";
import { CIVIC_FUND_ABI, verifyPledgeReceipt } from "../../app/shared/verifyReceipt.js";
import { CivicFund__factory } from "../../types/ethers-contracts/factories/CivicFund__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { TestBahtToken__factory } from "../../types/ethers-contracts/factories/mocks/TestBahtToken__factory.js";
import { ApiClient, OfficerClient } from "./support/officerClient.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";

const GAS = 1_000_000n;
const devWallet = devWalletAt;
const sha256Of = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const CANCEL_REASON = "The council moved the project to next year's budget.";

/**
 * Civic funds end to end through HTTP, with the treasurer's own signed transactions, the resident's own
 * wallet on the embedded chain, and receipts checked against the RPC node alone.
 */
describe("civic funds: campaigns, pledges and receipts", function () {
  this.timeout(240_000);
  const dataDir = tempDataDir("ledger-funds");
  const freshDir = tempDataDir("ledger-funds-fresh");
  let service: RunningService;
  let api: ApiClient;
  let treasurer: OfficerClient;
  let contracts: { civicFund: string; directory: string };
  let demoToken: string;
  const beneficiary = devWallet(13).address;
  const campaignIds: Record<"succeeds" | "fails" | "cancelled", number> = { succeeds: 0, fails: 0, cancelled: 0 };

  const resident = () => new Wallet(devAccounts().find((a) => a.role === "resident")!.privateKey, rpcProvider(service.rpcUrl));
  const chainTime = async () => (await rpcProvider(service.rpcUrl).getBlock("latest"))!.timestamp;

  /** Asks the API for the unsigned transaction, signs it with `officer`'s key, submits it. */
  async function signAndSubmit(officer: OfficerClient, prepare: () => Promise<{ status: number; body: any }>, submitPath: string) {
    const prepared = await prepare();
    expect(prepared.status, JSON.stringify(prepared.body)).to.equal(200);
    const { to, data } = prepared.body.transaction;
    const signedTransaction = await officer.signTransaction({ to, data, gasLimit: GAS });
    return { prepared: prepared.body, answer: await officer.post(submitPath, { signedTransaction }) };
  }

  async function createAndOpen(goal: string, milestones: string[]): Promise<number> {
    const form = new FormData();
    form.append("file", new Blob([`Rules of the campaign for ${goal} satang: all or nothing.`], { type: "text/plain" }), "rules.txt");
    for (const [key, value] of Object.entries({ municipalityId: "1", beneficiary, goal, deadline: String((await chainTime()) + 3600), milestones: milestones.join(",") })) {
      form.append(key, value);
    }
    const created = await signAndSubmit(treasurer, () => treasurer.post("/api/funds/campaigns/transaction", form), "/api/funds/campaigns");
    expect(created.answer.status, JSON.stringify(created.answer.body)).to.equal(201);
    expect(created.answer.body.phase).to.equal("Draft");
    expect(created.answer.body.rulesDocument).to.deep.equal(created.prepared.rulesDocument);
    const campaignId = created.answer.body.campaignId as number;
    const opened = await signAndSubmit(treasurer, () => treasurer.post(`/api/funds/campaigns/${campaignId}/open/transaction`), `/api/funds/campaigns/${campaignId}/open`);
    expect(opened.answer.status, JSON.stringify(opened.answer.body)).to.equal(200);
    expect(opened.answer.body.phase).to.equal("Funding");
    expect(opened.answer.body.rulesHash).to.match(/^0x[0-9a-f]{64}$/);
    return campaignId;
  }

  /** The resident approves and pledges from their own wallet, then asks the API for the receipt. */
  async function pledge(campaignId: number, amount: bigint) {
    const wallet = resident();
    const token = TestBahtToken__factory.connect(demoToken, wallet);
    await (await token.approve(contracts.civicFund, amount)).wait();
    const sent = await CivicFund__factory.connect(contracts.civicFund, wallet).pledge(campaignId, amount);
    await sent.wait();
    const answer = await api.post(`/api/funds/campaigns/${campaignId}/pledges`, { txHash: sent.hash });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    return answer.body;
  }

  before(async () => {
    service = await startService(dataDir);
    api = new ApiClient(service.url);
    const health = (await api.get("/api/health")).body;
    contracts = health.chain.contracts;
    demoToken = health.chain.demoToken;
    treasurer = OfficerClient.demo(service.url, "treasurer", service.rpcUrl);
    await treasurer.signIn();
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
    cleanUp(freshDir);
  });

  /** The bytes the service's IPFS gateway serves for `cid`, or its status when it serves none. */
  async function ipfsBytes(cid: string): Promise<Uint8Array | number> {
    const response = await fetch(`${service.url}/ipfs/${cid}`);
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : response.status;
  }

  it("seeds the demo THBT token (2 decimals) with balances for the resident, named in /api/health", async () => {
    const token = TestBahtToken__factory.connect(demoToken, rpcProvider(service.rpcUrl));
    expect(await token.symbol()).to.equal("THBT");
    expect(await token.decimals()).to.equal(2n);
    expect(await token.balanceOf(resident().address)).to.equal(1_000_000_00n);
    expect(await token.balanceOf(devWallet(12).address)).to.equal(100_000_00n);
  });

  it("keeps the verifier's CivicFund ABI fragment in step with the compiled contract", () => {
    const compiled = CivicFund__factory.createInterface() as unknown as Interface;
    for (const fragment of new Interface(CIVIC_FUND_ABI).fragments) {
      const name = (fragment as unknown as { name: string }).name;
      const same = fragment.type === "event" ? compiled.getEvent(name) : compiled.getFunction(name);
      expect(same?.format("full"), name).to.equal(fragment.format("full"));
    }
  });

  it("lets the treasurer create and open campaigns with their own signed transactions", async () => {
    campaignIds.succeeds = await createAndOpen("500000", ["300000", "200000"]);
    campaignIds.fails = await createAndOpen("10000000", ["10000000"]);
    campaignIds.cancelled = await createAndOpen("100000", ["100000"]);
    const list = await api.get("/api/funds/campaigns?municipality=1");
    expect(list.body.campaigns.map((c: { campaignId: number }) => c.campaignId)).to.include.members(Object.values(campaignIds));
    const campaign = (await api.get(`/api/funds/campaigns/${campaignIds.succeeds}`)).body;
    expect(campaign).to.include({ goal: "500000", beneficiary, phase: "Funding", pledged: "0" });
    expect(campaign.token).to.deep.equal({ address: demoToken, symbol: "THBT", decimals: 2 });
    expect(campaign.milestones.map((m: { amount: string }) => m.amount)).to.deep.equal(["300000", "200000"]);
    expect(campaign.rulesDocument.cid).to.equal(singleBlockCid(campaign.rulesDocument.sha256));
  });

  it("takes a public document of one IPFS block (1 MiB) and refuses a byte more before anything is stored or signed (413)", async () => {
    const evidenceForm = (bytes: Uint8Array) => {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type: "application/octet-stream" }), "evidence.bin");
      return form;
    };
    // Preparing a release stores the evidence and answers an unsigned transaction; nothing is sent.
    const largest = new Uint8Array(SINGLE_BLOCK_MAX_BYTES).fill(0x4c);
    const taken = await treasurer.post(`/api/funds/campaigns/${campaignIds.fails}/milestones/0/transaction`, evidenceForm(largest));
    expect(taken.status, JSON.stringify(taken.body)).to.equal(200);
    expect(taken.body.evidence).to.deep.equal({ sha256: sha256Of(largest), cid: singleBlockCid(sha256Of(largest)) });
    expect(sha256Of((await ipfsBytes(taken.body.evidence.cid)) as Uint8Array)).to.equal(sha256Of(largest));

    const tooLarge = new Uint8Array(SINGLE_BLOCK_MAX_BYTES + 1).fill(0x4d);
    const milestone = await treasurer.post(`/api/funds/campaigns/${campaignIds.fails}/milestones/0/transaction`, evidenceForm(tooLarge));
    const form = evidenceForm(tooLarge);
    for (const [key, value] of Object.entries({ municipalityId: "1", beneficiary, goal: "1000", deadline: String((await chainTime()) + 3600), milestones: "1000" })) form.append(key, value);
    const create = await treasurer.post("/api/funds/campaigns/transaction", form);
    for (const refused of [milestone, create]) {
      expect({ status: refused.status, code: refused.body.error?.code }).to.deep.equal({ status: 413, code: "FUNDS_DOCUMENT_TOO_LARGE" });
      expect(refused.body.error.message).to.include("1 MiB").and.include("SHA-256").and.include("1,048,577 bytes");
      expect(refused.body).not.to.have.property("transaction");
    }
    // Neither the file as the profile would store it (a dag-pb root over two leaves) nor its first leaf.
    expect(await ipfsBytes((await profileCid(tooLarge)).toString())).to.equal(404);
    expect(await ipfsBytes(singleBlockCid(sha256Of(tooLarge.subarray(0, SINGLE_BLOCK_MAX_BYTES))))).to.equal(404);
  });

  it("gives the resident a receipt for an on-chain pledge that verifies against the RPC node alone; a tampered one fails", async () => {
    const receipt = await pledge(campaignIds.succeeds, 600000n);
    expect(receipt).to.include({ kind: "pledge", campaignId: String(campaignIds.succeeds), amount: "600000", pledger: resident().address, municipalityId: 1 });
    // The service's public address (the embedded demo's http://localhost:PORT), not the host the test asked.
    expect(receipt.verifyUrl).to.equal(`http://localhost:${new URL(service.url).port}/api/funds/receipts/${receipt.receiptId}`);

    const rpc = rpcProvider(service.rpcUrl);
    const verdict = await verifyPledgeReceipt(parsePledgeReceipt(JSON.stringify(receipt)), rpc);
    expect(verdict.verdict, JSON.stringify(verdict.checks)).to.equal("valid");
    expect(verdict.checks.map((c) => c.name)).to.deep.equal(["format-known", "chain-id", "campaign", "tx-receipt", "event-log", "block-time"]);

    for (const tampered of [{ amount: "6000000" }, { pledger: devWallet(12).address }, { campaignId: String(campaignIds.fails) }, { logIndex: receipt.logIndex + 1 }]) {
      const result = await verifyPledgeReceipt(parsePledgeReceipt({ ...receipt, ...tampered }), rpc);
      expect(result.verdict, JSON.stringify(tampered)).to.equal("invalid");
    }
    const viaApi = await api.post("/api/funds/receipts/verify", { ...receipt, amount: "1" });
    expect(viaApi.body.verdict).to.equal("invalid");
    expect(viaApi.body.checks.find((c: { name: string }) => c.name === "event-log").ok).to.equal(false);
    expect((await api.post("/api/funds/receipts/verify", receipt)).body.verdict).to.equal("valid");
    expect((await api.post("/api/funds/receipts/verify", { hello: 1 })).body.error.code).to.equal("FUNDS_RECEIPT_INVALID");

    // The same transaction is the same receipt; the receipt and its QR code are served by id.
    const again = await api.post(`/api/funds/campaigns/${campaignIds.succeeds}/pledges`, { txHash: receipt.txHash });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal(receipt);
    expect((await api.get(`/api/funds/receipts/${receipt.receiptId}`)).body).to.deep.equal(receipt);
    const png = await fetch(`${service.url}/api/funds/receipts/${receipt.receiptId}/qr`);
    expect(png.headers.get("content-type")).to.match(/^image\/png/);
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).to.equal("PNG");
    const svg = await api.get(`/api/funds/receipts/${receipt.receiptId}/qr?format=svg`);
    expect(svg.body).to.match(/^<svg/);
    expect((await api.get("/api/funds/receipts/rcp_0000")).body.error.code).to.equal("FUNDS_RECEIPT_NOT_FOUND");

    // A transaction without a pledge of this campaign gets no receipt.
    const other = await api.post(`/api/funds/campaigns/${campaignIds.fails}/pledges`, { txHash: receipt.txHash });
    expect({ status: other.status, code: other.body.error.code }).to.deep.equal({ status: 404, code: "FUNDS_EVENT_NOT_FOUND" });
  });

  it("records an off-chain pledge: counted on chain, its receipt anchored in a batch and verified with its Merkle proof", async () => {
    const payerName = "Somchai Jaidee";
    const path = `/api/funds/campaigns/${campaignIds.succeeds}/offchain-pledges`;
    const { prepared, answer } = await signAndSubmit(
      treasurer,
      () => treasurer.post(`${path}/transaction`, { amount: "25000", method: "cash", paidOn: "2025-03-01", payerName }),
      path,
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    expect(prepared.document).not.to.contain(payerName);
    const document = JSON.parse(prepared.document);
    expect(document.payerCommitment).to.equal(saltedHash(prepared.payerSalt, payerName));
    expect(answer.body).to.include({ kind: "offchain-pledge", amount: "25000", receiptHash: prepared.receiptHash, document: prepared.document });
    expect(JSON.stringify(answer.body)).not.to.contain(prepared.payerSalt);

    const receipt = await eventually(
      async () => (await api.get(`/api/funds/receipts/${answer.body.receiptId}`)).body,
      (body) => body.proof !== null,
    );
    expect(receipt.proof.sha256).to.equal(prepared.receiptHash);
    const rpc = rpcProvider(service.rpcUrl);
    const verdict = await verifyPledgeReceipt(parsePledgeReceipt(receipt), rpc);
    expect(verdict.verdict, JSON.stringify(verdict.checks)).to.equal("valid");
    expect(verdict.checks.map((c) => c.name)).to.include.members(["document-hash", "recorded-on-chain", "anchor:proof-valid", "anchor:root-anchored"]);

    const forged = JSON.stringify({ ...document, amount: "2500000" });
    for (const tampered of [{ document: forged }, { document: forged, amount: "2500000" }, { amount: "1" }]) {
      expect((await verifyPledgeReceipt(parsePledgeReceipt({ ...receipt, ...tampered }), rpc)).verdict, JSON.stringify(tampered)).to.equal("invalid");
    }

    const campaign = (await api.get(`/api/funds/campaigns/${campaignIds.succeeds}`)).body;
    expect(campaign).to.include({ pledged: "600000", offchainTotal: "25000", progressPercent: 120, progressWithOffchainPercent: 125 });
    expect(campaign.pledges.map((p: { kind: string }) => p.kind)).to.deep.equal(["pledge", "offchain-pledge"]);
    expect(campaign.pledges[1].receiptHash).to.equal(prepared.receiptHash);
    expect(JSON.stringify(campaign)).not.to.contain(payerName);
  });

  it("refuses the treasurer's actions without a session, without the role, for another municipality, and signed by another key", async () => {
    const id_ = campaignIds.fails;
    const anonymous = await api.post(`/api/funds/campaigns/${id_}/open/transaction`);
    expect({ status: anonymous.status, code: anonymous.body.error.code }).to.deep.equal({ status: 401, code: "AUTH_REQUIRED" });

    const engineer = OfficerClient.demo(service.url, "engineer", service.rpcUrl);
    await engineer.signIn();
    const notTreasurer = await engineer.post(`/api/funds/campaigns/${id_}/cancel/transaction`, { reason: "no" });
    expect({ status: notTreasurer.status, code: notTreasurer.body.error.code }).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // The engineer's own cancel transaction, relayed: refused before it is broadcast.
    const fund = CivicFund__factory.createInterface();
    const cancelData = fund.encodeFunctionData("cancelCampaign", [id_, id("no")]);
    const signedByEngineer = await engineer.signTransaction({ to: contracts.civicFund, data: cancelData, gasLimit: GAS });
    const relayed = await engineer.post(`/api/funds/campaigns/${id_}/cancel`, { signedTransaction: signedByEngineer });
    expect({ status: relayed.status, code: relayed.body.error.code }).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    const createData = fund.encodeFunctionData("createCampaign", [1, demoToken, beneficiary, 1, (await chainTime()) + 3600, [1], id("rules")]);
    const engineerCreates = await engineer.post("/api/funds/campaigns", { signedTransaction: await engineer.signTransaction({ to: contracts.civicFund, data: createData, gasLimit: GAS }) });
    expect({ status: engineerCreates.status, code: engineerCreates.body.error.code }).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });

    // A treasurer of a second municipality has no say over Mae Hia's campaigns.
    const provider = rpcProvider(service.rpcUrl);
    const [nationalAdmin, otherAdmin, otherTreasurer] = [devWallet(0), devWallet(15), devWallet(16)].map((w) => w.connect(provider));
    const directory = Directory__factory.connect(contracts.directory, nationalAdmin);
    await (await directory.addMunicipality("TH-50-OTHER", "Another Town Municipality", otherAdmin.address)).wait();
    const otherId = Number(await directory.municipalityCount());
    await (await directory.connect(otherAdmin).grantRole(otherId, id("TREASURER"), otherTreasurer.address)).wait();
    const foreign = new OfficerClient(service.url, otherTreasurer as unknown as Wallet);
    await foreign.signIn();
    const foreignOpen = await foreign.post(`/api/funds/campaigns/${id_}/cancel/transaction`, { reason: "not ours" });
    expect({ status: foreignOpen.status, code: foreignOpen.body.error.code }).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    const foreignSigned = await foreign.signTransaction({ to: contracts.civicFund, data: cancelData, gasLimit: GAS });
    const foreignRelayed = await foreign.post(`/api/funds/campaigns/${id_}/cancel`, { signedTransaction: foreignSigned });
    expect({ status: foreignRelayed.status, code: foreignRelayed.body.error.code }).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });

    // The Mae Hia treasurer's session with a transaction signed by another key.
    const otherKey = await foreign.signTransaction({ to: contracts.civicFund, data: cancelData, gasLimit: GAS });
    const mismatch = await treasurer.post(`/api/funds/campaigns/${id_}/cancel`, { signedTransaction: otherKey });
    expect({ status: mismatch.status, code: mismatch.body.error.code }).to.deep.equal({ status: 403, code: "TX_SENDER_MISMATCH" });
    // A transaction for another campaign than the URL's.
    const wrongCampaign = await treasurer.post(`/api/funds/campaigns/${campaignIds.cancelled}/cancel`, {
      signedTransaction: await treasurer.signTransaction({ to: contracts.civicFund, data: cancelData, gasLimit: GAS }),
    });
    expect({ status: wrongCampaign.status, code: wrongCampaign.body.error.code }).to.deep.equal({ status: 400, code: "TX_INVALID" });
    expect((await api.get(`/api/funds/campaigns/${id_}`)).body.phase).to.equal("Funding");
  });

  it("cancels a campaign with a public reason, and the pledger takes their pledge back with a refund receipt", async () => {
    const campaignId = campaignIds.cancelled;
    await pledge(campaignId, 40000n);
    const { prepared, answer } = await signAndSubmit(
      treasurer,
      () => treasurer.post(`/api/funds/campaigns/${campaignId}/cancel/transaction`, { reason: CANCEL_REASON }),
      `/api/funds/campaigns/${campaignId}/cancel`,
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.phase).to.equal("Cancelled");
    expect(answer.body.cancellation.reasonHash).to.equal(prepared.reasonDocument.sha256);
    await refund(campaignId, 40000n);
  });

  async function refund(campaignId: number, amount: bigint) {
    const token = TestBahtToken__factory.connect(demoToken, rpcProvider(service.rpcUrl));
    const before = await token.balanceOf(resident().address);
    const sent = await CivicFund__factory.connect(contracts.civicFund, resident()).refund(campaignId);
    await sent.wait();
    expect(await token.balanceOf(resident().address)).to.equal(before + amount);
    const answer = await api.post(`/api/funds/campaigns/${campaignId}/refunds`, { txHash: sent.hash });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    expect(answer.body).to.include({ kind: "refund", amount: amount.toString() });
    const verdict = await verifyPledgeReceipt(parsePledgeReceipt(answer.body), rpcProvider(service.rpcUrl));
    expect(verdict.verdict, JSON.stringify(verdict.checks)).to.equal("valid");
    const campaign = (await api.get(`/api/funds/campaigns/${campaignId}`)).body;
    expect(campaign.refunded).to.equal(amount.toString());
    expect(campaign.refunds).to.have.length(1);
  }

  it("after the deadline: pays a succeeded campaign's milestones against evidence, and refunds a failed one", async () => {
    await pledge(campaignIds.fails, 100000n);
    const provider = rpcProvider(service.rpcUrl);
    await provider.send("evm_increaseTime", [7200]);
    await provider.send("evm_mine", []);
    expect((await api.get(`/api/funds/campaigns/${campaignIds.succeeds}`)).body.phase).to.equal("Succeeded");
    expect((await api.get(`/api/funds/campaigns/${campaignIds.fails}`)).body.phase).to.equal("Failed");

    const token = TestBahtToken__factory.connect(demoToken, provider);
    const paidBefore = await token.balanceOf(beneficiary);
    const campaignId = campaignIds.succeeds;
    for (const index of [0, 1]) {
      const form = new FormData();
      form.append("file", new Blob([`Invoice no. ${index + 1} of the contractor, paid for milestone ${index}.`], { type: "text/plain" }), "invoice.txt");
      const { prepared, answer } = await signAndSubmit(
        treasurer,
        () => treasurer.post(`/api/funds/campaigns/${campaignId}/milestones/${index}/transaction`, form),
        `/api/funds/campaigns/${campaignId}/milestones/${index}`,
      );
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      const release = answer.body.milestones[index].release;
      expect(release.evidenceHash).to.equal(prepared.evidence.sha256);
      expect(release.evidence.cid).to.equal(prepared.evidence.cid);
      expect(release.txHash).to.match(/^0x[0-9a-f]{64}$/);
    }
    // The last milestone pays what remains: the pledges above the goal reach the project too.
    expect(await token.balanceOf(beneficiary)).to.equal(paidBefore + 600000n);
    const campaign = (await api.get(`/api/funds/campaigns/${campaignId}`)).body;
    expect(campaign.milestones.map((m: { release: { amount: string } }) => m.release.amount)).to.deep.equal(["300000", "300000"]);
    expect(campaign).to.include({ released: "600000", escrowed: "0" });

    const refused = await api.post(`/api/funds/campaigns/${campaignIds.fails}/offchain-pledges/transaction`, {});
    expect(refused.status).to.equal(401);
    await refund(campaignIds.fails, 100000n);
  });

  it("refuses to cancel once the goal is reached; a funded campaign paid in part then left unpaid lapses, and the pledger takes back the rest", async () => {
    const fund = CivicFund__factory.connect(contracts.civicFund, rpcProvider(service.rpcUrl));
    expect(await fund.RELEASE_PERIOD()).to.equal(BigInt(RELEASE_PERIOD_SECONDS));
    const campaignId = await createAndOpen("200000", ["100000", "100000"]);
    await pledge(campaignId, 250000n);
    const cancel = await signAndSubmit(
      treasurer,
      () => treasurer.post(`/api/funds/campaigns/${campaignId}/cancel/transaction`, { reason: CANCEL_REASON }),
      `/api/funds/campaigns/${campaignId}/cancel`,
    );
    expect({ status: cancel.answer.status, code: cancel.answer.body.error.code }).to.deep.equal({ status: 409, code: "CHAIN_REJECTED" });
    expect(cancel.answer.body.error.message).to.contain(`CivicFundGoalReached(${campaignId}, 250000, 200000)`);

    const provider = rpcProvider(service.rpcUrl);
    await provider.send("evm_increaseTime", [7200]);
    await provider.send("evm_mine", []);
    const succeeded = (await api.get(`/api/funds/campaigns/${campaignId}`)).body;
    expect(succeeded).to.include({ phase: "Succeeded", releaseDeadline: succeeded.deadline + RELEASE_PERIOD_SECONDS });
    const form = new FormData();
    form.append("file", new Blob(["Invoice no. 1: the first half of the work."], { type: "text/plain" }), "invoice.txt");
    const { answer } = await signAndSubmit(
      treasurer,
      () => treasurer.post(`/api/funds/campaigns/${campaignId}/milestones/0/transaction`, form),
      `/api/funds/campaigns/${campaignId}/milestones/0`,
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const paidAt = Date.parse(answer.body.milestones[0].release.at) / 1000;
    // Each payment restarts the period the next one is due in.
    expect(answer.body.releaseDeadline).to.equal(paidAt + RELEASE_PERIOD_SECONDS);
    expect(answer.body.releaseDeadline).to.equal(Number(await fund.releaseDeadline(campaignId)));

    await provider.send("evm_increaseTime", [RELEASE_PERIOD_SECONDS + 60]);
    await provider.send("evm_mine", []);
    const lapsed = (await api.get(`/api/funds/campaigns/${campaignId}`)).body;
    expect(lapsed).to.include({ phase: "Lapsed", escrowed: "150000" });
    expect(await fund.phase(campaignId)).to.equal(6n);
    // The only pledger takes back all that was not released: 250,000 pledged − 100,000 paid.
    await refund(campaignId, 150000n);
    expect((await api.get(`/api/funds/campaigns/${campaignId}`)).body).to.include({ phase: "Lapsed", escrowed: "0", released: "100000" });
  });

  it("serves the campaigns' public documents from a fresh data folder: the same chain and IPFS blocks, no database", async () => {
    const ids = [campaignIds.succeeds, campaignIds.cancelled];
    const documentsOf = (campaign: any): Array<{ sha256: string; cid: string }> => [
      campaign.rulesDocument,
      ...campaign.milestones.filter((m: any) => m.release).map((m: any) => ({ sha256: m.release.evidenceHash, ...m.release.evidence })),
      ...(campaign.cancellation ? [{ sha256: campaign.cancellation.reasonHash, ...campaign.cancellation.reason }] : []),
    ];
    const served = await Promise.all(ids.map(async (id) => documentsOf((await api.get(`/api/funds/campaigns/${id}`)).body)));
    // The rules of both, two invoices, one cancellation decision.
    expect(served.map((documents) => documents.length)).to.deep.equal([3, 2]);

    expect(await service.stop()).to.equal(0);
    cpSync(dataDir, freshDir, { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${databasePath(freshDir)}${suffix}`, { force: true });
    service = await startService(freshDir);
    api = new ApiClient(service.url);

    for (const [i, id] of ids.entries()) {
      // The new replica reads CivicFund's events from the deployment block on: wait until it has the last one.
      const { body } = await eventually(
        () => api.get(`/api/funds/campaigns/${id}`),
        (answer) => answer.status === 200 && documentsOf(answer.body).length === served[i].length,
        60_000,
      );
      expect(documentsOf(body)).to.deep.equal(served[i]);
      for (const { sha256, cid } of documentsOf(body)) {
        expect(cid).to.equal(singleBlockCid(sha256));
        const bytes = await ipfsBytes(cid);
        expect(bytes, cid).to.be.instanceOf(Uint8Array);
        expect(sha256Of(bytes as Uint8Array)).to.equal(sha256);
      }
    }
    const reason = (await api.get(`/api/funds/campaigns/${campaignIds.cancelled}`)).body.cancellation.reason;
    expect(new TextDecoder().decode((await ipfsBytes(reason.cid)) as Uint8Array)).to.equal(CANCEL_REASON);
  });
});
