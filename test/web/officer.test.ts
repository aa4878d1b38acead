import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { devAccounts, type DevRole } from "../../app/server/chain/devAccounts.js";
import { ApiClient } from "../app/support/officerClient.js";
import { WorkflowActors, permitPath } from "../app/support/workflowData.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, screenshot, visibleLabels } from "./browser.js";
import { importKey, signInWithKeystore as signInAs } from "./keystoreSteps.js";

/**
 * The officer console (/officer) in Debian's chromium, against the service as `npm start` runs it (real
 * anvil, Helia, SQLite). A resident applies through the API; in the browser, officers bring their demo
 * keys as encrypted keystores, unlock them, sign in with SIWE and sign their acts — the permit officer
 * the completion and the issuance, the engineer, director and mayor their steps (a rejection only with
 * its reasons and a confirmation), the permit officer takes an application at the counter and prints a
 * certificate, the mayor amends it; each act's result shows next to its button; the test reads the
 * ledger's answer through the API.
 */
const PASSPHRASE = "แม่เหียะ-demo-2026";
const APPLICANT = { name: "นายทดสอบ ใจดี", nationalId: "1-1037-00456-78-9", phone: "089-111-2222", address: "1 ถนนทดสอบ แม่เหียะ" };
// Latin words the Thai page shows on purpose: names of standards and formats, not labels.
const LATIN_IN_THAI = /EIP-712|JSON|0x…|SHA-256|PDF/g;

describe("the officer console in a real browser", function () {
  this.timeout(600_000);
  const dataDir = tempDataDir("ledger-web-officer");
  let service: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let number: string;
  let toReject: string;
  const keystores = new Map<DevRole, string>();

  const account = (role: DevRole) => devAccounts().find((a) => a.role === role)!;
  const status = () => page.getByTestId("officer-status");
  const sha256 = (bytes: string | Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
  /** An action's own status line, inside `where` (the block of the button pressed), once it says `kind`. */
  async function actionStatus(where: ReturnType<Page["getByTestId"]>, kind: "ok" | "error"): Promise<string> {
    const line = where.locator(`[data-testid=action-status][data-kind="${kind}"]`);
    await line.waitFor({ timeout: 120_000 });
    return (await line.textContent()) ?? "";
  }
  /**
   * Clicks `button` and answers the text of the action's status once it says `kind`: it must show within
   * `where` (the block of the button), right under where the button was (it may be gone once the state
   * moved on), while the console's line at the top of the page stays quiet.
   */
  async function pressAndRead(button: ReturnType<Page["getByRole"]>, where: ReturnType<Page["getByTestId"]>, kind: "ok" | "error" = "ok"): Promise<string> {
    const pressed = await pageY(button);
    await button.click();
    const text = await actionStatus(where, kind);
    const shown = await pageY(where.locator(`[data-testid=action-status][data-kind="${kind}"]`));
    expect(Math.abs(shown - pressed), "the result is right by the button pressed").to.be.below(400);
    expect(await status().getAttribute("data-kind")).to.equal("none");
    return text;
  }
  /** Where an element is on the page (not in the window, which scrolls). */
  const pageY = (element: ReturnType<Page["locator"]>) => element.evaluate((e) => e.getBoundingClientRect().top + window.scrollY);

  /** A fresh browser (empty localStorage, no session) on the console. */
  async function openConsole(lang = "en"): Promise<void> {
    await page.goto(`${service.url}/officer?lang=${lang}`);
    await page.locator("#wallet-title").waitFor();
  }

  /** Imports the role's keystore file in the browser, locks it, unlocks it with the passphrase and signs in. */
  const signInWithKeystore = (role: DevRole) =>
    signInAs(page, `${service.url}/officer?lang=en`, { keystore: keystores.get(role)!, address: account(role).address, passphrase: PASSPHRASE });

  /** Opens the permit from the queue and signs an approval of its current step. */
  async function approveInBrowser(): Promise<void> {
    await page.locator(`[data-testid=queue] tr[data-number="${number}"] button`).click();
    const review = page.getByTestId("review");
    await review.waitFor();
    expect(await pressAndRead(page.getByRole("button", { name: "Approve and sign" }), review)).to.include("recorded on the blockchain");
  }

  /** Opens a permit by its number (one no longer in the signed-in officer's queue). */
  async function openByNumber(which: string): Promise<void> {
    await page.getByLabel("Open a permit by number").fill(which);
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.getByTestId("review").waitFor();
  }

  const permitView = async (which = number) => (await new ApiClient(service.url).get(permitPath(which))).body;
  const relayer = () => account("ledgerService").address;

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
    // The demo officers' keys as an officer would get them: encrypted JSON keystores (ethers, scrypt).
    for (const role of ["engineer", "director", "mayor", "permitOfficer"] as const) {
      keystores.set(role, await new Wallet(account(role).privateKey).encrypt(PASSPHRASE));
    }
    const form = new FormData();
    form.append(
      "application",
      JSON.stringify({ municipalityId: 1, type: "BUILDING", parcel: "โฉนด 777 / Title deed 777", description: { th: "โรงจอดรถ", en: "Carport" }, applicant: APPLICANT }),
    );
    form.append("file", new Blob(["Carport plans"], { type: "text/plain" }), "carport-plans.txt");
    const applied = await new ApiClient(service.url).post("/api/permits", form);
    expect(applied.status, JSON.stringify(applied.body)).to.equal(201);
    number = applied.body.number;
    // A second application, completed through the API, for the engineer to reject.
    const actors = await WorkflowActors.signIn(service);
    toReject = (await actors.applyForPermit("โฉนด 888 / Title deed 888")).number;
    await actors.completePermit(toReject);
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("lets the permit officer sign the application complete in the browser, which starts the legal clock", async () => {
    await signInWithKeystore("permitOfficer");
    const row = page.locator(`[data-testid=queue] tr[data-number="${number}"]`);
    expect(await row.textContent()).to.include("Check completeness");
    await row.locator("button").click();
    const review = page.getByTestId("review");
    await review.waitFor();
    expect(await review.getAttribute("data-state")).to.equal("Applied");
    expect(await review.textContent()).to.include("EIP-712 signature with your key");
    // The result under the button pressed, not in the console's line at the top of the page.
    expect(await pressAndRead(page.getByRole("button", { name: "Mark complete and sign" }), page.getByTestId("complete-action"))).to.include("marked complete");
    await page.locator('[data-testid=review][data-state="UnderReview"]').waitFor();

    // The chain names the permit officer whose key signed; the service only relayed it.
    const view = await permitView();
    expect(view.trail.find((step: any) => step.step === "completed")).to.include({ officer: account("permitOfficer").address, sender: relayer() });
    expect(view.legalClock.completedAt).to.be.a("string");
    expect(view.steps[0]).to.include({ role: "ENGINEER", awaiting: true });
  });

  it("lets the engineer import a keystore, unlock it, sign in, review the application and approve the step on the ledger", async () => {
    await signInWithKeystore("engineer");
    const session = page.getByTestId("session");
    expect(await session.textContent()).to.include(account("engineer").address);
    await session.locator('[data-role="ENGINEER"]').waitFor();
    await session.getByText("Mae Hia").first().waitFor();

    const row = page.locator(`[data-testid=queue] tr[data-number="${number}"]`);
    expect(await row.textContent()).to.include("Decide the Engineer step");
    await row.locator("button").click();
    const review = page.getByTestId("review");
    await review.waitFor();
    // The sealed personal data, opened for an officer of the permit; the documents by name.
    expect(await page.getByTestId("applicant").textContent()).to.include(APPLICANT.name);
    expect(await review.textContent()).to.include("carport-plans.txt");
    // The document itself, opened from its sealed copy for the signed-in engineer.
    const [download] = await Promise.all([page.waitForEvent("download"), review.getByRole("link", { name: "carport-plans.txt" }).click()]);
    expect(readFileSync(await download.path(), "utf8")).to.equal("Carport plans");
    expect(await review.locator('[data-testid=steps] [data-role="ENGINEER"]').getAttribute("data-decision")).to.equal("awaiting");

    // The console in Thai: no English label left (ledger data is marked translate="no"); roles and the
    // town in Thai words, not role ids or the Directory's English name (which are data, so the label
    // check alone would pass them).
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.getByRole("heading", { name: "ระบบงานเจ้าหน้าที่" }).waitFor();
    const english = (await visibleLabels(page)).filter((label) => /[A-Za-z]{2,}/.test(label.replace(LATIN_IN_THAI, "")));
    expect(english, english.join(" | ")).to.deep.equal([]);
    await session.getByText("เทศบาลเมืองแม่เหียะ").waitFor();
    expect(await session.locator('[data-role="ENGINEER"]').textContent()).to.equal("วิศวกร");
    expect(await review.locator('[data-testid=steps] [data-role="DIRECTOR"]').textContent()).to.include("ผู้อำนวยการกองช่าง");
    const shown = await page.locator("body").innerText();
    expect(shown).to.not.match(/\b(ENGINEER|DIRECTOR|MAYOR|PERMIT_OFFICER)\b/);
    expect(shown).to.not.include("Mae Hia Town Municipality");
    await screenshot(page, "officer-review-th");
    await page.getByRole("button", { name: "English" }).click();

    expect(await pressAndRead(page.getByRole("button", { name: "Approve and sign" }), review.locator("section.officer-decide"))).to.include("recorded on the blockchain");
    await review.locator('[data-testid=steps] [data-role="ENGINEER"][data-decision="approve"]').waitFor();
    await screenshot(page, "officer-approved");

    // The ledger's own record: the engineer's approval, signed with the engineer's key, in the trail.
    const view = await permitView();
    const decided = view.trail.filter((step: any) => step.step === "decided");
    expect(decided.map((s: any) => [s.role, s.officer, s.decision])).to.deep.equal([["ENGINEER", account("engineer").address, "approve"]]);
    expect(decided[0].txHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(view.steps[1]).to.include({ role: "DIRECTOR", awaiting: true });
  });

  it("asks the engineer for the reasons and a confirmation before a rejection is signed, and records the reasons' hash with it", async () => {
    await signInWithKeystore("engineer");
    await page.locator(`[data-testid=queue] tr[data-number="${toReject}"] button`).click();
    const review = page.getByTestId("review");
    await review.waitFor();
    const reject = page.getByTestId("reject-form");
    // First the reasons: nothing goes on until they are written.
    await page.getByRole("button", { name: "Reject…" }).click();
    expect(await reject.getAttribute("data-stage")).to.equal("reason");
    expect(await reject.getByRole("button", { name: "Continue" }).isDisabled()).to.equal(true);
    const reasons = "ระยะร่นไม่ครบตามกฎหมาย / The setback from the road is too short";
    await reject.getByLabel("Reasons for the rejection").fill(reasons);
    await reject.getByRole("button", { name: "Continue" }).click();
    // Then the confirmation, naming the permit; cancelling leaves nothing signed.
    expect(await reject.getAttribute("data-stage")).to.equal("confirm");
    expect(await reject.getByRole("alert").textContent()).to.include(`Reject permit ${toReject}?`).and.include("cannot be undone");
    await screenshot(page, "officer-reject-confirm");
    await reject.getByRole("button", { name: "Cancel" }).click();
    await reject.waitFor({ state: "detached" });
    expect((await permitView(toReject)).steps[0]).to.include({ awaiting: true, decision: null });

    await page.getByRole("button", { name: "Reject…" }).click();
    await reject.getByLabel("Reasons for the rejection").fill(reasons);
    await reject.getByRole("button", { name: "Continue" }).click();
    const text = await pressAndRead(reject.getByRole("button", { name: "Confirm the rejection and sign" }), review.locator("section.officer-decide"));
    expect(text).to.include("rejection is recorded");
    await page.locator('[data-testid=review][data-state="Rejected"]').waitFor();

    // The engineer's own signature over the rejection and the SHA-256 of its reasons.
    const view = await permitView(toReject);
    expect(view.state).to.equal("Rejected");
    expect(view.steps[0]).to.include({ decision: "reject", officer: account("engineer").address, noteHash: sha256(reasons) });
  });

  it("lets the permit officer take an application with its documents at the counter, refuse an empty file, and hand over the tracking code", async () => {
    await signInWithKeystore("permitOfficer");
    await page.getByRole("button", { name: "Take an application at the counter" }).click();
    const intake = page.getByTestId("intake-form");
    await intake.getByLabel("Type").locator("option", { hasText: "Building permit" }).waitFor({ state: "attached" });
    await intake.getByLabel("Type").selectOption("BUILDING");
    await intake.getByLabel("Parcel").fill("โฉนด 999 / Title deed 999, Mae Hia");
    await intake.getByLabel("Description (English)").fill("Shop house extension");
    await intake.getByLabel("Name").fill(APPLICANT.name);
    await intake.getByLabel("Thai ID number").fill("1-1037-00456-78-9");
    await intake.getByLabel("Phone").fill(APPLICANT.phone);
    await intake.getByLabel("Address").fill(APPLICANT.address);
    // A scan that came out empty is refused next to the file field, in words and by its code; the good one stays.
    await intake.getByTestId("intake-files").setInputFiles([
      { name: "plans-999.txt", mimeType: "text/plain", buffer: Buffer.from("Plans of the extension, parcel 999") },
      { name: "empty-scan.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(0) },
    ]);
    expect(await actionStatus(intake, "error")).to.include("The file is empty").and.include("FILE_EMPTY");
    expect(await intake.getByTestId("intake-documents").textContent()).to.include("plans-999.txt").and.not.include("empty-scan.pdf");

    // Once filed, the form gives way to the tracking code, where the form was.
    const formAt = await pageY(intake);
    await intake.getByRole("button", { name: "File the application" }).click();
    const filed = page.getByTestId("intake-filed");
    await filed.waitFor({ timeout: 120_000 });
    expect(Math.abs((await pageY(filed)) - formAt)).to.be.below(200);
    expect(await status().getAttribute("data-kind")).to.equal("none");
    const filedNumber = (await filed.getAttribute("data-number"))!;
    const code = (await filed.getByTestId("tracking-code").textContent())!.trim();
    expect(code).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await screenshot(page, "officer-counter-intake");

    // The resident's own application: their code opens it, with the document the officer scanned.
    const own = await new ApiClient(service.url).get(`${permitPath(filedNumber)}/private`, { "x-tracking-code": code });
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(own.body).to.include({ state: "Applied", parcel: "โฉนด 999 / Title deed 999, Mae Hia" });
    expect(own.body.applicant).to.include({ name: APPLICANT.name, nationalId: "1103700456789" });
    expect(own.body.documents.map((d: any) => d.name)).to.deep.equal(["plans-999.txt"]);
    await filed.getByRole("button", { name: "Open this application" }).click();
    await page.locator(`[data-testid=review][data-state="Applied"]`).waitFor();
    expect(await page.getByTestId("review").textContent()).to.include(filedNumber);
  });

  it("says so plainly when the passphrase is wrong, and keeps the key locked", async () => {
    await page.addInitScript((json) => localStorage.setItem("ledger.keystore", json), keystores.get("engineer")!);
    await openConsole();
    const unlock = page.getByTestId("unlock-form");
    await unlock.getByLabel("Passphrase").fill("not the passphrase");
    await unlock.getByRole("button", { name: "Unlock" }).click();
    await page.locator('[data-testid=officer-status][data-kind="error"]').waitFor({ timeout: 120_000 });
    expect(await status().textContent()).to.include("Wrong passphrase").and.include("PASSPHRASE_WRONG");
    expect(await page.getByTestId("wallet-unlocked").count()).to.equal(0);
    expect(await page.getByRole("button", { name: "Sign in with a signature" }).isDisabled()).to.equal(true);
    await screenshot(page, "officer-wrong-passphrase");
  });

  it("tells an account without any officer role that it has none", async () => {
    await openConsole();
    const stranger = Wallet.createRandom();
    await importKey(page, { privateKey: stranger.privateKey }, PASSPHRASE);
    // The private key was kept only encrypted.
    const kept = await page.evaluate(() => localStorage.getItem("ledger.keystore"));
    expect(kept).to.not.include(stranger.privateKey.slice(2));
    expect(JSON.parse(kept!).address.toLowerCase()).to.equal(stranger.address.slice(2).toLowerCase());
    await page.getByRole("button", { name: "Sign in with a signature" }).click();
    await page.getByTestId("no-role").waitFor();
    expect(await page.getByTestId("session").textContent()).to.include(stranger.address);
    expect(await page.getByRole("tablist").count()).to.equal(0);
    // A phone's width: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, "officer-no-role");
  });

  it("creates a new keystore (passphrase twice) and exports it as an encrypted JSON file that opens with the passphrase", async () => {
    await openConsole();
    const form = page.getByTestId("create-form");
    await form.getByLabel("Passphrase", { exact: true }).fill(PASSPHRASE);
    await form.getByLabel("Passphrase again").fill(`${PASSPHRASE}x`);
    await form.getByRole("button", { name: "Create the key" }).click();
    await page.locator('[data-testid=officer-status][data-kind="error"]').waitFor();
    expect(await status().textContent()).to.include("The two passphrases differ");

    await form.getByLabel("Passphrase again").fill(PASSPHRASE);
    await form.getByRole("button", { name: "Create the key" }).click();
    await page.getByTestId("wallet-unlocked").waitFor({ timeout: 120_000 });
    const address = (await page.locator("[data-testid=wallet-unlocked] .value").textContent())!.trim();
    expect(address).to.match(/^0x[0-9a-fA-F]{40}$/);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the key file (encrypted)" }).click()]);
    const json = readFileSync((await download.path())!, "utf8");
    expect(json).to.match(/"crypto":/i); // ethers writes "Crypto"
    expect(json).to.not.match(/privateKey/i);
    const reopened = await Wallet.fromEncryptedJson(json, PASSPHRASE);
    expect(reopened.address).to.equal(address);
    await screenshot(page, "officer-created");
  });

  it("lets the director and the mayor sign their steps and the permit officer issue the certificate, in the browser", async () => {
    for (const role of ["director", "mayor"] as const) {
      await signInWithKeystore(role);
      await approveInBrowser();
      await context.close();
      context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
      page = await context.newPage();
    }
    await signInWithKeystore("permitOfficer");
    const row = page.locator(`[data-testid=queue] tr[data-number="${number}"]`);
    expect(await row.textContent()).to.include("Issue the certificate");
    await row.locator("button").click();
    await page.getByTestId("review").waitFor();
    expect(await pressAndRead(page.getByRole("button", { name: "Issue the certificate and sign" }), page.getByTestId("issue-action"))).to.include("certificate is issued");
    await page.locator('[data-testid=review][data-state="Issued"]').waitFor();
    await screenshot(page, "officer-issued");

    const view = await permitView();
    expect(view).to.include({ state: "Issued", verdict: "valid" });
    // Issued by the permit officer's own signature over the certificate's hash and CID, relayed.
    expect(view.trail.find((step: any) => step.step === "issued")).to.include({
      officer: account("permitOfficer").address,
      sender: relayer(),
      certificateHash: view.certificate.sha256,
    });
    const decided = view.trail.filter((step: any) => step.step === "decided");
    expect(decided.map((s: any) => [s.role, s.officer])).to.deep.equal([
      ["ENGINEER", account("engineer").address],
      ["DIRECTOR", account("director").address],
      ["MAYOR", account("mayor").address],
    ]);

    // The permit officer prints the certificate at the counter: the PDF the chain holds the hash of.
    const print = page.getByRole("link", { name: "Print the certificate, version 1 (PDF)" });
    const [download] = await Promise.all([page.waitForEvent("download"), print.click()]);
    expect(sha256(readFileSync((await download.path())!))).to.equal(view.certificate.sha256);
  });

  it("lets the mayor amend the issued permit's parcel with their signature, and the permit's page shows the new parcel", async () => {
    await signInWithKeystore("mayor");
    await openByNumber(number);
    const amend = page.getByTestId("amend-action");
    expect(await amend.getByLabel("Parcel").inputValue()).to.equal("โฉนด 777 / Title deed 777");
    await amend.getByLabel("Reason for the amendment").fill("Title deed number corrected");
    // Nothing changed: refused here, by its code, before anything is signed.
    expect(await pressAndRead(amend.getByRole("button", { name: "Amend and sign" }), amend, "error")).to.include("Nothing was changed").and.include("AMENDMENT_UNCHANGED");
    expect((await permitView()).certificate.version).to.equal(1);

    await amend.getByLabel("Parcel").fill("โฉนด 778 / Title deed 778");
    expect(await pressAndRead(amend.getByRole("button", { name: "Amend and sign" }), amend)).to.include("version 2");
    await page.getByTestId("review").getByText("โฉนด 778 / Title deed 778").first().waitFor();
    await screenshot(page, "officer-amended");

    // The API and the public page state version 2's parcel, signed by the mayor.
    const view = await permitView();
    expect(view).to.include({ parcel: "โฉนด 778 / Title deed 778", verdict: "valid" });
    expect(view.certificate.version).to.equal(2);
    expect(view.description).to.deep.equal({ th: "โรงจอดรถ", en: "Carport" });
    expect(view.trail.find((step: any) => step.step === "amended")).to.include({ officer: account("mayor").address });
    await page.goto(`${service.url}/permits/${encodeURIComponent(number)}?lang=en`);
    const facts = page.locator(".permit .facts").first();
    await facts.waitFor();
    const stated = (await facts.textContent()) ?? "";
    expect(stated).to.include("โฉนด 778 / Title deed 778").and.include("Carport");
    expect(stated).to.not.include("โฉนด 777");
  });

  it("keeps the Verify page free of the console's code (ethers' Wallet stays in the officer chunk)", async () => {
    const scripts: string[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") scripts.push(new URL(response.url()).pathname);
    });
    await page.goto(`${service.url}/verify?lang=en`);
    await page.locator("h1").waitFor();
    expect(scripts.some((path) => /Officer/.test(path)), scripts.join(", ")).to.equal(false);
    await openConsole();
    expect(scripts.some((path) => /Officer/.test(path)), scripts.join(", ")).to.equal(true);
  });
});
