import { expect } from "chai";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { runDeploy } from "../app/support/deployCommand.js";
import { runLedger, type CliRun } from "../app/support/ledgerCli.js";
import { ApiClient } from "../app/support/officerClient.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { startTownNode, type TownNode } from "../app/support/townNode.js";
import { devWalletAt } from "../../app/server/chain/devAccounts.js";
import { permitPath } from "../app/support/workflowData.js";
import { buildWebApp, launchChromium, screenshot } from "./browser.js";
import { signInWithKeystore } from "./keystoreSteps.js";

/**
 * A real town goes live, as its IT officer, its officers and a resident would take it: a town's own
 * chain node (chain id 7001, a block every 2 seconds, nothing mined on demand), the contracts deployed by
 * `npm run deploy`, the service started on them with CONFIRMATIONS=2 and no demo seed, two towns added by
 * the national admin with `ledger municipality add`, the second (Yala) described by its town file and
 * applied by its own admin with `ledger town apply`; then in the browser the permit officer takes a
 * signboard application at the counter and marks it complete, the town's own SAFETY_OFFICER and the mayor
 * approve, the permit officer issues; and a resident picks Yala and files a flood complaint. No contract
 * call is written here: only the CLI and the console act.
 */
const PASSPHRASE = "yala-officer-passphrase";
const NATIONAL_ADMIN = devWalletAt(0);
const SUTHEP_ADMIN = devWalletAt(1);
const RELAYER = devWalletAt(2);
// scripts/towns/yala.json names these accounts: its admin is whoever the national admin names.
const YALA_ADMIN = devWalletAt(15);
const PERMIT_OFFICER = devWalletAt(16);
const SAFETY_OFFICER = devWalletAt(18);
const MAYOR = devWalletAt(19);

describe("a real town goes live: deploy, add, apply, then a permit and a complaint in the browser", function () {
  this.timeout(900_000);
  const dataDir = tempDataDir("ledger-real-town");
  let node: TownNode;
  let service: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let number: string;
  const keystores = new Map<string, string>();

  const ledger = async (args: string[], key: { privateKey: string }): Promise<CliRun> => {
    const run = await runLedger(args, { env: { LEDGER_API_URL: service.url, LEDGER_RPC_URL: node.url, LEDGER_PRIVATE_KEY: key.privateKey } });
    expect(run.code, `ledger ${args.join(" ")}:\n${run.stderr}${run.stdout}`).to.equal(0);
    return run;
  };
  const permitView = async () => (await new ApiClient(service.url).get(permitPath(number))).body;
  const signInAs = (account: { address: string }) =>
    signInWithKeystore(page, `${service.url}/officer?lang=en`, { keystore: keystores.get(account.address)!, address: account.address, passphrase: PASSPHRASE });
  /** The next officer at their own machine: no key, no session of the one before. */
  async function freshBrowser(): Promise<void> {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
  }
  async function actionOk(where: ReturnType<Page["getByTestId"]>): Promise<string> {
    const line = where.locator('[data-testid=action-status][data-kind="ok"]');
    await line.waitFor({ timeout: 180_000 });
    return (await line.textContent()) ?? "";
  }
  /** The permit in the signed-in officer's queue, refreshed until the index has read the step before. */
  async function openFromQueue(): Promise<void> {
    const row = page.locator(`[data-testid=queue] tr[data-number="${number}"]`);
    await eventually(
      async () => {
        await page.getByRole("button", { name: "Refresh", exact: true }).click();
        return row.isVisible();
      },
      (visible) => visible,
      120_000,
    );
    await row.locator("button").click();
  }
  async function approveFromQueue(): Promise<void> {
    await openFromQueue();
    const review = page.getByTestId("review");
    await review.waitFor();
    await page.getByRole("button", { name: "Approve and sign" }).click();
    expect(await actionOk(review.locator("section.officer-decide"))).to.include("recorded on the blockchain");
  }

  before(async () => {
    buildWebApp();
    node = await startTownNode(7001, 2);
    const deployed = await runDeploy(["--rpc", node.url, "--chain-id", "7001", "--national-admin", NATIONAL_ADMIN.address, "--data-dir", dataDir], {
      LEDGER_PRIVATE_KEY: NATIONAL_ADMIN.privateKey,
    });
    expect(deployed.code, `${deployed.stderr}${deployed.stdout}`).to.equal(0);
    service = await startService(dataDir, {
      CHAIN_RPC_URL: node.url,
      CHAIN_ID: "7001",
      DEPLOYMENT_FILE: join(dataDir, "deployment.json"),
      RELAYER_PRIVATE_KEY: RELAYER.privateKey,
      CONFIRMATIONS: "2",
      ANCHOR_BATCH_MS: "200",
    });
    for (const officer of [PERMIT_OFFICER, SAFETY_OFFICER, MAYOR]) keystores.set(officer.address, await officer.encrypt(PASSPHRASE));
    browser = await launchChromium();
  });
  beforeEach(freshBrowser);
  afterEach(async () => {
    await context?.close();
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
    await node?.stop();
    cleanUp(dataDir);
  });

  it("starts with no town and no development keys; the national admin adds two towns with the CLI", async () => {
    expect(service.output()).not.to.include("DEVELOPMENT KEYS");
    expect((await new ApiClient(service.url).get("/api/municipalities")).body.municipalities).to.deep.equal([]);
    await ledger(["municipality", "add", "--code", "TH-50-SUTHEP", "--name", "Suthep Subdistrict Municipality", "--admin", SUTHEP_ADMIN.address], NATIONAL_ADMIN);
    await ledger(["municipality", "add", "--code", "TH-95-YALA", "--name", "Yala City Municipality", "--admin", YALA_ADMIN.address], NATIONAL_ADMIN);
    const listed = await ledger(["municipality", "list"], NATIONAL_ADMIN);
    expect(listed.stdout).to.include("TH-95-YALA");
  });

  it("lets Yala's admin apply its town file: officers with their roles and names, its permit type, categories and profile", async () => {
    const applied = await ledger(["town", "apply", "scripts/towns/yala.json"], YALA_ADMIN);
    expect(applied.stdout).to.include("SAFETY_OFFICER");
    const town = await eventually(
      async () => (await new ApiClient(service.url).get("/api/municipalities/2")).body,
      (body) => body.profile !== null && body.profile !== undefined,
      120_000,
    );
    expect(town.name).to.deep.equal({ th: "เทศบาลนครยะลา", en: "Yala City Municipality" });
    expect(town.profile.permitTypes.map((type: { code: string }) => type.code)).to.deep.equal(["SIGNBOARD"]);
    // Applying the same file again changes nothing.
    expect((await ledger(["town", "apply", "scripts/towns/yala.json"], YALA_ADMIN)).stdout).to.include("nothing to change");
  });

  it("takes a signboard permit through Yala's own approval chain in the console: counter, SAFETY_OFFICER, MAYOR, issue", async () => {
    await signInAs(PERMIT_OFFICER);
    await page.getByRole("button", { name: "Take an application at the counter" }).click();
    const intake = page.getByTestId("intake-form");
    await intake.getByLabel("Type").locator("option", { hasText: "Signboard permit" }).waitFor({ state: "attached", timeout: 60_000 });
    await intake.getByLabel("Type").selectOption("SIGNBOARD");
    await intake.getByLabel("Parcel").fill("โฉนด 4321 ถนนสิโรรส / Title deed 4321, Sirorot Road");
    await intake.getByLabel("Description (English)").fill("Shop sign, 2 x 1 m");
    await intake.getByLabel("Name").fill("นางสาวอามีนะห์ ยะลา");
    await intake.getByLabel("Thai ID number").fill("1-9501-00456-78-1");
    await intake.getByLabel("Phone").fill("0812345678");
    await intake.getByLabel("Address").fill("12 Sirorot Road, Yala");
    await intake.getByTestId("intake-files").setInputFiles([{ name: "sign-drawing.txt", mimeType: "text/plain", buffer: Buffer.from("Drawing of the sign") }]);
    await intake.getByRole("button", { name: "File the application" }).click();
    const filed = page.getByTestId("intake-filed");
    await filed.waitFor({ timeout: 180_000 });
    number = (await filed.getAttribute("data-number"))!;
    expect(number).to.match(/^TH-95-YALA\/SGN\/\d{4}\/\d{6}$/);

    await openFromQueue();
    await page.getByTestId("review").waitFor();
    await page.getByRole("button", { name: "Mark complete and sign" }).click();
    expect(await actionOk(page.getByTestId("complete-action"))).to.include("marked complete");
    const completed = await eventually(permitView, (view) => view.steps?.[0]?.awaiting === true, 120_000);
    expect(completed.steps.map((step: { role: string }) => step.role)).to.deep.equal(["SAFETY_OFFICER", "MAYOR"]);

    await freshBrowser();
    await signInAs(SAFETY_OFFICER);
    await approveFromQueue();
    await eventually(permitView, (view) => view.steps[1].awaiting === true, 120_000);

    await freshBrowser();
    await signInAs(MAYOR);
    await approveFromQueue();
    await eventually(permitView, (view) => view.state === "Approved", 120_000);

    await freshBrowser();
    await signInAs(PERMIT_OFFICER);
    await page.getByLabel("Open a permit by number").fill(number);
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.getByTestId("review").waitFor();
    await page.getByRole("button", { name: "Issue the certificate and sign" }).click();
    expect(await actionOk(page.getByTestId("issue-action"))).to.include("certificate is issued");
    await screenshot(page, "real-town-issued");

    const view = await eventually(permitView, (answer) => answer.state === "Issued" && answer.verdict === "valid", 180_000);
    const decided = view.trail.filter((step: { step: string }) => step.step === "decided");
    expect(decided.map((step: { role: string; officer: string }) => [step.role, step.officer])).to.deep.equal([
      ["SAFETY_OFFICER", SAFETY_OFFICER.address],
      ["MAYOR", MAYOR.address],
    ]);
  });

  it("lets a resident pick Yala and file a flood complaint: answered at once with a tracking code, confirmed on the chain later", async () => {
    const picker = page.getByTestId("town-picker");
    await page.goto(`${service.url}/complaints/new?lang=en`);
    await picker.waitFor();
    await picker.selectOption({ label: "Yala City Municipality" });
    await page.waitForURL(/[?&]town=2\b/);
    await page.locator("#complaint-category option", { hasText: "Flooding" }).waitFor({ state: "attached", timeout: 60_000 });
    await page.locator("#complaint-category").selectOption({ label: "Flooding" });
    await page.getByLabel("How deep is the water?").selectOption({ label: "Knee deep" });
    const map = page.getByTestId("map-picker");
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.locator("#complaint-description").fill("น้ำท่วมขังหน้าตลาดเก่า ลึกถึงเข่า / Flooding in front of the old market");
    await page.getByRole("button", { name: "File the complaint" }).click();
    const code = (await page.getByTestId("tracking-code").textContent({ timeout: 120_000 }))!.trim();
    await screenshot(page, "real-town-complaint-filed");

    // Accepted before it is final on a chain of 2-second blocks and two confirmations; final later.
    const track = () => new ApiClient(service.url).get("/api/complaints/track", { "x-tracking-code": code });
    const tracked = await eventually(track, (answer) => answer.status === 200 && answer.body.confirmed === true, 180_000);
    expect(tracked.body.complaint).to.include({ municipalityId: 2, serviceCode: "FLOODING" });
  });
});
