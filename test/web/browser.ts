import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

/**
 * Debian's chromium driven by playwright-core: the browser a town hall's machine or CI installs with
 * apt-get, not one downloaded by Playwright. A missing browser fails the suite, it is never skipped.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = join("test-output", "web");

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: the browser tests need Debian's chromium (sudo apt-get install -y chromium; .ci/run installs it), or CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Builds app/web when its sources changed (what `npm start` and `npm test` do first). */
export function buildWebApp(): void {
  const result = spawnSync(process.execPath, ["scripts/build-web.mjs"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`the web app did not build:\n${result.stdout}\n${result.stderr}`);
}

/**
 * A fresh browser context (storage, cookies, downloads) and page for each test of the suite, closed after
 * it, so no test sees another's keys or session. `browser` is read as each test starts; the page goes to
 * `use`. A desktop-sized window unless `options` say otherwise.
 */
export function newPageForEachTest(browser: () => Browser, use: (page: Page) => void, options: BrowserContextOptions = {}): void {
  let context: BrowserContext | undefined;
  beforeEach(async () => {
    context = await browser().newContext({ viewport: { width: 1100, height: 900 }, ...options });
    use(await context.newPage());
  });
  afterEach(async () => {
    await context?.close();
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The visible text of the page's labels: every rendered text node and aria-label, except data marked
 * translate="no" (hashes, names from the chain) and words in another language on purpose (the
 * language switch names each language in itself, with its own lang attribute).
 */
export function visibleLabels(page: Page): Promise<string[]> {
  // No helper functions inside: tsx's keepNames would wrap them in a __name() the page does not have.
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const labels: string[] = [];
    const candidates: [Element, string][] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (node.parentElement && text && node.parentElement.checkVisibility()) candidates.push([node.parentElement, text]);
    }
    for (const element of document.querySelectorAll("[aria-label]")) candidates.push([element, element.getAttribute("aria-label")!]);
    for (const [element, text] of candidates) {
      if (element.closest('[translate="no"], script, style, noscript')) continue;
      const marked = element.closest("[lang]");
      if (marked !== null && marked !== document.documentElement && marked.getAttribute("lang") !== pageLang) continue;
      labels.push(text);
    }
    return labels;
  });
}

/** The verdict the page shows (data-verdict) in the element with data-testid `testId`, once it shows one. */
export async function verdictOnPage(page: Page, testId = "verdict"): Promise<string | null> {
  const verdict = page.locator(`[data-testid=${testId}] [data-verdict]`);
  await verdict.waitFor({ timeout: 60_000 });
  return verdict.getAttribute("data-verdict");
}

/** Drops a file on the Verify page's drop zone as the browser delivers a drop: a DataTransfer holding it. */
export async function dropFile(page: Page, bytes: Uint8Array, name: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: "application/pdf" }));
      return transfer;
    },
    { name, base64: Buffer.from(bytes).toString("base64") },
  );
  await page.dispatchEvent("[data-testid=drop-zone]", "drop", { dataTransfer });
}
