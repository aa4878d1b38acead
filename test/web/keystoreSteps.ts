import { expect } from "chai";
import type { Page } from "playwright-core";

/**
 * The wallet panel's steps as a person takes them (app/web/src/officer/WalletPanel.tsx, English labels),
 * shared by the browser tests of the officer console and of a resident's pledge.
 */

/** Brings a key into the page's keystore: an encrypted JSON file, or a pasted private key. */
export async function importKey(page: Page, key: { file: string } | { privateKey: string }, passphrase: string): Promise<void> {
  const form = page.getByTestId("import-form");
  if ("file" in key) {
    await form.locator('input[type="file"]').setInputFiles({ name: "keystore.json", mimeType: "application/json", buffer: Buffer.from(key.file) });
  } else {
    await form.getByLabel("or paste the key's JSON").fill(key.privateKey);
  }
  await form.getByLabel("Passphrase").fill(passphrase);
  await form.getByRole("button", { name: "Import" }).click();
  // scrypt takes its time, on purpose.
  await page.getByTestId("wallet-unlocked").waitFor({ timeout: 120_000 });
}

/** Signs in with the unlocked key (SIWE) and waits for the session panel. */
export async function signIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign in with a signature" }).click();
  await page.getByTestId("session").waitFor();
}

/**
 * The console's whole way in: open it, import the encrypted keystore file, lock it, unlock it with the
 * passphrase (the unlock path is what an officer takes every day), check the address, sign in.
 */
export async function signInWithKeystore(page: Page, consoleUrl: string, key: { keystore: string; address: string; passphrase: string }): Promise<void> {
  await page.goto(consoleUrl);
  await page.locator("#wallet-title").waitFor();
  await importKey(page, { file: key.keystore }, key.passphrase);
  await page.getByRole("button", { name: "Lock the key" }).click();
  const unlock = page.getByTestId("unlock-form");
  await unlock.getByLabel("Passphrase").fill(key.passphrase);
  await unlock.getByRole("button", { name: "Unlock" }).click();
  await page.getByTestId("wallet-unlocked").waitFor({ timeout: 120_000 });
  expect(await page.getByTestId("wallet-unlocked").textContent()).to.include(key.address);
  await signIn(page);
}
