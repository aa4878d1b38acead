import { expect } from "chai";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { runLedger } from "./support/ledgerCli.js";
import { cleanUp, tempDataDir } from "./support/service.js";

/** `ledger key new`: the operator's way to a relayer's, an admin's or an integration's keystore. */
describe("ledger key new", function () {
  this.timeout(60_000);
  const dir = tempDataDir("ledger-key-new");
  const password = "a long enough passphrase";
  after(() => cleanUp(dir));

  it("writes an encrypted keystore only its owner can read, and prints only the address", async () => {
    const file = join(dir, "relayer.json");
    const made = await runLedger(["key", "new", "--out", file], { env: { LEDGER_KEYSTORE_PASSWORD: password } });
    expect(made.code, made.stderr).to.equal(0);
    const address = made.stdout.trim();
    expect(address).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const opened = await Wallet.fromEncryptedJson(readFileSync(file, "utf8"), password);
    expect(opened.address).to.equal(address);
    expect(made.stdout).not.to.include(opened.privateKey.slice(2));
  });

  it("never overwrites a keystore and refuses a short password or a missing --out, exit 2", async () => {
    const file = join(dir, "admin.json");
    expect((await runLedger(["key", "new", "--out", file], { env: { LEDGER_KEYSTORE_PASSWORD: password } })).code).to.equal(0);
    const before = readFileSync(file, "utf8");
    const again = await runLedger(["key", "new", "--out", file], { env: { LEDGER_KEYSTORE_PASSWORD: password } });
    expect(again.code).to.equal(2);
    expect(again.stderr).to.include("never overwritten");
    expect(readFileSync(file, "utf8")).to.equal(before);
    const short = await runLedger(["key", "new", "--out", join(dir, "short.json")], { env: { LEDGER_KEYSTORE_PASSWORD: "short" } });
    expect(short.code).to.equal(2);
    expect(short.stderr).to.include("at least 12");
    expect((await runLedger(["key", "new"], { env: { LEDGER_KEYSTORE_PASSWORD: password } })).code).to.equal(2);
    expect((await runLedger(["key", "old"], { env: {} })).code).to.equal(2);
  });
});
