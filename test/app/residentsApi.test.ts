import { expect } from "chai";
import { isSealed } from "../../app/server/privacy/vault.js";
import { ApiClient, OfficerClient } from "./support/officerClient.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";


/**
 * What the residents' web pages ask of the API beyond the workflows' own routes: the complaint form's
 * catalogue, a photo filed with a complaint (sealed), and a receipt's QR link opened by a browser.
 */
describe("the API behind the residents' pages", function () {
  this.timeout(120_000);
  const dataDir = tempDataDir("ledger-residents-api");
  let service: RunningService;
  let api: ApiClient;

  before(async () => {
    service = await startService(dataDir);
    api = new ApiClient(service.url);
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  it("answers the complaint form: active categories in Thai and English with their SLA and attributes, and the map area", async () => {
    const { status, body } = await api.get("/api/complaints/form?municipality=1");
    expect(status).to.equal(200);
    expect(body.municipality).to.deep.equal({ code: "TH-50-MAEHIA", th: "เทศบาลเมืองแม่เหียะ", en: "Mae Hia Town Municipality" });
    expect(body.area).to.deep.equal({ south: 18.7, west: 98.92, north: 18.77, east: 98.99 });
    expect(body.boundary.type).to.equal("Polygon");
    const road = body.categories.find((c: { code: string }) => c.code === "ROAD");
    expect(road).to.include({ name: "Road damage", nameTh: "ถนนชำรุด" });
    expect(road.slaSeconds).to.be.greaterThan(0);
    const hazard = road.attributes.find((a: { code: string }) => a.code === "hazard");
    expect(hazard).to.include({ required: true, descriptionTh: "อันตรายมากน้อยเพียงใด" });
    expect(hazard.values[2]).to.deep.equal({ key: "high", name: "Dangerous for everyone", nameTh: "อันตรายต่อทุกคน" });
    // Open311 keeps the spec's shape: no Thai fields in its values.
    const definition = (await api.get("/open311/v2/services/ROAD.json?jurisdiction_id=maehia.go.th")).body;
    expect(definition.attributes.find((a: { code: string }) => a.code === "hazard").values[2]).to.deep.equal({ key: "high", name: "Dangerous for everyone" });
    expect((await api.get("/api/complaints/form?municipality=0")).body.error.code).to.equal("QUERY_INVALID");
    expect((await api.get("/api/complaints/form?municipality=77")).body).to.deep.include({ municipality: null, area: null, boundary: null, categories: [] });
  });

  it("files a complaint with a photo from a form: sealed on IPFS, its SHA-256 inside the hashed content", async () => {
    const photo = new Uint8Array(Buffer.from(`a photo of a blocked drain ${Date.now()}`));
    const form = new FormData();
    for (const [name, value] of Object.entries({ municipalityId: "1", service_code: "DRAINAGE", lat: "18.74", long: "98.95", description: "Blocked drain", "attribute[village]": "4" })) {
      form.append(name, value);
    }
    form.append("photo", new Blob([photo], { type: "image/jpeg" }), "drain.jpg");
    const filed = await api.post("/api/complaints", form);
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const tracked = (await api.get("/api/complaints/track", { "x-tracking-code": filed.body.trackingCode })).body;
    expect(tracked.content).to.include({ photoSha256: sha256Of(photo), description: "Blocked drain" });
    expect(tracked.content.attributes).to.deep.equal({ village: "4" });
    expect(tracked.contentMatchesChain).to.equal(true);
    const attachment = tracked.attachments.find((a: { kind: string }) => a.kind === "photo");
    expect(attachment).to.include({ sha256: sha256Of(photo), filename: "drain.jpg", mediaType: "image/jpeg", txHash: filed.body.txHash });
    expect(isSealed(new Uint8Array(await (await fetch(`${service.url}/ipfs/${attachment.cid}`)).arrayBuffer()))).to.equal(true);
    // The municipality's complaint officer opens the photo as it was filed.
    const officer = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
    await officer.signIn();
    const opened = await fetch(`${service.url}/api/complaints/${filed.body.complaintId}/attachments/${sha256Of(photo)}`, { headers: { cookie: officer.cookie! } });
    expect(opened.status).to.equal(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(Buffer.from(photo))).to.equal(true);

    const notAnImage = new FormData();
    for (const [name, value] of Object.entries({ municipalityId: "1", service_code: "DRAINAGE", address_string: "Soi 5" })) notAnImage.append(name, value);
    notAnImage.append("photo", new Blob(["%PDF-1.4"], { type: "application/pdf" }), "letter.pdf");
    const refused = await api.post("/api/complaints", notAnImage);
    expect({ status: refused.status, code: refused.body.error?.code }).to.deep.equal({ status: 400, code: "COMPLAINT_PHOTO_INVALID" });
  });

  it("sends a browser that opens a receipt link to the web app's check, and answers JSON to everyone else", async () => {
    const unknown = `rcp_${"ab".repeat(16)}`;
    const asBrowser = await fetch(`${service.url}/api/funds/receipts/${unknown}`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
    // An unknown receipt is still a 404 (no page promising a receipt that does not exist).
    expect(asBrowser.status).to.equal(404);
    expect((await api.get(`/api/funds/receipts/${unknown}`)).body.error.code).to.equal("FUNDS_RECEIPT_NOT_FOUND");
  });
});
