import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, Wallet, id } from "ethers";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { cleanUp, rpcProvider as provider, startService as start, tempDataDir, type RunningService } from "./support/service.js";

/**
 * `npm start` as a user runs it: a real anvil process, the Ignition deployment and the demo seed, with
 * the data folder surviving a clean stop (Ctrl-C) and a crash (kill -9 of the service).
 */
const DIRECTORY_ABI = [
  "function municipality(uint32) view returns (string code, string name, address admin, bool suspended)",
  "function hasRole(uint32, bytes32, address) view returns (bool)",
  "function grantRole(uint32, bytes32, address)",
];

describe("npm start (the embedded ledger)", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-start");
  const accounts = devAccounts();
  const newOfficer = Wallet.createRandom().address;
  let running: RunningService | undefined;

  after(async () => {
    await running?.kill();
    cleanUp(dataDir);
  });

  it("deploys the contracts, seeds the demo municipality and warns that development keys are in use", async () => {
    running = await start(dataDir);
    expect(running.output()).to.include("WARNING: DEVELOPMENT KEYS IN USE");
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8"));
    const directory = new Contract(deployment.contracts.directory, DIRECTORY_ABI, provider(running.rpcUrl));
    const [code, , admin, suspended] = await directory.municipality(1);
    expect([code, admin, suspended]).to.deep.equal(["TH-50-MAEHIA", accounts[1].address, false]);
    const mayor = accounts.find((a) => a.role === "mayor")!;
    expect(await directory.hasRole(1, id("MAYOR"), mayor.address)).to.equal(true);
  });

  it("keeps a record written before Ctrl-C across the restart, without redeploying", async () => {
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8"));
    const admin = new Wallet(accounts[1].privateKey, provider(running!.rpcUrl));
    const directory = new Contract(deployment.contracts.directory, DIRECTORY_ABI, admin);
    const tx = await directory.grantRole(1, id("ENGINEER"), newOfficer);
    await admin.provider!.waitForTransaction(tx.hash, 1, 10_000);

    expect(await running!.stop()).to.equal(0);
    running = await start(dataDir);
    expect(JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8"))).to.deep.equal(deployment);
    const reader = new Contract(deployment.contracts.directory, DIRECTORY_ABI, provider(running.rpcUrl));
    expect(await reader.hasRole(1, id("ENGINEER"), newOfficer)).to.equal(true);
  });

  it("recovers after the service is killed with kill -9, saving the state its orphaned chain still held", async () => {
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8"));
    const admin = new Wallet(accounts[1].privateKey, provider(running!.rpcUrl));
    const directory = new Contract(deployment.contracts.directory, DIRECTORY_ABI, admin);
    const lateOfficer = Wallet.createRandom().address;
    const tx = await directory.grantRole(1, id("DIRECTOR"), lateOfficer);
    await admin.provider!.waitForTransaction(tx.hash, 1, 10_000);

    // No time for a periodic dump: the record exists only in the running anvil when the service dies.
    await running!.kill();
    running = await start(dataDir);
    expect(running.output()).to.include("saved the state of the anvil left running");
    const reader = new Contract(deployment.contracts.directory, DIRECTORY_ABI, provider(running.rpcUrl));
    expect(await reader.hasRole(1, id("DIRECTOR"), lateOfficer)).to.equal(true);
    expect(await reader.hasRole(1, id("ENGINEER"), newOfficer)).to.equal(true);
    expect(await running.stop()).to.equal(0);
    running = undefined;
  });
});
