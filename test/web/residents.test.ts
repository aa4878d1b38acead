import { expect } from "chai";
import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { CivicFund__factory } from "../../types/ethers-contracts/factories/CivicFund__factory.js";
import { TestBahtToken__factory } from "../../types/ethers-contracts/factories/mocks/TestBahtToken__factory.js";
import { ApiClient, OfficerClient } from "../app/support/officerClient.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, screenshot, verdictOnPage, visibleLabels, newPageForEachTest } from "./browser.js";
import { sha256Of } from "../app/support/testLedger.js";

/**
 * Residents' complaint and fund pages in Debian's chromium, against the service as `npm start` runs it
 * (real anvil, Helia, SQLite). Officers act through the API with their own keys, as their console will;
 * the resident acts only in the browser, which checks receipts against anvil's RPC itself.
 */
const GAS = 1_000_000n;
// A 1×1 PNG: a real image for the photo field.
const PHOTO = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
// The demo municipality's map area (services/complaints/filingForm.ts).
const AREA = { south: 18.7, west: 98.92, north: 18.77, east: 98.99 };
// Words the Thai pages write in Latin letters on purpose: names of formats, keys and standards.
const LATIN_IN_THAI = new Set(["SHA-256", "Shift", "JSON"]);

describe("residents' complaint and fund pages in a real browser", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-web-residents");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let complaintOfficer: OfficerClient;
  let treasurer: OfficerClient;
  let campaignId: number;
  let receipt: Record<string, any>;
  let trackingCode = "";

  /** Asks the API for the unsigned transaction, signs it with the officer's own key, submits it. */
  async function signAndSubmit(officer: OfficerClient, prepare: () => Promise<{ status: number; body: any }>, submitPath: string) {
    const prepared = await prepare();
    expect(prepared.status, JSON.stringify(prepared.body)).to.equal(200);
    const { to, data } = prepared.body.transaction;
    const answer = await officer.post(submitPath, { signedTransaction: await officer.signTransaction({ to, data, gasLimit: GAS }) });
    expect(answer.status, JSON.stringify(answer.body)).to.be.oneOf([200, 201]);
    return answer.body;
  }

  /** The complaint officer moves a complaint along with their own signed transactions (as in test/app/complaints.test.ts). */
  async function officerActs(complaintId: string, action: string, query = "", evidence?: Uint8Array) {
    const call = await complaintOfficer.get(`/api/complaints/${complaintId}/actions/${action}/call${query}`);
    expect(call.status, JSON.stringify(call.body)).to.equal(200);
    const signedTransaction = await complaintOfficer.signTransaction({ to: call.body.to, data: call.body.data });
    let body: unknown = { signedTransaction };
    if (evidence) {
      const form = new FormData();
      form.append("signedTransaction", signedTransaction);
      form.append("file", new Blob([new Uint8Array(evidence)], { type: "image/jpeg" }), "repaired.jpg");
      body = form;
    }
    const answer = await complaintOfficer.post(`/api/complaints/${complaintId}/${action}`, body);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
  }

  async function open(path: string): Promise<void> {
    await page.goto(`${service.url}${path}`);
    await page.locator("h1").waitFor();
  }
  const receiptVerdict = () => verdictOnPage(page, "receipt-verdict");
  const rawChecks = () =>
    page.locator(".raw-checks li").evaluateAll((items) => Object.fromEntries(items.map((item) => [item.getAttribute("data-check"), item.getAttribute("data-ok") === "true"])));

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200" });
    api = new ApiClient(service.url);
    complaintOfficer = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
    treasurer = OfficerClient.demo(service.url, "treasurer", service.rpcUrl);
    await complaintOfficer.signIn();
    await treasurer.signIn();

    // A campaign of 10,000.00 THBT, opened by the treasurer; the resident pledges 2,500.00 from their wallet.
    const provider = rpcProvider(service.rpcUrl);
    const deadline = (await provider.getBlock("latest"))!.timestamp + 7 * 86_400;
    const form = new FormData();
    form.append("file", new Blob(["Solar lights for Moo 3's lane.\nAll or nothing: refunded if the goal is missed."], { type: "text/plain" }), "rules.txt");
    const beneficiary = devAccounts().find((a) => a.role === "treasurer")!.address;
    for (const [key, value] of Object.entries({ municipalityId: "1", beneficiary, goal: "1000000", deadline: String(deadline), milestones: "600000,400000" })) {
      form.append(key, value);
    }
    campaignId = (await signAndSubmit(treasurer, () => treasurer.post("/api/funds/campaigns/transaction", form), "/api/funds/campaigns")).campaignId;
    await signAndSubmit(treasurer, () => treasurer.post(`/api/funds/campaigns/${campaignId}/open/transaction`), `/api/funds/campaigns/${campaignId}/open`);
    const health = (await api.get("/api/health")).body;
    const resident = new Wallet(devAccounts().find((a) => a.role === "resident")!.privateKey, provider);
    await (await TestBahtToken__factory.connect(health.chain.demoToken, resident).approve(health.chain.contracts.civicFund, 250000n)).wait();
    const pledged = await CivicFund__factory.connect(health.chain.contracts.civicFund, resident).pledge(campaignId, 250000n);
    await pledged.wait();
    expect((await api.post(`/api/funds/campaigns/${campaignId}/pledges`, { txHash: pledged.hash })).status).to.equal(201);

    // A cash pledge recorded by the treasurer: its receipt is anchored in a Merkle batch.
    const path = `/api/funds/campaigns/${campaignId}/offchain-pledges`;
    const recorded = await signAndSubmit(
      treasurer,
      () => treasurer.post(`${path}/transaction`, { amount: "50000", method: "cash", paidOn: "2026-01-15", payerName: "Malee Srisuk" }),
      path,
    );
    receipt = await eventually(async () => (await api.get(`/api/funds/receipts/${recorded.receiptId}`)).body, (body) => body.proof !== null, 60_000);
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.kill();
    cleanUp(dataDir);
  });

  it("files a complaint with a category, a point on the offline map, a description and a photo, and follows it with its code", async () => {
    await open("/complaints/new?lang=en");
    await page.locator("#complaint-category").selectOption("ROAD");
    await page.locator("#attribute-hazard").selectOption("high");
    await page.locator("#attribute-village").selectOption("3");

    // A click a quarter of the way across and half way down the area, then one step north by keyboard.
    const map = page.locator("[data-testid=map-picker]");
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 4, y: box.height / 2 } });
    const clicked = { lat: (AREA.north + AREA.south) / 2, long: AREA.west + (AREA.east - AREA.west) / 4 };
    const shown = async () => (await page.locator("[data-testid=map-point]").textContent())!.match(/latitude ([\d.]+), longitude ([\d.]+)/)!.slice(1).map(Number);
    const [lat, long] = await shown();
    // Plain arithmetic: in the whole suite, Hardhat's chai matchers take over closeTo for bigints.
    expect(Math.abs(lat - clicked.lat), `latitude ${lat}`).to.be.below(0.002);
    expect(Math.abs(long - clicked.long), `longitude ${long}`).to.be.below(0.002);
    await map.focus();
    await page.keyboard.press("ArrowUp");
    const [northLat, sameLong] = await shown();
    expect(Math.abs(northLat - (lat + (AREA.north - AREA.south) / 50)), `latitude ${northLat}`).to.be.below(1e-5);
    expect(sameLong).to.equal(long);
    expect(await page.locator("[data-testid=map-marker]").count()).to.equal(1);

    await page.locator("#complaint-description").fill("Deep pothole in front of the market, two bikes fell this week.");
    await page.locator("#complaint-photo").setInputFiles({ name: "pothole.png", mimeType: "image/png", buffer: PHOTO });
    await page.locator(".photo-preview img").waitFor();
    await page.getByRole("button", { name: "File the complaint" }).click();

    const code = page.locator("[data-testid=tracking-code]");
    await code.waitFor({ timeout: 60_000 });
    trackingCode = (await code.textContent())!.trim();
    expect(trackingCode).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await page.getByRole("link", { name: "Follow this complaint" }).click();
    await page.locator("[data-testid=track-status] [data-status=filed]").waitFor({ timeout: 60_000 });
    // The code came in the fragment and left the address bar; it never went into a URL the server saw.
    expect(page.url()).not.to.contain(trackingCode);
    expect(await page.locator("#tracking-code-input").inputValue()).to.equal(trackingCode);
    expect(await page.locator("[data-testid=tracked-location]").textContent()).to.equal(`${northLat.toFixed(5)}, ${long.toFixed(5)}`);
    expect(await page.locator("[data-testid=tracked-description]").textContent()).to.contain("Deep pothole");
    expect(await page.locator("[data-testid=tracked-photo]").textContent()).to.equal(sha256Of(PHOTO));
    expect(await page.locator(".check[data-ok]").getAttribute("data-ok")).to.equal("true");
    expect(await page.locator("[data-testid=due-at]").textContent()).to.match(/20\d\d/);
    await screenshot(page, "complaint-filed-and-followed");

    // The photo is kept sealed on IPFS, as an attachment of the filing.
    const tracked = (await api.get("/api/complaints/track", { "x-tracking-code": trackingCode })).body;
    const photo = tracked.attachments.find((a: { kind: string }) => a.kind === "photo");
    expect(photo).to.include({ sha256: sha256Of(PHOTO), txHash: tracked.complaint.filedTx });
    const stored = Buffer.from(await (await fetch(`${service.url}/ipfs/${photo.cid}`)).arrayBuffer());
    expect(stored.includes(PHOTO)).to.equal(false);

    // The photo, checked on the Verify page, is what it is: a resident's attachment, never an issued document.
    await open(`/verify?sha256=${sha256Of(PHOTO)}&lang=en`);
    const attachment = page.locator("[data-testid=attachment]");
    await attachment.waitFor({ timeout: 60_000 });
    expect(await attachment.textContent()).to.contain(`a resident attached it to complaint ${tracked.complaint.complaintId}`);
    expect(await page.locator(".verdict").textContent()).to.contain("This file is not a document the municipality issued.");
    expect(await page.locator(".verdict").textContent()).not.to.contain("Valid");
  });

  it("shows the officer's resolution, and reopening it gives the resident a new code", async () => {
    expect(trackingCode, "the filing scenario ran").not.to.equal("");
    const { complaintId } = (await api.get("/api/complaints/track", { "x-tracking-code": trackingCode })).body.complaint;
    await officerActs(complaintId, "acknowledge");
    await officerActs(complaintId, "start");
    const evidence = new Uint8Array(Buffer.from(`the repaired road ${Date.now()}`));
    await officerActs(complaintId, "resolve", `?evidenceHash=${sha256Of(evidence)}`, evidence);

    await open("/complaints/track?lang=en");
    await page.locator("#tracking-code-input").fill(trackingCode);
    await page.getByRole("button", { name: "Show the status" }).click();
    await page.locator("[data-testid=track-status] [data-status=resolved]").waitFor({ timeout: 60_000 });
    const timeline = () => page.locator("[data-testid=timeline] li").evaluateAll((items) => items.map((item) => item.getAttribute("data-status")));
    expect(await timeline()).to.deep.equal(["filed", "acknowledged", "in_progress", "resolved"]);
    expect(await page.locator("[data-testid=timeline] li[data-status=resolved]").textContent()).to.contain(sha256Of(evidence));

    await page.locator("#reopen-reason").fill("Still a hole after the rain.");
    await page.getByRole("button", { name: "Closed, not fixed — reopen" }).click();
    const fresh = page.locator("[data-testid=tracking-code]");
    await fresh.waitFor({ timeout: 60_000 });
    const newCode = (await fresh.textContent())!.trim();
    expect(newCode).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/).and.not.equal(trackingCode);
    await page.locator("[data-testid=track-status] [data-status=reopened]").waitFor();
    expect(await page.locator("#tracking-code-input").inputValue()).to.equal(newCode);
    expect(await timeline()).to.deep.equal(["filed", "acknowledged", "in_progress", "resolved", "reopened"]);
    await screenshot(page, "complaint-reopened-new-code");

    expect((await api.get("/api/complaints/track", { "x-tracking-code": trackingCode })).body.error.code).to.equal("TRACKING_CODE_UNKNOWN");
    expect((await api.get("/api/complaints/track", { "x-tracking-code": newCode })).body.complaint.detailedStatus).to.equal("reopened");
    // The old code, typed again, is refused in the reader's language.
    await page.locator("#tracking-code-input").fill(trackingCode);
    await page.getByRole("button", { name: "Show the status" }).click();
    await page.locator("[data-testid=track-status] .error").waitFor();
    expect(await page.locator("[data-testid=track-status] .error").textContent()).to.contain("No complaint has that tracking code");
  });

  it("lists campaigns with their progress, and shows a campaign's rules, milestones and pledges", async () => {
    await open("/funds?lang=en");
    const card = page.locator(`[data-campaign="${campaignId}"]`);
    await card.waitFor();
    expect(await card.locator("[data-testid=campaign-percent]").textContent()).to.equal("25%");
    expect(await card.locator("progress").getAttribute("value")).to.equal("25");
    const text = await card.textContent();
    expect(text).to.contain("2,500.00 THBT raised of 10,000.00 THBT");
    expect(text).to.contain("plus 500.00 THBT paid to the city in cash");
    expect(await card.locator("[data-phase]").getAttribute("data-phase")).to.equal("Funding");
    await screenshot(page, "funds-campaigns");

    await card.getByRole("link", { name: `Campaign ${campaignId}` }).click();
    await page.locator("[data-testid=rules-text]").waitFor();
    expect(await page.locator("[data-testid=rules-text]").textContent()).to.contain("Solar lights for Moo 3's lane.");
    expect(await page.locator("[data-testid=rules-hash]").textContent()).to.match(/^0x[0-9a-f]{64}$/);
    expect(await page.locator(".milestones li").count()).to.equal(2);
    expect(await page.locator("[data-testid=pledges-total]").textContent()).to.contain("2,500.00 THBT");
    await screenshot(page, "funds-campaign");
  });

  it("verifies the treasurer's cash receipt in the browser by file and by its QR link, and keeps it under my receipts", async () => {
    const requests: string[] = [];
    page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
    await open("/funds/receipts?lang=en");
    await page.locator("[data-testid=receipt-file]").setInputFiles({ name: "receipt.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(receipt)) });
    expect(await receiptVerdict()).to.equal("valid");
    const checks = await rawChecks();
    for (const name of ["document-hash", "document-fields", "recorded-on-chain", "anchor:proof-valid", "anchor:root-anchored", "anchor:not-revoked"]) {
      expect(checks[name], name).to.equal(true);
    }
    expect(Object.values(checks).every(Boolean)).to.equal(true);
    // The amount is written once the campaign's token is known (never as raw units).
    await page.locator("[data-testid=receipt-amount]").filter({ hasText: "THBT" }).waitFor();
    expect(await page.locator("[data-testid=receipt-amount]").textContent()).to.equal("500.00 THBT");
    // The file was checked here, against the chain's node: nothing was posted to the service.
    expect(requests.filter((r) => r.startsWith("POST ") && r.includes(service.url))).to.deep.equal([]);
    expect(requests.some((r) => r.startsWith(`POST ${service.rpcUrl}`))).to.equal(true);
    // Kept under "my receipts" once the check is done (the list is written after the verdict shows).
    await page.locator("[data-testid=kept-receipts]").filter({ hasText: receipt.receiptId }).waitFor();
    await screenshot(page, "receipt-file-valid");

    // What the receipt's QR code holds: the API opens the web app's check for a browser.
    await page.goto(receipt.verifyUrl);
    await page.locator("h1").waitFor();
    expect(new URL(page.url()).pathname).to.equal("/funds/receipts");
    expect(await receiptVerdict()).to.equal("valid");
    expect(await page.locator("#receipt-id-input").inputValue()).to.equal(receipt.receiptId);
    expect((await api.get(`/api/funds/receipts/${receipt.receiptId}`)).body.receiptId).to.equal(receipt.receiptId);
    await screenshot(page, "receipt-qr-link-valid");
  });

  it("fits a 360 px phone screen without sideways scrolling", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    for (const path of ["/complaints/new", "/funds", `/funds/${campaignId}`, `/funds/receipts?receipt=${receipt.receiptId}`]) {
      await open(`${path}${path.includes("?") ? "&" : "?"}lang=th`);
      if (path.includes("receipt=")) await receiptVerdict();
      else await page.waitForLoadState("networkidle");
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 361).map((e) => `${e.tagName}.${e.className}`),
      );
      expect(wide, path).to.deep.equal([]);
      if (path.includes("receipt=")) await screenshot(page, "receipt-phone-thai");
    }
  });

  it("says NOT VALID for a tampered receipt file, and does not keep it", async () => {
    await open("/funds/receipts?lang=en");
    const document = JSON.parse(receipt.document);
    const tampered = { ...receipt, amount: "5000000", document: JSON.stringify({ ...document, amount: "5000000" }) };
    await page.locator("[data-testid=receipt-file]").setInputFiles({ name: "receipt-edited.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(tampered)) });
    expect(await receiptVerdict()).to.equal("invalid");
    const checks = await rawChecks();
    expect(checks["document-hash"]).to.equal(false);
    expect(checks["recorded-on-chain"]).to.equal(false);
    expect(await page.locator(".checks .check[data-ok=false]").count()).to.be.greaterThan(0);
    expect(await page.locator(".receipt-qr").count()).to.equal(0);
    await screenshot(page, "receipt-tampered-invalid");

    await page.locator("[data-testid=receipt-file]").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello":1}') });
    await page.locator("[data-testid=receipt-verdict] .error").waitFor();
    expect(await page.locator("[data-testid=receipt-verdict] .error").textContent()).to.contain("not a pledge receipt");
  });

  it("says every label of these pages in Thai and in English", async () => {
    const pages = ["/complaints/new", "/complaints/track", "/funds", `/funds/${campaignId}`, `/funds/receipts?receipt=${receipt.receiptId}`];
    for (const path of pages) {
      const join = path.includes("?") ? "&" : "?";
      await open(`${path}${join}lang=th`);
      await page.locator("html[lang=th]").waitFor();
      await page.waitForLoadState("networkidle");
      const thai = await visibleLabels(page);
      const latin = thai.flatMap((text) => text.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).filter((word) => !LATIN_IN_THAI.has(word));
      expect(latin, `${path}: ${thai.join(" | ")}`).to.deep.equal([]);
      if (path === "/complaints/new") await screenshot(page, "residents-thai-complaint-form");

      await open(`${path}${join}lang=en`);
      await page.locator("html[lang=en]").waitFor();
      await page.waitForLoadState("networkidle");
      const english = await visibleLabels(page);
      expect(english.filter((text) => /[\u0E00-\u0E7F]/.test(text)), `${path}: ${english.join(" | ")}`).to.deep.equal([]);
    }
  });
});
