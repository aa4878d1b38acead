import { createHash } from "node:crypto";
import { join } from "node:path";
import { expect } from "chai";
import { Wallet, id, type ContractTransactionResponse } from "ethers";
import { createProvider } from "../../app/server/chain/client.js";
import { deployLedger, type LedgerDeployment } from "../../app/server/chain/deploy.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { profileDigest } from "../../app/shared/townPlan.js";
import { apiKeySha256, parseTownProfile } from "../../app/shared/townProfile.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { PermitRegistry__factory } from "../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import { ApiClient, OfficerClient, type ApiAnswer } from "./support/officerClient.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";
import { startTownNode, type TownNode } from "./support/townNode.js";

/**
 * The product on a chain as a town hall runs one: its own node (chain id 7001) making a block every
 * 2 seconds, CONFIRMATIONS=2, no demo seed. The town — its officers, a permit type whose approval chain
 * is a role of its own (SAFETY_OFFICER), a complaint category, its Open311 key — is set up with its
 * admin's own transactions in this fixture. A resident's filing is answered once accepted, before it
 * is on the chain, and shows confirmed later; officers' actions and a permit of the town's own type go
 * through. Every wait is on a condition, bounded.
 */
const CHAIN_ID = 7001;
const CONFIRMATIONS = 2;
const MUNICIPALITY_ID = 1;
const CODE = "TH-99-SAFETOWN";
const JURISDICTION = "safetown.go.th";
const OPEN311_KEY = "safetown-open311-key-for-this-test";
const SAFETY_OFFICER = id("SAFETY_OFFICER");
const FIRE_SAFETY = id("FIRE_SAFETY");
// Inside the town's area (the profile's polygon below).
const POINT = { lat: 13.755, long: 100.505 };
/** How long the index may take to read a block: CONFIRMATIONS blocks of 2 s, and some slack on a busy machine. */
const CONFIRMED_WITHIN_MS = 45_000;

const sha256 = (bytes: Uint8Array | string) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const permitPath = (number: string) => `/api/permits/${encodeURIComponent(number)}`;

function expectAnswer(answer: ApiAnswer, status: number): ApiAnswer {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
  return answer;
}

describe("the product on a real chain's defaults: 2-second blocks, CONFIRMATIONS=2, a town's own approval role", function () {
  this.timeout(420_000);
  const dataDir = tempDataDir("ledger-real-chain");
  const [national, admin, relayer, permitOfficerAccount, safetyOfficerAccount, , , , complaintOfficerAccount] = devAccounts();
  let node: TownNode;
  let service: RunningService;
  let resident: ApiClient;
  let permitOfficer: OfficerClient;
  let safetyOfficer: OfficerClient;
  let complaintOfficer: OfficerClient;

  /** Every transaction landed, each in a bounded wait: one that never lands fails here, by name. */
  const landed = async (sent: Array<Promise<ContractTransactionResponse>>) => {
    const provider = createProvider(node.url, CHAIN_ID, 200);
    try {
      for (const tx of await Promise.all(sent)) {
        expect(await provider.waitForTransaction(tx.hash, 1, 60_000), tx.hash).to.have.property("status", 1);
      }
    } finally {
      provider.destroy();
    }
  };

  before(async () => {
    node = await startTownNode(CHAIN_ID, 2);
    const provider = createProvider(node.url, CHAIN_ID, 200);
    ({ deployment } = await deployLedger({ rpcUrl: node.url, chainId: CHAIN_ID, dataDir, privateKeys: [national.privateKey], seedDemo: false }));
    const { contracts } = deployment;

    // The national admin adds the town; its admin grants the roles, defines the permit type whose
    // approval chain is the town's own SAFETY_OFFICER, and the complaint category.
    const nationalAdmin = new Wallet(national.privateKey, provider);
    await landed([Directory__factory.connect(contracts.directory, nationalAdmin).addMunicipality(CODE, "Safe Town", admin.address)]);
    const townAdmin = new Wallet(admin.privateKey, provider);
    const directory = Directory__factory.connect(contracts.directory, townAdmin);
    let nonce = await provider.getTransactionCount(admin.address, "pending");
    const next = () => ({ nonce: nonce++ });
    await landed([
      directory.grantRole(MUNICIPALITY_ID, id("ANCHOR_SERVICE"), relayer.address, next()),
      directory.grantRole(MUNICIPALITY_ID, id("PERMIT_OFFICER"), permitOfficerAccount.address, next()),
      directory.grantRole(MUNICIPALITY_ID, SAFETY_OFFICER, safetyOfficerAccount.address, next()),
      directory.grantRole(MUNICIPALITY_ID, id("COMPLAINT_OFFICER"), complaintOfficerAccount.address, next()),
      PermitRegistry__factory.connect(contracts.permitRegistry, townAdmin).definePermitType(MUNICIPALITY_ID, FIRE_SAFETY, [SAFETY_OFFICER], 365, next()),
      ComplaintLedger__factory.connect(contracts.complaintLedger, townAdmin).setCategory(MUNICIPALITY_ID, id("ROAD"), 7 * 86_400, true, next()),
    ]);
    // What the chain does not hold — names, the Open311 jurisdiction and key, the map area — is the
    // town's profile, published by its admin: its SHA-256 on the chain, its bytes to the API.
    const profile = parseTownProfile({
      version: 1,
      code: CODE,
      name: { th: "เทศบาลเมืองปลอดภัย", en: "Safe Town" },
      open311: { jurisdictionId: JURISDICTION, apiKeys: [{ label: "test client", sha256: apiKeySha256(OPEN311_KEY), createdAt: new Date().toISOString() }] },
      area: { type: "Polygon", coordinates: [[[100.49, 13.74], [100.52, 13.74], [100.52, 13.77], [100.49, 13.77], [100.49, 13.74]]] },
      roles: [{ code: "SAFETY_OFFICER", label: { th: "เจ้าหน้าที่ความปลอดภัยอาคาร", en: "Building safety officer" } }],
      permitTypes: [{ code: "FIRE_SAFETY", abbreviation: "FIRE", label: { th: "ใบรับรองความปลอดภัยอัคคีภัย", en: "Fire safety certificate" }, approvalRoles: ["SAFETY_OFFICER"], validityDays: 365 }],
      complaintCategories: [{ code: "ROAD", name: { th: "ถนนชำรุด", en: "Road damage" }, slaDays: 7 }],
    });
    const published = profileDigest(profile);
    await landed([directory.publishProfile(MUNICIPALITY_ID, published.sha256, published.cid)]);
    provider.destroy();

    serviceEnv = {
      CHAIN_RPC_URL: node.url,
      CHAIN_ID: String(CHAIN_ID),
      RELAYER_PRIVATE_KEY: relayer.privateKey,
      DEPLOYMENT_FILE: join(dataDir, "deployment.json"),
      CONFIRMATIONS: String(CONFIRMATIONS),
      ANCHOR_BATCH_MS: "200",
    };
    service = await startService(dataDir, serviceEnv);
    resident = new ApiClient(service.url);
    const stored = await fetch(`${service.url}/api/municipalities/${MUNICIPALITY_ID}/profile`, { method: "PUT", body: published.bytes });
    expect(stored.status, await stored.text()).to.equal(201);
    const officer = (account: { privateKey: string }) => new OfficerClient(service.url, new Wallet(account.privateKey, createProvider(node.url, CHAIN_ID, 200)));
    [permitOfficer, safetyOfficer, complaintOfficer] = [officer(permitOfficerAccount), officer(safetyOfficerAccount), officer(complaintOfficerAccount)];
    await Promise.all([permitOfficer, safetyOfficer, complaintOfficer].map((client) => client.signIn()));
    // The index reads the town CONFIRMATIONS blocks late: its category, once it offers it.
    await eventually(
      () => resident.get(`/open311/v2/services.json?jurisdiction_id=${JURISDICTION}`),
      (answer) => answer.status === 200 && answer.body.some((service: { service_code: string }) => service.service_code === "ROAD"),
      CONFIRMED_WITHIN_MS,
    );
  });

  let serviceEnv: Record<string, string>;
  let deployment: LedgerDeployment;
  /** A JSON-RPC call to the town's node. */
  const nodeRpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };

  after(async () => {
    await service?.stop();
    await node?.stop();
    cleanUp(dataDir);
  });

  const track = (code: string) => resident.get("/api/complaints/track", { "x-tracking-code": code });
  /** The tracking view, once the filing is CONFIRMATIONS blocks deep. */
  const confirmedView = (code: string) =>
    eventually(
      () => track(code),
      (answer) => answer.status === 200 && answer.body.confirmed === true,
      CONFIRMED_WITHIN_MS,
    );

  let webFiling: { complaintId: string; trackingCode: string; txHash: string };

  it("answers a web filing with its tracking code before the chain confirms it, and shows it confirmed later", async () => {
    const body = { municipalityId: MUNICIPALITY_ID, service_code: "ROAD", ...POINT, description: "A sinkhole by the school gate.", first_name: "Somsri", phone: "0891234567" };
    const filed = expectAnswer(await resident.post("/api/complaints", body), 201).body;
    expect(filed.trackingCode).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(filed).to.include({ confirmed: false });
    expect(filed.txHash).to.match(/^0x[0-9a-f]{64}$/);
    webFiling = filed;

    // Right away (well within CONFIRMATIONS × 2 s): accepted, its text readable with the code, not confirmed.
    const pending = expectAnswer(await track(filed.trackingCode), 200).body;
    expect(pending.confirmed).to.equal(false);
    expect(pending.complaint).to.include({ complaintId: filed.complaintId, detailedStatus: "filed" });
    expect(pending.content.description).to.equal("A sinkhole by the school gate.");
    expect(pending.filing.state).to.be.oneOf(["sent", "mined"]);

    const confirmed = (await confirmedView(filed.trackingCode)).body;
    expect(confirmed.complaint).to.include({ complaintId: filed.complaintId, detailedStatus: "filed", filedTx: filed.txHash });
    expect(confirmed.history.map((note: { status: string }) => note.status)).to.deep.equal(["filed"]);
    expect(confirmed.contentMatchesChain).to.equal(true);
  });

  it("answers an Open311 filing with its id, token and tracking code before confirmation, and serves it confirmed later", async () => {
    const fields = { jurisdiction_id: JURISDICTION, api_key: OPEN311_KEY, service_code: "ROAD", lat: String(POINT.lat), long: String(POINT.long), description: "Broken kerb" };
    const response = await fetch(`${service.url}/open311/v2/requests.json`, { method: "POST", body: new URLSearchParams(fields) });
    const text = await response.text();
    expect(response.status, text).to.be.oneOf([200, 201]);
    const [filed] = JSON.parse(text);
    expect(filed.service_request_id).to.match(/^0x[0-9a-f]{64}$/);
    expect(filed).to.include({ confirmed: false });
    expect(filed.token).to.be.a("string").and.not.empty;
    expect(filed.tracking_code).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    // The token names the request at once; the request itself is served pending, then confirmed.
    const byToken = expectAnswer(await resident.get(`/open311/v2/tokens/${filed.token}.json?jurisdiction_id=${JURISDICTION}`), 200).body;
    expect(byToken[0].service_request_id).to.equal(filed.service_request_id);
    const requestPath = `/open311/v2/requests/${filed.service_request_id}.json?jurisdiction_id=${JURISDICTION}&extensions=true`;
    expect(expectAnswer(await resident.get(requestPath), 200).body[0]).to.include({ status: "open", service_code: "ROAD" });
    const request = await eventually(
      () => resident.get(requestPath),
      (answer) => answer.status === 200 && answer.body[0].extended_attributes.confirmed === true,
      CONFIRMED_WITHIN_MS,
    );
    expect(request.body[0].notes.map((note: { summary: string }) => note.summary)).to.deep.equal(["filed"]);
    expect((await confirmedView(filed.tracking_code)).body.complaint.complaintId).to.equal(filed.service_request_id);
  });

  it("lets the complaint officer acknowledge, start and resolve with 2-second blocks, each answer showing the new status", async () => {
    const act = async (action: "acknowledge" | "start" | "resolve", evidence?: Uint8Array) => {
      const query = evidence ? `?evidenceHash=${sha256(evidence)}` : "";
      const call = expectAnswer(await complaintOfficer.get(`/api/complaints/${webFiling.complaintId}/actions/${action}/call${query}`), 200).body;
      const signedTransaction = await complaintOfficer.signTransaction({ to: call.to, data: call.data });
      if (!evidence) return expectAnswer(await complaintOfficer.post(`/api/complaints/${webFiling.complaintId}/${action}`, { signedTransaction }), 200).body;
      const form = new FormData();
      form.append("signedTransaction", signedTransaction);
      form.append("file", new Blob([evidence], { type: "image/jpeg" }), "fixed.jpg");
      return expectAnswer(await complaintOfficer.post(`/api/complaints/${webFiling.complaintId}/${action}`, form), 200).body;
    };
    expect(webFiling, "the web filing of the first test").to.not.equal(undefined);
    const acknowledged = await act("acknowledge");
    expect(acknowledged).to.include({ confirmed: true });
    expect(acknowledged.details.complaint.detailedStatus).to.equal("acknowledged");
    expect((await act("start")).details.complaint.detailedStatus).to.equal("in_progress");
    const photo = new Uint8Array(Buffer.from(`the sinkhole filled ${Date.now()}`));
    const resolved = await act("resolve", photo);
    expect(resolved).to.include({ confirmed: true });
    expect(resolved.details.complaint.detailedStatus).to.equal("resolved");
    expect(resolved.details.history.at(-1)).to.include({ status: "resolved", dataHash: sha256(photo), txHash: resolved.txHash });
    expect((await track(webFiling.trackingCode)).body.complaint.detailedStatus).to.equal("resolved");
  });

  it("takes a permit of the town's own type through completion, the SAFETY_OFFICER's step and issuance", async () => {
    const form = new FormData();
    const applicant = { name: "นายสมชาย ปลอดภัย", nationalId: "1-1001-00123-45-6", phone: "081-234-5678", address: "1 ถนนปลอดภัย" };
    form.append("application", JSON.stringify({ municipalityId: MUNICIPALITY_ID, type: "FIRE_SAFETY", parcel: "Lot 7, Safe Town", applicant }));
    form.append("file", new Blob([`Fire exits plan ${Date.now()}`], { type: "text/plain" }), "exits.txt");
    const applied = expectAnswer(await resident.post("/api/permits", form), 201).body;
    const path = permitPath(applied.number);

    const completion = expectAnswer(await permitOfficer.get(`${path}/completion/typed-data`), 200).body;
    const completionSignature = await permitOfficer.wallet.signTypedData(completion.domain, completion.types, completion.message);
    const { documentCount, nonce, deadline } = completion.message;
    expectAnswer(await permitOfficer.post(`${path}/complete`, { documentCount, nonce, deadline, signature: completionSignature }), 200);

    // The console offers the step to the officer holding the town's own role: it is in their queue,
    // its role the one their session lists, and the permit's private view opens for them.
    const queued = await eventually(
      () => safetyOfficer.get("/api/permits/queue"),
      (answer) => answer.body.permits?.some((permit: { number: string }) => permit.number === applied.number),
      CONFIRMED_WITHIN_MS,
    );
    const item = queued.body.permits.find((permit: { number: string }) => permit.number === applied.number);
    expect(item).to.include({ action: "decide", role: "SAFETY_OFFICER", roleId: SAFETY_OFFICER });
    const session = expectAnswer(await safetyOfficer.get("/api/auth/session"), 200).body;
    const held = session.roles.find((role: { municipalityId: number; roleId: string }) => role.municipalityId === MUNICIPALITY_ID && role.roleId === SAFETY_OFFICER);
    expect(held).to.include({ role: "SAFETY_OFFICER" });
    const privateView = expectAnswer(await safetyOfficer.get(`${path}/private`), 200).body;
    expect(privateView.steps[0]).to.include({ role: "SAFETY_OFFICER", roleId: SAFETY_OFFICER, awaiting: true });

    const typed = expectAnswer(await safetyOfficer.get(`${path}/steps/next/typed-data`), 200).body;
    expect(typed).to.include({ stepIndex: 0, role: "SAFETY_OFFICER" });
    expect(typed.message.role).to.equal(SAFETY_OFFICER);
    const m = typed.message;
    const signature = await safetyOfficer.wallet.signTypedData(typed.domain, typed.types, m);
    const decided = expectAnswer(
      await safetyOfficer.post(`${path}/steps/decisions`, { stepIndex: m.stepIndex, decision: "approve", noteHash: m.noteHash, nonce: m.nonce, deadline: m.deadline, signature }),
      200,
    ).body;
    expect(decided).to.include({ state: "Approved", role: "SAFETY_OFFICER" });

    // Right after the last step: the certificate lists it, though the index reads it blocks later.
    const draft = expectAnswer(await permitOfficer.post(`${path}/certificate/drafts`), 201).body;
    const issuance = draft.typedData;
    const issuanceSignature = await permitOfficer.wallet.signTypedData(issuance.domain, issuance.types, issuance.message);
    const issued = expectAnswer(
      await permitOfficer.post(`${path}/certificate`, {
        certificateHash: issuance.message.certificateHash,
        nonce: issuance.message.nonce,
        deadline: issuance.message.deadline,
        signature: issuanceSignature,
      }),
      201,
    ).body;
    // The resident downloads it at once, before the index has read the issuance.
    const pdf = await fetch(`${service.url}${path}/certificate.pdf`, { headers: { "x-tracking-code": applied.trackingCode } });
    expect(pdf.status).to.equal(200);
    expect(sha256(new Uint8Array(await pdf.arrayBuffer()))).to.equal(issued.certificateSha256);

    const view = await eventually(
      () => resident.get(path),
      (answer) => answer.body.state === "Issued" && answer.body.steps[0].txHash !== null,
      CONFIRMED_WITHIN_MS,
    );
    expect(view.body.verdict).to.equal("valid");
    expect(view.body.steps[0]).to.include({ role: "SAFETY_OFFICER", decision: "approve", officer: safetyOfficerAccount.address });
  });
  it("files an accepted complaint after a crash between accepting and mining, once", async () => {
    // The node makes no block for a while: the filing waits in its pool when the service is killed,
    // and the node forgets it (as a restarted node forgets its pool).
    await nodeRpc("evm_setIntervalMining", [0]);
    let filed: { complaintId: string; trackingCode: string; txHash: string };
    try {
      const body = { municipalityId: MUNICIPALITY_ID, service_code: "ROAD", ...POINT, description: "Filed just before the power cut." };
      filed = expectAnswer(await resident.post("/api/complaints", body), 201).body;
      await service.kill();
      await nodeRpc("anvil_dropAllTransactions");
      expect(await nodeRpc("eth_getTransactionByHash", [filed.txHash])).to.equal(null);
    } finally {
      await nodeRpc("evm_setIntervalMining", [2]);
    }
    service = await startService(dataDir, serviceEnv);
    resident = new ApiClient(service.url);

    const confirmed = (await confirmedView(filed.trackingCode)).body;
    expect(confirmed.complaint.complaintId).to.equal(filed.complaintId);
    expect(confirmed.content.description).to.equal("Filed just before the power cut.");
    expect(confirmed.complaint.filedTx, "sent again after the restart").to.not.equal(filed.txHash);
    // Filed once: the chain holds one ComplaintFiled per filing this test made (web, Open311, this one).
    const provider = createProvider(node.url, CHAIN_ID, 200);
    try {
      const ledger = ComplaintLedger__factory.connect(deployment.contracts.complaintLedger, provider);
      const filings = await ledger.queryFilter(ledger.filters.ComplaintFiled(), deployment.deploymentBlock);
      expect(filings.map((event) => event.args.complaintId)).to.have.lengthOf(3).and.include(filed.complaintId);
    } finally {
      provider.destroy();
    }
  });
});
