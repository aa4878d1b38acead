import { createHash } from "node:crypto";
import { expect } from "chai";
import { AbiCoder, Wallet, id, keccak256, toUtf8Bytes, hexlify, parseUnits } from "ethers";
import { XMLParser } from "fast-xml-parser";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { isSealed } from "../../app/server/privacy/vault.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { ApiClient, OfficerClient } from "./support/officerClient.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * Complaints through HTTP against the service as `npm start` runs it: Open311 GeoReport v2 conformance
 * (every method in .json and .xml, filters, defaults, the spec's errors), then the whole life of a
 * complaint — filed by a resident, moved by the complaint officer's own signed transactions, reopened and
 * confirmed with the tracking code — with every permission boundary, the overdue list and api keys.
 */
const JURISDICTION = "maehia.go.th";
const DEMO_KEY = "maehia-demo-open311-key";
// Canary personal data: must never be readable on-chain or in unsealed IPFS blocks.
const CANARY = { first_name: "Somchai", last_name: "Canarywong", phone: "0812345678", email: "somchai@example.th" };
const ADDRESS = "99/1 Moo 3 Canary Lane, Mae Hia";

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ["service", "request", "attribute", "value", "note", "endpoint", "format", "error"].includes(name),
});

describe("complaints: Open311 GeoReport v2 and the resident's and officers' flows", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-complaints");
  let service: RunningService;
  let client: ApiClient;
  let contracts: { directory: string; complaintLedger: string };
  let base: string;

  /** A form-encoded request, as most 311 clients send it. */
  const form = async (path: string, fields: Record<string, string>) => {
    const response = await fetch(`${service.url}${path}`, { method: "POST", body: new URLSearchParams(fields) });
    const text = await response.text();
    return { status: response.status, text, type: response.headers.get("content-type") ?? "", code: response.headers.get("x-error-code") };
  };
  const json = (text: string) => JSON.parse(text);
  const road = (extra: Record<string, string> = {}) => ({
    jurisdiction_id: JURISDICTION,
    api_key: DEMO_KEY,
    service_code: "ROAD",
    lat: "18.7465",
    long: "98.9650",
    address_string: ADDRESS,
    description: "Deep pothole in front of the temple, my neighbour Somchai fell off his bike.",
    "attribute[hazard]": "high",
    "attribute[village]": "3",
    ...CANARY,
    ...extra,
  });
  const fileRoad = async (extra: Record<string, string> = {}) => {
    const answer = await form("/open311/v2/requests.json", road(extra));
    expect(answer.status, answer.text).to.equal(200);
    return json(answer.text)[0] as { service_request_id: string; token: string; tracking_code: string; tx_hash: string };
  };
  const expectOpen311Error = (answer: { status: number; text: string }, status: number, format: "json" | "xml") => {
    expect(answer.status, answer.text).to.equal(status);
    if (format === "json") expect(json(answer.text)).to.have.lengthOf(1).and.to.satisfy((list: any[]) => list[0].code === status && list[0].description);
    else {
      const errors = xml.parse(answer.text).errors.error;
      expect(errors).to.have.lengthOf(1);
      expect(Number(errors[0].code)).to.equal(status);
      expect(errors[0].description).to.be.a("string").and.not.empty;
    }
  };

  before(async () => {
    service = await startService(dataDir);
    client = new ApiClient(service.url);
    contracts = (await client.get("/api/health")).body.chain.contracts;
    base = `/open311/v2`;
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  describe("Open311 GeoReport v2", () => {
    it("prints the demo jurisdiction and its public api key at start", () => {
      expect(service.output()).to.contain(`jurisdiction_id ${JURISDICTION}, api_key ${DEMO_KEY}`);
    });

    it("answers discovery in JSON and XML", async () => {
      const answer = await client.get(`${base}/discovery.json`);
      expect(answer.body.endpoints[0]).to.include({ specification: "http://wiki.open311.org/GeoReport_v2", type: "test" });
      expect(answer.body.endpoints[0].formats).to.deep.equal(["text/xml", "application/json"]);
      const asXml = await client.get(`${base}/discovery.xml`);
      expect(asXml.headers.get("content-type")).to.match(/^text\/xml/);
      expect(asXml.body).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
      expect(xml.parse(asXml.body).discovery.endpoints.endpoint[0].formats.format).to.deep.equal(["text/xml", "application/json"]);
    });

    it("lists the municipality's categories as services, and each service's definition with its attributes", async () => {
      const services = (await client.get(`${base}/services.json?jurisdiction_id=${JURISDICTION}`)).body;
      expect(services.map((s: any) => s.service_code)).to.have.members(["ROAD", "STREET_LIGHT", "WASTE", "DRAINAGE", "NOISE"]);
      expect(services.find((s: any) => s.service_code === "ROAD")).to.include({ service_name: "Road damage", metadata: true, type: "realtime", group: "streets" });
      const asXml = xml.parse((await client.get(`${base}/services.xml?jurisdiction_id=${JURISDICTION}`)).body);
      expect(asXml.services.service.map((s: any) => s.service_code)).to.have.members(services.map((s: any) => s.service_code));
      expect(asXml.services.service[0].metadata).to.be.oneOf(["true", "false"]);

      const definition = (await client.get(`${base}/services/ROAD.json?jurisdiction_id=${JURISDICTION}`)).body;
      expect(definition.service_code).to.equal("ROAD");
      const hazard = definition.attributes.find((a: any) => a.code === "hazard");
      expect(hazard).to.include({ variable: true, datatype: "singlevaluelist", required: true });
      expect(hazard.values.map((v: any) => v.key)).to.deep.equal(["low", "medium", "high"]);
      const definitionXml = xml.parse((await client.get(`${base}/services/ROAD.xml?jurisdiction_id=${JURISDICTION}`)).body).service_definition;
      expect(definitionXml.attributes.attribute.find((a: any) => a.code === "hazard").values.value.map((v: any) => v.key)).to.deep.equal(["low", "medium", "high"]);

      // The demo serves two towns (Mae Hia and Yala): jurisdiction_id is required (any case; test/app/towns.test.ts).
      const without = await client.get(`${base}/services.json`);
      expect([without.status, without.headers.get("x-error-code")]).to.deep.equal([400, "OPEN311_JURISDICTION_REQUIRED"]);
    });

    it("answers 404 for an unknown service code, jurisdiction, request, token or format, as the spec writes errors", async () => {
      const get = async (path: string) => {
        const response = await fetch(`${service.url}${base}${path}`);
        return { status: response.status, text: await response.text(), code: response.headers.get("x-error-code") };
      };
      expectOpen311Error(await get(`/services/POTHOLES.json?jurisdiction_id=${JURISDICTION}`), 404, "json");
      expectOpen311Error(await get(`/services/POTHOLES.xml?jurisdiction_id=${JURISDICTION}`), 404, "xml");
      const unknownJurisdiction = await get(`/services.json?jurisdiction_id=nowhere.go.th`);
      expectOpen311Error(unknownJurisdiction, 404, "json");
      expect(unknownJurisdiction.code).to.equal("OPEN311_JURISDICTION_UNKNOWN");
      expectOpen311Error(await get(`/requests.xml?jurisdiction_id=nowhere.go.th`), 404, "xml");
      expectOpen311Error(await get(`/requests/0x${"ab".repeat(32)}.json?jurisdiction_id=${JURISDICTION}`), 404, "json");
      expectOpen311Error(await get(`/requests/not-an-id.xml?jurisdiction_id=${JURISDICTION}`), 404, "xml");
      expectOpen311Error(await get(`/tokens/nope.json?jurisdiction_id=${JURISDICTION}`), 404, "json");
      expectOpen311Error(await get(`/tokens/nope.xml?jurisdiction_id=${JURISDICTION}`), 404, "xml");
      expect((await get(`/services.csv`)).code).to.equal("OPEN311_FORMAT_UNKNOWN");
    });

    it("refuses a request without or with a wrong api_key (403), or for an unknown jurisdiction (404)", async () => {
      const { api_key: _omitted, ...withoutKey } = road();
      const missing = await form(`${base}/requests.json`, withoutKey);
      expectOpen311Error(missing, 403, "json");
      expect(missing.code).to.equal("OPEN311_API_KEY_INVALID");
      expectOpen311Error(await form(`${base}/requests.xml`, road({ api_key: "guessed-key" })), 403, "xml");
      expectOpen311Error(await form(`${base}/requests.json`, road({ jurisdiction_id: "nowhere.go.th" })), 404, "json");
    });

    it("refuses a missing service code, a bad location or a missing required attribute (400)", async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ service_code: "" }, "SERVICE_CODE_MISSING"],
        [{ lat: "100" }, "LOCATION_INVALID"],
        [{ long: "east" }, "LOCATION_INVALID"],
        [{ long: "" }, "LOCATION_INVALID"],
        [{ lat: "", long: "", address_string: "" }, "LOCATION_REQUIRED"],
        [{ "attribute[hazard]": "" }, "ATTRIBUTE_INVALID"],
        [{ "attribute[hazard]": "apocalyptic" }, "ATTRIBUTE_INVALID"],
      ];
      for (const [change, code] of cases) {
        const answer = await form(`${base}/requests.json`, road(change));
        expectOpen311Error(answer, 400, "json");
        expect(answer.code, JSON.stringify(change)).to.equal(code);
      }
      const asXml = await form(`${base}/requests.xml`, road({ service_code: "" }));
      expectOpen311Error(asXml, 400, "xml");
      expectOpen311Error(await form(`${base}/requests.json`, road({ service_code: "POTHOLES" })), 404, "json");
    });

    it("files a request form-encoded or as JSON, keeps the personal data sealed, and finds it by id and by token", async () => {
      const filed = await fileRoad();
      expect(filed.service_request_id).to.match(/^0x[0-9a-f]{64}$/);
      expect(filed.tracking_code).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

      // Nothing personal in the transaction.
      const tx = await rpcProvider(service.rpcUrl).getTransaction(filed.tx_hash);
      for (const value of [...Object.values(CANARY), ADDRESS, "Somchai"]) {
        expect(tx!.data.toLowerCase()).not.to.contain(hexlify(toUtf8Bytes(value)).slice(2).toLowerCase());
      }

      const [request] = (await client.get(`${base}/requests/${filed.service_request_id}.json?jurisdiction_id=${JURISDICTION}`)).body;
      expect(request).to.include({ service_request_id: filed.service_request_id, status: "open", service_code: "ROAD", description: "", address: "" });
      expect(request.lat).to.equal(18.747);
      expect(JSON.stringify(request)).not.to.contain("Somchai");
      const asXml = xml.parse((await client.get(`${base}/requests/${filed.service_request_id}.xml?jurisdiction_id=${JURISDICTION}`)).body);
      expect(asXml.service_requests.request[0].service_request_id).to.equal(filed.service_request_id);

      expect((await client.get(`${base}/tokens/${filed.token}.json?jurisdiction_id=${JURISDICTION}`)).body).to.deep.equal([{ service_request_id: filed.service_request_id, token: filed.token }]);
      const tokenXml = xml.parse((await client.get(`${base}/tokens/${filed.token}.xml?jurisdiction_id=${JURISDICTION}`)).body);
      expect(tokenXml.service_requests.request[0].service_request_id).to.equal(filed.service_request_id);

      // JSON body, XML answer.
      const answer = await client.post(`${base}/requests.xml?jurisdiction_id=${JURISDICTION}`, { ...road(), attribute: { hazard: "low" }, "attribute[hazard]": undefined, service_code: "ROAD" });
      expect(answer.status, String(answer.body)).to.equal(200);
      expect(xml.parse(answer.body).service_requests.request[0].tracking_code).to.match(/^[0-9A-Z-]{19}$/);

      // The sealed bundle on IPFS: ciphertext only.
      const tracked = await client.get("/api/complaints/track", { "x-tracking-code": filed.tracking_code });
      const bundle = new Uint8Array(await (await fetch(`${service.url}/ipfs/${tracked.body.complaint.bundleCid}`)).arrayBuffer());
      expect(isSealed(bundle)).to.equal(true);
      expect(Buffer.from(bundle).toString("latin1")).not.to.contain("Somchai");
    });

    it("files under an id the contract derives, so a front-runner copying the pending filing cannot block it", async () => {
      const provider = rpcProvider(service.rpcUrl);
      const ledger = ComplaintLedger__factory.connect(contracts.complaintLedger, provider);
      const squatter = new Wallet(devAccounts().find((a) => a.role === "resident")!.privateKey, provider);
      type PoolTx = { hash: string; from: string; to: string | null; input: string };
      const toLedger = (tx: PoolTx) => tx.to?.toLowerCase() === contracts.complaintLedger.toLowerCase();
      const pool = async () => {
        const content = (await provider.send("txpool_content", [])) as { pending: Record<string, Record<string, PoolTx>> };
        return Object.values(content.pending).flatMap((byNonce) => Object.values(byNonce));
      };
      // Blocks only when asked, so the service's filing waits in the pool where anyone can read it.
      await provider.send("evm_setAutomine", [false]);
      let answer: Awaited<ReturnType<typeof form>>;
      let copy: string;
      let filingTx: PoolTx;
      try {
        const answered = form(`${base}/requests.json`, road());
        filingTx = (await eventually(pool, (txs) => txs.some(toLedger))).find(toLedger)!;
        // The squatter resends the same filing id with a commitment of their own, and outbids the service.
        const [filingId, municipalityId, category, area, contentHash] = ledger.interface.decodeFunctionData("file", filingTx.input);
        const outbid = { maxPriorityFeePerGas: parseUnits("50", "gwei"), maxFeePerGas: parseUnits("100", "gwei"), gasLimit: 300_000n };
        const sent = await ledger.connect(squatter).file(filingId, municipalityId, category, area, contentHash, id("squatter's commitment"), outbid);
        copy = sent.hash;
        await provider.send("evm_mine", []);
        answer = await answered;
      } finally {
        await provider.send("evm_setAutomine", [true]);
      }
      expect(answer.status, answer.text).to.equal(200);
      const [filed] = json(answer.text);

      // Mined first, the copy filed a complaint of its own; the resident's went through after it.
      const [copied, real] = await Promise.all([provider.getTransactionReceipt(copy), provider.getTransactionReceipt(filingTx.hash)]);
      expect([copied!.status, real!.status]).to.deep.equal([1, 1]);
      expect(copied!.blockNumber).to.equal(real!.blockNumber);
      expect(copied!.index).to.be.lessThan(real!.index);
      const filingId = ledger.interface.decodeFunctionData("file", filingTx.input)[0];
      const idOf = (filer: string) => keccak256(AbiCoder.defaultAbiCoder().encode(["uint32", "address", "bytes32"], [1, filer, filingId]));
      expect(filed.service_request_id).to.equal(idOf(filingTx.from));
      expect(filed.tx_hash).to.equal(filingTx.hash);
      const squatted = ledger.interface.parseLog(copied!.logs[0])!.args.complaintId;
      expect(squatted).to.equal(idOf(squatter.address)).and.not.equal(filed.service_request_id);
      expect((await ledger.complaint(filed.service_request_id)).reporterCommitment).not.to.equal(id("squatter's commitment"));
      const [request] = (await client.get(`${base}/requests/${filed.service_request_id}.json?jurisdiction_id=${JURISDICTION}`)).body;
      expect(request).to.include({ service_request_id: filed.service_request_id, status: "open", service_code: "ROAD" });
    });

    it("filters GET requests by id list, service code, status and dates, pages them, and adds notes with extensions", async () => {
      const a = await fileRoad();
      const b = await fileRoad();
      const light = await form(`${base}/requests.json`, { ...road(), service_code: "STREET_LIGHT", "attribute[hazard]": "", "attribute[pole_number]": "MH-17" });
      expect(light.status, light.text).to.equal(200);
      const lightId = json(light.text)[0].service_request_id;

      const ids = (body: any[]) => body.map((r) => r.service_request_id);
      const byIds = await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&service_request_id=${a.service_request_id},${lightId}&service_code=ROAD`);
      expect(ids(byIds.body)).to.have.members([a.service_request_id, lightId]); // the id list overrides the other filters

      const roads = (await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&service_code=ROAD`)).body;
      expect(roads.every((r: any) => r.service_code === "ROAD")).to.equal(true);
      expect(ids(roads)).to.include.members([a.service_request_id, b.service_request_id]).and.not.include(lightId);
      expect(ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&service_code=STREET_LIGHT,WASTE`)).body)).to.include(lightId).and.not.include(a.service_request_id);

      expect(ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&status=open`)).body)).to.include(a.service_request_id);
      expect(ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&status=closed`)).body)).not.to.include(a.service_request_id);

      const future = (await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&start_date=2999-01-01T00:00:00Z`)).body;
      expect(future).to.deep.equal([]);
      const past = (await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&end_date=2001-01-01T00:00:00%2B07:00`)).body;
      expect(past).to.deep.equal([]);
      const now = new Date(Date.now() + 3_600_000).toISOString();
      expect(ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&start_date=2020-01-01T00:00:00Z&end_date=${now}`)).body)).to.include(a.service_request_id);
      for (const bad of ["start_date=2024-01-01", "end_date=yesterday", "start_date=2024-01-01T00:00:00", "start_date=2024-02-01T00:00:00Z&end_date=2024-01-01T00:00:00Z"]) {
        const response = await fetch(`${service.url}${base}/requests.json?jurisdiction_id=${JURISDICTION}&${bad}`);
        expectOpen311Error({ status: response.status, text: await response.text() }, 400, "json");
      }
      const badXml = await fetch(`${service.url}${base}/requests.xml?jurisdiction_id=${JURISDICTION}&status=lost`);
      expectOpen311Error({ status: badXml.status, text: await badXml.text() }, 400, "xml");

      const all = await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}`);
      const total = Number(all.headers.get("x-total-count"));
      expect(total).to.equal(all.body.length).and.to.be.at.least(3);
      const page1 = await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&page_size=2`);
      const page2 = await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&page_size=2&page=2`);
      expect(page1.body).to.have.lengthOf(2);
      expect(page1.headers.get("x-total-count")).to.equal(String(total));
      expect(ids(page2.body)).to.deep.equal(ids(all.body).slice(2, 4));
      const asXml = xml.parse((await client.get(`${base}/requests.xml?jurisdiction_id=${JURISDICTION}&page_size=2`)).body);
      expect(asXml.service_requests.request.map((r: any) => r.service_request_id)).to.deep.equal(ids(page1.body));
      expect(page1.body[0]).not.to.have.property("notes");

      const extended = (await client.get(`${base}/requests/${a.service_request_id}.json?jurisdiction_id=${JURISDICTION}&extensions=true`)).body[0];
      expect(extended.extended_attributes).to.include({ detailed_status: "filed", reopen_count: 0 });
      expect(extended.notes).to.have.lengthOf(1);
      expect(extended.notes[0]).to.include({ summary: "filed", tx_hash: a.tx_hash });
      const extendedXml = xml.parse((await client.get(`${base}/requests.xml?jurisdiction_id=${JURISDICTION}&service_request_id=${a.service_request_id}&extensions=true`)).body);
      expect(extendedXml.service_requests.request[0].notes.note[0].tx_hash).to.equal(a.tx_hash);
      expect(extendedXml.service_requests.request[0].extended_attributes.detailed_status).to.equal("filed");
    });
  });

  describe("tracking codes and officers", () => {
    let officer: OfficerClient;
    const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
    /** The officer signs the call the API hands out and posts it. */
    const act = async (who: OfficerClient, complaintId: string, action: string, query = "", evidence?: Uint8Array) => {
      const call = await who.get(`/api/complaints/${complaintId}/actions/${action}/call${query}`);
      expect(call.status, JSON.stringify(call.body)).to.equal(200);
      const signedTransaction = await who.signTransaction({ to: call.body.to, data: call.body.data });
      if (!evidence) return who.post(`/api/complaints/${complaintId}/${action}`, { signedTransaction });
      const body = new FormData();
      body.append("signedTransaction", signedTransaction);
      body.append("file", new Blob([evidence], { type: "image/jpeg" }), "fixed.jpg");
      return who.post(`/api/complaints/${complaintId}/${action}`, body);
    };
    const expectError = (answer: { status: number; body: any }, status: number, code: string) =>
      expect({ status: answer.status, code: answer.body?.error?.code }, JSON.stringify(answer.body)).to.deep.equal({ status, code });

    before(async () => {
      officer = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
      await officer.signIn();
    });

    it("takes a complaint from filing to confirmation: officer-signed steps with evidence, a reopening with a new code", async () => {
      const filed = await fileRoad();
      const complaintId = filed.service_request_id;
      const tracked = await client.get("/api/complaints/track", { "x-tracking-code": filed.tracking_code.toLowerCase() });
      expect(tracked.status).to.equal(200);
      expect(tracked.body.complaint.detailedStatus).to.equal("filed");
      expect(tracked.body.content.description).to.contain("pothole");
      expect(tracked.body.content.contact).to.include({ firstName: "Somchai", phone: "0812345678" });
      expect(tracked.body.contentMatchesChain).to.equal(true);

      const listed = await officer.get("/api/complaints?municipality=1&status=filed");
      expect(listed.body.complaints.map((c: any) => c.complaintId)).to.include(complaintId);
      expect((await officer.get(`/api/complaints/${complaintId}`)).body.content.contact.lastName).to.equal("Canarywong");

      expect((await act(officer, complaintId, "acknowledge")).body.details.complaint.detailedStatus).to.equal("acknowledged");
      expect((await act(officer, complaintId, "start")).body.details.complaint.detailedStatus).to.equal("in_progress");

      const photo = new Uint8Array(Buffer.from(`photo of the repaired road ${Date.now()}`));
      const wrongEvidence = await act(officer, complaintId, "resolve", `?evidenceHash=${sha256(new Uint8Array([1, 2, 3]))}`, photo);
      expectError(wrongEvidence, 400, "EVIDENCE_MISMATCH");
      const resolved = await act(officer, complaintId, "resolve", `?evidenceHash=${sha256(photo)}`, photo);
      expect(resolved.status, JSON.stringify(resolved.body)).to.equal(200);
      expect(resolved.body.details.complaint.detailedStatus).to.equal("resolved");
      const evidence = resolved.body.details.attachments.find((a: any) => a.kind === "evidence");
      expect(evidence).to.include({ sha256: sha256(photo), filename: "fixed.jpg", txHash: resolved.body.txHash });
      const history = resolved.body.details.history;
      expect(history.at(-1)).to.include({ status: "resolved", dataHash: sha256(photo), txHash: resolved.body.txHash });
      const sealedPhoto = new Uint8Array(await (await fetch(`${service.url}/ipfs/${evidence.cid}`)).arrayBuffer());
      expect(isSealed(sealedPhoto)).to.equal(true);

      const reopened = await client.post("/api/complaints/track/reopen", { reason: "Still a hole after the rain." }, { "x-tracking-code": filed.tracking_code });
      expect(reopened.status, JSON.stringify(reopened.body)).to.equal(200);
      const newCode = reopened.body.trackingCode;
      expect(newCode).to.match(/^[0-9A-Z-]{19}$/).and.not.equal(filed.tracking_code);
      expect(reopened.body.details.complaint).to.include({ detailedStatus: "reopened", reopenCount: 1 });
      expectError(await client.get("/api/complaints/track", { "x-tracking-code": filed.tracking_code }), 404, "TRACKING_CODE_UNKNOWN");
      expect((await client.get("/api/complaints/track", { "x-tracking-code": newCode })).body.complaint.complaintId).to.equal(complaintId);

      expectError(await client.post("/api/complaints/track/confirm", {}, { "x-tracking-code": newCode }), 409, "CHAIN_REJECTED");
      await act(officer, complaintId, "start");
      const photo2 = new Uint8Array(Buffer.from(`second repair ${Date.now()}`));
      expect((await act(officer, complaintId, "resolve", `?evidenceHash=${sha256(photo2)}`, photo2)).status).to.equal(200);
      const confirmed = await client.post("/api/complaints/track/confirm", {}, { "x-tracking-code": newCode });
      expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(200);
      expect(confirmed.body.details.complaint.detailedStatus).to.equal("confirmed");

      const [request] = (await client.get(`${base}/requests/${complaintId}.json?jurisdiction_id=${JURISDICTION}&extensions=true`)).body;
      expect(request.status).to.equal("closed");
      expect(request.extended_attributes.detailed_status).to.equal("confirmed");
      expect(request.notes.map((n: any) => n.summary)).to.deep.equal([
        "filed",
        "acknowledged",
        "in_progress",
        "resolved",
        "reopened",
        "in_progress",
        "resolved",
        "confirmed",
      ]);
      expect(request.notes.every((n: any) => /^0x[0-9a-f]{64}$/.test(n.tx_hash))).to.equal(true);
      expect(ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&status=closed`)).body)).to.include(complaintId);
    });

    it("files from the web app too, and lists for officers by category and area", async () => {
      const filed = await client.post("/api/complaints", { municipalityId: 1, service_code: "DRAINAGE", lat: 18.75, long: 98.97, description: "Flooded soi", ...CANARY });
      expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
      const tracked = await client.get("/api/complaints/track", { "x-tracking-code": filed.body.trackingCode });
      expect(tracked.body.content).to.include({ description: "Flooded soi" });
      const { area } = filed.body.complaint;
      expect(area).to.match(/^[0-9b-hjkmnp-z]{5}$/);
      const byCategory = (await officer.get("/api/complaints?municipality=1&category=DRAINAGE")).body.complaints;
      expect(byCategory.map((c: any) => c.complaintId)).to.include(filed.body.complaintId);
      expect(byCategory.every((c: any) => c.serviceCode === "DRAINAGE")).to.equal(true);
      const byArea = (await officer.get(`/api/complaints?municipality=1&area=${area}`)).body.complaints;
      expect(byArea.map((c: any) => c.complaintId)).to.include(filed.body.complaintId);
      expect((await officer.get("/api/complaints?municipality=1&area=zzzzz")).body.complaints).to.deep.equal([]);
      expectError(await client.post("/api/complaints", { municipalityId: 0, service_code: "DRAINAGE" }), 400, "QUERY_INVALID");
    });

    it("refuses a malformed or unknown tracking code with a code", async () => {
      expectError(await client.get("/api/complaints/track"), 400, "TRACKING_CODE_INVALID");
      expectError(await client.get("/api/complaints/track", { "x-tracking-code": "not-a-code" }), 400, "TRACKING_CODE_INVALID");
      expectError(await client.get("/api/complaints/track", { "x-tracking-code": "0000-0000-0000-0000" }), 404, "TRACKING_CODE_UNKNOWN");
      expectError(await client.post("/api/complaints/track/reopen", {}, { "x-tracking-code": "0000-0000-0000-0000" }), 404, "TRACKING_CODE_UNKNOWN");
    });

    it("keeps officers to their role, their municipality and their own transactions", async () => {
      const filed = await fileRoad();
      const complaintId = filed.service_request_id;
      expectError(await client.get("/api/complaints?municipality=1"), 401, "AUTH_REQUIRED");
      expectError(await client.post(`/api/complaints/${complaintId}/acknowledge`, {}), 401, "AUTH_REQUIRED");

      const engineer = OfficerClient.demo(service.url, "engineer", service.rpcUrl);
      await engineer.signIn();
      expectError(await engineer.get("/api/complaints?municipality=1"), 403, "ROLE_REQUIRED");
      expectError(await engineer.get(`/api/complaints/${complaintId}`), 403, "ROLE_REQUIRED");
      expectError(await engineer.get(`/api/complaints/${complaintId}/actions/acknowledge/call`), 403, "ROLE_REQUIRED");

      // A complaint officer of another municipality.
      const provider = rpcProvider(service.rpcUrl);
      const [national, , , , , , , , , , , resident] = devAccounts().map((a) => new Wallet(a.privateKey, provider));
      const directory = Directory__factory.connect(contracts.directory, national);
      const added = await (await directory.addMunicipality("TH-50-OTHER", "Other Town Municipality", resident.address)).wait();
      // After the demo's Mae Hia (1) and Yala (2).
      const otherId = Number(directory.interface.parseLog(added!.logs.find((log) => log.address === contracts.directory)!)!.args.municipalityId);
      const foreign = new OfficerClient(service.url, new Wallet(Wallet.createRandom().privateKey, provider));
      await (await directory.connect(resident).grantRole(otherId, id("COMPLAINT_OFFICER"), foreign.wallet.address)).wait();
      await foreign.signIn();
      expectError(await foreign.get("/api/complaints?municipality=1"), 403, "ROLE_REQUIRED");
      const ledger = ComplaintLedger__factory.connect(contracts.complaintLedger, provider);
      const data = ledger.interface.encodeFunctionData("acknowledge", [complaintId]);
      const foreignTx = await foreign.signTransaction({ to: contracts.complaintLedger, data, gasLimit: 200_000n });
      expectError(await foreign.post(`/api/complaints/${complaintId}/acknowledge`, { signedTransaction: foreignTx }), 403, "ROLE_REQUIRED");

      // The signed-in complaint officer posting a transaction someone else signed.
      const byEngineer = await engineer.signTransaction({ to: contracts.complaintLedger, data, gasLimit: 200_000n });
      expectError(await officer.post(`/api/complaints/${complaintId}/acknowledge`, { signedTransaction: byEngineer }), 403, "TX_SENDER_MISMATCH");
      // Their own transaction, but for another complaint or another action.
      const other = await fileRoad();
      const forOther = await officer.signTransaction({ to: contracts.complaintLedger, data: ledger.interface.encodeFunctionData("acknowledge", [other.service_request_id]) });
      expectError(await officer.post(`/api/complaints/${complaintId}/acknowledge`, { signedTransaction: forOther }), 400, "TX_WRONG_COMPLAINT");
      expectError(await officer.post(`/api/complaints/${complaintId}/start`, { signedTransaction: forOther }), 400, "TX_INVALID");
      expectError(await officer.post(`/api/complaints/${complaintId}/escalate`, {}), 404, "COMPLAINT_ACTION_UNKNOWN");
      expectError(await officer.get(`/api/complaints/0x${"cd".repeat(32)}`), 404, "COMPLAINT_NOT_FOUND");
      // Resolving needs the evidence file.
      await act(officer, complaintId, "start");
      const resolveCall = await officer.get(`/api/complaints/${complaintId}/actions/resolve/call?evidenceHash=${"11".repeat(32)}`);
      const noFile = await officer.post(`/api/complaints/${complaintId}/resolve`, { signedTransaction: await officer.signTransaction({ to: resolveCall.body.to, data: resolveCall.body.data }) });
      expectError(noFile, 400, "FILE_MISSING");
      // An empty evidence file shows nothing of the fix: refused when the call to sign is asked for, and
      // when a signed transaction comes with one — before anything is broadcast.
      expectError(await officer.get(`/api/complaints/${complaintId}/actions/resolve/call?evidenceHash=${sha256(new Uint8Array(0))}`), 400, "FILE_EMPTY");
      const emptyEvidence = new FormData();
      emptyEvidence.append("signedTransaction", await officer.signTransaction({ to: resolveCall.body.to, data: resolveCall.body.data }));
      emptyEvidence.append("file", new Blob([], { type: "image/jpeg" }), "empty.jpg");
      expectError(await officer.post(`/api/complaints/${complaintId}/resolve`, emptyEvidence), 400, "FILE_EMPTY");
      expect((await officer.get(`/api/complaints/${complaintId}`)).body.complaint.detailedStatus).to.equal("in_progress");
      // Closing as a duplicate of another complaint.
      const closed = await act(officer, complaintId, "close", `?outcome=duplicate&reasonCode=2&duplicateOf=${other.service_request_id}`);
      expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
      expect(closed.body.details.complaint.detailedStatus).to.equal("duplicate");
    });

    it("takes only the keys the town's profile lists: no key is made by this server", async () => {
      // Keys are the town admin's (`ledger town key create` publishes them in the town's profile; see
      // test/app/towns.test.ts); the server's own key route is gone.
      const admin = OfficerClient.demo(service.url, "municipalityAdmin");
      await admin.signIn();
      expectError(await admin.post("/api/open311/keys", { municipalityId: 1, jurisdictionId: JURISDICTION, label: "FixMyStreet TH" }), 404, "ROUTE_NOT_FOUND");
      // The demo key is Mae Hia's: it files nothing in Yala, and a guessed key nothing anywhere.
      const inYala = await form(`${base}/requests.json`, { ...road(), jurisdiction_id: "yalacity.go.th", service_code: "FLOODING", lat: "6.545", long: "101.28" });
      expectOpen311Error(inYala, 403, "json");
      expect(inYala.code).to.equal("OPEN311_API_KEY_INVALID");
      expectOpen311Error(await form(`${base}/requests.json`, road({ api_key: "o311_guessed" })), 403, "json");
      // A town that has published no profile has no jurisdiction.
      const response = await fetch(`${service.url}${base}/services.json?jurisdiction_id=other.go.th`);
      expectOpen311Error({ status: response.status, text: await response.text() }, 404, "json");
    });

    it("lists complaints past their category's SLA as overdue (chain time)", async () => {
      const provider = rpcProvider(service.rpcUrl);
      const admin = new Wallet(devAccounts()[1].privateKey, provider);
      const ledger = ComplaintLedger__factory.connect(contracts.complaintLedger, admin);
      await (await ledger.setCategory(1, id("WASTE"), 1, true)).wait();
      try {
        const waste = await form(`${base}/requests.json`, { ...road(), service_code: "WASTE", "attribute[hazard]": "", "attribute[waste_type]": "bulky" });
        expect(waste.status, waste.text).to.equal(200);
        const wasteId = json(waste.text)[0].service_request_id;
        const roadFiled = await fileRoad();
        await provider.send("evm_increaseTime", [5]);
        await provider.send("evm_mine", []);
        const overdue = (await client.get("/api/complaints/overdue?municipality=1")).body;
        const overdueIds = overdue.complaints.map((c: any) => c.complaintId);
        expect(overdueIds).to.include(wasteId).and.not.include(roadFiled.service_request_id);
        expect(await ComplaintLedger__factory.connect(contracts.complaintLedger, provider).isOverdue(wasteId)).to.equal(true);
        expectError(await client.get("/api/complaints/overdue"), 400, "QUERY_INVALID");
      } finally {
        await (await ledger.setCategory(1, id("WASTE"), 2 * 86_400, true)).wait();
      }
    });

    it("answers GET requests for the last 90 days by default, and honours an older start_date", async () => {
      const old = await fileRoad();
      const provider = rpcProvider(service.rpcUrl);
      await provider.send("evm_increaseTime", [91 * 86_400]);
      await provider.send("evm_mine", []);
      const recent = await fileRoad();
      const byDefault = ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}`)).body);
      expect(byDefault).to.include(recent.service_request_id).and.not.include(old.service_request_id);
      const longAgo = new Date(Date.now() - 5 * 365 * 86_400_000).toISOString();
      const withStart = ids((await client.get(`${base}/requests.json?jurisdiction_id=${JURISDICTION}&start_date=${longAgo}`)).body);
      expect(withStart).to.include.members([old.service_request_id, recent.service_request_id]);
    });
  });
});

function ids(body: any[]): string[] {
  return body.map((request) => request.service_request_id);
}
