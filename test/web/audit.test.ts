import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { devAccounts, type DevRole } from "../../app/server/chain/devAccounts.js";
import type { AuditEvent } from "../../app/shared/trailEvents.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { WorkflowActors } from "../app/support/workflowData.js";
import { buildWebApp, launchChromium, newPageForEachTest, screenshot, visibleLabels } from "./browser.js";

/**
 * The auditor's page (/audit) in Debian's chromium, 360 px wide, in English and Thai: a building permit
 * made through the API (applied for, completed, decided by ENGINEER → DIRECTOR → MAYOR and issued, each
 * act signed by its demo officer's own key), found by its number; every step shows who signed it under
 * the name the town published on the chain, in which role, what they decided, when and in which
 * transaction, with a passing check against the chain; the CSV and JSON exports download those rows.
 */
// Words the Thai page writes in Latin letters on purpose: the names of the two file formats.
const LATIN_IN_THAI = new Set(["CSV", "JSON"]);
/** The names the demo seed publishes on the chain (scripts/ignition/modules/DemoSeed.ts). */
const NAMES: Partial<Record<DevRole, string>> = {
  permitOfficer: "เจ้าหน้าที่ สมหญิง (demo)",
  engineer: "วิศวกร สมศักดิ์ (demo)",
  director: "ผู้อำนวยการกองช่าง สมชาย (demo)",
  mayor: "นายกเทศมนตรี สมพร (demo)",
};
const address = (role: DevRole) => devAccounts().find((a) => a.role === role)!.address;
/** Who signs each act of a building permit, in order: the step's officer and role, as the page words them. */
const SIGNED: Array<{ event: string; role: DevRole; en: string; th: string; decision?: { en: string; th: string } }> = [
  { event: "PermitCompleted", role: "permitOfficer", en: "Permit officer", th: "เจ้าหน้าที่รับคำขอ" },
  { event: "PermitStepDecided", role: "engineer", en: "Engineer", th: "วิศวกร", decision: { en: "approved", th: "อนุมัติ" } },
  {
    event: "PermitStepDecided",
    role: "director",
    en: "Director of public works",
    th: "ผู้อำนวยการกองช่าง",
    decision: { en: "approved", th: "อนุมัติ" },
  },
  { event: "PermitStepDecided", role: "mayor", en: "Mayor", th: "นายกเทศมนตรี", decision: { en: "approved", th: "อนุมัติ" } },
  { event: "PermitIssued", role: "permitOfficer", en: "Permit officer", th: "เจ้าหน้าที่รับคำขอ" },
];

/** RFC 4180 text (after a byte order mark) → rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && body[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += c;
  }
  return rows;
}

describe("the auditor's page in a real browser: a permit's full trail, its chain check and its export", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-web-audit");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let permit: { number: string };
  /** The permit's trail as the API answers it. */
  let trail: AuditEvent[];

  /** The page's text of each entry of the trail, in order. */
  const entries = () => page.locator("[data-testid=audit-event]").allInnerTexts();
  const noWiderThanScreen = async () => {
    const wider = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((element) => element.getBoundingClientRect().right > 361)
        .map((element) => `${element.tagName}.${element.className}: ${element.textContent!.slice(0, 40)}`)
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth), wider.join(" | ")).to.be.at.most(360);
  };
  /** Searches as an auditor does: the municipality, the permit's number, today as the date range. */
  async function search(labels: { municipality: string; permit: string; from: string; to: string; search: string }): Promise<void> {
    await page.getByLabel(labels.municipality, { exact: true }).selectOption("1");
    await page.getByLabel(labels.permit, { exact: true }).fill(permit.number);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel(labels.from, { exact: true }).fill(today);
    await page.getByLabel(labels.to, { exact: true }).fill(today);
    await page.getByRole("button", { name: labels.search, exact: true }).click();
    await page.locator("[data-testid=audit-status][aria-busy=false]").waitFor({ timeout: 60_000 });
  }
  async function download(testId: string): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-testid=${testId}]`).click()]);
    return readFileSync(await file.path()).toString("utf8");
  }

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir);
    const actors = await WorkflowActors.signIn(service);
    permit = await actors.issuedBuildingPermit("Parcel 4711, Mae Hia");
    trail = (await actors.resident.get(`/api/audit/permits/${encodeURIComponent(permit.number)}`)).body.events;
  });
  newPageForEachTest(
    () => browser,
    (fresh) => (page = fresh),
    {
      viewport: { width: 360, height: 780 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      acceptDownloads: true,
    }
  );
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("an auditor finds a permit's full trail by its number, checked against the chain, and exports it (English, 360 px)", async () => {
    await page.goto(`${service.url}/?lang=en`);
    await page.getByRole("link", { name: "Audit", exact: true }).click();
    await page.locator("h1", { hasText: "Audit trail" }).waitFor();
    await search({ municipality: "Municipality", permit: "Permit number (optional)", from: "From", to: "To", search: "Search" });
    expect(new URL(page.url()).searchParams.get("permit")).to.equal(permit.number);

    // Every step of the permit, in chain order, each checked against the chain.
    expect(
      await page.locator("[data-testid=audit-event]").evaluateAll((items) => items.map((item) => item.getAttribute("data-event")))
    ).to.deep.equal(trail.map((e) => e.event));
    const check = page.locator("[data-testid=chain-check]");
    expect(await check.getAttribute("data-ok")).to.equal("true");
    expect(await check.innerText()).to.include(`Passed: all ${trail.length} entries match the blockchain in every field.`);
    expect(await page.locator("[data-testid=audit-event-check]").allInnerTexts()).to.deep.equal(trail.map(() => "✓ Matches the blockchain"));

    // Who signed each act, under the name the town published on the chain, in which role, deciding what.
    const texts = await entries();
    const signed = trail.map((e, i) => [e, texts[i]] as const).filter(([e]) => e.actorRole !== null && e.event !== "PermitApplied");
    expect(signed.map(([e]) => e.event)).to.deep.equal(SIGNED.map((s) => s.event));
    signed.forEach(([event, text], i) => {
      const { role, en, decision } = SIGNED[i];
      expect(text).to.include(`by ${NAMES[role]} · ${en}`).and.include(address(role));
      if (decision) expect(text).to.match(new RegExp(`^Step ${i} · Step decided \\(${decision.en}\\)`));
      expect(text).to.include(`Transaction ${event.txHash} · block ${event.blockNumber}`);
    });
    expect(texts[0]).to.match(/^Application filed/);
    expect(texts.at(-1))
      .to.match(/^Permit issued/)
      .and.include("Hash of certificate version 1");
    const english = await visibleLabels(page);
    expect(
      english.filter((label) => /[\u0E00-\u0E7F]/.test(label)),
      english.join(" | ")
    ).to.deep.equal([]);
    await noWiderThanScreen();
    await screenshot(page, "audit-permit-en-360px");

    // The CSV: one row per entry shown, with the same officers, roles, decisions and transactions.
    const [header, ...rows] = parseCsv(await download("export-csv"));
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows.map((row) => column(row, "event"))).to.deep.equal(trail.map((e) => e.event));
    expect(rows.every((row) => column(row, "permit_number") === permit.number)).to.equal(true);
    expect(rows.map((row) => column(row, "tx_hash"))).to.deep.equal(trail.map((e) => e.txHash));
    const signedRows = rows.filter((row) => column(row, "actor_role") !== "" && column(row, "event") !== "PermitApplied");
    expect(
      signedRows.map((row) => [column(row, "actor"), column(row, "actor_name"), column(row, "actor_role"), column(row, "decision")])
    ).to.deep.equal(
      SIGNED.map(({ role, event }) => [
        address(role),
        NAMES[role],
        role === "permitOfficer" ? "PERMIT_OFFICER" : role.toUpperCase(),
        event === "PermitStepDecided" ? "approve" : "",
      ])
    );
    // The JSON: the same rows, and what the export was limited to.
    const json = JSON.parse(await download("export-json"));
    expect(json).to.include({ format: "public-service-ledger/audit-export@2", municipalityId: 1, permit: permit.number, count: trail.length });
    expect(json.events.map((e: AuditEvent) => [e.event, e.actorName, e.txHash])).to.deep.equal(trail.map((e) => [e.event, e.actorName, e.txHash]));
  });

  it("shows the same trail in Thai, every label in Thai, from a shared link", async () => {
    await page.goto(`${service.url}/audit?lang=th`);
    await search({ municipality: "เทศบาล", permit: "เลขที่ใบอนุญาต (ไม่บังคับ)", from: "ตั้งแต่วันที่", to: "ถึงวันที่", search: "ค้นหา" });
    const shared = page.url();
    await page.goto(shared);
    await page.locator("[data-testid=audit-status][aria-busy=false]").waitFor({ timeout: 60_000 });
    expect(await page.getByLabel("เลขที่ใบอนุญาต (ไม่บังคับ)").inputValue()).to.equal(permit.number);
    expect(await page.locator("[data-testid=chain-check]").innerText()).to.include(`ผ่าน: ทั้ง ${trail.length} รายการตรงกับบล็อกเชนทุกช่อง`);
    const texts = await entries();
    expect(texts).to.have.length(trail.length);
    const steps = texts.filter((text) => text.startsWith("ขั้นที่"));
    expect(steps.map((text) => text.split("\n")[0])).to.deep.equal([
      "ขั้นที่ 1 · พิจารณาขั้นตอน (อนุมัติ)",
      "ขั้นที่ 2 · พิจารณาขั้นตอน (อนุมัติ)",
      "ขั้นที่ 3 · พิจารณาขั้นตอน (อนุมัติ)",
    ]);
    SIGNED.filter((s) => s.decision).forEach(({ role, th }, i) =>
      expect(steps[i]).to.include(`โดย ${NAMES[role]} · ${th}`).and.include(address(role))
    );
    // Dates in the Buddhist era, as Thai documents are dated.
    expect(texts.every((text) => /25\d\d/.test(text))).to.equal(true);
    const thai = await visibleLabels(page);
    const latin = thai.flatMap((label) => label.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []).filter((word) => !LATIN_IN_THAI.has(word));
    expect(latin, thai.join(" | ")).to.deep.equal([]);
    await noWiderThanScreen();
    await screenshot(page, "audit-permit-th-360px");
  });

  it("shows a municipality's whole trail for a period: role grants and names by its admin, then the permit", async () => {
    await page.goto(`${service.url}/audit?lang=en`);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    await page.getByLabel("From", { exact: true }).fill(today);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.locator("[data-testid=audit-status][aria-busy=false]").waitFor({ timeout: 60_000 });
    expect(await page.locator("[data-testid=chain-check]").getAttribute("data-ok")).to.equal("true");
    const events = await page.locator("[data-testid=audit-event]").evaluateAll((items) => items.map((item) => item.getAttribute("data-event")));
    expect(events[0]).to.equal("MunicipalityAdded");
    expect(events).to.include.members(["OfficerRoleGranted", "OfficerNamed", "PermitTypeDefined", ...trail.map((e) => e.event)]);
    const grant = page.locator("[data-testid=audit-event][data-event=OfficerRoleGranted]", { hasText: "Role: Engineer" });
    expect(await grant.innerText())
      .to.match(/^Officer role granted\n/)
      .and.include(`Officer: ${NAMES.engineer}`)
      .and.include("· Municipality admin");
    expect(await page.locator("[data-testid=audit-event-check]").allInnerTexts()).to.deep.equal(events.map(() => "✓ Matches the blockchain"));
    await noWiderThanScreen();
  });
});
