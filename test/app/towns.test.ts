import { createHash, randomBytes } from "node:crypto";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { Wallet } from "ethers";
import { devWalletAt } from "../../app/server/chain/devAccounts.js";
import { Towns } from "../../app/server/services/towns.js";
import { apiKeySha256 } from "../../app/shared/townProfile.js";
import { databasePath, openDatabase } from "../../app/server/store/database.js";
import { ApiClient, OfficerClient } from "./support/officerClient.js";
import { cleanUp, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";
import { runScript } from "./support/testLedger.js";

/**
 * Two towns on one ledger, each as its town file says (scripts/towns/maehia.json, yala.json), nothing of
 * either fixed in the server: names in Thai and English, complaint categories and their questions, the
 * Open311 jurisdiction (any case) and keys, the map area a filed point must lie in, permit types and the
 * town's own roles — and a fresh data folder rebuilt by `npm run reindex` serves the same towns.
 */
const yalaFile = JSON.parse(readFileSync(new URL("../../scripts/towns/yala.json", import.meta.url), "utf8"));
const IN_MAE_HIA = { lat: "18.7465", long: "98.9650" };
const IN_YALA = { lat: "6.545", long: "101.28" };
const DEMO_KEY = "maehia-demo-open311-key";
const devWallet = (index: number) => new Wallet(devWalletAt(index).privateKey);
/** Yala's admin (devAccounts.ts: DEMO_TOWNS) and its building safety officer (yala.json): anvil's accounts 15 and 18. */
const YALA_ADMIN = 15;
const YALA_SAFETY_OFFICER = 18;
/** Yala's complaint officer (yala.json): anvil's account 17. */
const YALA_COMPLAINT_OFFICER = 17;

describe("towns: every town-specific thing from the town's own profile", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-towns");
  const freshDir = tempDataDir("ledger-towns-fresh");
  let service: RunningService;
  let api: ApiClient;
  let served: unknown;

  const open311 = async (path: string, fields?: Record<string, string>) => {
    const response = await fetch(`${service.url}/open311/v2${path}`, fields ? { method: "POST", body: new URLSearchParams(fields) } : {});
    const text = await response.text();
    return { status: response.status, body: text.startsWith("[") || text.startsWith("{") ? JSON.parse(text) : text, code: response.headers.get("x-error-code") };
  };

  before(async () => {
    service = await startService(dataDir);
    api = new ApiClient(service.url);
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
    cleanUp(freshDir);
  });

  it("serves both towns with their Thai and English names, areas, jurisdictions and funds", async () => {
    const { status, body } = await api.get("/api/municipalities");
    expect(status).to.equal(200);
    served = body;
    const [maeHia, yala] = body.municipalities;
    expect(maeHia).to.deep.include({ id: 1, code: "TH-50-MAEHIA", name: { th: "เทศบาลเมืองแม่เหียะ", en: "Mae Hia Town Municipality" }, jurisdictionId: "maehia.go.th" });
    expect(yala).to.deep.include({ id: 2, code: "TH-95-YALA", name: { th: "เทศบาลนครยะลา", en: "Yala City Municipality" }, jurisdictionId: "yalacity.go.th" });
    expect(yala.bounds).to.deep.equal({ south: 6.52, west: 101.255, north: 6.575, east: 101.31 });
    // Mae Hia's campaigns take the demo token; Yala names none.
    const health = (await api.get("/api/health")).body;
    expect(maeHia.fund).to.deep.equal({ token: health.chain.demoToken, symbol: "THBT", decimals: 2 });
    expect(yala.fund).to.equal(null);
    expect((await api.get("/api/municipalities/2")).body.profile.complaintCategories.map((c: { code: string }) => c.code)).to.deep.equal(["FLOODING", "STREET_LIGHT"]);

    const audit = (await api.get("/api/audit/municipalities")).body.municipalities;
    expect(audit.map((m: { th: string; en: string }) => [m.th, m.en])).to.deep.equal([
      ["เทศบาลเมืองแม่เหียะ", "Mae Hia Town Municipality"],
      ["เทศบาลนครยะลา", "Yala City Municipality"],
    ]);
  });

  it("offers Yala's categories and questions from yala.json, on the web form and on Open311", async () => {
    const form = (await api.get("/api/complaints/form?municipality=2")).body;
    expect(form.municipality).to.deep.equal({ code: "TH-95-YALA", th: "เทศบาลนครยะลา", en: "Yala City Municipality" });
    expect(form.area).to.deep.equal({ south: 6.52, west: 101.255, north: 6.575, east: 101.31 });
    expect(form.boundary).to.deep.equal(yalaFile.area);
    expect(form.categories.map((c: { code: string }) => c.code)).to.deep.equal(["FLOODING", "STREET_LIGHT"]);
    const flooding = form.categories[0];
    expect(flooding).to.include({ name: "Flooding", nameTh: "น้ำท่วมขัง", descriptionTh: "น้ำท่วมถนนหรือชุมชน ท่อระบายน้ำอุดตัน", slaSeconds: 86_400 });
    expect(flooding.attributes.map((a: { code: string; order: number }) => [a.code, a.order])).to.deep.equal([["community", 1], ["depth", 2]]);
    const depth = flooding.attributes[1];
    expect(depth).to.include({ datatype: "singlevaluelist", required: true, description: "How deep is the water?", descriptionTh: "น้ำลึกเท่าใด" });
    expect(depth.values).to.deep.equal([
      { key: "ankle", name: "Ankle deep", nameTh: "ระดับข้อเท้า" },
      { key: "knee", name: "Knee deep", nameTh: "ระดับเข่า" },
      { key: "waist", name: "Waist deep or more", nameTh: "ระดับเอวหรือมากกว่า" },
    ]);
    // Mae Hia's form still asks for its ten villages; Yala's never does.
    const maeHia = (await api.get("/api/complaints/form?municipality=1")).body;
    expect(maeHia.categories.find((c: { code: string }) => c.code === "ROAD").attributes[0].values).to.have.lengthOf(10);
    expect(form.categories.flatMap((c: { attributes: Array<{ code: string }> }) => c.attributes.map((a) => a.code))).not.to.include("village");

    const services = await open311("/services.json?jurisdiction_id=yalacity.go.th");
    expect(services.body.map((s: { service_code: string; service_name: string }) => [s.service_code, s.service_name])).to.deep.equal([
      ["FLOODING", "Flooding"],
      ["STREET_LIGHT", "Street light out"],
    ]);
    const definition = await open311("/services/FLOODING.json?jurisdiction_id=yalacity.go.th");
    expect(definition.body.attributes[1]).to.deep.include({ code: "depth", required: true, order: 2, description: "How deep is the water?" });
    expect((await open311("/services/ROAD.json?jurisdiction_id=yalacity.go.th")).code).to.equal("SERVICE_CODE_UNKNOWN");
  });

  it("knows each jurisdiction in any case, requires one with two towns, and takes only the town's own keys", async () => {
    for (const jurisdiction of ["MaeHia.go.th", "MAEHIA.GO.TH"]) {
      const services = await open311(`/services.json?jurisdiction_id=${jurisdiction}`);
      expect(services.status, jurisdiction).to.equal(200);
      expect(services.body.map((s: { service_code: string }) => s.service_code)).to.include("ROAD");
    }
    expect((await open311("/services.json?jurisdiction_id=YalaCity.GO.TH")).body.map((s: { service_code: string }) => s.service_code)).to.include("FLOODING");
    const without = await open311("/services.json");
    expect([without.status, without.code]).to.deep.equal([400, "OPEN311_JURISDICTION_REQUIRED"]);
    expect((await open311("/services.json?jurisdiction_id=nowhere.go.th")).code).to.equal("OPEN311_JURISDICTION_UNKNOWN");

    // The demo key is in Mae Hia's profile (as its SHA-256), not in Yala's.
    const filed = await open311("/requests.json", { jurisdiction_id: "MaeHia.go.th", api_key: DEMO_KEY, service_code: "STREET_LIGHT", ...IN_MAE_HIA, description: "Dark soi" });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(200);
    const inYala = await open311("/requests.json", { jurisdiction_id: "yalacity.go.th", api_key: DEMO_KEY, service_code: "STREET_LIGHT", ...IN_YALA, description: "Dark soi" });
    expect([inYala.status, inYala.code]).to.deep.equal([403, "OPEN311_API_KEY_INVALID"]);
  });

  it("files a complaint in Yala under Yala's category, answered in Yala's words", async () => {
    const filed = await api.post("/api/complaints", { municipalityId: 2, service_code: "FLOODING", ...IN_YALA, description: "Water up to the knee", "attribute[depth]": "knee" });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    expect(filed.body.complaint).to.include({ municipalityId: 2, serviceCode: "FLOODING", serviceName: "Flooding" });
    const tracked = (await api.get("/api/complaints/track", { "x-tracking-code": filed.body.trackingCode })).body;
    expect(tracked.complaint).to.include({ serviceCode: "FLOODING", serviceName: "Flooding" });
    const request = await open311(`/requests/${filed.body.complaintId}.json?jurisdiction_id=yalacity.go.th`);
    expect(request.body[0]).to.include({ service_code: "FLOODING", service_name: "Flooding", agency_responsible: "Yala City Municipality" });
    // Yala's own question, answered wrongly, is Yala's to refuse.
    const wrong = await api.post("/api/complaints", { municipalityId: 2, service_code: "FLOODING", ...IN_YALA, "attribute[depth]": "ankle-ish" });
    expect([wrong.status, wrong.body.error?.code]).to.deep.equal([400, "ATTRIBUTE_INVALID"]);
  });

  it("refuses a point outside the town on both paths (422 POINT_OUTSIDE_TOWN)", async () => {
    const web = await api.post("/api/complaints", { municipalityId: 1, service_code: "STREET_LIGHT", ...IN_YALA, description: "Wrong town" });
    expect([web.status, web.body.error?.code]).to.deep.equal([422, "POINT_OUTSIDE_TOWN"]);
    const viaOpen311 = await open311("/requests.json", { jurisdiction_id: "maehia.go.th", api_key: DEMO_KEY, service_code: "STREET_LIGHT", ...IN_YALA, description: "Wrong town" });
    expect([viaOpen311.status, viaOpen311.code]).to.deep.equal([422, "POINT_OUTSIDE_TOWN"]);
    expect(viaOpen311.body[0]).to.include({ code: 422 });
    // Without a point (an address only), there is nothing to check.
    const byAddress = await api.post("/api/complaints", { municipalityId: 1, service_code: "STREET_LIGHT", address_string: "Soi 3, Mae Hia", description: "Dark soi" });
    expect(byAddress.status, JSON.stringify(byAddress.body)).to.equal(201);
  });

  it("numbers and labels Yala's permits and names its own roles in Thai and English", async () => {
    const form = new FormData();
    const applicant = { name: "นายอาหมัด ทดสอบ", nationalId: "1-9599-00123-45-6", phone: "081-234-5678", address: "1 ถนนสิโรรส ยะลา" };
    form.append("application", JSON.stringify({ municipalityId: 2, type: "SIGNBOARD", parcel: "ป้ายหน้าร้าน", description: { th: "ป้ายโฆษณา 2 × 3 เมตร", en: "A 2 × 3 m sign" }, applicant }));
    form.append("file", new Blob([`Sign drawing ${Date.now()}`], { type: "text/plain" }), "sign.txt");
    const applied = await api.post("/api/permits", form);
    expect(applied.status, JSON.stringify(applied.body)).to.equal(201);
    expect(applied.body.number).to.match(/^TH-95-YALA\/SGN\/\d{4}\/\d{6}$/);
    const permit = (await api.get(`/api/permits/${encodeURIComponent(applied.body.number)}`)).body;
    expect(permit.municipality).to.include({ th: "เทศบาลนครยะลา", en: "Yala City Municipality" });
    expect(permit.type).to.include({ code: "SIGNBOARD", th: "อนุญาตติดตั้งป้ายโฆษณา", en: "Signboard permit" });
    expect(permit.steps.map((s: { role: string }) => s.role)).to.deep.equal(["SAFETY_OFFICER", "MAYOR"]);
    expect(permit.steps[0].roleLabel).to.deep.equal({ th: "เจ้าหน้าที่ความปลอดภัยอาคาร", en: "Building safety officer" });
    expect(permit.steps[1].roleLabel).to.equal(null);

    const officer = new OfficerClient(service.url, devWallet(YALA_SAFETY_OFFICER));
    const session = (await officer.signIn()).body;
    expect(session.roles).to.have.lengthOf(1);
    expect(session.roles[0]).to.deep.include({ municipalityId: 2, role: "SAFETY_OFFICER", roleLabel: { th: "เจ้าหน้าที่ความปลอดภัยอาคาร", en: "Building safety officer" } });
  });

  /** What `ledger town apply` and the console do: the plan's calls signed by the town's admin and relayed, then the bytes. */
  async function publishAsYalaAdmin(profile: unknown): Promise<void> {
    const plan = (await api.post("/api/municipalities/plan", profile)).body;
    expect(plan.problems, JSON.stringify(plan)).to.deep.equal([]);
    const admin = new OfficerClient(service.url, devWallet(YALA_ADMIN).connect(rpcProvider(service.rpcUrl)));
    for (const call of plan.calls) {
      const relayed = await admin.post("/api/municipalities/admin-transactions", { signedTransaction: await admin.signTransaction({ to: call.to, data: call.data }) });
      expect(relayed.status, JSON.stringify(relayed.body)).to.equal(201);
    }
    const stored = await fetch(`${service.url}/api/municipalities/2/profile`, { method: "PUT", body: plan.profile.body });
    expect(stored.status, await stored.text()).to.equal(201);
  }

  it("takes an api key once Yala's admin publishes it in the profile, and none once it is taken out", async () => {
    const key = `o311_${randomBytes(24).toString("base64url")}`;
    const profile = (await api.get("/api/municipalities/2")).body.profile;
    const withKey = { ...profile, open311: { ...profile.open311, apiKeys: [{ label: "FixMyStreet TH", sha256: apiKeySha256(key), createdAt: new Date().toISOString() }] } };
    const complaint = { jurisdiction_id: "YalaCity.go.th", api_key: key, service_code: "FLOODING", ...IN_YALA, description: "Flooded market", "attribute[depth]": "ankle" };
    expect((await open311("/requests.json", complaint)).code).to.equal("OPEN311_API_KEY_INVALID");

    await publishAsYalaAdmin(withKey);
    const filed = await open311("/requests.json", complaint);
    expect(filed.status, JSON.stringify(filed.body)).to.equal(200);
    expect((await api.get("/api/municipalities/2")).body.profile.open311.apiKeys.map((k: { label: string }) => k.label)).to.deep.equal(["FixMyStreet TH"]);

    await publishAsYalaAdmin(profile);
    expect((await open311("/requests.json", complaint)).code).to.equal("OPEN311_API_KEY_INVALID");
  });

  it("keeps a profile's bytes only when they hash to what the town's admin published (409 otherwise)", async () => {
    const town = (await api.get("/api/municipalities/2")).body;
    const altered = new TextEncoder().encode(`${JSON.stringify({ ...town.profile, name: { th: "เทศบาลอื่น", en: "Another town" } }, null, 2)}\n`);
    expect(`0x${createHash("sha256").update(altered).digest("hex")}`).not.to.equal(town.profileSha256);
    const response = await fetch(`${service.url}/api/municipalities/2/profile`, { method: "PUT", body: altered, headers: { "content-type": "application/json" } });
    const body = (await response.json()) as { error: { code: string } };
    expect([response.status, body.error.code]).to.deep.equal([409, "TOWN_PROFILE_NOT_PUBLISHED"]);
    expect((await api.get("/api/municipalities/2")).body.name.en).to.equal("Yala City Municipality");
  });

  it("rebuilds the towns and the complaints' filings in a fresh data folder with npm run reindex, and serves the same", async () => {
    // A complaint with a photo: what only the service keeps of it (its sealed text, photo, Open311 token
    // and location) is named on the chain by its filing id, the sealed bundle's SHA-256.
    const form = new FormData();
    for (const [name, value] of Object.entries({ municipalityId: "2", service_code: "FLOODING", ...IN_YALA, description: "Market street flooded", "attribute[depth]": "waist" })) {
      form.append(name, value);
    }
    const photo = randomBytes(2048);
    form.append("photo", new Blob([photo], { type: "image/jpeg" }), "street.jpg");
    const filed = (await api.post("/api/complaints", form)).body;
    expect(filed.trackingCode, JSON.stringify(filed)).to.be.a("string");
    const request = async () => (await open311(`/requests/${filed.complaintId}.json?jurisdiction_id=yalacity.go.th`)).body;
    const served311 = await request();
    expect(served311[0]).to.include({ lat: Number(IN_YALA.lat), long: Number(IN_YALA.long) });
    expect(await service.stop()).to.equal(0);
    // The chain and its deployment, without the index and without the IPFS blocks.
    cpSync(dataDir, freshDir, { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${databasePath(freshDir)}${suffix}`, { force: true });
    rmSync(join(freshDir, "ipfs"), { recursive: true, force: true });

    const output = await runScript("app/server/reindex.ts", [], { DATA_DIR: freshDir, CHAIN_ID: "31337" });
    expect(output).to.include("towns: 2 of 2 municipalities with their published profile");
    // Without the IPFS blocks the sealed bundles cannot be read: said, and left for the next start.
    expect(output).to.include("complaints: 0 filings restored from their sealed bundles");
    expect(output).to.include(`is not on this IPFS node`);
    const db = openDatabase(freshDir);
    try {
      const towns = Towns.of(db).list();
      expect(towns.map((town) => [town.code, town.profile?.name.th])).to.deep.equal([
        ["TH-50-MAEHIA", "เทศบาลเมืองแม่เหียะ"],
        ["TH-95-YALA", "เทศบาลนครยะลา"],
      ]);
    } finally {
      db.close();
    }

    // With the blocks back (a shared IPFS node, a restored backup), the service rebuilds the filings itself.
    cpSync(join(dataDir, "ipfs"), join(freshDir, "ipfs"), { recursive: true });
    service = await startService(freshDir);
    api = new ApiClient(service.url);
    expect((await api.get("/api/municipalities")).body).to.deep.equal(served);
    expect((await open311("/services.json?jurisdiction_id=YALACITY.go.th")).body.map((s: { service_code: string }) => s.service_code)).to.deep.equal(["FLOODING", "STREET_LIGHT"]);
    const token = async () => (await open311(`/tokens/${filed.complaint.token}.json?jurisdiction_id=yalacity.go.th`)).body;
    for (const deadline = Date.now() + 60_000; !Array.isArray(await token()) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await token()).to.deep.equal([{ service_request_id: filed.complaintId, token: filed.complaint.token }]);
    expect(await request()).to.deep.equal(served311);
    const officer = new OfficerClient(service.url, devWallet(YALA_COMPLAINT_OFFICER));
    await officer.signIn();
    const details = (await officer.get(`/api/complaints/${filed.complaintId}`)).body;
    expect(details.content, JSON.stringify(details)).to.include({ description: "Market street flooded" });
    expect(details.contentMatchesChain).to.equal(true);
    const attached = details.attachments.find((a: { kind: string }) => a.kind === "photo");
    expect(attached).to.include({ sha256: `0x${createHash("sha256").update(photo).digest("hex")}`, filename: "street.jpg", mediaType: "image/jpeg" });
    const download = await fetch(`${service.url}/api/complaints/${filed.complaintId}/attachments/${attached.sha256}`, { headers: { cookie: officer.cookie! } });
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).to.equal(true);
  });
});
