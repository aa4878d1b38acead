import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Contract, Wallet, id } from "ethers";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, dropFile, launchChromium, screenshot, verdictOnPage, visibleLabels, newPageForEachTest } from "./browser.js";
import { sha256Of } from "../app/support/testLedger.js";

/**
 * A resident verifies documents on the web app's Verify page, in Debian's chromium, against the service
 * as `npm start` runs it (real anvil, Helia, SQLite). The page hashes files itself and checks the proof
 * bundle against anvil's RPC; the test only uploads and revokes through the API and the chain.
 */

/** A small, valid, one-page PDF whose bytes are unique (a random comment). */
function pdf(title: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${title}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = `%PDF-1.4\n%${randomBytes(8).toString("hex")}\n`;
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

const DIRECTORY_ABI = ["function grantRole(uint32 municipalityId, bytes32 role, address account)"];
const BATCH_ANCHOR_ABI = ["function revokeRecord(bytes32 root, bytes32 leaf, bytes32[] proof, uint16 reasonCode, bytes32 reasonHash)"];
// Words the Thai page writes in Latin letters too: names of formats and standards, not labels.
const LATIN_IN_THAI = new Set(["PDF", "SHA-256", "JSON"]);

describe("the Verify page in a real browser", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-web");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const valid = { name: "permit-valid.pdf", bytes: pdf("Building permit MH-BLD-2026-0001, approved") };
  const revoked = { name: "permit-revoked.pdf", bytes: pdf("Building permit MH-BLD-2026-0002, revoked") };
  const unknown = { name: "never-anchored.pdf", bytes: pdf("A document the ledger never saw") };
  let municipalityName: string;

  async function upload(bytes: Uint8Array): Promise<void> {
    const body = new FormData();
    body.append("file", new Blob([new Uint8Array(bytes)]), "document.pdf");
    const response = await fetch(`${service.url}/api/documents`, { method: "POST", body });
    expect(response.status).to.equal(201);
  }
  const apiVerdict = async (bytes: Uint8Array) =>
    ((await (await fetch(`${service.url}/api/verify?sha256=${sha256Of(bytes)}`)).json()) as { verdict: string }).verdict;

  /** Revokes a record on BatchAnchor as the municipality would: its admin lets an ANCHOR_SERVICE key do it. */
  async function revoke(bytes: Uint8Array): Promise<void> {
    const health = (await (await fetch(`${service.url}/api/health`)).json()) as { chain: { contracts: Record<string, string> } };
    const provider = rpcProvider(service.rpcUrl);
    const accounts = devAccounts();
    const admin = new Wallet(accounts.find((a) => a.role === "municipalityAdmin")!.privateKey, provider);
    const revoker = new Wallet(accounts.find((a) => a.role === "auditor")!.privateKey, provider);
    const mined = async (hash: string) =>
      eventually(() => provider.getTransactionReceipt(hash), (receipt) => receipt !== null).then((receipt) => expect(receipt!.status).to.equal(1));
    const directory = new Contract(health.chain.contracts.directory, DIRECTORY_ABI, admin);
    await mined((await directory.grantRole(1, id("ANCHOR_SERVICE"), revoker.address)).hash);
    const bundle = (await (await fetch(`${service.url}/api/proofs/${sha256Of(bytes)}`)).json()) as { root: string; leaf: string; proof: string[] };
    const anchor = new Contract(health.chain.contracts.batchAnchor, BATCH_ANCHOR_ABI, revoker);
    await mined((await anchor.revokeRecord(bundle.root, bundle.leaf, bundle.proof, 1, id("decision MH/2026/17"))).hash);
  }

  /** Opens the Verify page and waits for the app to render it. */
  async function openVerify(path = "/verify?lang=en"): Promise<void> {
    await page.goto(`${service.url}${path}`);
    await page.locator("h1").waitFor();
  }
  const verdict = () => verdictOnPage(page);
  const plainChecks = () =>
    page.locator(".checks .check").evaluateAll((items) => items.map((item) => ({ ok: item.getAttribute("data-ok") === "true", text: item.textContent!.trim() })));

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200" });
    for (const document of [valid, revoked]) await upload(document.bytes);
    for (const document of [valid, revoked]) await eventually(() => apiVerdict(document.bytes), (verdict) => verdict === "valid", 60_000);
    await revoke(revoked.bytes);
    municipalityName = "Mae Hia Town Municipality";
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.kill();
    cleanUp(dataDir);
  });

  it("says VALID for a dropped PDF, with each check in a sentence, and never uploads the file", async () => {
    const requests: string[] = [];
    page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
    await openVerify();
    await dropFile(page, valid.bytes, valid.name);

    expect(await verdict()).to.equal("valid");
    const checks = await plainChecks();
    expect(checks.map((check) => check.ok)).to.deep.equal([true, true, true, true]);
    expect(checks[0].text).to.include("unchanged");
    expect(checks[1].text).to.match(/Anchored in block \d+ on \d{1,2} \w+ 20\d\d/);
    expect(checks[2].text).to.include(`Issued by ${municipalityName}`);
    expect(checks[3].text).to.include("Not revoked");
    const raw = await page.locator(".raw-checks li").evaluateAll((items) => items.map((item) => [item.getAttribute("data-check"), item.getAttribute("data-ok")]));
    expect(raw).to.have.length(12);
    expect(raw.filter(([, ok]) => ok !== "true")).to.deep.equal([]);
    expect(await page.locator(".facts").textContent()).to.include(sha256Of(valid.bytes));

    // The file stayed in the browser: only GETs to the service; the chain was read over JSON-RPC.
    const toService = requests.filter((request) => request.includes(service.url));
    expect(toService.filter((request) => !request.startsWith("GET "))).to.deep.equal([]);
    expect(requests.some((request) => request.startsWith(`POST ${service.rpcUrl}`))).to.equal(true);
    await page.locator("details.technical summary").click();
    await screenshot(page, "verify-valid");
  });

  it("says REVOKED for a picked PDF whose record the municipality revoked, and only that check fails", async () => {
    await openVerify();
    await page.setInputFiles("input[type=file]", { name: revoked.name, mimeType: "application/pdf", buffer: revoked.bytes });
    expect(await verdict()).to.equal("revoked");
    const checks = await plainChecks();
    expect(checks.map((check) => check.ok)).to.deep.equal([true, true, true, false]);
    expect(checks[3].text).to.include("revoked this document");
    expect(await page.locator("[data-testid=verdict]").textContent()).to.include("Revoked");
    await screenshot(page, "verify-revoked");
  });

  it("says UNKNOWN for a PDF the ledger never anchored", async () => {
    await openVerify();
    await page.setInputFiles("input[type=file]", { name: unknown.name, mimeType: "application/pdf", buffer: unknown.bytes });
    expect(await verdict()).to.equal("unknown");
    expect(await page.locator("[data-testid=verdict]").textContent()).to.include("not on the ledger");
    expect(await page.locator(".checks .check").count()).to.equal(0);
    await screenshot(page, "verify-unknown");
  });

  it("opens the verdict of a QR-style link /verify?sha256=… (Thai by default)", async () => {
    await openVerify(`/verify?sha256=${sha256Of(valid.bytes)}`);
    expect(await verdict()).to.equal("valid");
    expect(await page.getAttribute("html", "lang")).to.equal("th");
    expect(await page.locator("[data-testid=verdict]").textContent()).to.include("ถูกต้อง");
    expect(await page.inputValue("#sha256-input")).to.equal(sha256Of(valid.bytes));
    await screenshot(page, "verify-qr-link-th");
  });

  it("says UNKNOWN for a paper certificate's QR link whose permit the ledger does not hold", async () => {
    await openVerify(`/verify?permit=MH-BLD-1999-0404&v=1&h=0x${"ab".repeat(32)}&lang=en`);
    expect(await verdict()).to.equal("unknown");
    expect(await page.locator(".result").textContent()).to.include("No permit with this number.");
    expect(await page.inputValue("#permit-input")).to.equal("MH-BLD-1999-0404");
    await screenshot(page, "verify-permit-unknown");
  });

  it("says PENDING for a document accepted but not anchored yet", async () => {
    // A second service whose batches wait an hour: the upload is accepted and stays in the queue.
    const slowDir = tempDataDir("ledger-web-pending");
    const slow = await startService(slowDir, { ANCHOR_BATCH_MS: "3600000" });
    try {
      const accepted = pdf("Accepted, waiting for its batch");
      const body = new FormData();
      body.append("file", new Blob([new Uint8Array(accepted)]), "pending.pdf");
      expect((await fetch(`${slow.url}/api/documents`, { method: "POST", body })).status).to.equal(201);
      await page.goto(`${slow.url}/verify?lang=en&sha256=${sha256Of(accepted)}`);
      expect(await verdict()).to.equal("pending");
      expect(await page.locator(".checks .check").count()).to.equal(0);
      await screenshot(page, "verify-pending");
    } finally {
      await slow.kill();
      cleanUp(slowDir);
    }
  });

  it("checks a typed SHA-256 and puts it in the address, so the result can be shared", async () => {
    await openVerify();
    await page.fill("#sha256-input", "not a hash");
    await page.click("#sha256-input ~ button");
    expect(await page.locator("#sha256-error").textContent()).to.include("64 hexadecimal digits");
    await page.fill("#sha256-input", sha256Of(revoked.bytes).slice(2).toUpperCase());
    await page.press("#sha256-input", "Enter");
    expect(await verdict()).to.equal("revoked");
    expect(new URL(page.url()).searchParams.get("sha256")).to.equal(sha256Of(revoked.bytes));
  });

  it("switches every visible label between Thai and English, and remembers the choice", async () => {
    await openVerify(`/verify?sha256=${sha256Of(valid.bytes)}`);
    expect(await verdict()).to.equal("valid");
    await page.locator("details.technical summary").click();
    const thai = await visibleLabels(page);
    const latinInThai = thai.flatMap((text) => text.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).filter((word) => !LATIN_IN_THAI.has(word));
    expect(latinInThai, thai.join(" | ")).to.deep.equal([]);
    await screenshot(page, "language-th");

    await page.getByRole("button", { name: "English" }).click();
    await page.locator("html[lang=en]").waitFor();
    const english = await visibleLabels(page);
    expect(english.filter((text) => /[\u0E00-\u0E7F]/.test(text)), english.join(" | ")).to.deep.equal([]);
    // Nothing reads the same in both, but the names of formats.
    const same = english.filter((text) => thai.includes(text) && /[A-Za-z]/.test(text) && !LATIN_IN_THAI.has(text));
    expect(same).to.deep.equal([]);
    expect(new URL(page.url()).searchParams.get("lang")).to.equal("en");
    expect(await page.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).to.equal("true");
    await screenshot(page, "language-en");

    // The cookie keeps English on a page opened without ?lang=.
    await page.goto(`${service.url}/`);
    await page.locator("h1").waitFor();
    expect(await page.getAttribute("html", "lang")).to.equal("en");
    expect(await page.locator("h1").textContent()).to.equal("The municipality's public-service ledger");
  });

  it("is usable 360 px wide: nothing wider than the screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      page = await phone.newPage();
      await openVerify(`/verify?sha256=${sha256Of(valid.bytes)}`);
      expect(await verdict()).to.equal("valid");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
      await screenshot(page, "verify-360px");
    } finally {
      await phone.close();
    }
  });

  it("reaches the verdict by keyboard: skip link, labelled fields, the verdict in a live region", async () => {
    await openVerify();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal("Skip to content");
    expect(await page.getByRole("navigation").count()).to.equal(1);
    expect(await page.getByRole("main").count()).to.equal(1);
    await page.getByLabel("The document's SHA-256").focus();
    await page.keyboard.type(sha256Of(valid.bytes));
    await page.keyboard.press("Enter");
    expect(await verdict()).to.equal("valid");
    expect(await page.getByRole("status").first().getAttribute("aria-live")).to.equal("polite");
  });

  it("loads at most 300 KB of gzipped script on the Verify page", async () => {
    const scripts: string[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(new URL(response.url()).pathname);
    });
    await openVerify(`/verify?sha256=${sha256Of(valid.bytes)}`);
    expect(await verdict()).to.equal("valid");
    expect(scripts.length).to.be.greaterThan(0);
    const gzipped = scripts.reduce((total, path) => total + gzipSync(readFileSync(join("app/web/dist", path))).length, 0);
    console.log(`      verify page: ${scripts.length} script file(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).to.be.at.most(300 * 1024);
  });

  it("serves the app for its own URLs to browsers, and JSON errors to API clients", async () => {
    for (const path of ["/verify", "/permits/MH-BLD-2026-0001", "/nowhere"]) {
      const response = await fetch(`${service.url}${path}`, { headers: { accept: "text/html,*/*" } });
      expect(response.status, path).to.equal(200);
      expect(await response.text()).to.include('<div id="app">');
    }
    const api = await fetch(`${service.url}/api/nowhere`, { headers: { accept: "text/html" } });
    expect(api.status).to.equal(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.be.a("string");
    expect((await fetch(`${service.url}/verify`, { headers: { accept: "application/json" } })).status).to.equal(404);
    // The page reads the chain from another origin, and may be served over plain http on a town's network.
    const policy = (await fetch(`${service.url}/verify`, { headers: { accept: "text/html" } })).headers.get("content-security-policy")!;
    expect(policy).to.match(/connect-src 'self' http: https:/);
    expect(policy).to.not.include("upgrade-insecure-requests");
  });
});
