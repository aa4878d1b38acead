import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { ApiClient } from "../app/support/officerClient.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { buildWebApp, launchChromium, newPageForEachTest, screenshot } from "./browser.js";

/**
 * Residents choose their town (components/TownPicker.tsx) on the embedded demo's two towns, Mae Hia
 * (municipality 1) and Yala City (2), each described by its town file (scripts/towns/): the complaint
 * form takes the chosen town's categories and questions and draws its area; the choice is kept in the
 * URL and in the browser; Thai mode names the towns in Thai. In Debian's chromium against the service
 * as `npm start` runs it.
 */
describe("residents pick their town in a real browser", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-web-towns");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  // Yala City's area (scripts/towns/yala.json): its bounding box; the middle lies inside its polygon.
  const YALA = { south: 6.52, west: 101.255, north: 6.575, east: 101.31 };

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  const picker = () => page.getByTestId("town-picker");
  const categoryOptions = () => page.locator("#complaint-category option").allTextContents();

  it("lets a resident pick Yala City, remembers it, and files a complaint in one of Yala's categories inside Yala's area", async () => {
    await page.goto(`${service.url}/complaints/new?lang=en`);
    await picker().waitFor();
    // Mae Hia first: the first town that is not suspended.
    expect(await picker().getAttribute("data-town")).to.equal("1");
    await page.locator("#complaint-category option").nth(1).waitFor({ state: "attached" });
    expect(await categoryOptions()).not.to.include("Flooding");

    await picker().selectOption({ label: "Yala City Municipality" });
    await page.waitForURL(/[?&]town=2\b/);
    await page.locator("#complaint-category option", { hasText: "Flooding" }).waitFor({ state: "attached" });
    expect(await categoryOptions()).to.include.members(["Flooding", "Street light out"]);
    expect(await page.evaluate(() => localStorage.getItem("ledger.town"))).to.equal("2");
    // Yala's map: its box, with its boundary drawn.
    await page.getByTestId("map-town").waitFor();

    await page.locator("#complaint-category").selectOption({ label: "Flooding" });
    await page.getByLabel("How deep is the water?").selectOption({ label: "Knee deep" });
    const map = page.getByTestId("map-picker");
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    const [lat, long] = ((await page.getByTestId("map-point").textContent())!.match(/-?\d+\.\d+/g) ?? []).map(Number);
    expect(lat).to.be.within(YALA.south, YALA.north);
    expect(long).to.be.within(YALA.west, YALA.east);
    await page.locator("#complaint-description").fill("น้ำท่วมขังหน้าตลาดเก่า ลึกถึงเข่า");
    await page.getByRole("button", { name: "File the complaint" }).click();
    const code = (await page.getByTestId("tracking-code").textContent({ timeout: 120_000 }))!.trim();
    await screenshot(page, "towns-yala-complaint-filed");

    // The complaint is Yala's, in Yala's category.
    const tracked = await new ApiClient(service.url).get("/api/complaints/track", { "x-tracking-code": code });
    expect(tracked.status, JSON.stringify(tracked.body)).to.equal(200);
    expect(tracked.body.complaint).to.include({ municipalityId: 2, serviceCode: "FLOODING" });

    // The tracking page names the complaint's town.
    await page.getByRole("link", { name: "Follow this complaint" }).click();
    await page.getByTestId("complaint-town").filter({ hasText: "Yala City Municipality" }).waitFor({ timeout: 60_000 });

    // Back without ?town=: the browser remembers Yala.
    await page.goto(`${service.url}/complaints/new?lang=en`);
    await page.locator("#complaint-category option", { hasText: "Flooding" }).waitFor({ state: "attached" });
    expect(await picker().getAttribute("data-town")).to.equal("2");
  });

  it("names the towns in Thai in Thai mode, on the complaint form, the dashboards, the funds and Verify", async () => {
    await page.goto(`${service.url}/complaints/new?lang=th&town=2`);
    await page.locator("#complaint-category option", { hasText: "น้ำท่วมขัง" }).waitFor({ state: "attached" });
    expect(await picker().locator("option").allTextContents()).to.deep.equal(["เทศบาลเมืองแม่เหียะ", "เทศบาลนครยะลา"]);
    expect(await picker().locator("option:checked").textContent()).to.equal("เทศบาลนครยะลา");
    expect(await page.locator("label[for=town-picker]").textContent()).to.equal("เทศบาล");
    await screenshot(page, "towns-complaint-form-th");

    // The dashboards follow the chosen town (the browser remembers it from the link above).
    await page.goto(`${service.url}/dashboard?lang=th`);
    await page.locator("[data-testid=dashboard-status] .hint").waitFor({ timeout: 60_000 });
    expect(await picker().locator("option:checked").textContent()).to.equal("เทศบาลนครยะลา");
    await picker().selectOption({ label: "เทศบาลเมืองแม่เหียะ" });
    await page.waitForURL(/[?&]town=1\b/);
    await page.locator("[data-testid=dashboard-status] .hint").waitFor({ timeout: 60_000 });
    expect(await page.getByRole("link", { name: "ดูรายละเอียดสำหรับผู้บริหาร" }).getAttribute("href")).to.include("town=1");

    await page.goto(`${service.url}/funds?lang=th&town=2`);
    expect(await picker().locator("option:checked").textContent()).to.equal("เทศบาลนครยะลา");

    // Verify: a permit number typed without its town's code is completed with the chosen town's.
    await page.goto(`${service.url}/verify?lang=th&town=2`);
    await page.getByTestId("permit-town-hint").filter({ hasText: "TH-95-YALA/" }).waitFor();
    expect(await page.getByTestId("permit-town-hint").textContent()).to.include("เทศบาลนครยะลา");
    await page.locator("#permit-input").fill("SGN/2026/000001");
    await page.locator("#permit-input").press("Enter");
    await page.waitForURL((url) => url.searchParams.get("permit") === "TH-95-YALA/SGN/2026/000001");
  });
});
