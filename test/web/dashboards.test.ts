import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { makeDashboardData } from "../app/support/dashboardData.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { WorkflowActors } from "../app/support/workflowData.js";
import { buildWebApp, launchChromium, screenshot, visibleLabels, newPageForEachTest } from "./browser.js";

/**
 * The residents' and the mayor's dashboards in Debian's chromium, 360 px wide, in Thai and English, over
 * real data made through the API (makeDashboardData: one permit issued within the 45 days, one rejected
 * beyond them, one near the limit; complaints fixed, overdue and on track; a campaign at 40 %).
 */
// Words the Thai page writes in Latin letters: the demo token's symbol.
const LATIN_IN_THAI = new Set(["THBT"]);

describe("the dashboards in a real browser", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-web-dashboards");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let data: Awaited<ReturnType<typeof makeDashboardData>>;

  async function open(path: string): Promise<void> {
    await page.goto(`${service.url}${path}`);
    await page.locator("[data-testid=dashboard-status][aria-busy=false]").waitFor({ timeout: 60_000 });
  }
  const text = (selector: string) => page.locator(selector).first().innerText();
  /** The rows of a chart's table alternative, as "label: value". */
  const chartRows = (testId: string) =>
    page.locator(`[data-testid=${testId}] table tbody tr`).evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent!.trim()).join(": ")));
  const expectEveryLabelThai = async () => {
    const thai = await visibleLabels(page);
    const latin = thai.flatMap((label) => label.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).filter((word) => !LATIN_IN_THAI.has(word));
    expect(latin, thai.join(" | ")).to.deep.equal([]);
  };
  const noWiderThanScreen = async () => {
    const wider = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((element) => element.getBoundingClientRect().right > 361)
        .map((element) => `${element.tagName}.${element.className}: ${element.textContent!.slice(0, 40)}`),
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth), wider.join(" | ")).to.be.at.most(360);
  };

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
    data = await makeDashboardData(await WorkflowActors.signIn(service));
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh), { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("shows residents how fast permits are decided, complaints fixed and funds raised (English, 360 px)", async () => {
    await open("/dashboard?lang=en");
    expect(await text("h1")).to.equal("Residents' dashboard · Mae Hia Town Municipality");
    expect(await text("[data-testid=permits-decided] dd")).to.equal("2");
    expect(await text("[data-testid=permits-within] dt")).to.equal("Decided within the 45 days of the law");
    expect(await text("[data-testid=permits-within] dd")).to.equal("50%");
    expect(await text("[data-testid=permits]")).to.include("1 of 2 decided within 45 days");
    const months = await chartRows("permits-by-month");
    expect(months).to.have.length(3);
    expect(months[1]).to.match(/: 46 days$/);
    expect(months[2]).to.equal("45-day limit: 45 days");
    expect(await chartRows("permits-open")).to.include.members(["Under review: 1", "Near the 45-day limit: 1", "Beyond 45 days: 0"]);

    expect(await text("[data-testid=complaints-total] dd")).to.equal("3");
    expect(await chartRows("complaints-by-status")).to.deep.equal(["Received: 2", "Fixed: 1"]);
    expect(await chartRows("complaints-sla")).to.deep.equal(["Fixed in time: 1", "Fixed late: 0", "Being handled, still in time: 1", "Overdue: 1"]);

    expect(await text("[data-testid=campaign]")).to.include(`Campaign ${data.campaignId} · Open for pledges`).and.include("2,000.00 THBT of the 5,000.00 THBT goal (40%)");
    expect(await text("[data-testid=funds-pledges] dd")).to.equal("1");
    // The drawing is hidden from screen readers: its table says the same.
    expect(await page.locator("[data-testid=permits-by-month] svg").getAttribute("aria-hidden")).to.equal("true");
    const english = await visibleLabels(page);
    expect(english.filter((label) => /[\u0E00-\u0E7F]/.test(label)), english.join(" | ")).to.deep.equal([]);
    await noWiderThanScreen();
    await screenshot(page, "dashboard-resident-en-360px");
  });

  it("shows the same figures in Thai, with every label in Thai", async () => {
    await open("/dashboard?lang=th");
    expect(await text("h1")).to.equal("แดชบอร์ดประชาชน · เทศบาลเมืองแม่เหียะ");
    expect(await text("[data-testid=permits-within] dd")).to.equal("50%");
    expect(await text("[data-testid=permits]")).to.include("1 จาก 2 เรื่องพิจารณาเสร็จภายใน 45 วัน");
    expect(await chartRows("complaints-by-status")).to.deep.equal(["รับเรื่องแล้ว: 2", "แก้ไขแล้ว: 1"]);
    expect(await text("[data-testid=campaign]")).to.include("2,000.00 THBT จากเป้าหมาย 5,000.00 THBT (40%)");
    // Months in the Buddhist era.
    expect((await chartRows("permits-by-month"))[0]).to.match(/25\d\d: /);
    await expectEveryLabelThai();
    await noWiderThanScreen();
    await screenshot(page, "dashboard-resident-th-360px");
  });

  it("shows the mayor the permits near the 45-day limit, time per role and overdue complaints by kind (English, 360 px)", async () => {
    await open("/dashboard?lang=en");
    await page.getByRole("link", { name: "See the detail for the mayor" }).click();
    await page.locator("[data-testid=clocks]").waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).to.equal("/dashboard/mayor");
    const clock = page.locator("[data-testid=clocks] tbody tr");
    expect(await clock.count()).to.equal(1);
    expect(await clock.getAttribute("data-near")).to.equal("true");
    const cells = await clock.locator("th, td").allInnerTexts();
    expect(cells[0]).to.equal(data.running.number);
    expect(cells.slice(1, 3)).to.deep.equal(["Building permit", "Engineer"]);
    expect(cells[3]).to.match(/^41 days$/);
    expect(cells[4]).to.include("Near the limit");
    const steps = await chartRows("step-times");
    expect(steps[0]).to.match(/^Engineer \(2 decisions\): /);
    expect(steps.slice(1, 3).map((row) => row.split(" (")[0])).to.deep.equal(["Director of public works", "Mayor"]);
    expect(await chartRows("overdue-by-category")).to.include("Waste not collected: 1");
    expect(await page.locator("[data-testid=campaigns] tbody tr th").innerText()).to.equal(`Campaign ${data.campaignId}`);
    await noWiderThanScreen();
    await screenshot(page, "dashboard-mayor-en-360px");

    // The permit number links to its page.
    await page.getByRole("link", { name: data.running.number }).click();
    await page.locator(".permit").waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).to.equal(`/permits/${encodeURIComponent(data.running.number)}`);
  });

  it("shows the mayor's dashboard in Thai", async () => {
    await open("/dashboard/mayor?lang=th");
    expect(await text("h1")).to.equal("แดชบอร์ดผู้บริหาร · เทศบาลเมืองแม่เหียะ");
    const cells = await page.locator("[data-testid=clocks] tbody tr").locator("th, td").allInnerTexts();
    expect(cells.slice(1, 3)).to.deep.equal(["อนุญาตก่อสร้างอาคาร", "วิศวกร"]);
    expect(cells[4]).to.include("ใกล้ครบกำหนด");
    expect(await chartRows("overdue-by-category")).to.include("ขยะไม่ได้เก็บ: 1");
    await expectEveryLabelThai();
    await noWiderThanScreen();
    await screenshot(page, "dashboard-mayor-th-360px");
  });

  it("says by its code, in the reader's language, that a municipality is unknown", async () => {
    await open("/dashboard?lang=en&municipality=999");
    expect(await text("[data-testid=dashboard-status]")).to.equal("The ledger has no such municipality.");
    await open("/dashboard?lang=th&municipality=999");
    expect(await text("[data-testid=dashboard-status]")).to.equal("ไม่พบเทศบาลนี้ในบัญชีสาธารณะ");
  });
});
