import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import type { Browser, Page, Request } from "playwright-core";
import { devAccounts, type DevRole } from "../../app/server/chain/devAccounts.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "../app/support/service.js";
import { sha256Of } from "../app/support/testLedger.js";
import { buildWebApp, launchChromium, newPageForEachTest, screenshot, verdictOnPage, visibleLabels } from "./browser.js";
import { signInWithKeystore } from "./keystoreSteps.js";

/**
 * Issuing documents from the officer console (/officer, tab "Issue documents"), in Debian's chromium,
 * against the service as `npm start` runs it (real anvil, Helia, SQLite). The demo's DOCUMENT_ISSUER (the
 * permit officer) brings its key as an encrypted keystore; the browser hashes the files, the key signs one
 * issuance over their list, and each document then verifies on the Verify page as issued by that key.
 * Revoking is the same key's RecordRevocation, signed in the tab and relayed by the service to the chain.
 */
const PASSPHRASE = "แม่เหียะ-issue-2026";
// Latin words the Thai console shows on purpose: names of standards and formats, not labels, and an
// error's code (the status line gives it as it is, to look it up).
const LATIN_IN_THAI = /EIP-712|JSON|0x…|SHA-256|PDF|\b[A-Z0-9]+(?:_[A-Z0-9]+)+\b/g;

describe("issuing documents from the officer console in a real browser", function () {
  this.timeout(600_000);
  const dataDir = tempDataDir("ledger-web-issue");
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  const keystores = new Map<DevRole, string>();
  const account = (role: DevRole) => devAccounts().find((a) => a.role === role)!;
  const letter = (title: string) => ({ name: `${title}.txt`, mimeType: "text/plain", buffer: Buffer.from(`${title}\n${randomBytes(8).toString("hex")}\n`) });
  const verdictOf = async (sha256: string) =>
    (await (await fetch(`${service.url}/api/verify?sha256=${sha256}`)).json()) as { verdict: string; revocation?: Record<string, unknown> };

  /** Issues `files` from the open Issue tab with one signature, and waits until the chain holds each. */
  async function issueInConsole(files: ReturnType<typeof letter>[]): Promise<void> {
    const section = page.getByTestId("issue");
    await section.getByTestId("issue-files-input").setInputFiles(files);
    await section.locator('[data-testid=issue-files] li[data-sha256^="0x"]').nth(files.length - 1).waitFor();
    await section.getByRole("button", { name: `Sign and issue (${files.length})` }).click();
    await section.locator('form.issue-form [data-testid=action-status][data-kind="ok"]').waitFor({ timeout: 120_000 });
    for (const file of files) {
      await section.locator(`[data-testid=issued] li[data-sha256="${sha256Of(file.buffer)}"]:is([data-status=anchored], [data-status=final])`).waitFor({ timeout: 120_000 });
    }
  }

  /** Opens the console, brings the role's keystore (imported, locked, unlocked), signs in and opens the Issue tab. */
  async function openIssueTab(role: DevRole, lang = "en"): Promise<void> {
    await signInWithKeystore(page, `${service.url}/officer?lang=en`, { keystore: keystores.get(role)!, address: account(role).address, passphrase: PASSPHRASE });
    if (lang !== "en") await page.getByRole("button", { name: "ไทย" }).click();
    await page.getByRole("tab", { name: lang === "en" ? "Issue documents" : "ออกเอกสาร" }).click();
  }

  before(async () => {
    buildWebApp();
    browser = await launchChromium();
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200" });
    for (const role of ["permitOfficer", "engineer"] as const) keystores.set(role, await new Wallet(account(role).privateKey).encrypt(PASSPHRASE));
  });
  newPageForEachTest(() => browser, (fresh) => (page = fresh));
  after(async () => {
    await browser?.close();
    await service?.stop();
    cleanUp(dataDir);
  });

  it("lets the permit officer issue two documents under one signature; each then verifies as valid, naming the signer and the role", async () => {
    const officer = account("permitOfficer");
    const files = [letter("Notification certificate MH-2026-0101"), letter("Letter MH/2026/0102")];
    const uploads: Request[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.startsWith("/api/documents")) uploads.push(request);
    });
    await openIssueTab("permitOfficer");
    const section = page.getByTestId("issue");
    // The municipality defaults to the one where the session holds DOCUMENT_ISSUER.
    expect(await section.getByLabel("Issue for the municipality").inputValue()).to.equal("1");

    await section.getByTestId("issue-files-input").setInputFiles(files);
    const chosen = section.locator('[data-testid=issue-files] li[data-sha256^="0x"]');
    await chosen.nth(1).waitFor();
    // The browser's own hashes (WebCrypto) are the files' SHA-256.
    expect(await chosen.evaluateAll((items) => items.map((item) => item.getAttribute("data-sha256")))).to.deep.equal(files.map((f) => sha256Of(f.buffer)));
    await screenshot(page, "issue-chosen");

    await section.getByRole("button", { name: "Sign and issue (2)" }).click();
    // The result under the button pressed. (It names no address: an unbroken 42 characters would widen a phone's page.)
    const issuedStatus = section.locator('form.issue-form [data-testid=action-status][data-kind="ok"]');
    await issuedStatus.waitFor({ timeout: 120_000 });
    expect(await issuedStatus.textContent()).to.include("Documents issued (2), signed with your key");

    // One request, to the bulk route; the service names the key whose signature it checked.
    expect(uploads.map((request) => new URL(request.url()).pathname)).to.deep.equal(["/api/documents/batch"]);

    // Each record, with its status, until the chain holds them.
    const issued = page.getByTestId("issued");
    expect(await issued.textContent()).to.include(officer.address);
    for (const file of files) {
      await issued.locator(`li[data-sha256="${sha256Of(file.buffer)}"]:is([data-status=anchored], [data-status=final])`).waitFor({ timeout: 120_000 });
    }
    await screenshot(page, "issue-issued");

    // The service agrees: valid, issued by the officer's key.
    for (const file of files) {
      const answer = await eventually(
        async () => (await (await fetch(`${service.url}/api/verify?sha256=${sha256Of(file.buffer)}`)).json()) as { verdict: string; issuer?: { address: string; role: string } },
        (body) => body.verdict === "valid",
        60_000,
      );
      expect(answer.issuer).to.include({ address: officer.address, role: "DOCUMENT_ISSUER" });
    }
    // ONE signature covers both: their proof bundles carry the same signed list of two.
    const issuances = await Promise.all(
      files.map(async (file) => ((await (await fetch(`${service.url}/api/proofs/${sha256Of(file.buffer)}`)).json()) as { issuance: Record<string, unknown> }).issuance),
    );
    expect(issuances[0]).to.include({ municipalityId: 1, count: 2, signer: officer.address });
    expect(issuances[1].signature).to.equal(issuances[0].signature);

    // Each verify link opens the Verify page, which checks the chain itself: valid, signed by the officer as document issuer.
    for (const file of files) {
      const href = await issued.locator(`li[data-sha256="${sha256Of(file.buffer)}"] [data-testid=verify-link]`).getAttribute("href");
      const verify = await page.context().newPage();
      await verify.goto(`${service.url}${href}`);
      expect(await verdictOnPage(verify)).to.equal("valid");
      const signer = verify.locator('.checks [data-check="issuer"] .signer');
      expect(await signer.getAttribute("data-signer")).to.equal(officer.address);
      expect(await signer.getAttribute("data-role")).to.equal("DOCUMENT_ISSUER");
      expect(await verify.locator('.checks [data-check="issuer"]').textContent()).to.include("Issued by Mae Hia Town Municipality — signed by").and.include(
        `${officer.address} (Document issuer), on`,
      );
      await screenshot(verify, "issue-verified");
      await verify.close();
    }
  });

  it("lets the permit officer revoke documents with a reason, a just-issued one from its row and another by its file; each verify page then says revoked, why and by whom", async () => {
    const officer = account("permitOfficer");
    await page.setViewportSize({ width: 360, height: 800 });
    const revocations: Request[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.endsWith("/revocation")) revocations.push(request);
    });
    await openIssueTab("permitOfficer");
    const wrong = letter("Letter MH/2026/0104, sent to the wrong office");
    const replaced = letter("Notification certificate MH-2026-0105");
    await issueInConsole([wrong, replaced]);
    const section = page.getByTestId("issue");

    // (a) The just-issued document's own action: the reason's code and its public words, signed by the key.
    const row = section.locator(`[data-testid=issued] li[data-sha256="${sha256Of(wrong.buffer)}"]`);
    await row.getByTestId("revoke-action").click();
    const inline = row.getByTestId("revoke-form");
    expect(await inline.getByLabel("Reason for revoking").locator("option:not([disabled])").allTextContents()).to.deep.equal([
      "Issued in error",
      "Replaced by a corrected document",
      "Withdrawn by the municipality",
      "Court or supervisory order",
      "Other",
    ]);
    expect(await inline.textContent()).to.include("write no personal data");
    await inline.getByLabel("Reason for revoking").selectOption({ label: "Issued in error" });
    await inline.getByLabel("The reason in words (public)").fill("Sent to the wrong office");
    await inline.getByRole("button", { name: "Sign and revoke" }).click();
    await row.locator("[data-testid=revoke-result][data-outcome=revoked]").waitFor({ timeout: 120_000 });
    expect(await page.getByTestId("officer-status").getAttribute("data-kind")).to.equal("none");
    expect(await row.textContent()).to.include("Reason: Issued in error — “Sent to the wrong office”").and.include(officer.address);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, "issue-revoked-row-360px");

    // (b) The form below, with the document's file (hashed in the browser, sent nowhere).
    const form = section.getByTestId("revoke-document");
    await form.locator("summary").click();
    await form.getByTestId("revoke-file-input").setInputFiles(replaced);
    await form.getByTestId("revoke-file-hashed").waitFor();
    expect(await form.getByLabel("or its SHA-256").inputValue()).to.equal(sha256Of(replaced.buffer));
    await form.getByLabel("Reason for revoking").selectOption({ label: "Replaced by a corrected document" });
    await form.getByLabel("The reason in words (public)").fill("Replaced by certificate MH-2026-0106");
    await form.getByRole("button", { name: "Sign and revoke" }).click();
    await form.locator("[data-testid=revoke-result][data-outcome=revoked]").waitFor({ timeout: 120_000 });
    expect(await form.getByTestId("revoke-result").textContent()).to.include("Replaced by a corrected document").and.include("Replaced by certificate MH-2026-0106");
    // The document's row above says so too.
    await section.locator(`[data-testid=issued] li[data-sha256="${sha256Of(replaced.buffer)}"][data-revoked=true]`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, "issue-revoked-form-360px");
    expect(revocations.map((request) => new URL(request.url()).pathname)).to.deep.equal([wrong, replaced].map((f) => `/api/documents/${sha256Of(f.buffer)}/revocation`));

    // The service and the chain agree: revoked by the officer's key, with the code and the words.
    const expected = [
      { file: wrong, reasonCode: 1, reason: "Sent to the wrong office", label: "Issued in error" },
      { file: replaced, reasonCode: 2, reason: "Replaced by certificate MH-2026-0106", label: "Replaced by a corrected document" },
    ];
    for (const { file, reasonCode, reason, label } of expected) {
      const answer = await eventually(() => verdictOf(sha256Of(file.buffer)), (body) => body.verdict === "revoked", 60_000);
      expect(answer.revocation).to.include({ reasonCode, reason, revokedBy: officer.address });
      const href = await section.locator(`[data-testid=issued] li[data-sha256="${sha256Of(file.buffer)}"] [data-testid=revoked-verify-link]`).getAttribute("href");
      const verify = await page.context().newPage();
      await verify.goto(`${service.url}${href}`);
      expect(await verdictOnPage(verify)).to.equal("revoked");
      expect((await verify.locator("main").textContent())?.toLowerCase()).to.include(label.toLowerCase()).and.include(reason.toLowerCase()).and.include(officer.address.toLowerCase());
      await screenshot(verify, `issue-revoked-verified-${reasonCode}`);
      await verify.close();
    }
  });

  it("says why a revocation is refused, in the officer's language, before the key signs anything", async () => {
    const revocations: Request[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.endsWith("/revocation")) revocations.push(request);
    });
    await openIssueTab("permitOfficer");
    const twice = letter("Letter MH/2026/0107");
    await issueInConsole([twice]);
    const form = page.getByTestId("revoke-document");
    await form.locator("summary").click();
    const result = form.getByTestId("revoke-result");
    const attempt = async (target: { file: ReturnType<typeof letter> } | { sha256: string }, reason = "Issued twice") => {
      if ("file" in target) {
        await form.getByTestId("revoke-file-input").setInputFiles(target.file);
        await form.getByTestId("revoke-file-hashed").waitFor();
      } else {
        await form.getByLabel("or its SHA-256").fill(target.sha256);
      }
      await form.getByLabel("Reason for revoking").selectOption({ label: "Other" });
      await form.getByLabel("The reason in words (public)").fill(reason);
      // Editing the form clears the last outcome, so the one awaited below is this attempt's.
      await result.waitFor({ state: "detached" });
      await form.getByRole("button", { name: "Sign and revoke" }).click();
      await result.waitFor({ timeout: 120_000 });
      return { outcome: await result.getAttribute("data-outcome"), code: await result.getAttribute("data-code"), text: (await result.textContent()) ?? "" };
    };

    // A file the municipality never issued: the ledger has no anchor of it.
    expect(await attempt({ file: letter("A draft never issued") })).to.deep.include({ outcome: "error", code: "PROOF_NOT_FOUND" });
    expect(await result.textContent()).to.include("Not revoked: No such document on the ledger");
    // Said under the form (above), not in the console's line at the top.
    expect(await page.getByTestId("officer-status").getAttribute("data-kind")).to.equal("none");
    await screenshot(page, "issue-revoke-unknown");
    // Not a SHA-256.
    expect(await attempt({ sha256: "0x1234" })).to.deep.include({ outcome: "error", code: "SHA256_INVALID" });
    // Words that would publish a resident's ID card number.
    expect(await attempt({ sha256: sha256Of(twice.buffer) }, "Issued to 1-2345-67890-12-3 by mistake")).to.deep.include({ outcome: "error", code: "REASON_PERSONAL_DATA" });
    expect((await verdictOf(sha256Of(twice.buffer))).verdict).to.equal("valid");
    // Revoked once; a second time is refused before the key is asked.
    expect(await attempt({ sha256: sha256Of(twice.buffer).slice(2).toUpperCase() })).to.deep.include({ outcome: "revoked" });
    await eventually(() => verdictOf(sha256Of(twice.buffer)), (body) => body.verdict === "revoked", 60_000);
    const again = await attempt({ sha256: sha256Of(twice.buffer) });
    expect(again).to.deep.include({ outcome: "error", code: "ALREADY_REVOKED" });
    expect(again.text).to.include("already revoked");
    expect(revocations).to.have.length(1);
  });

  it("works on a phone's width and in Thai: no English label left, nothing wider than the screen", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await openIssueTab("permitOfficer", "th");
    const section = page.getByTestId("issue");
    await section.getByTestId("issue-files-input").setInputFiles([letter("หนังสือ ทม.แม่เหียะ 0103")]);
    await section.locator('[data-testid=issue-files] li[data-sha256^="0x"]').waitFor();
    // The revocation form open, with an error said in Thai.
    const revoke = section.getByTestId("revoke-document");
    await revoke.locator("summary").click();
    await revoke.getByLabel("หรือค่า SHA-256 ของเอกสาร").fill("0xabc");
    await revoke.getByLabel("เหตุผลในการเพิกถอน").selectOption({ label: "ออกเอกสารโดยผิดพลาด" });
    await revoke.getByLabel("คำอธิบายเหตุผล (เปิดเผยต่อสาธารณะ)").fill("ส่งผิดหน่วยงาน");
    await revoke.getByRole("button", { name: "ลงนามและเพิกถอน" }).click();
    await revoke.locator("[data-testid=revoke-result][data-code=SHA256_INVALID]").waitFor();
    expect(await revoke.getByTestId("revoke-result").textContent()).to.include("เพิกถอนไม่สำเร็จ: ค่านี้ไม่ใช่ SHA-256");
    const english = (await visibleLabels(page)).filter((label) => /[A-Za-z]{2,}/.test(label.replace(LATIN_IN_THAI, "")));
    expect(english, english.join(" | ")).to.deep.equal([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await screenshot(page, "issue-360px-th");
  });

  it("tells an officer without the document issuer's role that they cannot issue", async () => {
    await openIssueTab("engineer");
    expect(await page.getByTestId("not-issuer").textContent()).to.include("cannot issue documents");
    expect(await page.getByTestId("issue-files-input").count()).to.equal(0);
  });
});
