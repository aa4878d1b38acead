import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, JsonRpcProvider, Wallet, id } from "ethers";
import { devAccounts } from "../../app/server/chain/devAccounts.js";

/**
 * `npm start` as a user runs it: a real anvil process, the Ignition deployment and the demo seed, with
 * the data folder surviving a clean stop (Ctrl-C) and a crash (kill -9 of the service).
 */
interface Started {
  child: ChildProcess;
  output: () => string;
  rpcUrl: string;
}

const MAIN = ["--import", "tsx", "app/server/main.ts"];

async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, MAIN, {
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" within 90 s:\n${output}`)), 90_000);
    child.stdout!.on("data", () => {
      if (output.includes("ready;")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  const rpcUrl = output.match(/anvil at (http:\/\/127\.0\.0\.1:\d+)/)![1];
  return { child, output: () => output, rpcUrl };
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function provider(url: string) {
  return new JsonRpcProvider(url, 31337, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
}

const DIRECTORY_ABI = [
  "function municipality(uint32) view returns (string code, string name, address admin, bool suspended)",
  "function hasRole(uint32, bytes32, address) view returns (bool)",
  "function grantRole(uint32, bytes32, address)",
];

describe("npm start (the embedded ledger)", function () {
  this.timeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), "ledger-start-"));
  const accounts = devAccounts();
  const newOfficer = Wallet.createRandom().address;
  let running: Started | undefined;

  after(async () => {
    running?.child.kill("SIGKILL");
    // A crash test may have left an anvil behind: the pid file names it.
    const pidFile = join(dataDir, "chain", "anvil.pid");
    if (existsSync(pidFile)) {
      try {
        process.kill(JSON.parse(readFileSync(pidFile, "utf8")).pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
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

    running!.child.kill("SIGINT");
    expect(await exited(running!.child)).to.equal(0);
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
    running!.child.kill("SIGKILL");
    await exited(running!.child);
    running = await start(dataDir);
    expect(running.output()).to.include("saved the state of the anvil left running");
    const reader = new Contract(deployment.contracts.directory, DIRECTORY_ABI, provider(running.rpcUrl));
    expect(await reader.hasRole(1, id("DIRECTOR"), lateOfficer)).to.equal(true);
    expect(await reader.hasRole(1, id("ENGINEER"), newOfficer)).to.equal(true);
    running.child.kill("SIGINT");
    expect(await exited(running.child)).to.equal(0);
    running = undefined;
  });
});
