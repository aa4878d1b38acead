import { expect } from "chai";
import type { Page } from "playwright-core";

/**
 * The officer console's way in, as an officer does it in the browser: import the encrypted keystore
 * file, lock it, unlock it with the passphrase, sign in with SIWE. Shared by the console's browser tests.
 */
export async function signInWithKeystore(page: Page, consoleUrl: string, key: { keystore: string; address: string; passphrase: string; name: string }): Promise<void> {
  await page.goto(consoleUrl);
  await page.locator("#wallet-title").waitFor();
  const form = page.getByTestId("import-form");
  await form.locator('input[type="file"]').setInputFiles({ name: `${key.name}.json`, mimeType: "application/json", buffer: Buffer.from(key.keystore) });
  await form.getByLabel("Passphrase").fill(key.passphrase);
  await form.getByRole("button", { name: "Import" }).click();
  await page.getByTestId("wallet-unlocked").waitFor({ timeout: 120_000 });
  await page.getByRole("button", { name: "Lock the key" }).click();
  const unlock = page.getByTestId("unlock-form");
  await unlock.getByLabel("Passphrase").fill(key.passphrase);
  await unlock.getByRole("button", { name: "Unlock" }).click();
  await page.getByTestId("wallet-unlocked").waitFor({ timeout: 120_000 });
  expect(await page.getByTestId("wallet-unlocked").textContent()).to.include(key.address);
  await page.getByRole("button", { name: "Sign in with a signature" }).click();
  await page.getByTestId("session").waitFor();
}
