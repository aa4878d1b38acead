import { expect } from "chai";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Contract, Wallet, id, type ContractTransactionResponse } from "ethers";
import { devAccounts, type DevRole } from "../../app/server/chain/devAccounts.js";
import { complaintIdOf } from "../../app/server/services/complaints/filing.js";
import { reasonHashOf } from "../../app/shared/issuance.js";
import { leafOf, rootFromProof } from "../../app/shared/merkleProof.js";
import { PERMIT_REGISTRY_TYPES, permitRegistryDomain } from "../../app/shared/typedData.js";
import { TRAIL_EVENT_ABI, TRAIL_INTERFACES, type AuditEvent, type TrailContract } from "../../app/shared/trailEvents.js";
import { BatchAnchor__factory } from "../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { CivicFund__factory } from "../../types/ethers-contracts/factories/CivicFund__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { PermitRegistry__factory } from "../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import { TestBahtToken__factory } from "../../types/ethers-contracts/factories/mocks/TestBahtToken__factory.js";
import { DocumentIssuer, devWallet, signRecordRevocation } from "./support/issuer.js";
import { runLedger } from "./support/ledgerCli.js";
import { ApiClient } from "./support/officerClient.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * The audit trail against the service as `npm start` runs it: a history seeded straight on the chain
 * with the demo officers' keys (the API's own workflows play no part, but for two documents issued and
 * one revoked through the API), read back through the audit routes and `ledger audit`, then the database
 * tampered with behind the service's back.
 */
const SYSTEM_NODE = "/usr/bin/node";
const MAEHIA = 1;
const PERMIT_NUMBER = "TH-50-MAEHIA/BP/2026/0042";
const PERMIT_ID = id(PERMIT_NUMBER);
const FILING_ID = id("complaint: pothole on Mae Hia road 3");
// Filed by the ledger service's relayer key, so ComplaintLedger gives it this id.
const COMPLAINT_ID = complaintIdOf(MAEHIA, devAccounts().find((a) => a.role === "ledgerService")!.address, FILING_ID);
/** The names the demo seed publishes on the chain (scripts/ignition/modules/DemoSeed.ts). */
const NAMES: Partial<Record<DevRole, string>> = {
  permitOfficer: "เจ้าหน้าที่ สมหญิง (demo)",
  engineer: "วิศวกร สมศักดิ์ (demo)",
  director: "ผู้อำนวยการกองช่าง สมชาย (demo)",
  mayor: "นายกเทศมนตรี สมพร (demo)",
  complaintOfficer: "เจ้าหน้าที่รับเรื่องร้องเรียน สมบัติ (demo)",
};
const REVOCATION_WORDS = "Signed for the wrong parcel; replaced by letter 17/2026.";
const NEWCOMER_NAME = "วิศวกร ทดลองงาน (test)";
const DIRECTORY_ABI = [
  "function grantRole(uint32 municipalityId, bytes32 role, address account)",
  "function revokeRole(uint32 municipalityId, bytes32 role, address account)",
  "function setOfficerName(uint32 municipalityId, address account, string name)",
  "function markKeyCompromised(uint32 municipalityId, address account, uint64 since)",
];
const address = (role: DevRole) => devAccounts().find((a) => a.role === role)!.address;
const STEPS: Array<[DevRole, string]> = [
  ["engineer", "ENGINEER"],
  ["director", "DIRECTOR"],
  ["mayor", "MAYOR"],
];

/** RFC 4180 text → rows of fields (quoted fields, doubled quotes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += c;
  }
  expect(field, "the CSV ends with CRLF").to.equal("");
  return rows;
}

describe("audit: trails, chain checks, exports and `ledger audit`", function () {
  this.timeout(240_000);
  const dataDir = tempDataDir("ledger-audit");
  let service: RunningService;
  let api: ApiClient;
  let campaignId: string;
  /** Two documents the permit officer issued through the API; the second one revoked. */
  let documents: string[];
  let newcomer: { address: string };
  /** The day (UTC) the permit and complaint were recorded, and the later day the campaign was. */
  let firstDay: string;
  let fundDay: string;

  const cli = (args: string[], node = process.execPath) => runLedger(["audit", ...args], { node, env: { HOME: process.env.HOME ?? dataDir } });
  const day = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

  before(async () => {
    service = await startService(dataDir);
    api = new ApiClient(service.url);
    const { contracts, chainId } = (await api.get("/api/health")).body.chain;
    const provider = rpcProvider(service.rpcUrl);
    const wallet = (role: DevRole) => new Wallet(devAccounts().find((a) => a.role === role)!.privateKey, provider);
    const mined = async (sent: Promise<ContractTransactionResponse>) => (await (await sent).wait())!;

    // A building permit: applied for through the ledger service; completed, decided by three officers
    // and issued, each act an EIP-712 signature of its officer that the service relays.
    const relayer = wallet("ledgerService");
    const registry = PermitRegistry__factory.connect(contracts.permitRegistry, relayer);
    await mined(registry.applyForPermit(PERMIT_NUMBER, MAEHIA, id("BUILDING"), [id("site plan.pdf")], id("salt:applicant")));
    const domain = permitRegistryDomain(chainId, contracts.permitRegistry);
    const permitOfficer = wallet("permitOfficer");
    const inAnHour = async () => BigInt((await provider.getBlock("latest"))!.timestamp + 3600);
    const completion = { permitId: PERMIT_ID, documentCount: 1, nonce: await registry.nonces(permitOfficer.address), deadline: await inAnHour() };
    const completionSignature = await permitOfficer.signTypedData(domain, { Completion: PERMIT_REGISTRY_TYPES.Completion }, completion);
    await mined(registry.markComplete(PERMIT_ID, permitOfficer.address, completion.deadline, completionSignature));
    for (const [stepIndex, [role, roleName]] of STEPS.entries()) {
      const officer = wallet(role);
      const value = {
        permitId: PERMIT_ID,
        stepIndex,
        role: id(roleName),
        decision: 1,
        noteHash: id(`${role}'s note`),
        nonce: await registry.nonces(officer.address),
        deadline: BigInt((await provider.getBlock("latest"))!.timestamp + 3600),
      };
      const signature = await officer.signTypedData(domain, { StepDecision: PERMIT_REGISTRY_TYPES.StepDecision }, value);
      await mined(registry.decide(PERMIT_ID, stepIndex, 1, value.noteHash, officer.address, value.deadline, signature));
    }
    const issuance = {
      permitId: PERMIT_ID,
      certificateHash: id("certificate.pdf"),
      cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
      nonce: await registry.nonces(permitOfficer.address),
      deadline: await inAnHour(),
    };
    const issuanceSignature = await permitOfficer.signTypedData(domain, { Issuance: PERMIT_REGISTRY_TYPES.Issuance }, issuance);
    await mined(registry.issue(PERMIT_ID, issuance.certificateHash, issuance.cid, permitOfficer.address, issuance.deadline, issuanceSignature));

    // A complaint filed through the service and moved by the complaint officer.
    const ledger = ComplaintLedger__factory.connect(contracts.complaintLedger, relayer);
    await mined(ledger.file(FILING_ID, MAEHIA, id("ROAD"), id("village 3"), id("complaint text"), id("salt:reporter")));
    const officer = ledger.connect(wallet("complaintOfficer"));
    await mined(officer.acknowledge(COMPLAINT_ID));
    await mined(officer.startWork(COMPLAINT_ID, id("work order 17")));
    await mined(officer.resolve(COMPLAINT_ID, id("photo of the repaired road")));

    // Two letters issued by the town's DOCUMENT_ISSUER (the permit officer) through the API, in one
    // signature; once anchored, the second is revoked with the officer's signature and a reason.
    const issuer = await DocumentIssuer.of(service.url);
    const letters = [1, 2].map((n) => new TextEncoder().encode(`Official letter ${n} of Mae Hia, ${Date.now()}`));
    documents = letters.map(sha256Of);
    const upload = await fetch(`${service.url}/api/documents/batch`, { method: "POST", body: await issuer.form(letters) });
    expect(upload.status, await upload.clone().text()).to.equal(201);
    const bundles = await Promise.all(documents.map((sha) => eventually(() => api.get(`/api/proofs/${sha}`), (answer) => answer.status === 200)));
    const revocation = await signRecordRevocation(devWallet("permitOfficer"), issuer.chain, {
      municipalityId: bundles[1].body.municipalityId,
      root: bundles[1].body.root,
      leaf: bundles[1].body.leaf,
      reasonCode: 1,
      reasonHash: reasonHashOf(REVOCATION_WORDS),
    });
    const revoked = await api.post(`/api/documents/${documents[1]}/revocation`, { reasonCode: 1, reason: REVOCATION_WORDS, ...revocation });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);

    // The town's admin takes on an engineer, publishes their name, then revokes the role and marks the
    // key compromised from a minute ago.
    newcomer = Wallet.createRandom();
    const directory = new Contract(contracts.directory, DIRECTORY_ABI, wallet("municipalityAdmin"));
    await mined(directory.grantRole(MAEHIA, id("ENGINEER"), newcomer.address));
    await mined(directory.setOfficerName(MAEHIA, newcomer.address, NEWCOMER_NAME));
    await mined(directory.revokeRole(MAEHIA, id("ENGINEER"), newcomer.address));
    await mined(directory.markKeyCompromised(MAEHIA, newcomer.address, (await provider.getBlock("latest"))!.timestamp - 60));

    // Three days later, a campaign in THBT: created and opened by the treasurer, a resident pledges.
    await provider.send("evm_increaseTime", [3 * 86_400]);
    await provider.send("evm_mine", []);
    const treasurer = wallet("treasurer");
    const resident = wallet("resident");
    const token = await (await new TestBahtToken__factory(treasurer).deploy()).waitForDeployment();
    const fund = CivicFund__factory.connect(contracts.civicFund, treasurer);
    const deadline = (await provider.getBlock("latest"))!.timestamp + 30 * 86_400;
    await mined(fund.createCampaign(MAEHIA, await token.getAddress(), treasurer.address, 100_000n, deadline, [60_000n, 40_000n], id("rules.pdf")));
    campaignId = (await fund.campaignCount()).toString();
    await mined(fund.openCampaign(campaignId));
    await mined(token.connect(resident).mint(resident.address, 25_000n));
    await mined(token.connect(resident).approve(contracts.civicFund, 25_000n));
    await mined(fund.connect(resident).pledge(campaignId, 12_345n));
    provider.destroy();

    // The indexer follows the chain on its own; wait until it has read the pledge.
    await eventually(
      () => api.get(`/api/audit/funds/${campaignId}`),
      (answer) => answer.status === 200 && answer.body.events.some((e: AuditEvent) => e.event === "Pledged"),
    );
    const permit = (await api.get(`/api/audit/permits/${PERMIT_ID}`)).body.events as AuditEvent[];
    const complaint = (await api.get(`/api/audit/complaints/${COMPLAINT_ID}`)).body.events as AuditEvent[];
    const campaign = (await api.get(`/api/audit/funds/${campaignId}`)).body.events as AuditEvent[];
    firstDay = day(permit[0].timestamp);
    fundDay = day(campaign[0].timestamp);
    expect(day(complaint.at(-1)!.timestamp) < fundDay, "the campaign is recorded on a later day").to.equal(true);
  });

  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  it("keeps its event fragments equal to the compiled contracts' events", () => {
    const factories = {
      permitRegistry: PermitRegistry__factory,
      complaintLedger: ComplaintLedger__factory,
      civicFund: CivicFund__factory,
      batchAnchor: BatchAnchor__factory,
      directory: Directory__factory,
    };
    for (const contract of Object.keys(TRAIL_EVENT_ABI) as TrailContract[]) {
      const compiled: string[] = [];
      factories[contract].createInterface().forEachEvent((event) => compiled.push(event.format("full")));
      const kept: string[] = [];
      TRAIL_INTERFACES[contract].forEachEvent((event) => kept.push(event.format("full")));
      expect(kept.sort(), contract).to.deep.equal(compiled.sort());
    }
  });

  it("answers a permit's trail, by number or id, in chain order with tx hashes, blocks and role names", async () => {
    const byNumber = await api.get(`/api/audit/permits/${encodeURIComponent(PERMIT_NUMBER)}`);
    expect(byNumber.status).to.equal(200);
    const byId = await api.get(`/api/audit/permits/${PERMIT_ID.toUpperCase().replace("0X", "0x")}`);
    expect(byId.body).to.deep.equal(byNumber.body);
    const trail = byNumber.body;
    expect(trail).to.include({ kind: "permits", subject: PERMIT_ID, number: PERMIT_NUMBER, municipalityId: MAEHIA });
    expect(trail.checked).to.equal(undefined);
    const events = trail.events as AuditEvent[];
    expect(events.map((e) => e.event)).to.deep.equal([
      "PermitApplied",
      "PermitCompleted",
      "PermitStepDecided",
      "PermitStepDecided",
      "PermitStepDecided",
      "PermitApproved",
      "PermitIssued",
    ]);
    const positions = events.map((e) => [e.blockNumber, e.logIndex]);
    expect(positions).to.deep.equal([...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    const provider = rpcProvider(service.rpcUrl);
    try {
      for (const event of events) {
        const receipt = (await provider.getTransactionReceipt(event.txHash))!;
        expect(receipt.blockNumber).to.equal(event.blockNumber);
        expect(receipt.logs.some((log) => log.index === event.logIndex)).to.equal(true);
        expect(event.time).to.equal(new Date(event.timestamp * 1000).toISOString());
      }
    } finally {
      provider.destroy();
    }
    const decided = events.filter((e) => e.event === "PermitStepDecided");
    expect(decided.map((e) => e.roleNames)).to.deep.equal(STEPS.map(([, role]) => ({ role })));
    expect(decided.map((e) => e.args.officer)).to.deep.equal(STEPS.map(([role]) => devAccounts().find((a) => a.role === role)!.address));
    const permitOfficer = devAccounts().find((a) => a.role === "permitOfficer")!.address;
    const signedActs = events.filter((e) => e.event === "PermitCompleted" || e.event === "PermitIssued");
    expect(signedActs.map((e) => e.args.officer)).to.deep.equal([permitOfficer, permitOfficer]);
    const relayer = devAccounts().find((a) => a.role === "ledgerService")!.address;
    expect(
      [...decided, ...signedActs].every((e) => e.sender === relayer),
      "the service relayed the officers' signatures",
    ).to.equal(true);

    // In words: the permit number on every event, who signed each act in which role under the name the
    // town published on the chain, and what they decided.
    expect(events.every((e) => e.number === PERMIT_NUMBER)).to.equal(true);
    expect(decided.map((e) => [e.actor, e.actorName, e.actorRole, e.decision])).to.deep.equal(
      STEPS.map(([role, roleName]) => [address(role), NAMES[role], roleName, "approve"]),
    );
    expect(signedActs.map((e) => [e.actorName, e.actorRole])).to.deep.equal([
      [NAMES.permitOfficer, "PERMIT_OFFICER"],
      [NAMES.permitOfficer, "PERMIT_OFFICER"],
    ]);
    expect(events[0]).to.include({ actor: relayer, actorRole: null, decision: null, reason: null, records: null });
    expect(events.find((e) => e.event === "PermitApproved")).to.include({ actor: null, decision: "approve" });
  });

  it("answers a complaint's and a campaign's trail, amounts as decimal strings", async () => {
    const complaint = await api.get(`/api/audit/complaints/${COMPLAINT_ID}`);
    expect(complaint.status).to.equal(200);
    expect(complaint.body.events.map((e: AuditEvent) => [e.event, e.args.status ?? null])).to.deep.equal([
      ["ComplaintFiled", null],
      ["ComplaintStatusChanged", "2"],
      ["ComplaintStatusChanged", "3"],
      ["ComplaintStatusChanged", "4"],
    ]);
    const officer = devAccounts().find((a) => a.role === "complaintOfficer")!.address;
    expect(complaint.body.events.slice(1).every((e: AuditEvent) => e.sender === officer)).to.equal(true);
    expect(complaint.body.events.slice(1).map((e: AuditEvent) => [e.actorName, e.actorRole, e.decision])).to.deep.equal(
      ["acknowledged", "in_progress", "resolved"].map((status) => [NAMES.complaintOfficer, "COMPLAINT_OFFICER", status]),
    );

    const campaign = await api.get(`/api/audit/funds/${campaignId}`);
    expect(campaign.body).to.include({ kind: "funds", subject: campaignId, municipalityId: MAEHIA });
    const events = campaign.body.events as AuditEvent[];
    expect(events.map((e) => e.event)).to.deep.equal(["CampaignCreated", "CampaignOpened", "Pledged"]);
    expect(events[0].args).to.include({ goal: "100000" });
    expect(events[0].args.milestoneAmounts).to.deep.equal(["60000", "40000"]);
    expect(events[2].args).to.include({ amount: "12345", campaignTotal: "12345" });
  });

  it("reports every event matching when asked to check against the chain", async () => {
    for (const path of [`permits/${PERMIT_ID}`, `complaints/${COMPLAINT_ID}`, `funds/${campaignId}`]) {
      const answer = await api.get(`/api/audit/${path}?check=chain`);
      expect(answer.status, path).to.equal(200);
      const { checked, events } = answer.body;
      expect(checked.ok, path).to.equal(true);
      expect(checked.events.map((e: { status: string }) => e.status)).to.deep.equal(events.map(() => "match"));
      expect(checked.events.every((e: { blockHash: string }) => /^0x[0-9a-f]{64}$/.test(e.blockHash))).to.equal(true);
    }
  });

  it("exports a municipality's trail as CSV and JSON that agree, filtered by date", async () => {
    const json = await api.get(`/api/audit/export?municipality=1&from=${firstDay}&to=${fundDay}&format=json`);
    expect(json.status).to.equal(200);
    expect(json.headers.get("content-disposition")).to.match(/^attachment; filename="?audit-municipality-1-[\w-]+\.json"?$/);
    const events = json.body.events as AuditEvent[];
    expect(json.body.count).to.equal(events.length);
    expect(events.every((e) => e.municipalityId === MAEHIA)).to.equal(true);
    expect(events.filter((e) => e.subject === PERMIT_ID)).to.have.length(7);
    expect(events.filter((e) => e.subject === COMPLAINT_ID)).to.have.length(4);
    expect(events.filter((e) => e.contract === "civicFund")).to.have.length(3);

    const csv = await api.get(`/api/audit/export?municipality=1&from=${firstDay}&to=${fundDay}&format=csv`);
    expect(csv.status).to.equal(200);
    expect(csv.headers.get("content-type")).to.match(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get("content-disposition")).to.match(/^attachment; filename="?audit-municipality-1-[\w-]+\.csv"?$/);
    const [header, ...rows] = parseCsv(csv.body as string);
    expect(header).to.deep.equal([
      "block_number",
      "log_index",
      "time",
      "timestamp",
      "tx_hash",
      "contract",
      "event",
      "subject",
      "municipality_id",
      "sender",
      "args",
      "role_names",
      "permit_number",
      "actor",
      "actor_name",
      "actor_role",
      "decision",
      "reason_code",
      "reason_th",
      "reason_en",
      "reason_words",
      "account_name",
      "records",
    ]);
    const cell = (value: string | number | null | undefined) => (value === null || value === undefined ? "" : String(value));
    expect(rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])))).to.deep.equal(
      events.map((e) => ({
        block_number: String(e.blockNumber),
        log_index: String(e.logIndex),
        time: e.time,
        timestamp: String(e.timestamp),
        tx_hash: e.txHash,
        contract: e.contract,
        event: e.event,
        subject: e.subject,
        municipality_id: String(e.municipalityId),
        sender: e.sender,
        args: JSON.stringify(e.args),
        role_names: e.roleNames ? JSON.stringify(e.roleNames) : "",
        permit_number: cell(e.number),
        actor: cell(e.actor),
        actor_name: cell(e.actorName),
        actor_role: cell(e.actorRole),
        decision: cell(e.decision),
        reason_code: cell(e.reason?.code),
        reason_th: cell(e.reason?.th),
        reason_en: cell(e.reason?.en),
        reason_words: cell(e.reasonWords),
        account_name: cell(e.accountName),
        records: e.records ? JSON.stringify(e.records) : "",
      })),
    );
    expect(rows.some((cells) => cells[header.indexOf("actor_name")] === NAMES.engineer), "Thai names survive the CSV").to.equal(true);
    expect(rows.some((cells) => cells[10].includes('"') && cells[10].includes(",")), "JSON cells were quoted and read back").to.equal(true);

    const early = (await api.get(`/api/audit/export?municipality=1&to=${firstDay}`)).body.events as AuditEvent[];
    expect(early.some((e) => e.subject === PERMIT_ID)).to.equal(true);
    expect(early.some((e) => e.contract === "civicFund")).to.equal(false);
    const late = (await api.get(`/api/audit/export?municipality=1&from=${fundDay}`)).body.events as AuditEvent[];
    expect(late.map((e) => e.event)).to.deep.equal(["CampaignCreated", "CampaignOpened", "Pledged"]);
  });

  it("exports every anchored batch with its records, who issued each document, and the revocation in words", async () => {
    const events = (await api.get(`/api/audit/export?municipality=1&from=${firstDay}&to=${fundDay}`)).body.events as AuditEvent[];
    const anchorService = address("ledgerService");
    const batches = events.filter((e) => e.event === "BatchAnchored");
    expect(batches.length).to.be.greaterThan(0);
    for (const batch of batches) {
      expect(batch).to.include({ contract: "batchAnchor", subject: batch.args.root, municipalityId: MAEHIA, actor: anchorService, actorRole: "ANCHOR_SERVICE" });
      expect(batch.records!.length).to.equal(Number(batch.args.count));
      for (const record of batch.records!) {
        expect(record.leaf).to.equal(leafOf(record.sha256));
        expect(rootFromProof(record.leaf, record.proof!)).to.equal(batch.args.root);
      }
    }
    const records = batches.flatMap((batch) => batch.records!.map((record) => ({ ...record, root: batch.args.root, txHash: batch.txHash })));
    const issuer = { address: address("permitOfficer"), name: NAMES.permitOfficer, role: "DOCUMENT_ISSUER" };
    const issuance = records.find((record) => record.kind === "issuance")!;
    expect(issuance.issuer).to.deep.equal(issuer);
    expect(issuance.issuance).to.include({ sha256: issuance.sha256, signer: issuer.address, count: 2, municipalityId: MAEHIA });
    for (const sha of documents) {
      const document = records.find((record) => record.sha256 === sha)!;
      expect(document, sha).to.include({ kind: "document" });
      expect(document.issuer).to.deep.equal(issuer);
      expect(document.issuance).to.include({ sha256: issuance.sha256, signature: issuance.issuance!.signature });
    }

    const revoked = events.find((e) => e.event === "RecordRevoked")!;
    expect(revoked).to.include({
      contract: "batchAnchor",
      actor: issuer.address,
      actorName: NAMES.permitOfficer,
      actorRole: "DOCUMENT_ISSUER",
      decision: "revoke",
      reasonWords: REVOCATION_WORDS,
    });
    expect(revoked.reason).to.deep.equal({ code: 1, th: "ออกเอกสารโดยผิดพลาด", en: "Issued in error" });
    expect(revoked.args).to.include({ leaf: leafOf(documents[1]), reasonHash: reasonHashOf(REVOCATION_WORDS) });
    expect(revoked.records!.map((record) => [record.kind, record.sha256])).to.deep.equal([["document", documents[1]]]);
    expect(revoked.args.root).to.equal(records.find((record) => record.sha256 === documents[1])!.root);
  });

  it("exports the Directory's role grants and revocations, published names and compromised keys, with who made them", async () => {
    const events = (await api.get("/api/audit/export?municipality=1")).body.events as AuditEvent[];
    const admin = address("municipalityAdmin");
    const directory = events.filter((e) => e.contract === "directory");
    // The demo seed: the national admin registered the town, its admin granted the roles and named the officers.
    expect(directory[0]).to.include({ event: "MunicipalityAdded", actor: address("nationalAdmin"), actorRole: "NATIONAL_ADMIN" });
    const engineerGrant = directory.find((e) => e.event === "OfficerRoleGranted" && e.args.account === address("engineer"))!;
    expect(engineerGrant).to.include({ actor: admin, actorRole: "MUNICIPALITY_ADMIN", decision: "grant", accountName: NAMES.engineer });
    expect(engineerGrant.roleNames).to.deep.equal({ role: "ENGINEER" });

    const newcomerEvents = directory.filter((e) => e.args.account === newcomer.address);
    expect(newcomerEvents.map((e) => [e.event, e.decision, e.actorRole, e.accountName])).to.deep.equal([
      ["OfficerRoleGranted", "grant", "MUNICIPALITY_ADMIN", NEWCOMER_NAME],
      ["OfficerNamed", null, "MUNICIPALITY_ADMIN", NEWCOMER_NAME],
      ["OfficerRoleRevoked", "revoke", "MUNICIPALITY_ADMIN", NEWCOMER_NAME],
      ["KeyCompromised", "compromised", "MUNICIPALITY_ADMIN", NEWCOMER_NAME],
    ]);
    expect(newcomerEvents.every((e) => e.actor === admin && e.subject === newcomer.address)).to.equal(true);
    expect(newcomerEvents[1].args.name).to.equal(NEWCOMER_NAME);
  });

  it("lists the municipalities, limits an export to one permit and checks an export against the chain", async () => {
    const list = await api.get("/api/audit/municipalities");
    // The demo's two towns, named as their profiles name them (scripts/towns/).
    expect(list.body.municipalities).to.deep.equal([
      { id: 1, code: "TH-50-MAEHIA", suspended: false, th: "เทศบาลเมืองแม่เหียะ", en: "Mae Hia Town Municipality" },
      { id: 2, code: "TH-95-YALA", suspended: false, th: "เทศบาลนครยะลา", en: "Yala City Municipality" },
    ]);

    const permit = await api.get(`/api/audit/export?municipality=1&permit=${encodeURIComponent(PERMIT_NUMBER)}&check=chain`);
    expect(permit.status).to.equal(200);
    expect(permit.headers.get("content-disposition")).to.include("TH-50-MAEHIA_BP_2026_0042");
    expect(permit.body).to.include({ format: "public-service-ledger/audit-export@2", permit: PERMIT_NUMBER, count: 7 });
    expect((permit.body.events as AuditEvent[]).every((e) => e.subject === PERMIT_ID && e.number === PERMIT_NUMBER)).to.equal(true);
    expect(permit.body.checked).to.include({ against: "chain", ok: true, chainEvents: 7 });
    expect(permit.body.checked.differences).to.deep.equal([]);

    const whole = (await api.get(`/api/audit/export?municipality=1&from=${firstDay}&to=${fundDay}&check=chain`)).body;
    expect(whole.checked).to.include({ ok: true, chainEvents: whole.count });
    expect(Object.keys(whole.contracts).sort()).to.deep.equal(["batchAnchor", "civicFund", "complaintLedger", "directory", "permitRegistry"]);
  });

  it("answers bad ids, dates and formats with 400 and unknown subjects with 404", async () => {
    const expectError = async (path: string, status: number, code: string) => {
      const answer = await api.get(path);
      expect({ path, status: answer.status, code: answer.body.error?.code }).to.deep.equal({ path, status, code });
    };
    await expectError("/api/audit/complaints/not-an-id", 400, "AUDIT_ID_INVALID");
    await expectError("/api/audit/funds/0", 400, "AUDIT_ID_INVALID");
    await expectError("/api/audit/funds/1e3", 400, "AUDIT_ID_INVALID");
    await expectError(`/api/audit/permits/${encodeURIComponent(" padded ")}`, 400, "AUDIT_ID_INVALID");
    await expectError(`/api/audit/complaints/${id("no such complaint")}`, 404, "AUDIT_TRAIL_NOT_FOUND");
    await expectError(`/api/audit/complaints/${id("no such complaint")}?check=chain`, 404, "AUDIT_TRAIL_NOT_FOUND");
    await expectError("/api/audit/permits/TH-50-MAEHIA%2FBP%2F1999%2F0001", 404, "AUDIT_TRAIL_NOT_FOUND");
    await expectError("/api/audit/funds/999", 404, "AUDIT_TRAIL_NOT_FOUND");
    // A permit type's events share the registry's subject column but are no permit.
    await expectError(`/api/audit/permits/${id("BUILDING")}`, 404, "AUDIT_TRAIL_NOT_FOUND");
    await expectError(`/api/audit/permits/${PERMIT_ID}?check=ledger`, 400, "QUERY_INVALID");
    await expectError("/api/audit/licences/1", 404, "ROUTE_NOT_FOUND");
    await expectError("/api/audit/export?municipality=1&format=xml", 400, "AUDIT_FORMAT_INVALID");
    await expectError("/api/audit/export?municipality=1&from=2026-02-30", 400, "AUDIT_RANGE_INVALID");
    await expectError("/api/audit/export?municipality=1&from=2026-03-02&to=2026-03-01", 400, "AUDIT_RANGE_INVALID");
    await expectError("/api/audit/export?municipality=1&to=yesterday", 400, "AUDIT_RANGE_INVALID");
    await expectError("/api/audit/export?municipality=one", 400, "QUERY_INVALID");
    await expectError("/api/audit/export", 400, "QUERY_INVALID");
    await expectError("/api/audit/export?municipality=99", 400, "MUNICIPALITY_UNKNOWN");
    await expectError("/api/audit/export?municipality=1&permit=%20padded", 400, "AUDIT_ID_INVALID");
    await expectError("/api/audit/export?municipality=1&format=csv&check=chain", 400, "AUDIT_FORMAT_INVALID");
    await expectError("/api/audit/export?municipality=1&check=ledger", 400, "QUERY_INVALID");
  });

  it("`ledger audit` rebuilds the trail from the chain alone and agrees with the API (on the system Node 20 too)", async () => {
    const node = existsSync(SYSTEM_NODE) ? SYSTEM_NODE : process.execPath;
    const run = await cli(["1", "--from", firstDay, "--to", fundDay, "--rpc", service.rpcUrl, "--api", service.url], node);
    expect(run.stderr).to.equal("");
    expect(run.code, run.stdout).to.equal(0);
    const exported = (await api.get(`/api/audit/export?municipality=1&from=${firstDay}&to=${fundDay}`)).body;
    expect(run.stdout.trimEnd().split("\n").pop()).to.equal(`AGREE: the API's trail equals the chain's (${exported.count} events)`);

    const whole = await cli(["1", "--api", service.url, "--json"]);
    expect(whole.code, whole.stderr).to.equal(0);
    const report = JSON.parse(whole.stdout);
    expect(report).to.include({ agree: true, rpc: service.rpcUrl, apiEvents: report.chainEvents });
    expect(report.differences).to.deep.equal([]);
    // The demo seed's permit types and categories are Mae Hia's trail too.
    expect(report.chainEvents).to.equal((await api.get("/api/audit/export?municipality=1")).body.count);

    expect((await cli(["1", "--from", "2026-13-01", "--api", service.url])).code).to.equal(2);
    expect((await cli(["1", "--api", "http://127.0.0.1:1"])).code).to.equal(2);
  });

  it("reports a tampered database: ?check=chain and `ledger audit` name each difference", async () => {
    const db = new DatabaseSync(join(dataDir, "ledger.sqlite"));
    let changed: { block_number: number; log_index: number };
    let deleted: { block_number: number; log_index: number; tx_hash: string };
    let forged: { block_number: number; log_index: number; tx_hash: string };
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      // The mayor "rejected" instead of approving; the campaign was never "opened".
      changed = db
        .prepare(
          `UPDATE idx_events SET args = json_set(args, '$.decision', '2')
           WHERE event = 'PermitStepDecided' AND subject = ? AND json_extract(args, '$.stepIndex') = '2'
           RETURNING block_number, log_index`,
        )
        .get(PERMIT_ID) as typeof changed;
      deleted = db
        .prepare("DELETE FROM idx_events WHERE event = 'CampaignOpened' AND subject = ? RETURNING block_number, log_index, tx_hash")
        .get(campaignId) as typeof deleted;
      // …and the resident "confirmed" the repair, in an event the chain never saw.
      forged = db
        .prepare(
          `INSERT INTO idx_events (block_number, log_index, tx_hash, contract, event, subject, municipality_id, args, sender, timestamp)
           SELECT block_number, 999, tx_hash, contract, event, subject, municipality_id, json_set(args, '$.status', '5', '$.previous', '4'), sender, timestamp
           FROM idx_events WHERE subject = ? ORDER BY block_number DESC LIMIT 1
           RETURNING block_number, log_index, tx_hash`,
        )
        .get(COMPLAINT_ID) as typeof forged;
    } finally {
      db.close();
    }
    expect(changed).to.not.equal(undefined);
    expect(deleted).to.not.equal(undefined);

    const permit = (await api.get(`/api/audit/permits/${PERMIT_ID}?check=chain`)).body.checked;
    expect(permit.ok).to.equal(false);
    const mismatched = permit.events.filter((e: { status: string }) => e.status !== "match");
    expect(mismatched).to.have.length(1);
    expect(mismatched[0]).to.include({ status: "mismatch", blockNumber: changed.block_number, logIndex: changed.log_index });
    // The decision in words is derived from the (tampered) arguments: it differs too.
    expect(mismatched[0].fields.map((f: { field: string }) => f.field)).to.deep.equal(["args", "decision"]);
    expect(mismatched[0].fields[1]).to.deep.equal({ field: "decision", api: "reject", chain: "approve" });
    expect(mismatched[0].fields[0].api.decision).to.equal("2");
    expect(mismatched[0].fields[0].chain.decision).to.equal("1");

    const fund = (await api.get(`/api/audit/funds/${campaignId}?check=chain`)).body;
    expect(fund.events.map((e: AuditEvent) => e.event)).to.deep.equal(["CampaignCreated", "Pledged"]);
    expect(fund.checked.ok).to.equal(false);
    expect(fund.checked.events.filter((e: { status: string }) => e.status !== "match")).to.deep.equal([
      {
        blockNumber: deleted.block_number,
        logIndex: deleted.log_index,
        txHash: deleted.tx_hash,
        event: "CampaignOpened",
        status: "missing-in-api",
        blockHash: fund.checked.events.find((e: { event: string }) => e.event === "CampaignOpened").blockHash,
      },
    ]);

    const complaint = (await api.get(`/api/audit/complaints/${COMPLAINT_ID}?check=chain`)).body.checked;
    expect(complaint.events.filter((e: { status: string }) => e.status !== "match")).to.deep.equal([
      { blockNumber: forged.block_number, logIndex: 999, txHash: forged.tx_hash, event: "ComplaintStatusChanged", status: "missing-on-chain", blockHash: null },
    ]);

    const run = await cli(["1", "--from", firstDay, "--to", fundDay, "--rpc", service.rpcUrl, "--api", service.url]);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    const lines = run.stdout.split("\n");
    expect(lines.filter((line) => line.startsWith("  ✗"))).to.deep.equal([
      `  ✗ field differs      block ${changed.block_number} log ${changed.log_index}  PermitStepDecided  tx ${mismatched[0].txHash}`,
      `  ✗ missing on chain   block ${forged.block_number} log 999  ComplaintStatusChanged  tx ${forged.tx_hash}`,
      `  ✗ missing in API     block ${deleted.block_number} log ${deleted.log_index}  CampaignOpened  tx ${deleted.tx_hash}`,
    ]);
    expect(run.stdout).to.include('args: API {"permitId"');
    expect(run.stdout.trimEnd().split("\n").pop()).to.equal("DIFFER: 3 difference(s) between the API's trail and the chain's");

    const report = JSON.parse((await cli(["1", "--api", service.url, "--json"])).stdout);
    expect(report.agree).to.equal(false);
    expect(report.differences.map((d: { kind: string }) => d.kind)).to.deep.equal(["field-differs", "missing-on-chain", "missing-in-api"]);
  });

  it("names tampered officers' names, role changes, records and reasons: the export's check and `ledger audit`", async () => {
    const db = new DatabaseSync(join(dataDir, "ledger.sqlite"));
    let revokedRole: { block_number: number; log_index: number; tx_hash: string };
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      // The engineer is given another name; the newcomer's role was "never revoked"; the first letter
      // "is" another file; the issuance "was signed" by the mayor; the revocation's words are rewritten.
      db.prepare("UPDATE idx_officer_names SET name = 'Somebody Else' WHERE municipality_id = 1 AND account = ?").run(address("engineer"));
      revokedRole = db
        .prepare("DELETE FROM idx_events WHERE event = 'OfficerRoleRevoked' AND subject = ? RETURNING block_number, log_index, tx_hash")
        .get(newcomer.address) as typeof revokedRole;
      db.prepare("UPDATE records SET sha256 = ? WHERE sha256 = ?").run(id("another file"), documents[0]);
      db.prepare("UPDATE records SET meta = json_set(meta, '$.signer', ?) WHERE kind = 'issuance'").run(address("mayor"));
      db.prepare("UPDATE document_revocation_reasons SET reason = 'Nothing happened.'").run();
    } finally {
      db.close();
    }
    expect(revokedRole).to.not.equal(undefined);

    const report = JSON.parse((await cli(["1", "--api", service.url, "--rpc", service.rpcUrl, "--json"])).stdout);
    expect(report.agree).to.equal(false);
    type Difference = { kind: string; event: string; blockNumber: number; logIndex: number; fields?: Array<{ field: string; api: unknown; chain: unknown }> };
    const differences = report.differences as Difference[];
    const fieldsOf = (event: string) => differences.filter((d) => d.event === event).flatMap((d) => d.fields ?? []);

    // The engineer's name differs wherever they appear: their step, their grant, their name's publication.
    const names = differences.filter((d) => d.fields?.some((f) => f.api === "Somebody Else"));
    expect(names.map((d) => d.event).sort()).to.deep.equal(["OfficerNamed", "OfficerRoleGranted", "PermitStepDecided"]);
    expect(fieldsOf("PermitStepDecided").find((f) => f.field === "actorName")).to.deep.equal({ field: "actorName", api: "Somebody Else", chain: NAMES.engineer });

    // (The campaign's opening deleted by the test before is still missing too.)
    expect(differences.filter((d) => d.kind === "missing-in-api" && d.event !== "CampaignOpened")).to.deep.equal([
      { kind: "missing-in-api", blockNumber: revokedRole.block_number, logIndex: revokedRole.log_index, event: "OfficerRoleRevoked", txHash: revokedRole.tx_hash },
    ]);

    const batchFields = fieldsOf("BatchAnchored").map((f) => f.field);
    expect(batchFields.some((field) => /^records\[\d+\]\.leaf$/.test(field)), batchFields.join()).to.equal(true);
    expect(batchFields.some((field) => /^records\[\d+\]\.issuer\.address$/.test(field)), batchFields.join()).to.equal(true);
    const signer = fieldsOf("BatchAnchored").find((f) => f.field.endsWith(".issuer.address"))!;
    expect(signer).to.include({ api: address("mayor"), chain: address("permitOfficer") });
    expect(fieldsOf("RecordRevoked").map((f) => f.field)).to.include("reasonWords");

    // The service's own check of the export finds the same.
    const checked = (await api.get("/api/audit/export?municipality=1&check=chain")).body.checked;
    expect(checked.ok).to.equal(false);
    expect(checked.differences).to.deep.equal(report.differences);

    const text = await cli(["1", "--api", service.url, "--rpc", service.rpcUrl]);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.include(`✗ missing in API     block ${revokedRole.block_number} log ${revokedRole.log_index}  OfficerRoleRevoked`);
    expect(text.stdout).to.include(`actorName: API "Somebody Else"  chain ${JSON.stringify(NAMES.engineer)}`);
  });

  it("limits chain checks and exports per client like other costly requests", async () => {
    let answer;
    for (let i = 0; i < 80; i++) {
      answer = await api.get("/api/audit/export?municipality=1&from=2000-01-01&to=2000-01-02");
      if (answer.status !== 200) break;
    }
    expect({ status: answer!.status, code: answer!.body.error?.code }).to.deep.equal({ status: 429, code: "RATE_LIMITED" });
    // The plain trail is an ordinary read and stays open.
    expect((await api.get(`/api/audit/permits/${PERMIT_ID}`)).status).to.equal(200);
  });
});
