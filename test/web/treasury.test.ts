import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { parsePledgeReceipt } from "../../app/shared/pledgeReceipt.js";
import { SINGLE_BLOCK_MAX_BYTES } from "../../app/shared/singleBlock.js";
import { verifyPledgeReceipt } from "../../app/shared/verifyReceipt.js";
import { ApiClient } from "../app/support/officerClient.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, screenshot, visibleLabels, newPageForEachTest } from "./browser.js";
import { importKey, signIn } from "./keystoreSteps.js";

/**
 * The treasury tab of the officer console and a resident's pledge from a wallet, in Debian's chromium
 * against the service as `npm start` runs it (real anvil, Helia, SQLite). The demo treasurer signs every
 * action with their own key in the browser; receipts are checked against the chain with the shared
 * verifier and through the API.
 */
const PASSPHRASE = "แม่เหียะ-demo-2026";
const TITLE = "Wat Ram Poeng playground";
// Latin words the Thai page shows on purpose: names of standards and formats, the demo token's symbol,
// and an error's code next to its Thai sentence.
const LATIN_IN_THAI = /ERC-20|JSON|THBT|0x…|\b[A-Z]+(?:_[A-Z]+)+\b/g;

describe("the treasury and a resident's pledge in a real browser", function () {
  this.timeout(600_000);
  const dataDir = tempDataDir("ledger-web-treasury");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let campaignId: number;
  const account = (role: "treasurer" | "resident") => devAccounts().find((a) => a.role === role)!;
  const api = () => new ApiClient(service.url);
  // An action's result shows next to its button (its own status line), not in the page's line at the top.
  const ok = () => page.locator('[data-testid=action-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
  const campaignView = async () => (await api().get(`/api/funds/campaigns/${campaignId}`)).body;

  async function expectNoEnglishIn(lang: "th") {
    await page.getByRole("button", { name: "ไทย" }).click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
    const english = (await visibleLabels(page)).filter((label) => /[A-Za-z]{2,}/.test(label.replace(LATIN_IN_THAI, "")));
    expect(english, english.join(" | ")).to.deep.equal([]);
  }

  /** The receipt the page offers for download, as the resident's file. */
  async function downloadedReceipt(): Promise<any> {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the receipt (JSON)" }).click()]);
    return JSON.parse(readFileSync((await download.path())!, "utf8"));
  }

  /** The receipt checked against the chain by the shared verifier and by the API's POST …/verify. */
  async function expectValid(receipt: unknown) {
    const parsed = parsePledgeReceipt(receipt);
    const local = await verifyPledgeReceipt(parsed, rpcProvider(service.rpcUrl));
    expect(local.verdict, JSON.stringify(local.checks)).to.equal("valid");
    const viaApi = await api().post("/api/funds/receipts/verify", receipt);
    expect(viaApi.status).to.equal(200);
    expect(viaApi.body.verdict).to.equal("valid");
  }

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh), { acceptDownloads: true, timezoneId: "Asia/Bangkok" });
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  /** The demo treasurer's key, imported as an encrypted keystore file; signed in; the Treasury tab open. */
  async function treasuryTab(): Promise<void> {
    await page.goto(`${service.url}/officer?lang=en`);
    await page.locator("#wallet-title").waitFor();
    await importKey(page, { file: await new Wallet(account("treasurer").privateKey).encrypt(PASSPHRASE) }, PASSPHRASE);
    await signIn(page);
    await page.getByRole("tab", { name: "Treasury" }).click();
    await page.getByTestId("campaigns").or(page.getByText("No campaign yet.")).waitFor();
  }

  /** Fills the new-campaign form (two milestones: 3,000 + 2,000 THBT) and signs; answers the new campaign's id. */
  async function createCampaign(title: string): Promise<number> {
    await page.getByText("New campaign").click();
    const form = page.getByTestId("campaign-form");
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Description").fill("A shaded playground next to the temple school, built by the municipality.");
    await form.getByLabel("Beneficiary account").fill(Wallet.createRandom().address);
    await form.getByLabel("Pledges close at").fill(`${new Date().getFullYear() + 1}-06-30T17:00`);
    await form.getByLabel("Milestone 1: amount").fill("3,000");
    await form.getByLabel("Milestone 1: pays for").fill("Ground works and shade roof");
    await form.getByRole("button", { name: "Add a milestone" }).click();
    await form.getByLabel("Milestone 2: amount").fill("2000");
    await form.getByLabel("Milestone 2: pays for").fill("Play equipment");
    expect(await page.getByTestId("goal").textContent()).to.include("5,000.00");
    await form.getByRole("button", { name: "Create and sign" }).click();
    await page.locator('[data-testid=campaign][data-phase="Draft"]').waitFor({ timeout: 120_000 });
    await page.locator("#campaign-title", { hasText: title }).waitFor();
    return Number(await page.getByTestId("campaign").getAttribute("data-campaign-id"));
  }

  it("lets the demo treasurer create and open a campaign, record a cash pledge and hand over a receipt that verifies on the chain", async () => {
    await treasuryTab();
    await page.getByText("No campaign yet.").waitFor();
    campaignId = await createCampaign(TITLE);

    const draft = await campaignView();
    expect(draft).to.include({ phase: "Draft", goal: "500000", municipalityId: 1 });
    expect(draft.milestones.map((m: any) => m.amount)).to.deep.equal(["300000", "200000"]);
    expect(draft.created.by).to.equal(account("treasurer").address);
    // The rules document is public on IPFS, with the words the treasurer typed.
    const rules = await api().get(`/ipfs/${draft.rulesDocument.cid}`);
    expect(rules.body.milestones[1]).to.deep.equal({ amount: "200000", description: "Play equipment" });

    await page.getByRole("button", { name: "Open the campaign and sign" }).click();
    await page.locator('[data-testid=campaign][data-phase="Funding"]').waitFor({ timeout: 120_000 });
    expect((await campaignView()).rulesHash).to.match(/^0x[0-9a-f]{64}$/);

    // A cash pledge of 250.00 THBT, recorded with the treasurer's signature.
    const pledge = page.getByTestId("offchain-form");
    await pledge.getByLabel("Amount (THBT)").fill("250");
    await pledge.getByLabel("Paid by").selectOption("cash");
    await pledge.getByLabel("Paid on").fill("2026-03-01");
    await pledge.getByLabel("Payer's name").fill("นางสมศรี มีสุข");
    await pledge.getByRole("button", { name: "Record and sign" }).click();
    await page.getByTestId("receipt").waitFor({ timeout: 120_000 });
    await ok();
    // The campaign's totals are read again once the pledge is on the chain.
    await page.getByTestId("campaign-offchain").filter({ hasText: "250.00 THBT" }).waitFor();
    expect(await page.getByTestId("payer-salt").textContent()).to.match(/0x[0-9a-f]{64}/);
    const qrLoaded = await page.locator(".treasury-receipt__qr").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    expect(qrLoaded).to.equal(true);
    await screenshot(page, "treasury-offchain-receipt");

    // The receipt as handed over: the payer's name is nowhere in it; once its batch is anchored, the
    // downloaded file carries the Merkle proof and verifies against the chain.
    const receiptId = (await page.getByTestId("receipt").getAttribute("data-receipt-id"))!;
    await eventually(async () => (await api().get(`/api/funds/receipts/${receiptId}`)).body.proof, (proof) => proof !== null, 60_000);
    const receipt = await downloadedReceipt();
    expect(receipt).to.include({ receiptId, kind: "offchain-pledge", amount: "25000", campaignId: String(campaignId) });
    expect(JSON.stringify(receipt)).not.to.include("สมศรี");
    await expectValid(receipt);
    expect(await page.getByTestId("receipt-link").getAttribute("href")).to.equal(receipt.verifyUrl);

    // The tab in Thai: no English label left (ledger data is marked translate="no").
    await expectNoEnglishIn("th");
    await screenshot(page, "treasury-campaign-th");
  });

  it("lets a resident pledge from a key kept in the browser on /funds/:id/pledge, and the campaign's total rises", async () => {
    const before = await campaignView();
    await page.goto(`${service.url}/funds/${campaignId}/pledge?lang=en`);
    await page.getByTestId("pledge-raised").waitFor();
    await page.locator("#pledge-campaign-title", { hasText: TITLE }).waitFor();
    await importKey(page, { privateKey: account("resident").privateKey }, PASSPHRASE);

    const form = page.getByTestId("pledge-form");
    await form.getByLabel("Amount (THBT)").fill("1,000.50");
    await form.getByRole("button", { name: "Pledge and sign" }).click();
    await page.getByTestId("receipt").waitFor({ timeout: 120_000 });
    await ok();
    // The page reads the campaign again after it says the pledge is done.
    await page.getByTestId("pledge-raised").filter({ hasText: "1,000.50 THBT pledged of a 5,000.00 THBT goal" }).waitFor();
    await screenshot(page, "treasury-resident-pledged");

    const after = await campaignView();
    expect(BigInt(after.pledged) - BigInt(before.pledged)).to.equal(100050n);
    expect(after.pledges.filter((p: any) => p.kind === "pledge").map((p: any) => [p.pledger, p.amount])).to.deep.equal([[account("resident").address, "100050"]]);
    const receipt = await downloadedReceipt();
    expect(receipt).to.include({ kind: "pledge", amount: "100050", pledger: account("resident").address });
    await expectValid(receipt);

    // Too much for the resident's balance: said plainly, nothing sent.
    await form.getByLabel("Amount (THBT)").fill("99,000,000");
    await form.getByRole("button", { name: "Pledge and sign" }).click();
    await form.locator('[data-testid=action-status][data-kind="error"]').waitFor({ timeout: 60_000 });
    expect(await form.getByTestId("action-status").textContent()).to.include("BALANCE_LOW");
    expect((await campaignView()).pledged).to.equal(after.pledged);

    await expectNoEnglishIn("th");
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, "treasury-pledge-th-phone");
  });

  it("cancels a draft with a public reason but not a funded campaign, and pays a succeeded campaign's first milestone against an evidence file", async () => {
    // The rest of the goal from the resident's wallet in Node, through the same pledge-transactions route.
    const resident = new Wallet(account("resident").privateKey, rpcProvider(service.rpcUrl));
    const rest = (500000n - BigInt((await campaignView()).pledged)).toString();
    const calls = (await api().get(`/api/funds/campaigns/${campaignId}/pledge-transactions?amount=${rest}`)).body;
    for (const call of [calls.approve, calls.pledge]) await (await resident.sendTransaction({ to: call.to, data: call.data })).wait();

    await treasuryTab();
    await page.locator(`[data-testid=campaigns] tr[data-campaign-id="${campaignId}"]`).getByText(TITLE).waitFor();
    // The pledges have reached the goal: CivicFund refuses a cancellation, so the console offers none.
    await page.locator(`[data-testid=campaigns] tr[data-campaign-id="${campaignId}"][data-phase="Funding"] button`).click();
    await page.getByTestId("cancel-refused").waitFor();
    expect(await page.getByTestId("cancel-form").count()).to.equal(0);
    await page.getByRole("button", { name: "Back to the campaigns" }).click();
    const draftId = await createCampaign("Canal clean-up boats");
    await page.getByTestId("cancel-form").getByLabel("Reason (public)").fill("The province pays for the boats.");
    await page.getByRole("button", { name: "Cancel and sign" }).click();
    await page.locator('[data-testid=campaign][data-phase="Cancelled"]').waitFor({ timeout: 120_000 });
    const cancelled = (await api().get(`/api/funds/campaigns/${draftId}`)).body;
    expect(cancelled.phase).to.equal("Cancelled");
    expect((await api().get(`/ipfs/${cancelled.cancellation.reason.cid}`)).body).to.equal("The province pays for the boats.");

    // Past the deadline the campaign has succeeded on its own (no transaction): the chain's clock moves on,
    // to a minute after the deadline (RELEASE_PERIOD later, with nothing paid, it would have lapsed).
    const provider = rpcProvider(service.rpcUrl);
    const { deadline } = await campaignView();
    await provider.send("evm_increaseTime", [deadline - (await provider.getBlock("latest"))!.timestamp + 60]);
    await provider.send("evm_mine", []);
    await page.getByRole("button", { name: "Back to the campaigns" }).click();
    await page.locator(`[data-testid=campaigns] tr[data-campaign-id="${campaignId}"][data-phase="Succeeded"] button`).click();
    expect(await page.getByTestId("campaign-release-deadline").textContent()).to.include("Each payment moves the date 180 days on");
    const release = page.getByTestId("release-form");
    await release.getByText("The evidence file is public").waitFor();
    // A file over one IPFS block is refused in the page, with the reason, before anything is uploaded.
    const uploads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes("/milestones/")) uploads.push(request.url());
    };
    page.on("request", onRequest);
    await release.getByLabel("Evidence file").setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(SINGLE_BLOCK_MAX_BYTES + 1) });
    await release.getByRole("button", { name: "Pay milestone 1 and sign" }).click();
    await page.getByText("A campaign's public document is at most 1 MiB").waitFor();
    page.off("request", onRequest);
    expect(uploads).to.deep.equal([]);
    await release.getByLabel("Evidence file").setInputFiles({ name: "invoice-001.txt", mimeType: "text/plain", buffer: Buffer.from("Invoice 001: ground works and shade roof, 3,000.00 THBT") });
    await release.getByRole("button", { name: "Pay milestone 1 and sign" }).click();
    await page.locator('[data-testid=milestones] li[data-released="yes"]').waitFor({ timeout: 120_000 });
    await ok();
    await screenshot(page, "treasury-milestone-released");

    const paid = await campaignView();
    expect(paid.released).to.equal("300000");
    expect(paid.milestones[0].release).to.include({ amount: "300000", officer: account("treasurer").address });
    expect((await api().get(`/ipfs/${paid.milestones[0].release.evidence.cid}`)).body).to.include("Invoice 001");
    expect(paid.milestones[1].release).to.equal(null);
    expect(paid.releaseDeadline).to.equal(Date.parse(paid.milestones[0].release.at) / 1000 + 180 * 24 * 3600);
  });
});
