import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { Contract, Wallet, id } from "ethers";
import type { Browser, Page } from "playwright-core";
import { freeLoopbackPort } from "../../app/server/chain/anvil.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import type { ProofBundle } from "../../app/shared/proofBundle.js";
import { CHECK_NAMES } from "../../app/shared/verifyBundle.js";
import { documentVerifyLink } from "../../app/shared/verifyLink.js";
import { DocumentIssuer, signRecordRevocation } from "../app/support/issuer.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { WorkflowActors } from "../app/support/workflowData.js";
import { buildWebApp, dropFile, launchChromium, screenshot, verdictOnPage, visibleLabels, newPageForEachTest } from "./browser.js";
import { sha256Of } from "../app/support/testLedger.js";

/**
 * A resident verifies documents on the web app's Verify page, in Debian's chromium, against the service
 * as `npm start` runs it (real anvil, Helia, SQLite). The page hashes files itself and checks the proof
 * bundle against anvil's RPC — the document, its anchor, and who signed its issuance; the test only
 * issues (signed in Node with the demo DOCUMENT_ISSUER's key, the permit officer's) and revokes through
 * the API and the chain.
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

const DIRECTORY_ABI = [
  "function grantRole(uint32 municipalityId, bytes32 role, address account)",
  "function markKeyCompromised(uint32 municipalityId, address account, uint64 since)",
];
const BATCH_ANCHOR_ABI = [
  "function revokeRecord(uint32 municipalityId, bytes32 root, bytes32 leaf, bytes32[] proof, uint16 reasonCode, bytes32 reasonHash, address officer, uint256 deadline, bytes signature)",
];
/** The verdict box's red (styles.css --revoked): "revoked" and "unauthorised" share it, "valid" never does. */
const RED = "rgb(163, 25, 31)";
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
  // Issued by a key whose keystore is later reported lost: the admin marks it compromised from before its signature was anchored.
  const compromised = { name: "letter-lost-key.pdf", bytes: pdf("Letter MH/2026/31, signed with a key reported lost") };
  let municipalityName: string;
  /** The demo's DOCUMENT_ISSUER (the permit officer, dev account 3), signing in Node as an e-Office system would. */
  let issuer: DocumentIssuer;
  let contracts: Record<string, string>;
  let actors: WorkflowActors;
  let permit: Awaited<ReturnType<WorkflowActors["issuedBuildingPermit"]>>;
  let complaintId: string;
  let receipt: Record<string, any>;
  /** The proof bundle of `valid`, as the service gave it: what an issuer hands out beside the document. */
  let validBundle: ProofBundle;
  const permitOfficer = devAccounts().find((a) => a.role === "permitOfficer")!;
  const complaintOfficer = devAccounts().find((a) => a.role === "complaintOfficer")!;
  const bundleFile = () => ({ name: "permit-valid.proof.json", bytes: Buffer.from(JSON.stringify(validBundle, null, 2)), type: "application/json" });
  const pdfFile = (document: { name: string; bytes: Uint8Array }) => ({ ...document, type: "application/pdf" });

  async function upload(bytes: Uint8Array, by = issuer): Promise<void> {
    const response = await fetch(`${service.url}/api/documents`, { method: "POST", body: await by.form(bytes) });
    expect(response.status, await response.clone().text()).to.equal(201);
  }
  const apiVerdict = async (bytes: Uint8Array) =>
    ((await (await fetch(`${service.url}/api/verify?sha256=${sha256Of(bytes)}`)).json()) as { verdict: string }).verdict;

  const provider = () => rpcProvider(service.rpcUrl);
  const admin = () => new Wallet(devAccounts().find((a) => a.role === "municipalityAdmin")!.privateKey, provider());
  /** Waits for a transaction and says it succeeded; answers its block's time. */
  async function mined(hash: string): Promise<number> {
    const receipt = await eventually(() => provider().getTransactionReceipt(hash), (receipt) => receipt !== null);
    expect(receipt!.status).to.equal(1);
    return (await provider().getBlock(receipt!.blockNumber))!.timestamp;
  }

  /**
   * Revokes a record on BatchAnchor as the municipality does: its DOCUMENT_ISSUER signs the revocation
   * (EIP-712 RecordRevocation), anyone submits it — here an account with no role at all.
   */
  async function revoke(bytes: Uint8Array): Promise<void> {
    const submitter = new Wallet(devAccounts().find((a) => a.role === "resident")!.privateKey, provider());
    const bundle = (await (await fetch(`${service.url}/api/proofs/${sha256Of(bytes)}`)).json()) as {
      municipalityId: number;
      root: string;
      leaf: string;
      proof: string[];
    };
    const reason = { municipalityId: bundle.municipalityId, root: bundle.root, leaf: bundle.leaf, reasonCode: 1, reasonHash: id("decision MH/2026/17") };
    const now = (await provider().getBlock("latest"))!.timestamp;
    const { officer, deadline, signature } = await signRecordRevocation(issuer.wallet, issuer.chain, { ...reason, now });
    const anchor = new Contract(contracts.batchAnchor, BATCH_ANCHOR_ABI, submitter);
    await mined((await anchor.revokeRecord(reason.municipalityId, reason.root, reason.leaf, bundle.proof, reason.reasonCode, reason.reasonHash, officer, deadline, signature)).hash);
  }

  /**
   * Issues `bytes` with a fresh key the admin makes a DOCUMENT_ISSUER, waits for the anchor, then marks
   * the key compromised from the time it was granted: its signature no longer makes anything valid.
   */
  async function issueWithKeyLaterCompromised(bytes: Uint8Array): Promise<void> {
    const lost = new Wallet(Wallet.createRandom().privateKey);
    const directory = new Contract(contracts.directory, DIRECTORY_ABI, admin());
    const grantedAt = await mined((await directory.grantRole(1, id("DOCUMENT_ISSUER"), lost.address)).hash);
    await upload(bytes, issuer.as(lost));
    await eventually(() => apiVerdict(bytes), (verdict) => verdict === "valid", 60_000);
    await mined((await directory.markKeyCompromised(1, lost.address, grantedAt)).hash);
    await eventually(() => apiVerdict(bytes), (verdict) => verdict === "unauthorised", 60_000);
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
    issuer = await DocumentIssuer.of(service.url);
    contracts = ((await (await fetch(`${service.url}/api/health`)).json()) as { chain: { contracts: Record<string, string> } }).chain.contracts;
    for (const document of [valid, revoked]) await upload(document.bytes);
    for (const document of [valid, revoked]) await eventually(() => apiVerdict(document.bytes), (verdict) => verdict === "valid", 60_000);
    await revoke(revoked.bytes);
    await issueWithKeyLaterCompromised(compromised.bytes);
    municipalityName = "Mae Hia Town Municipality";

    // The other records a resident verifies: a permit certificate, a complaint, a pledge receipt.
    actors = await WorkflowActors.signIn(service);
    permit = await actors.issuedBuildingPermit("Parcel 5678, Mae Hia");
    complaintId = (await actors.fileComplaint("STREET_LIGHT")).complaintId;
    await actors.actOnComplaint(complaintId, "acknowledge");
    const campaignId = await actors.openCampaign("1000000");
    await actors.pledge(campaignId, 25_000n);
    const pledged = (await actors.resident.get(`/api/funds/campaigns/${campaignId}`)).body.pledges.find((p: { kind: string }) => p.kind === "pledge");
    receipt = (await actors.resident.post(`/api/funds/campaigns/${campaignId}/pledges`, { txHash: pledged.txHash })).body;
    validBundle = (await (await fetch(`${service.url}/api/proofs/${sha256Of(valid.bytes)}`)).json()) as ProofBundle;
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
    // Who issued it, as the chain says: the municipality, the signer's address and role, and when.
    // The officer's name is the one the municipality's admin published on the chain (DemoSeed's).
    expect(checks[2].text).to.include(`Issued by ${municipalityName} — signed by เจ้าหน้าที่ สมหญิง (demo)`);
    expect(checks[2].text).to.include(`${issuer.address} (Document issuer), on`);
    expect(await page.locator('.checks [data-check="issuer"] .signer').getAttribute("data-signer")).to.equal(issuer.address);
    expect(await page.locator('.checks [data-check="issuer"] .signer').getAttribute("data-role")).to.equal("DOCUMENT_ISSUER");
    expect(checks[3].text).to.include("Not revoked");
    const raw = await page.locator(".raw-checks li").evaluateAll((items) => items.map((item) => [item.getAttribute("data-check"), item.getAttribute("data-ok")]));
    expect(raw.map(([name]) => name)).to.deep.equal([...CHECK_NAMES]);
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
    // Who revoked it, when and why: the chain's RecordRevoked event, its reason code in words.
    expect(checks[3].text).to.match(new RegExp(`Revoked on \\d{1,2} \\w+ 20\\d\\d.* by ${issuer.address}\\. Reason: Issued in error \\(code 1\\)\\.`));
    expect(await page.locator("[data-testid=verdict]").textContent()).to.include("Revoked");
    await screenshot(page, "verify-revoked");
  });

  it("says NOT VALID, in red, for a document anchored under a signature whose key was compromised before", async () => {
    await openVerify();
    await page.setInputFiles("input[type=file]", { name: compromised.name, mimeType: "application/pdf", buffer: compromised.bytes });
    expect(await verdict()).to.equal("unauthorised");
    const box = page.locator("[data-testid=verdict] [data-verdict]");
    expect(await box.textContent()).to.include("Not valid").and.not.include("Valid");
    expect(await page.getByTestId("verdict-reason").textContent()).to.include("Not issued by an authorised officer");
    expect(await page.getByTestId("verdict-reason").getAttribute("data-reason")).to.equal("compromised");
    expect(await box.evaluate((element) => getComputedStyle(element).color)).to.equal(RED);

    // The document and its anchor hold; only who issued it fails, and the page does not say the town issued it.
    const checks = await plainChecks();
    expect(checks.map((check) => check.ok)).to.deep.equal([true, true, false, true]);
    expect(checks[2].text).to.include("Not issued by an authorised officer").and.include(`Anchored for ${municipalityName}`);
    expect(checks[2].text).to.not.include("Issued by");
    const raw = await page.locator(".raw-checks li").evaluateAll((items) => items.map((item) => [item.getAttribute("data-check"), item.getAttribute("data-ok")]));
    expect(raw.filter(([, ok]) => ok !== "true")).to.deep.equal([["issuer-key-not-compromised", "false"]]);
    await screenshot(page, "verify-unauthorised");
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
      const body = await (await DocumentIssuer.of(slow.url)).form(accepted);
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
  it("checks a document with its proof bundle dropped beside it, and offers the link that carries the proof", async () => {
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await openVerify();
    await dropFiles(page, [pdfFile(valid), bundleFile()]);
    expect(await verdict()).to.equal("valid");
    expect(await page.locator(".checks [data-check=issuer]").textContent()).to.include(`${issuer.address} (Document issuer)`);
    expect(await page.getByTestId("document-result").textContent()).to.include("Checked with the proof bundle given with the document");
    // The bundle given was checked: the service was not asked for one.
    expect(requests.filter((url) => url.includes("/api/proofs/"))).to.deep.equal([]);
    const raw = await page.locator(".raw-checks li").evaluateAll((items) => items.map((item) => [item.getAttribute("data-check"), item.getAttribute("data-ok")]));
    expect(raw.filter(([, ok]) => ok !== "true")).to.deep.equal([]);
    await page.locator("details.technical summary").click();
    expect(await page.getByTestId("verify-link").textContent()).to.equal(documentVerifyLink(service.url, validBundle));

    // The bundle of another document beside this one proves nothing about it.
    await openVerify();
    await dropFiles(page, [pdfFile(unknown), bundleFile()]);
    expect(await verdict()).to.equal("unknown");
    expect(await page.locator('.raw-checks li[data-check="document-unchanged"]').getAttribute("data-ok")).to.equal("false");
  });

  it("checks a pledge receipt file and a complaint by its number, each on the chain", async () => {
    await openVerify();
    await dropFiles(page, [{ name: "receipt.json", bytes: Buffer.from(JSON.stringify(receipt)), type: "application/json" }]);
    expect(await verdict()).to.equal("valid");
    expect(await page.getByTestId("receipt-result").textContent()).to.include(receipt.receiptId);
    await page.locator("[data-testid=receipt-result] details.technical summary").click();
    const receiptChecks = await page.locator("[data-testid=receipt-result] .raw-checks li").evaluateAll((items) => items.map((item) => item.getAttribute("data-ok")));
    expect(receiptChecks.length).to.be.greaterThan(3);
    expect(receiptChecks.every((ok) => ok === "true")).to.equal(true);

    await page.locator("#complaint-input").fill(complaintId);
    await page.locator("#complaint-input").press("Enter");
    await page.getByTestId("complaint-result").waitFor();
    expect(await verdict()).to.equal("valid");
    const acknowledged = page.locator('[data-testid=complaint-result] .timeline li[data-status="acknowledged"]');
    expect(await acknowledged.getAttribute("data-authorised")).to.equal("true");
    expect(await acknowledged.textContent()).to.include(`by เจ้าหน้าที่รับเรื่องร้องเรียน สมบัติ (demo) ${complaintOfficer.address} (Complaint officer)`);
    expect(new URL(page.url()).searchParams.get("complaint")).to.equal(complaintId);
    await screenshot(page, "verify-complaint");
  });

  // Last: it stops the service. Its embedded chain node stays up (a kill -9 orphans it), as a
  // consortium's nodes do when one town's server is down.
  it("with the service stopped and the chain up: the open page, and a static copy served elsewhere, still give the verdicts", async () => {
    const permitQr = `/verify?lang=en&permit=${encodeURIComponent(permit.number)}&v=1&h=${permit.dataHash}`;
    const config = await (await fetch(`${service.url}/ledger-config.json`)).text();
    await openVerify();
    // The page keeps the chain's configuration it read when it opened.
    await page.waitForFunction(() => localStorage.getItem("ledger.verifier-config") !== null);

    await service.kill();
    let down = false;
    await fetch(`${service.url}/api/health`).catch(() => (down = true));
    expect(down, "the service still answers").to.equal(true);
    expect(await rpcProvider(service.rpcUrl).getBlockNumber()).to.be.greaterThan(0);

    // A permit number typed into the open page: the chain's PermitRegistry and Directory answer.
    await page.locator("#permit-input").fill(permit.number);
    await page.locator("#permit-input").press("Enter");
    await page.getByTestId("certificate-result").waitFor();
    expect(await verdict()).to.equal("valid");
    expect(await page.locator('.checks [data-check="issuer"]').textContent()).to.include("signed by เจ้าหน้าที่ สมหญิง (demo)").and.include(`${permitOfficer.address} (Permit officer)`);
    expect(await page.getByTestId("offline-note").isVisible()).to.equal(true);
    await screenshot(page, "verify-offline-permit");

    // The certificate's QR link pasted in: the verdict of version 1; its data hash cannot be compared without the service, and the page says so.
    await page.locator("#permit-input").fill(`${service.url}${permitQr}`);
    await page.locator("#permit-input").press("Enter");
    const paper = page.locator('.checks [data-check="paper"]');
    await paper.waitFor();
    expect(await verdict()).to.equal("valid");
    expect(await paper.getAttribute("data-ok")).to.equal("false");
    expect(await paper.textContent()).to.include("was not compared: the municipality's service cannot be reached");

    // A document with its proof bundle beside it: every check, who issued it included, against the chain alone.
    await dropFiles(page, [pdfFile(valid), bundleFile()]);
    await page.getByTestId("document-result").waitFor();
    expect(await verdict()).to.equal("valid");
    expect(await page.locator(".checks [data-check=issuer]").textContent()).to.include(`Issued by ${municipalityName} — signed by`).and.include(`${issuer.address} (Document issuer)`);
    expect(await page.getByTestId("offline-note").isVisible()).to.equal(true);
    await screenshot(page, "verify-offline-document");

    // The document alone: no verdict without its bundle, and the page says what to give.
    await dropFiles(page, [pdfFile(valid)]);
    await page.getByTestId("needs-bundle").waitFor();
    expect(await page.getByTestId("needs-bundle").textContent()).to.include("drop it together with its proof bundle");

    // The same build served by a plain static file server on another host, with the ledger-config.json beside it.
    const copy = mkdtempSync(join(tmpdir(), "ledger-static-"));
    const configDir = mkdtempSync(join(tmpdir(), "ledger-static-config-"));
    const staticHost = await plainStaticServer(copy);
    try {
      writeFileSync(join(configDir, "ledger-config.json"), config);
      const exported = spawnSync(process.execPath, ["scripts/export-verifier.mjs", copy, "--config", join(configDir, "ledger-config.json")], { encoding: "utf8" });
      expect(exported.status, exported.stderr).to.equal(0);
      const elsewhere = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      try {
        const fresh = await elsewhere.newPage();
        // The certificate's QR link as printed (/verify?…): the host redirects to its folder /verify/?….
        await fresh.goto(`${staticHost.url}${permitQr}`);
        expect(await verdictOnPage(fresh)).to.equal("valid");
        expect(new URL(fresh.url()).pathname).to.equal("/verify/");
        expect(await fresh.locator('.checks [data-check="issuer"]').textContent()).to.include(`${permitOfficer.address} (Permit officer)`);
        await screenshot(fresh, "verify-static-permit");

        // A QR code carrying the document's proof: the verdict, with nothing but the chain node.
        const link = new URL(documentVerifyLink(staticHost.url, validBundle));
        link.searchParams.set("lang", "en");
        await fresh.goto(link.href);
        await fresh.getByTestId("document-result").waitFor();
        expect(await verdictOnPage(fresh)).to.equal("valid");
        expect(await fresh.locator(".checks [data-check=issuer]").textContent()).to.include(`${issuer.address} (Document issuer)`);
        await screenshot(fresh, "verify-static-document-qr");
      } finally {
        await elsewhere.close();
      }
    } finally {
      await new Promise((closed) => staticHost.server.close(closed));
      rmSync(copy, { recursive: true, force: true });
      rmSync(configDir, { recursive: true, force: true });
    }
  });
});

/** Drops files together on the Verify page's drop zone, as the browser delivers a drop of several files. */
async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array; type: string }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const file of list) transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
      return transfer;
    },
    files.map((file) => ({ name: file.name, type: file.type, base64: Buffer.from(file.bytes).toString("base64") })),
  );
  await page.dispatchEvent("[data-testid=drop-zone]", "drop", { dataTransfer });
}

const MEDIA_TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml" };

/**
 * A plain static file server, as any host offers: files as they are, index.html for a folder (a folder
 * without its "/" is redirected to it), 404 for anything else — no fallback to the app, no API.
 */
async function plainStaticServer(root: string): Promise<{ server: Server; url: string }> {
  const base = resolve(root);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://host");
    let file = resolve(join(base, decodeURIComponent(url.pathname)));
    if (!file.startsWith(base)) return void response.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!url.pathname.endsWith("/")) return void response.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      file = join(file, "index.html");
    }
    if (!existsSync(file) || !statSync(file).isFile()) return void response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    response.writeHead(200, { "content-type": MEDIA_TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  const port = await freeLoopbackPort();
  await new Promise<void>((listening) => server.listen(port, "127.0.0.1", listening));
  return { server, url: `http://127.0.0.1:${port}` };
}
