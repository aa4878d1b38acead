import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { WorkflowActors } from "../app/support/workflowData.js";
import { buildWebApp, dropFile, launchChromium, screenshot, verdictOnPage, newPageForEachTest } from "./browser.js";
import { sha256Of } from "../app/support/testLedger.js";

/**
 * A real permit in the browser: applied for, completed, decided by ENGINEER → DIRECTOR → MAYOR with
 * each demo officer's own signature and issued, all through the API. The permit page shows its
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
    const view = (await actors.resident.get(`/api/permits/${permit.number}`)).body;
    await page.goto(`${service.url}/permits/${permit.number}?lang=en`);
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
    await drop(firstCertificate, `${permit.number}.pdf`);
    expect(await verdict()).to.equal("valid");
    expect(rpcCalls.some((body) => body.includes("eth_call"))).to.equal(true);
    const link = page.getByRole("link", { name: permit.number });
    expect(await link.getAttribute("href")).to.equal(`/permits/${permit.number}?lang=en`);
    await screenshot(page, "verify-permit-certificate");
    await link.click();
    await page.locator(".timeline").waitFor();
    expect(new URL(page.url()).pathname).to.equal(`/permits/${permit.number}`);
  });

  it("says SUPERSEDED for the first certificate once the mayor has amended the permit", async () => {
    const amended = await actors.amendPermit(permit.number, "Parcel 1235, Mae Hia");
    expect(amended.supersedes).to.equal(permit.certificateSha256);
    await eventually(
      () => actors.resident.get(`/api/verify?sha256=${permit.certificateSha256}`),
      (answer) => answer.body.verdict === "superseded",
    );
    await drop(firstCertificate, `${permit.number}-v1.pdf`);
    expect(await verdict()).to.equal("superseded");
    expect(await page.locator("[data-testid=verdict]").textContent()).to.include("Superseded");
    await screenshot(page, "verify-permit-superseded");
    const current = await actors.certificatePdf(permit.number, permit.trackingCode);
    await drop(current, `${permit.number}-v2.pdf`);
    expect(await verdict()).to.equal("valid");
  });
});
