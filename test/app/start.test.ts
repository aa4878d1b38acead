import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Contract, Wallet, id } from "ethers";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import {
  cleanUp,
  freePort,
  rpcProvider as provider,
  startService as start,
  tempDataDir,
  type RunningService,
} from "./support/service.js";

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

  describe("a start that cannot happen says why in one line", () => {
    const oneLine = (output: string) => output.trim().split("\n").filter((line) => line.startsWith("ledger:"));

    it("when the port is taken", async () => {
      const blocker = createServer().listen(0, "127.0.0.1");
      await once(blocker, "listening");
      const port = (blocker.address() as { port: number }).port;
      const dir = tempDataDir("ledger-port");
      try {
        const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
          env: { ...process.env, DATA_DIR: dir, PORT: String(port) },
          encoding: "utf8",
          timeout: 120_000,
        });
        expect(run.status).to.equal(1);
        expect(oneLine(run.stderr)).to.deep.equal([`ledger: the http failed to start: port ${port} is already in use; set PORT to another port`]);
        expect(run.stderr).not.to.match(/\n\s+at /);
      } finally {
        blocker.close();
        cleanUp(dir);
      }
    });

    it("when the data folder cannot be written", () => {
      // Root may write anywhere, so the unwritable folder is one whose parent is a file.
      const dir = tempDataDir("ledger-file");
      const notAFolder = join(dir, "a-file");
      writeFileSync(notAFolder, "");
      try {
        const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
          env: { ...process.env, DATA_DIR: join(notAFolder, "data") },
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(run.status).to.equal(1);
        expect(oneLine(run.stderr)).to.deep.equal([
          `ledger: the config failed to start: the data folder ${join(notAFolder, "data")} is not writable; set DATA_DIR to a folder this user can write`,
        ]);
      } finally {
        cleanUp(dir);
      }
    });

    it("when an engine does not answer (a Kubo node that is not there)", async () => {
      const dir = tempDataDir("ledger-kubo");
      try {
        const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
          env: { ...process.env, DATA_DIR: dir, PORT: String(await freePort()), IPFS_API_URL: `http://127.0.0.1:${await freePort()}` },
          encoding: "utf8",
          timeout: 120_000,
        });
        expect(run.status).to.equal(1);
        expect(oneLine(run.stderr)).to.have.length(1);
        expect(oneLine(run.stderr)[0]).to.match(/^ledger: the ipfs failed to start: /);
        expect(run.stderr).not.to.match(/\n\s+at /);
      } finally {
        cleanUp(dir);
      }
    });

    it("when the external chain's node does not answer", async () => {
      const dir = tempDataDir("ledger-nochain");
      const deploymentFile = join(dir, "deployment.json");
      const contract = Wallet.createRandom().address;
      writeFileSync(
        deploymentFile,
        JSON.stringify({
          chainId: 31337,
          deploymentBlock: 1,
          contracts: { directory: contract, permitRegistry: contract, complaintLedger: contract, civicFund: contract, batchAnchor: contract },
        }),
      );
      try {
        const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
          env: {
            ...process.env,
            DATA_DIR: dir,
            PORT: String(await freePort()),
            CHAIN_RPC_URL: `http://127.0.0.1:${await freePort()}`,
            PUBLIC_URL: "https://ledger.example.go.th",
            RELAYER_PRIVATE_KEY: accounts[2].privateKey,
            DEPLOYMENT_FILE: deploymentFile,
          },
          encoding: "utf8",
          timeout: 120_000,
        });
        expect(run.status).to.equal(1);
        expect(oneLine(run.stderr)).to.have.length(1);
        expect(oneLine(run.stderr)[0]).to.match(/^ledger: the chain failed to start: the chain node at http:\/\/127\.0\.0\.1:\d+ does not answer: \S/);
        expect(run.stderr).not.to.match(/\n\s+at /);
      } finally {
        cleanUp(dir);
      }
    });

    it("when an external chain is given without PUBLIC_URL (what officers sign in to)", () => {
      const dir = tempDataDir("ledger-nopublicurl");
      try {
        const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
          env: { ...process.env, DATA_DIR: dir, CHAIN_RPC_URL: "http://127.0.0.1:8545", RELAYER_PRIVATE_KEY: accounts[2].privateKey, DEPLOYMENT_FILE: join(dir, "deployment.json") },
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(run.status).to.equal(1);
        expect(oneLine(run.stderr)).to.deep.equal([
          "ledger: the config failed to start: CHAIN_RPC_URL needs PUBLIC_URL: the address officers and residents open the service at (e.g. https://ledger.example.go.th)",
        ]);
      } finally {
        cleanUp(dir);
      }
    });
  });
});
