import { expect } from "chai";
import { Wallet, toBeHex } from "ethers";
import type { Browser, Page } from "playwright-core";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { cleanUp, rpcProvider, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, newPageForEachTest, screenshot, visibleLabels } from "./browser.js";
import { signInWithKeystore } from "./keystoreSteps.js";

/**
 * The officer console's Operations tab (app/web/src/officer/OperationsSection.tsx) in Debian's chromium,
 * against the service as `npm start` runs it (real anvil, Helia, SQLite): any signed-in officer — here
 * the auditor — sees the relayer's balance and the days it lasts, and each problem the service reports,
 * in English and in Thai. The problem is provoked for real: the relayer's balance set to 0 on the
 * embedded anvil (anvil_setBalance).
 */
const PASSPHRASE = "แม่เหียะ-operations-2026";
// Latin the Thai tab shows on purpose: the role's name on the chain, IPFS, the relayer as operators
// call it, and a problem's code (given as it is, to look it up).
const LATIN_IN_THAI = /ANCHOR_SERVICE|IPFS|relayer|\b[A-Z0-9]+(?:_[A-Z0-9]+)+\b/g;

describe("the Operations tab of the officer console in a real browser", function () {
  this.timeout(600_000);
  const dataDir = tempDataDir("ledger-web-operations");
  const auditor = devAccounts().find((a) => a.role === "auditor")!;
  const relayer = devAccounts().find((a) => a.role === "ledgerService")!;
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let keystore: string;

  const operations = () => page.getByTestId("operations");

  /** Signs the auditor in and opens the Operations tab. */
  async function openOperations(): Promise<void> {
    await signInWithKeystore(page, `${service.url}/officer?lang=en`, { keystore, address: auditor.address, passphrase: PASSPHRASE });
    await page.getByRole("tab", { name: "Operations" }).click();
    await operations().getByTestId("operations-summary").waitFor();
  }

  /** Asks again (the service keeps its chain readings a few seconds) until the problem shows. */
  async function untilProblem(code: string, button = "Check again"): Promise<void> {
    const problem = operations().locator(`[data-code="${code}"]`);
    for (let attempt = 0; attempt < 30 && !(await problem.isVisible()); attempt++) {
      await page.waitForTimeout(1_000);
      await operations().getByRole("button", { name: button }).click();
    }
    await problem.waitFor({ timeout: 5_000 });
  }

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
    keystore = await new Wallet(auditor.privateKey).encrypt(PASSPHRASE);
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("shows any signed-in officer the relayer's balance, the days it lasts and no problem while all is well", async () => {
    await openOperations();
    expect(await operations().getByTestId("operations-summary").getAttribute("data-ok")).to.equal("true");
    expect(await operations().getByTestId("relayer").textContent()).to.include(relayer.address);
    const balance = await rpcProvider(service.rpcUrl).getBalance(relayer.address);
    expect(await operations().getByTestId("relayer-balance").getAttribute("data-wei")).to.equal(balance.toString());
    expect(await operations().getByTestId("relayer-balance").textContent()).to.match(/\d/);
    expect(await operations().getByTestId("relayer-days-left").textContent()).to.match(/Nothing spent|days|more than 10 years/);
    await operations().getByTestId("operations-no-problems").waitFor();
    await screenshot(page, "operations-all-well");
  });

  it("shows the relayer out of funds as an error, in English and in Thai", async () => {
    const provider = rpcProvider(service.rpcUrl);
    const balance = await provider.getBalance(relayer.address);
    await provider.send("anvil_setBalance", [relayer.address, "0x0"]);
    try {
      await openOperations();
      await untilProblem("RELAYER_OUT_OF_FUNDS");
      const problem = operations().locator('[data-code="RELAYER_OUT_OF_FUNDS"]');
      expect(await problem.getAttribute("data-severity")).to.equal("error");
      expect(await problem.textContent()).to.include("The relayer is out of funds").and.include("RELAYER_OUT_OF_FUNDS");
      expect(await operations().getByTestId("operations-summary").getAttribute("data-ok")).to.equal("false");
      expect(await operations().getByTestId("relayer-balance").getAttribute("data-wei")).to.equal("0");
      // The service's own words, for the operator, one click away.
      await problem.locator("summary").click();
      expect(await problem.locator("details p").textContent()).to.include(relayer.address).and.include("out of funds");
      await screenshot(page, "operations-out-of-funds");

      await page.getByRole("button", { name: "ไทย" }).click();
      await page.getByRole("tab", { name: "สถานะระบบ" }).click();
      await untilProblem("RELAYER_OUT_OF_FUNDS", "ตรวจอีกครั้ง");
      expect(await problem.textContent()).to.include("มีเงินไม่พอจ่ายค่าธรรมเนียม");
      await operations().getByText("ระบบมีปัญหาที่ทำให้บันทึกข้อมูลลงบล็อกเชนไม่ได้").waitFor();
      const english = (await visibleLabels(page)).filter((label) => /[A-Za-z]{2,}/.test(label.replace(LATIN_IN_THAI, "")));
      expect(english, english.join(" | ")).to.deep.equal([]);
      await screenshot(page, "operations-out-of-funds-th");
    } finally {
      await provider.send("anvil_setBalance", [relayer.address, toBeHex(balance)]);
    }
  });
});
