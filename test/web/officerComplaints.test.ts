import { createHash } from "node:crypto";
import { expect } from "chai";
import { Wallet, id } from "ethers";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { ApiClient, OfficerClient } from "../app/support/officerClient.js";
import { cleanUp, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, screenshot, visibleLabels, newPageForEachTest } from "./browser.js";
import { signInWithKeystore } from "./keystoreSteps.js";

/**
 * The complaints tab of the officer console in Debian's chromium, against the service as `npm start`
 * runs it. A resident files through the API; the demo complaint officer brings their key as an encrypted
 * keystore, signs in, and moves the complaint with transactions their own key signs in the browser (each
 * result shown under its button, an empty evidence file refused before anything is signed); the test
 * then reads the API and the chain trail for who signed what.
 */
const PASSPHRASE = "ร้องเรียน-demo-2026";
const DESCRIPTION = "หลุมลึกหน้าวัด รถจักรยานยนต์ล้ม / Deep pothole by the temple";
const EVIDENCE = Buffer.from("Work order 2026-017: pothole filled with asphalt, photo taken after the repair.");
// Latin words the Thai page shows on purpose: names of standards, not labels.
const LATIN_IN_THAI = /SHA-256|0x…/g;

describe("the officer console's complaints in a real browser", function () {
  this.timeout(600_000);
  const dataDir = tempDataDir("ledger-web-officer-complaints");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let apiOfficer: OfficerClient;
  const officer = devAccounts().find((a) => a.role === "complaintOfficer")!;
  let keystore: string;

  const status = () => page.getByTestId("officer-status");
  /** The complaint's actions block, where each action's result shows under its buttons. */
  const actions = () => review().locator("section.officer-decide");
  /** The action's own status line once it says `kind`; the console's line at the top stays quiet. */
  async function actionSays(kind: "ok" | "error"): Promise<string> {
    const line = actions().locator(`[data-testid=action-status][data-kind="${kind}"]`);
    await line.waitFor({ timeout: 120_000 });
    expect(await status().getAttribute("data-kind")).to.equal("none");
    return (await line.textContent()) ?? "";
  }
  const row = (complaintId: string) => page.locator(`[data-testid=complaints-queue] tr[data-complaint-id="${complaintId}"]`);
  const review = () => page.getByTestId("complaint-review");

  /** A resident files a complaint through the web app's API; answers its id. */
  async function fileComplaint(fields: Record<string, unknown>): Promise<string> {
    const filed = await new ApiClient(service.url).post("/api/complaints", { municipalityId: 1, lat: 18.7465, long: 98.965, first_name: "Somsri", phone: "0811112222", ...fields });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    return filed.body.complaintId;
  }

  /** The complaint officer signed in (keystore import, unlock, SIWE) on the complaints tab. */
  async function openComplaintsTab(): Promise<void> {
    await signInWithKeystore(page, `${service.url}/officer?lang=en`, { keystore, address: officer.address, passphrase: PASSPHRASE });
    await page.getByRole("tab", { name: "Complaints" }).click();
    await page.getByTestId("complaints-queue").waitFor();
  }

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
    keystore = await new Wallet(officer.privateKey).encrypt(PASSPHRASE);
    apiOfficer = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
    await apiOfficer.signIn();
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("lets the complaint officer find a filed complaint, read it, acknowledge it and resolve it with evidence, each signed with their own key", async () => {
    const complaintId = await fileComplaint({ service_code: "ROAD", description: DESCRIPTION, address_string: "หน้าวัดแม่เหียะ", "attribute[hazard]": "high" });
    await openComplaintsTab();
    await row(complaintId).waitFor();
    expect(await row(complaintId).getAttribute("data-status")).to.equal("filed");
    expect(await row(complaintId).textContent()).to.include("Road damage");
    await screenshot(page, "officer-complaints-queue");

    await row(complaintId).getByRole("button").click();
    await review().waitFor();
    // The sealed text, opened for the municipality's complaint officer, and checked against the chain.
    expect(await page.getByTestId("complaint-content").textContent()).to.include(DESCRIPTION).and.include("0811112222");
    expect(await page.getByTestId("content-matches").textContent()).to.equal("Yes");
    // The resident's answer to the category's question, in words: not the attribute's code and key (shown
    // until the category's form has come).
    await review().locator('[data-question="hazard"]', { hasText: /^How dangerous is it\?$/ }).waitFor();
    expect(await review().locator('[data-answer="hazard"]').textContent()).to.equal("Dangerous for everyone");

    // In Thai: no English label left (ledger data and the resident's words are marked translate="no").
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.getByRole("heading", { name: "ระบบงานเจ้าหน้าที่" }).waitFor();
    const english = (await visibleLabels(page)).filter((label) => /[A-Za-z]{2,}/.test(label.replace(LATIN_IN_THAI, "")));
    expect(english, english.join(" | ")).to.deep.equal([]);
    // Question and answer in Thai too (the resident's own words stay as typed).
    expect(await review().locator('[data-question="hazard"]').textContent()).to.equal("อันตรายมากน้อยเพียงใด");
    expect(await review().locator('[data-answer="hazard"]').textContent()).to.equal("อันตรายต่อทุกคน");
    expect(await page.locator("body").innerText()).to.not.match(/\bhazard\b|\bhigh\b|COMPLAINT_OFFICER/);
    await screenshot(page, "officer-complaints-review-th");
    await page.getByRole("button", { name: "English" }).click();

    // Where on the page (not in the window, which scrolls).
    const pageY = (element: ReturnType<Page["locator"]>) => element.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
    const acknowledge = page.getByRole("button", { name: "Acknowledge and sign" });
    const pressed = await pageY(acknowledge);
    await acknowledge.click();
    await page.locator('[data-testid=complaint-review][data-status="acknowledged"]').waitFor({ timeout: 120_000 });
    expect(await actionSays("ok")).to.include("acknowledgement is recorded on the blockchain");
    // Right under the button pressed, not at the top of a long page.
    const shown = await pageY(actions().locator('[data-testid=action-status][data-kind="ok"]'));
    expect(shown - pressed).to.be.within(0, 200);

    await page.getByRole("button", { name: "Start work and sign" }).click();
    await page.locator('[data-testid=complaint-review][data-status="in_progress"]').waitFor({ timeout: 120_000 });
    const resolve = page.getByTestId("resolve-form");
    // An empty evidence file: refused under the resolve button, in words and by its code, with nothing signed.
    const historyBefore = await page.locator("[data-testid=complaint-history] li").count();
    await resolve.getByLabel("Evidence file (photo or document)").setInputFiles({ name: "empty-photo.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(0) });
    await resolve.getByRole("button", { name: "Resolve and sign" }).click();
    expect(await actionSays("error")).to.include("The evidence file is empty").and.include("FILE_EMPTY");
    expect(await review().getAttribute("data-status")).to.equal("in_progress");
    expect(await page.locator("[data-testid=complaint-history] li").count()).to.equal(historyBefore);
    await screenshot(page, "officer-complaints-empty-evidence");

    await resolve.getByLabel("Evidence file (photo or document)").setInputFiles({ name: "work-order-017.txt", mimeType: "text/plain", buffer: EVIDENCE });
    await resolve.getByRole("button", { name: "Resolve and sign" }).click();
    await page.locator('[data-testid=complaint-review][data-status="resolved"]').waitFor({ timeout: 120_000 });
    expect(await actionSays("ok")).to.include("fix and its evidence are recorded");
    expect(await page.getByTestId("complaint-attachments").textContent()).to.include("work-order-017.txt");
    await screenshot(page, "officer-complaints-resolved");

    // The API's record: each change by the complaint officer, the evidence's hash the one of the file.
    const evidenceHash = `0x${createHash("sha256").update(EVIDENCE).digest("hex")}`;
    const details = (await apiOfficer.get(`/api/complaints/${complaintId}`)).body;
    expect(details.complaint.detailedStatus).to.equal("resolved");
    const changes = details.history.filter((note: any) => note.status !== "filed");
    expect(changes.map((note: any) => [note.status, note.actor])).to.deep.equal([
      ["acknowledged", officer.address],
      ["in_progress", officer.address],
      ["resolved", officer.address],
    ]);
    expect(changes[2].dataHash).to.equal(evidenceHash);
    expect(details.attachments.map((a: any) => [a.kind, a.sha256])).to.deep.equal([["evidence", evidenceHash]]);
    const opened = await apiOfficer.get(`/api/complaints/${complaintId}/attachments/${evidenceHash}`);
    expect(opened.body).to.equal(EVIDENCE.toString());

    // The chain trail: the officer's own transactions (sender), not the relayer's.
    const trail = (await new ApiClient(service.url).get(`/api/audit/complaints/${complaintId}`)).body;
    const onChain = trail.events.filter((event: any) => event.event === "ComplaintStatusChanged");
    expect(onChain.map((event: any) => [event.args.status, event.args.actor, event.sender])).to.deep.equal([
      ["2", officer.address, officer.address],
      ["3", officer.address, officer.address],
      ["4", officer.address, officer.address],
    ]);
    expect(onChain[2].args.dataHash).to.equal(evidenceHash);
  });

  it("marks complaints past their SLA, filters by category and status, and says by a code when a complaint moved meanwhile", async () => {
    // Waste gets a one-second SLA (the municipality admin's setCategory); the chain's clock moves on.
    const provider = rpcProvider(service.rpcUrl);
    const admin = new Wallet(devAccounts()[1].privateKey, provider);
    const ledger = ComplaintLedger__factory.connect((await new ApiClient(service.url).get("/api/health")).body.chain.contracts.complaintLedger, admin);
    await (await ledger.setCategory(1, id("WASTE"), 1, true)).wait();
    let late: string;
    try {
      late = await fileComplaint({ service_code: "WASTE", description: "Bins not collected for a week", "attribute[waste_type]": "household" });
    } finally {
      await (await ledger.setCategory(1, id("WASTE"), 2 * 86_400, true)).wait();
    }
    await provider.send("evm_increaseTime", [5]);
    await provider.send("evm_mine", []);
    const onTime = await fileComplaint({ service_code: "STREET_LIGHT", description: "Lamp out at the school gate" });

    await openComplaintsTab();
    await row(late).waitFor();
    expect(await row(late).getAttribute("data-overdue")).to.equal("true");
    expect(await row(late).textContent()).to.include("Overdue");
    expect(await row(onTime).getAttribute("data-overdue")).to.equal("false");
    // Open ones first, the most urgent deadline first: the overdue one leads the queue.
    expect(await page.locator("[data-testid=complaints-queue] tbody tr").first().getAttribute("data-complaint-id")).to.equal(late);

    await page.getByLabel("Category").selectOption("WASTE");
    await row(onTime).waitFor({ state: "detached" });
    expect(await row(late).count()).to.equal(1);
    await screenshot(page, "officer-complaints-overdue");
    await page.getByLabel("Category").selectOption("");
    await page.getByLabel("Status").selectOption("resolved");
    await row(late).waitFor({ state: "detached" });
    await page.locator("[data-testid=complaints-queue] tr[data-status=resolved]").first().waitFor();
    expect(await page.locator("[data-testid=complaints-queue] tbody tr:not([data-status=resolved])").count()).to.equal(0);
    await page.getByLabel("Status").selectOption("open");

    // Opened in the browser, then acknowledged elsewhere (through the API): the browser's try says so.
    await row(onTime).getByRole("button").click();
    await review().waitFor();
    const call = (await apiOfficer.get(`/api/complaints/${onTime}/actions/acknowledge/call`)).body;
    const signedTransaction = await apiOfficer.signTransaction({ to: call.to, data: call.data });
    expect((await apiOfficer.post(`/api/complaints/${onTime}/acknowledge`, { signedTransaction })).status).to.equal(200);
    await page.getByRole("button", { name: "Acknowledge and sign" }).click();
    expect(await actionSays("error")).to.include("Someone changed this complaint meanwhile").and.include("COMPLAINT_STATE_CHANGED");
    await page.locator('[data-testid=complaint-review][data-status="acknowledged"]').waitFor();
    await screenshot(page, "officer-complaints-moved-meanwhile");
    // A phone's width: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
  });
});
