import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { WorkflowActors, permitPath } from "../app/support/workflowData.js";
import { buildWebApp, dropFile, launchChromium, screenshot, verdictOnPage, visibleLabels, newPageForEachTest } from "./browser.js";
import { sha256Of } from "../app/support/testLedger.js";

/**
 * A real permit in the browser: applied for, completed, decided by ENGINEER → DIRECTOR → MAYOR and
 * issued, each act signed by its demo officer's own key, all through the API. The permit page shows its
 * timeline and legal clock; its certificate PDF, dropped on the Verify page, is checked on the chain
 * (PermitRegistry.verify) and links to its permit; after an amendment the first version is superseded.
 */

describe("a permit in a real browser: its page and its certificate", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-web-permits");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let actors: WorkflowActors;
  let permit: Awaited<ReturnType<WorkflowActors["issuedBuildingPermit"]>>;
  let firstCertificate: Uint8Array;
  /** The page of the permit: its number holds "/" (TH-50-MAEHIA/BLD/2026/000001), URL-encoded. */
  const permitPage = () => `/permits/${encodeURIComponent(permit.number)}`;
  /** A file name for the permit's certificate: no "/" in it. */
  const fileName = (suffix: string) => `${permit.number.replaceAll("/", "-")}${suffix}.pdf`;
  /** What a certificate's QR code holds: the permit number (URL-encoded), the version, its data hash. */
  const qrLink = (version: number, dataHash: string) => `/verify?lang=en&permit=${encodeURIComponent(permit.number)}&v=${version}&h=${dataHash}`;
  const permitOfficer = devAccounts().find((a) => a.role === "permitOfficer")!;
  const revokePermit = (number: string, code: number, reason: string) => revokePermitAs(actors, number, code, reason);

  const verdict = () => verdictOnPage(page);
  async function drop(bytes: Uint8Array, name: string): Promise<void> {
    await page.goto(`${service.url}/verify?lang=en`);
    await page.locator("h1").waitFor();
    await dropFile(page, bytes, name);
  }

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
    actors = await WorkflowActors.signIn(service);
    permit = await actors.issuedBuildingPermit("Parcel 1234, Mae Hia");
    firstCertificate = await actors.certificatePdf(permit.number, permit.trackingCode);
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("shows the permit's public fields, its three signed steps and its legal clock on /permits/:number", async () => {
    expect(permit.number).to.match(/^TH-50-MAEHIA\/BLD\/\d{4}\/\d{6}$/);
    const view = (await actors.resident.get(permitPath(permit.number))).body;
    await page.goto(`${service.url}${permitPage()}?lang=en`);
    expect(await verdict()).to.equal("valid");
    const steps = await page.locator(".timeline li").allTextContents();
    expect(steps).to.have.length(view.trail.length);
    // The three decisions in order, each with its role, the officer's name and its transaction.
    const decisions = [
      "Engineer (approved) by วิศวกร สมศักดิ์ (demo)",
      "Director of public works (approved) by ผู้อำนวยการกองช่าง สมชาย (demo)",
      "Mayor (approved) by นายกเทศมนตรี สมพร (demo)",
    ].map((who) =>
      steps.findIndex((step) => step.startsWith(who)),
    );
    expect(decisions.every((index, i) => index > 0 && (i === 0 || index > decisions[i - 1])), steps.join(" | ")).to.equal(true);
    for (const [i, index] of decisions.entries()) expect(steps[index]).to.include(view.steps[i].txHash.slice(0, 10));
    expect(await page.locator(".clock").textContent()).to.match(/^Decided in 0(\.\d+)? days, within the 45 days of the Building Control Act\.$/);
    expect(await page.locator(".clock").getAttribute("data-within")).to.equal("true");
    expect(await page.locator(".permit .facts").first().textContent()).to.include("Building permit").and.include("Parcel 1234, Mae Hia").and.include("Issued");
    expect(steps[0]).to.match(/^Application filed/);
    expect(steps.some((step) => step.startsWith("Permit issued"))).to.equal(true);
    await screenshot(page, "permit-page-en");

    // The applicant downloads the certificate with the tracking code; a wrong code is refused.
    const form = page.locator("form.certificate-download");
    await form.getByLabel("Tracking code").fill("WRONG-CODE-0000");
    await form.getByRole("button", { name: "Download the certificate (PDF)" }).click();
    await form.getByText("That tracking code does not open this permit.").waitFor();
    await form.getByLabel("Tracking code").fill(permit.trackingCode);
    const [download] = await Promise.all([page.waitForEvent("download"), form.getByRole("button", { name: "Download the certificate (PDF)" }).click()]);
    const downloaded = readFileSync(await download.path());
    expect(Buffer.from(downloaded).equals(Buffer.from(firstCertificate))).to.equal(true);
    await page.getByRole("button", { name: "ไทย" }).click();
    expect(await page.locator(".clock").textContent()).to.include("ภายในกำหนด 45 วัน");
    const thaiSteps = await page.locator(".timeline li").allTextContents();
    expect(thaiSteps.some((step) => step.startsWith("วิศวกร (อนุมัติ)") && /25\d\d/.test(step))).to.equal(true);
    expect(thaiSteps[0]).to.match(/^ยื่นคำขอ/);
    await screenshot(page, "permit-page-th");
  });

  it("says VALID for a dropped permit certificate PDF, checked on the chain, and links to its permit", async () => {
    expect(sha256Of(firstCertificate)).to.equal(permit.certificateSha256);
    const rpcCalls: string[] = [];
    page.on("request", (request) => request.url().startsWith(service.rpcUrl) && rpcCalls.push(request.postData() ?? ""));
    await drop(firstCertificate, fileName(""));
    expect(await verdict()).to.equal("valid");
    expect(rpcCalls.some((body) => body.includes("eth_call"))).to.equal(true);
    const link = page.getByRole("link", { name: permit.number });
    expect(await link.getAttribute("href")).to.equal(`${permitPage()}?lang=en`);
    await screenshot(page, "verify-permit-certificate");
    await link.click();
    await page.locator(".timeline").waitFor();
    expect(new URL(page.url()).pathname).to.equal(permitPage());
  });

  it("says who signed the certificate, on the chain, and until when it is valid", async () => {
    await drop(firstCertificate, fileName(""));
    expect(await verdict()).to.equal("valid");
    const issuer = await page.locator('.checks [data-check="issuer"]').textContent();
    // The officer's name as the municipality published it, their address and role, from the chain.
    expect(issuer).to.include("Issued by Mae Hia Town Municipality — signed by เจ้าหน้าที่ สมหญิง (demo)");
    expect(issuer).to.include(`${permitOfficer.address} (Permit officer), on`);
    expect(await page.locator('.checks [data-check="validity"]').textContent()).to.match(/Valid until \d{1,2} \w+ 20\d\d/);
    // The permit's own record shows its end of validity too (the API gives it with the certificate).
    expect(await page.locator(".permit .facts").first().textContent()).to.match(/Valid until\d{1,2} \w+ 20\d\d/);
    const raw = await page.locator(".raw-checks li").evaluateAll((items) => items.map((item) => [item.getAttribute("data-check"), item.getAttribute("data-ok")]));
    expect(raw.filter(([, ok]) => ok !== "true")).to.deep.equal([]);
    expect(raw.map(([name]) => name)).to.include.members(["issued-event", "issuer-role", "issuer-key-not-compromised", "not-expired"]);
  });

  it("compares a paper certificate's QR code with that version's data hash, and says only the QR code was compared", async () => {
    await page.goto(`${service.url}${qrLink(1, permit.dataHash)}`);
    expect(await verdict()).to.equal("valid");
    const paper = page.locator('.checks [data-check="paper"]');
    expect(await paper.getAttribute("data-ok")).to.equal("true");
    expect(await paper.textContent()).to.include("recorded for version 1").and.include("Only the QR code was compared, not the printed text");
    expect(await page.locator(".result").textContent()).to.not.include("paper matches");
    await screenshot(page, "verify-permit-qr");
    // The same in Thai, with no English label left (names, hashes and addresses are data, not labels).
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.locator("html[lang=th]").waitFor();
    await page.locator("details.technical summary").click();
    const thai = await visibleLabels(page);
    const latin = thai.flatMap((text) => text.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).filter((word) => !["PDF", "SHA-256", "JSON"].includes(word));
    expect(latin, thai.join(" | ")).to.deep.equal([]);
    await screenshot(page, "verify-permit-qr-th");

    await page.goto(`${service.url}${qrLink(1, `0x${"ab".repeat(32)}`)}`);
    expect(await verdict()).to.equal("unknown");
    expect(await page.locator('.checks [data-check="paper"]').getAttribute("data-ok")).to.equal("false");
  });

  it("says SUPERSEDED for the first certificate once the mayor has amended the permit", async () => {
    const amended = await actors.amendPermit(permit.number, "Parcel 1235, Mae Hia");
    expect(amended.supersedes).to.equal(permit.certificateSha256);
    await eventually(
      () => actors.resident.get(`/api/verify?sha256=${permit.certificateSha256}`),
      (answer) => answer.body.verdict === "superseded",
    );
    // The permit's page states what the current version states: the amended parcel, not the old one.
    await page.goto(`${service.url}${permitPage()}?lang=en`);
    expect(await verdict()).to.equal("valid");
    const facts = (await page.locator(".permit .facts").first().textContent()) ?? "";
    expect(facts).to.include("Parcel 1235, Mae Hia").and.include("Two-storey house");
    expect(facts).to.not.include("Parcel 1234");
    expect(facts).to.match(/Version2/);
    await drop(firstCertificate, fileName("-v1"));
    expect(await verdict()).to.equal("superseded");
    expect(await page.locator("[data-testid=verdict]").textContent()).to.include("Superseded");
    await screenshot(page, "verify-permit-superseded");
    const current = await actors.certificatePdf(permit.number, permit.trackingCode);
    await drop(current, fileName("-v2"));
    expect(await verdict()).to.equal("valid");
    // Signed by the mayor, the permit type's issuing authority.
    expect(await page.locator('.checks [data-check="issuer"]').textContent()).to.include("Amended by Mae Hia Town Municipality").and.include("(Mayor)");

    // The old paper's QR code: compared with version 1's data hash, not "cannot compare".
    await page.goto(`${service.url}${qrLink(1, permit.dataHash)}`);
    expect(await verdict()).to.equal("superseded");
    const paper = page.locator('.checks [data-check="paper"]');
    expect(await paper.getAttribute("data-ok")).to.equal("true");
    expect(await paper.textContent()).to.include("recorded for version 1");
    expect(await page.locator('.checks [data-check="current"]').textContent()).to.include("Version 2 replaces this version.");
    await screenshot(page, "verify-permit-qr-superseded");
  });

  it("says REVOKED, with the reason, once the mayor revokes the permit", async () => {
    await revokePermit(permit.number, 1, "Building started before the permit's conditions were met");
    await page.goto(`${service.url}/verify?lang=en&permit=${encodeURIComponent(permit.number)}`);
    expect(await verdict()).to.equal("revoked");
    const revocation = page.getByTestId("revocation");
    expect(await revocation.textContent()).to.match(/^Revoked on \d{1,2} \w+ 20\d\d.* by นายกเทศมนตรี สมพร \(demo\) 0x[0-9a-fA-F]{40}\. Reason: Conditions of the permit not met \(code 1\)\.$/);
    expect(await page.locator(".permit .facts").first().textContent()).to.include("Reason for revocation").and.include("Conditions of the permit not met (1)");
    await screenshot(page, "verify-permit-revoked");
  });
});

/** The mayor (the type's issuing authority) revokes a permit with their own signature; the service relays it. */
async function revokePermitAs(actors: WorkflowActors, number: string, reasonCode: number, reason: string): Promise<void> {
  const path = `${permitPath(number)}/revocation`;
  const draft = await actors.mayor.post(`${path}/drafts`, { reasonCode, reason });
  expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
  const typed = draft.body.typedData;
  const signature = await actors.mayor.wallet.signTypedData(typed.domain, typed.types, typed.message);
  const done = await actors.mayor.post(path, { draftId: draft.body.draftId, nonce: typed.message.nonce, deadline: typed.message.deadline, signature });
  expect(done.status, JSON.stringify(done.body)).to.be.oneOf([200, 201]);
}
