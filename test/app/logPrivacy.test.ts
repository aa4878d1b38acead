import { expect } from "chai";
import { randomBytes, randomInt } from "node:crypto";
import { loggedUrl, urlForLog } from "../../app/server/logRedaction.js";
import { DEMO_API_KEY, DEMO_JURISDICTION } from "../../app/server/services/complaints/jurisdictions.js";
import { ApiClient, OfficerClient, signInMessage } from "./support/officerClient.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";
import { permitPath } from "./support/workflowData.js";

/**
 * No secret and no personal datum in any log line at any level: the service runs as `npm start` runs
 * it, at LOG_LEVEL=trace (pino's lowest), and residents and an officer go through it with canary values —
 * a permit application, a complaint from the web app and one over Open311, tracking look-ups, an officer's
 * sign-in — and with secrets where a careless client puts them (a query string, an Authorization header,
 * a forged or malformed session cookie). Then the whole of its stdout and stderr, start to stop, is
 * searched: not one canary may appear.
 */
describe("logs: no secret or personal datum at any level", function () {
  this.timeout(240_000);
  const dataDir = tempDataDir("ledger-logs");
  const tag = randomBytes(5).toString("hex");
  const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");
  // Distinctive values that appear nowhere unless something wrote what a resident or officer sent.
  const canary = {
    name: `Kanda Zqname${tag}`,
    nationalId: `9${digits(12)}`,
    phone: `+66-9${digits(1)}-${digits(4)}-${digits(3)}`,
    address: `77/7 Zqaddress${tag} Road, Mae Hia`,
    description: `Zqdescription${tag}: the drain in front of my house`,
    firstName: `Zqfirst${tag}`,
    lastName: `Zqlast${tag}`,
    email: `zqmail${tag}@example.th`,
    apiKey: `zqapikey${tag}`,
    trackingCode: `ZQTK-${tag.slice(0, 4).toUpperCase()}-CANA-RY00`,
    cookie: `zqcookie${tag}`,
    bearer: `zqbearer${tag}`,
  };
  let service: RunningService;
  const secrets: Record<string, string> = {};

  before(async () => {
    service = await startService(dataDir, { LOG_LEVEL: "trace" });
  });
  after(async () => {
    if (service?.child.exitCode === null) await service.kill();
    cleanUp(dataDir);
  });

  it("files a permit, two complaints and tracking look-ups, signs an officer in, and logs none of it", async () => {
    const resident = new ApiClient(service.url);

    // A permit application: the applicant's personal fields, then the owner's look-up by tracking code.
    const application = new FormData();
    const applicant = { name: canary.name, nationalId: canary.nationalId, phone: canary.phone, address: canary.address };
    application.append("application", JSON.stringify({ municipalityId: 1, type: "BUILDING", parcel: `Title deed ${tag}`, description: { en: canary.description }, applicant }));
    application.append("file", new Blob([`plans ${tag}`], { type: "text/plain" }), "plans.txt");
    const permit = await resident.post("/api/permits", application);
    expect(permit.status, JSON.stringify(permit.body)).to.equal(201);
    secrets.permitTrackingCode = permit.body.trackingCode;
    await resident.get(`${permitPath(permit.body.number)}/private`, { "x-tracking-code": permit.body.trackingCode });

    // A complaint from the web app, with the contact fields the form may carry.
    const complaint = new FormData();
    const fields = {
      municipalityId: "1",
      service_code: "DRAINAGE",
      lat: "18.74",
      long: "98.95",
      description: canary.description,
      address_string: canary.address,
      first_name: canary.firstName,
      last_name: canary.lastName,
      phone: canary.phone,
      email: canary.email,
    };
    for (const [name, value] of Object.entries(fields)) complaint.append(name, value);
    const filed = await resident.post("/api/complaints", complaint);
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    secrets.complaintTrackingCode = filed.body.trackingCode;
    expect((await resident.get("/api/complaints/track", { "x-tracking-code": filed.body.trackingCode })).status).to.equal(200);
    await resident.get("/api/complaints/track", { "x-tracking-code": canary.trackingCode });

    // Over Open311 with the demo's api key, form-encoded as 311 clients send it.
    const open311 = {
      jurisdiction_id: DEMO_JURISDICTION,
      api_key: DEMO_API_KEY,
      service_code: "ROAD",
      lat: "18.7465",
      long: "98.9650",
      address_string: canary.address,
      description: canary.description,
      "attribute[hazard]": "high",
      "attribute[village]": "3",
      first_name: canary.firstName,
      last_name: canary.lastName,
      phone: canary.phone,
      email: canary.email,
    };
    const viaOpen311 = await fetch(`${service.url}/open311/v2/requests.json`, { method: "POST", body: new URLSearchParams(open311) });
    expect(viaOpen311.status).to.equal(200);
    secrets.open311TrackingCode = ((await viaOpen311.json()) as { tracking_code: string }[])[0].tracking_code;
    // A client that puts everything in the query string, with a key that is not valid: the URL is logged.
    const inQuery = new URLSearchParams({ ...open311, api_key: canary.apiKey });
    expect((await fetch(`${service.url}/open311/v2/requests.json?${inQuery}`, { method: "POST" })).status).to.equal(403);
    await resident.get(`/api/complaints/track?code=${canary.trackingCode}&sha256=${"ab".repeat(32)}`);

    // An officer signs in: the signed message's signature, the session cookie it sets and sends.
    const officer = OfficerClient.demo(service.url, "complaintOfficer");
    const message = await signInMessage(officer, officer.wallet);
    secrets.signature = await officer.wallet.signMessage(message);
    secrets.nonce = message.match(/Nonce: (\w+)/)![1];
    const signedIn = await officer.post("/api/auth/sign-in", { message, signature: secrets.signature });
    expect(signedIn.status).to.equal(200);
    secrets.sessionToken = officer.cookie!.split("=")[1];
    expect(signedIn.headers.get("set-cookie")).to.include(secrets.sessionToken);
    expect((await officer.get("/api/auth/session")).status).to.equal(200);

    // Secrets where they do not belong: a forged cookie, a malformed one, an Authorization header.
    const stranger = new ApiClient(service.url);
    stranger.cookie = `ledger_session=${canary.cookie}; theme=${canary.cookie}`;
    await stranger.get("/api/auth/session", { authorization: `Bearer ${canary.bearer}`, "x-api-key": canary.apiKey });
    stranger.cookie = `ledger_session=${canary.cookie}%E0%A4%A`;
    await stranger.get("/api/auth/session");
    await resident.get(`/api/verify?sha256=${"cd".repeat(32)}`, { cookie: `ledger_session=${canary.cookie}` });

    // The last request, so that every line before it has been written when it shows.
    await resident.get(`/api/log-marker-${tag}`);
    await eventually(async () => service.output(), (output) => output.includes(`/api/log-marker-${tag}`), 10_000);
    expect(await service.stop()).to.equal(0);

    const output = service.output();
    // Not vacuous: the requests were logged, at every level down to trace.
    for (const logged of ["/api/permits", "/api/complaints/track", "/open311/v2/requests.json", "/api/auth/sign-in", "/api/verify?sha256="]) {
      expect(output, logged).to.include(logged);
    }
    expect(output).to.include("api_key=[redacted]");
    const found = Object.entries({ ...canary, ...secrets }).filter(([, value]) => output.includes(value));
    expect(found.map(([name]) => name)).to.deep.equal([]);
    // The demo's public api key is printed once, at start (README); no request line repeats it.
    expect(output.split("\n").filter((line) => line.includes(DEMO_API_KEY))).to.have.length(1);
  });

  it("names a chain or IPFS node by scheme, host and port only: a provider's key in the path or user:password stays out", () => {
    expect(urlForLog("https://mainnet.example-rpc.io/v3/0123456789abcdef")).to.equal("https://mainnet.example-rpc.io/…");
    expect(urlForLog("https://user:secret@rpc.example.go.th:8545")).to.equal("https://rpc.example.go.th:8545");
    expect(urlForLog("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
    expect(urlForLog("not a url")).to.equal("[redacted]");
    expect(loggedUrl("/api/verify?sha256=ab&api_key=k&%E0=x&tracking")).to.equal("/api/verify?sha256=ab&api_key=[redacted]&[redacted]&tracking=[redacted]");
  });
});
