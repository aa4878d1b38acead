import { expect } from "chai";
import { Wallet, id, sha256, toUtf8Bytes } from "ethers";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { ApiClient } from "../app/support/officerClient.js";
import { cleanUp, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, newPageForEachTest, screenshot } from "./browser.js";
import { importKey, signIn } from "./keystoreSteps.js";

/**
 * The console's Administration tab (app/web/src/admin/) in Debian's chromium against the service as
 * `npm start` runs it: the national admin (demo account 0) adds a municipality; Mae Hia's admin (account
 * 1, who holds no officer role) adds a role of the town's own, an officer holding it and a complaint
 * category, applies the town file — each transaction signed in the browser with the admin's own key,
 * the service only relaying it — and the chain then has them; an Open311 key is made, shown once,
 * published as its hash, then revoked; a lost key is replaced, then marked compromised. Every check of
 * the chain reads it over RPC, not through the API.
 */
const PASSPHRASE = "admin-demo-passphrase-2026";

describe("the console's administration in a real browser", function () {
  this.timeout(600_000);
  const dataDir = tempDataDir("ledger-web-admin");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  // The officer Mae Hia's admin adds, whose key is then "lost" and replaced.
  let inspector: string;
  const account = (role: "nationalAdmin" | "municipalityAdmin") => devAccounts().find((a) => a.role === role)!;
  const api = () => new ApiClient(service.url);
  const contracts = async () => (await api().get("/api/health")).body.chain.contracts as Record<string, string>;
  const directory = async () => Directory__factory.connect((await contracts()).directory, rpcProvider(service.rpcUrl));

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh), { acceptDownloads: true });
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  /** The account's key pasted into the keystore, signed in, the Administration tab open. */
  async function adminTab(privateKey: string, lang = "en"): Promise<void> {
    await page.goto(`${service.url}/officer?lang=${lang}`);
    await page.locator("#wallet-title").waitFor();
    await importKey(page, { privateKey }, PASSPHRASE);
    await signIn(page);
    await page.getByRole("tab", { name: lang === "en" ? "Administration" : "ผู้ดูแลระบบ" }).click();
    await page.getByTestId("admin-section").waitFor();
  }

  /** Reviews the town file's changes, checks the plan lists `expected`, signs and applies every call. */
  async function reviewAndApply(expected: RegExp[]): Promise<string[]> {
    const panel = page.getByTestId("apply-panel");
    await panel.getByRole("button", { name: "Review the changes" }).click();
    await panel.getByTestId("plan-calls").waitFor({ timeout: 60_000 });
    const why = await panel.locator("[data-testid=plan-calls] li").allTextContents();
    for (const line of expected) expect(why.some((text) => line.test(text)), `${line} in ${why.join(" | ")}`).to.equal(true);
    expect(await panel.getByTestId("plan-problems").count()).to.equal(0);
    await panel.getByRole("button", { name: /^Sign and apply/ }).click();
    await panel.locator('[data-testid=action-status][data-kind="ok"]').filter({ hasText: "Applied" }).waitFor({ timeout: 180_000 });
    return why;
  }

  it("lets the national admin add a municipality with the admin's own signature", async () => {
    await adminTab(account("nationalAdmin").privateKey);
    const national = page.getByTestId("national-admin");
    await national.locator("[data-testid=municipality][data-code=TH-95-YALA]").waitFor();
    const admin = Wallet.createRandom().address;
    const form = page.getByTestId("add-municipality-form");
    await form.getByLabel("Municipality code").fill("TH-96-NARATHIWAT");
    await form.getByLabel("English name").fill("Narathiwat Town Municipality");
    await form.getByLabel("Municipality admin").fill(admin);
    await form.getByRole("button", { name: "Add and sign" }).click();
    await form.locator('[data-testid=action-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
    await national.locator("[data-testid=municipality][data-code=TH-96-NARATHIWAT]").waitFor();
    await screenshot(page, "admin-national-added");

    const chain = await directory();
    expect(Number(await chain.municipalityIdOf("TH-96-NARATHIWAT"))).to.equal(3);
    const [code, name, onChainAdmin, suspended] = await chain.municipality(3);
    expect({ code, name, admin: onChainAdmin, suspended }).to.deep.equal({ code: "TH-96-NARATHIWAT", name: "Narathiwat Town Municipality", admin, suspended: false });

    // Suspended with a reason (only its keccak256 goes on the chain), reinstated, handed to a new admin.
    const row = national.locator("[data-testid=municipality][data-code=TH-96-NARATHIWAT]");
    await row.getByRole("button", { name: "Suspend" }).click();
    await row.getByLabel("Reason for the suspension").fill("The municipal council has not yet appointed its officers");
    await row.getByRole("button", { name: "Suspend and sign" }).click();
    await national.locator('[data-testid=municipality][data-code=TH-96-NARATHIWAT][data-suspended="true"]').waitFor({ timeout: 120_000 });
    expect((await chain.municipality(3)).suspended).to.equal(true);
    await row.getByRole("button", { name: "Reinstate and sign" }).click();
    await national.locator('[data-testid=municipality][data-code=TH-96-NARATHIWAT][data-suspended="false"]').waitFor({ timeout: 120_000 });
    expect((await chain.municipality(3)).suspended).to.equal(false);
    const successor = Wallet.createRandom().address;
    await row.getByRole("button", { name: "Hand over to a new admin" }).click();
    await row.getByLabel("New admin's account address").fill(successor);
    await row.getByRole("button", { name: "Hand over and sign" }).click();
    await row.getByText(successor).waitFor({ timeout: 120_000 });
    expect((await chain.municipality(3)).admin).to.equal(successor);
  });

  it("lets Mae Hia's admin add a role, an officer holding it and a complaint category, and the chain has them once applied", async () => {
    await adminTab(account("municipalityAdmin").privateKey);
    const editor = page.locator("[data-testid=town-editor][data-town='1']");
    await editor.waitFor();
    expect(await page.getByTestId("national-admin").count()).to.equal(0);
    // No officer role, but not "cannot act": the session says where an admin acts.
    expect(await page.locator('[data-testid=no-role][data-admin="true"]').textContent()).to.include("the Administration tab");

    await editor.getByTestId("part-roles").locator("summary").click();
    const roleForm = editor.getByTestId("add-role-form");
    await roleForm.getByLabel("Role code").fill("BUILDING_INSPECTOR");
    await roleForm.getByLabel("Role name (Thai)").fill("ผู้ตรวจอาคาร");
    await roleForm.getByLabel("Role name (English)").fill("Building inspector");
    await roleForm.getByRole("button", { name: "Add role" }).click();
    await editor.locator("[data-testid=role-card][data-code=BUILDING_INSPECTOR]").waitFor();

    inspector = Wallet.createRandom().address;
    await editor.getByTestId("part-officers").locator("summary").click();
    const officerForm = editor.getByTestId("add-officer-form");
    await officerForm.getByLabel("Officer's name (public)").fill("ผู้ตรวจอาคาร สมนึก");
    await officerForm.getByLabel("Account address").fill(inspector);
    await officerForm.getByLabel("Building inspector").check();
    await officerForm.getByRole("button", { name: "Add officer" }).click();
    const card = editor.locator(`[data-testid=officer-card][data-address="${inspector}"]`);
    await card.waitFor();
    // A new account holds no gas: the admin is told to top it up; the demo officers have plenty.
    await card.locator('[data-testid=gas][data-low="true"]').waitFor();
    expect(await editor.locator('[data-testid=officer-card] [data-testid=gas][data-low="false"]').count()).to.be.greaterThan(0);

    await editor.getByTestId("part-categories").locator("summary").click();
    const categoryForm = editor.getByTestId("add-category-form");
    await categoryForm.getByLabel("Category code").fill("FALLEN_TREE");
    await categoryForm.getByLabel("Category name (Thai)").fill("ต้นไม้ล้มขวางทาง");
    await categoryForm.getByLabel("Category name (English)").fill("Fallen tree");
    await categoryForm.getByLabel("Days to resolve (SLA)").fill("2");
    await categoryForm.getByRole("button", { name: "Add complaint category" }).click();
    await editor.locator("[data-testid=category-card][data-code=FALLEN_TREE]").waitFor();
    await screenshot(page, "admin-town-edited");

    await reviewAndApply([/grant BUILDING_INSPECTOR to/, /publish the name of/, /set complaint category FALLEN_TREE: 2 days/, /publish the town's profile/]);
    await editor.locator('[data-testid=draft-state][data-changed="false"]').waitFor();

    // The chain, read over RPC: the role, the officer's published name, the category and its SLA, the profile.
    const chain = await directory();
    expect(await chain.hasRole(1, id("BUILDING_INSPECTOR"), inspector)).to.equal(true);
    expect(await chain.officerName(1, inspector)).to.equal("ผู้ตรวจอาคาร สมนึก");
    const ledger = ComplaintLedger__factory.connect((await contracts()).complaintLedger, rpcProvider(service.rpcUrl));
    const category = await ledger.category(1, id("FALLEN_TREE"));
    expect([Number(category.slaSeconds), category.active]).to.deep.equal([2 * 24 * 3600, true]);
    const town = (await api().get("/api/municipalities/1")).body;
    const [published] = await chain.profileOf(1);
    expect(town.profileSha256).to.equal(published.toLowerCase());
    expect(town.profile.roles).to.deep.include({ code: "BUILDING_INSPECTOR", label: { th: "ผู้ตรวจอาคาร", en: "Building inspector" } });
    expect(town.profile.complaintCategories.map((c: { code: string }) => c.code)).to.include("FALLEN_TREE");

    // A second review plans nothing: the chain matches the file.
    await page.getByTestId("apply-panel").getByRole("button", { name: "Review the changes" }).click();
    await page.getByTestId("apply-panel").getByText("The chain already matches this file.").waitFor({ timeout: 60_000 });

    // Thai mode: the town, the role and the category by their Thai names.
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.locator('html[lang="th"]').waitFor();
    expect(await editor.locator("h3").first().textContent()).to.include("เทศบาลเมืองแม่เหียะ");
    await card.getByText("ผู้ตรวจอาคาร", { exact: true }).waitFor();
    expect(await card.getByLabel("ผู้ตรวจอาคาร", { exact: true }).isChecked()).to.equal(true);
    await screenshot(page, "admin-town-th");
  });

  it("lets Mae Hia's admin create an Open311 key, shown once and published as its hash, then revoke it", async () => {
    await adminTab(account("municipalityAdmin").privateKey);
    const editor = page.locator("[data-testid=town-editor][data-town='1']");
    await editor.getByTestId("part-open311").locator("summary").click();
    const keys = editor.getByTestId("open311-keys");
    await keys.getByLabel(/Key label/).fill("FixMyStreet Mae Hia");
    await keys.getByRole("button", { name: "Create key" }).click();
    const key = (await keys.getByTestId("new-api-key").locator(".value--mono").textContent())!.trim();
    expect(key).to.match(/^o311_[A-Za-z0-9_-]{32}$/);
    const hash = sha256(toUtf8Bytes(key));
    await keys.locator(`[data-testid=api-key][data-sha256="${hash}"]`).waitFor();
    // Only the hash goes in the file.
    expect(await page.content()).not.to.include(`"${key}"`);

    await reviewAndApply([/publish the town's profile/]);
    let profile = (await api().get("/api/municipalities/1")).body.profile;
    expect(profile.open311.apiKeys.map((k: { sha256: string; label: string }) => [k.label, k.sha256])).to.deep.include(["FixMyStreet Mae Hia", hash]);
    // The key is still on screen until the admin says it is noted, and never again after.
    await keys.getByRole("button", { name: "Copied; hide the key" }).click();
    expect(await keys.getByTestId("new-api-key").count()).to.equal(0);

    await keys.locator(`[data-testid=api-key][data-sha256="${hash}"]`).getByRole("button", { name: "Revoke key" }).click();
    expect(await keys.locator(`[data-testid=api-key][data-sha256="${hash}"]`).count()).to.equal(0);
    await reviewAndApply([/publish the town's profile/]);
    profile = (await api().get("/api/municipalities/1")).body.profile;
    expect(profile.open311.apiKeys.map((k: { sha256: string }) => k.sha256)).not.to.include(hash);
  });

  it("lets Mae Hia's admin replace an officer's lost key (the new address holds the role, the old one none), then mark the lost key compromised", async () => {
    await adminTab(account("municipalityAdmin").privateKey);
    const editor = page.locator("[data-testid=town-editor][data-town='1']");
    await editor.getByTestId("part-officers").locator("summary").click();
    const replacement = Wallet.createRandom().address;
    const card = editor.locator(`[data-testid=officer-card][data-address="${inspector}"]`);
    await card.getByRole("button", { name: "Replace a lost key" }).click();
    await card.getByLabel("Officer's new account address").fill(replacement);
    await card.getByRole("button", { name: "Use the new address" }).click();
    const replaced = editor.locator(`[data-testid=officer-card][data-address="${replacement}"]`);
    await replaced.waitFor();
    expect(await replaced.getByRole("textbox", { name: "Officer's name (public)" }).inputValue()).to.equal("ผู้ตรวจอาคาร สมนึก");

    // The plan in Thai: the town's own name for the role beside its code.
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.getByTestId("apply-panel").getByRole("button", { name: "ตรวจรายการเปลี่ยนแปลง" }).click();
    const thai = await page.locator("[data-testid=plan-calls] li").first().textContent({ timeout: 60_000 });
    expect(thai).to.equal(`มอบบทบาทผู้ตรวจอาคาร (BUILDING_INSPECTOR) ให้ ${replacement} (ผู้ตรวจอาคาร สมนึก)`);
    await page.getByRole("button", { name: "English" }).click();

    const why = await reviewAndApply([new RegExp(`grant BUILDING_INSPECTOR to ${replacement}`), new RegExp(`revoke BUILDING_INSPECTOR from ${inspector}`)]);
    // The successor holds the role before the lost key loses it.
    expect(why.findIndex((line) => line.includes(`grant BUILDING_INSPECTOR to ${replacement}`))).to.be.below(why.findIndex((line) => line.includes(`revoke BUILDING_INSPECTOR from ${inspector}`)));
    const chain = await directory();
    expect(await chain.hasRole(1, id("BUILDING_INSPECTOR"), replacement)).to.equal(true);
    expect(await chain.hasRole(1, id("BUILDING_INSPECTOR"), inspector)).to.equal(false);
    expect(await chain.officerName(1, replacement)).to.equal("ผู้ตรวจอาคาร สมนึก");
    expect(await chain.officerName(1, inspector)).to.equal("");

    // The lost key, no longer in the file, typed in and marked compromised from now (the default).
    const compromise = editor.getByTestId("compromise-form");
    await compromise.getByLabel("Key (the officer's account)").selectOption("other");
    await compromise.getByLabel("Account address").fill(inspector);
    await compromise.getByRole("button", { name: "Mark compromised…" }).click();
    await compromise.getByTestId("compromise-confirm").waitFor();
    await compromise.getByRole("button", { name: "Confirm and sign" }).click();
    await compromise.locator('[data-testid=action-status][data-kind="ok"]').filter({ hasText: inspector }).waitFor({ timeout: 120_000 });
    const since = Number(await chain.compromisedSince(1, inspector));
    expect(since).to.be.greaterThan(0).and.at.most((await rpcProvider(service.rpcUrl).getBlock("latest"))!.timestamp);
    await compromise.locator(`[data-testid=compromise-current][data-since="${since}"]`).waitFor();
    await screenshot(page, "admin-key-compromised");
  });
});
