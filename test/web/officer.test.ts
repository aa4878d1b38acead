import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { devAccounts, type DevRole } from "../../app/server/chain/devAccounts.js";
import { ApiClient } from "../app/support/officerClient.js";
import { permitPath } from "../app/support/workflowData.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, screenshot, visibleLabels } from "./browser.js";
import { importKey, signInWithKeystore as signInAs } from "./keystoreSteps.js";

/**
 * The officer console (/officer) in Debian's chromium, against the service as `npm start` runs it (real
 * anvil, Helia, SQLite). A resident applies through the API; in the browser, officers bring their demo
 * keys as encrypted keystores, unlock them, sign in with SIWE and sign their acts — the permit officer
 * the completion and the issuance, the engineer, director and mayor their steps; the test reads the
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
  const keystores = new Map<DevRole, string>();

  const account = (role: DevRole) => devAccounts().find((a) => a.role === role)!;
  const status = () => page.getByTestId("officer-status");

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
    await page.getByTestId("review").waitFor();
    await page.getByRole("button", { name: "Approve and sign" }).click();
    await page.locator('[data-testid=officer-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
  }

  const permitView = async () => (await new ApiClient(service.url).get(permitPath(number))).body;
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
    await page.getByRole("button", { name: "Mark complete and sign" }).click();
    await page.locator('[data-testid=officer-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
    expect(await status().textContent()).to.include("marked complete");
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

    // The console in Thai: no English label left (ledger data is marked translate="no").
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.getByRole("heading", { name: "ระบบงานเจ้าหน้าที่" }).waitFor();
    const english = (await visibleLabels(page)).filter((label) => /[A-Za-z]{2,}/.test(label.replace(LATIN_IN_THAI, "")));
    expect(english, english.join(" | ")).to.deep.equal([]);
    await screenshot(page, "officer-review-th");
    await page.getByRole("button", { name: "English" }).click();

    await page.getByRole("button", { name: "Approve and sign" }).click();
    await page.locator('[data-testid=officer-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
    expect(await status().textContent()).to.include("recorded on the blockchain");
    await review.locator('[data-testid=steps] [data-role="ENGINEER"][data-decision="approve"]').waitFor();
    await screenshot(page, "officer-approved");

    // The ledger's own record: the engineer's approval, signed with the engineer's key, in the trail.
    const view = await permitView();
    const decided = view.trail.filter((step: any) => step.step === "decided");
    expect(decided.map((s: any) => [s.role, s.officer, s.decision])).to.deep.equal([["ENGINEER", account("engineer").address, "approve"]]);
    expect(decided[0].txHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(view.steps[1]).to.include({ role: "DIRECTOR", awaiting: true });
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
      context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      page = await context.newPage();
    }
    await signInWithKeystore("permitOfficer");
    const row = page.locator(`[data-testid=queue] tr[data-number="${number}"]`);
    expect(await row.textContent()).to.include("Issue the certificate");
    await row.locator("button").click();
    await page.getByTestId("review").waitFor();
    await page.getByRole("button", { name: "Issue the certificate and sign" }).click();
    await page.locator('[data-testid=officer-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
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
