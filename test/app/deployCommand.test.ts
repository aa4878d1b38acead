import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { AnvilChain } from "../../app/server/chain/anvil.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { runDeploy } from "./support/deployCommand.js";
import { cleanUp, freePort, tempDataDir } from "./support/service.js";

/**
 * `npm run deploy` as a town's IT officer runs it against their own chain node (a separate anvil, chain
 * id 7001): the contracts deployed with the deployer's key, the Directory owned by the national admin
 * named on the command line, deployment.json in the data folder with Ignition's journal beside it, and
 * nothing written into the repository. Then the service, which refuses an external chain without that
 * file, and a relayer key that owns the Directory.
 */
const CHAIN_ID = 7001;
const PASSWORD = "correct horse battery staple";
const DIRECTORY_ABI = [
  "function owner() view returns (address)",
  "function isObserver(address) view returns (bool)",
];
const BOUND_ABI = ["function directory() view returns (address)"];

/** What the deployment could write into the repository if its journal went to Hardhat's default place. */
function repositoryState(): string {
  const run = spawnSync("git", ["status", "--porcelain", "--ignored", "--untracked-files=all", "--", "scripts/ignition", "ignition", "deployment.json", ".data/ignition", ".data/deployment.json"], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`git status failed: ${run.stderr}`);
  return run.stdout;
}

/** `npm start` in a child process that is expected to refuse: its exit code and its `ledger:` lines. */
function refusedStart(env: Record<string, string>): { status: number | null; lines: string[] } {
  const dataDir = tempDataDir("ledger-deploy-service");
  try {
    const run = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATA_DIR: dataDir, ...env },
      encoding: "utf8",
      timeout: 120_000,
    });
    return { status: run.status, lines: run.stderr.trim().split("\n").filter((line) => line.startsWith("ledger:")) };
  } finally {
    cleanUp(dataDir);
  }
}

describe("npm run deploy (the ledger's contracts on an external chain)", function () {
  this.timeout(300_000);
  const chainDir = tempDataDir("ledger-deploy-chain");
  const dataDir = tempDataDir("ledger-deploy-data");
  const ownDataDir = tempDataDir("ledger-deploy-own");
  const chain = new AnvilChain({ stateDir: chainDir, chainId: CHAIN_ID });
  const [deployer, , relayer] = devAccounts();
  // The national admin's key never comes near the deployment: only its address is named.
  const nationalAdmin = Wallet.createRandom().address;
  const keystore = join(dataDir, "deployer.json");
  let provider: JsonRpcProvider;
  let repositoryBefore: string;
  let args: string[];

  before(async () => {
    repositoryBefore = repositoryState();
    await chain.start();
    provider = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true });
    writeFileSync(keystore, await new Wallet(deployer.privateKey).encrypt(PASSWORD));
    args = ["--rpc", chain.url, "--chain-id", String(CHAIN_ID), "--national-admin", nationalAdmin, "--keystore", keystore, "--data-dir", dataDir];
  });
  after(async () => {
    provider?.destroy();
    await chain.stop();
    for (const dir of [dataDir, ownDataDir, chainDir]) cleanUp(dir);
  });

  it("deploys the contracts with the named national admin as the Directory's owner, and writes deployment.json", async () => {
    const run = await runDeploy(args, { LEDGER_KEYSTORE_PASSWORD: PASSWORD });
    expect(run.code, run.stderr + run.stdout).to.equal(0);

    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8"));
    expect(deployment.chainId).to.equal(CHAIN_ID);
    expect(deployment.nationalAdmin).to.equal(nationalAdmin);
    expect(Object.keys(deployment.contracts)).to.have.members(["directory", "permitRegistry", "complaintLedger", "civicFund", "batchAnchor"]);
    for (const address of Object.values(deployment.contracts) as string[]) expect(await provider.getCode(address)).not.to.equal("0x");
    // The indexer starts at deploymentBlock: no block before it holds the Directory.
    expect(await provider.getCode(deployment.contracts.directory, deployment.deploymentBlock - 1)).to.equal("0x");

    const directory = new Contract(deployment.contracts.directory, DIRECTORY_ABI, provider);
    expect(await directory.owner()).to.equal(nationalAdmin);
    expect(await directory.owner()).not.to.equal(deployer.address);
    for (const name of ["permitRegistry", "complaintLedger", "civicFund", "batchAnchor"]) {
      expect(await new Contract(deployment.contracts[name], BOUND_ABI, provider).directory(), name).to.equal(deployment.contracts.directory);
    }
    // Only the owner may register the BatchAnchor as the Directory's observer: the national admin's next step.
    expect(await directory.isObserver(deployment.contracts.batchAnchor)).to.equal(false);
    expect(run.stdout).to.include(`registers the BatchAnchor`);
    expect(run.stdout).to.include(`BatchAnchor ${deployment.contracts.batchAnchor}`).and.include("npx ledger municipality observe");
    expect(run.stdout).to.include("ANCHOR_SERVICE");
    expect(run.stdout).to.include(`DEPLOYMENT_FILE=${join(dataDir, "deployment.json")}`);
    expect(existsSync(join(dataDir, "ignition", "deployments", "ledger", "journal.jsonl"))).to.equal(true);
  });

  it("sends nothing when run again, and writes the same deployment.json", async () => {
    const before = readFileSync(join(dataDir, "deployment.json"), "utf8");
    const nonce = await provider.getTransactionCount(deployer.address);
    const run = await runDeploy(args, { LEDGER_KEYSTORE_PASSWORD: PASSWORD });
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.include("nothing to do");
    expect(await provider.getTransactionCount(deployer.address)).to.equal(nonce);
    expect(readFileSync(join(dataDir, "deployment.json"), "utf8")).to.equal(before);
  });

  it("refuses bad input with exit code 2 and one line, sending nothing", async () => {
    const nonce = await provider.getTransactionCount(deployer.address);
    const withKey = { LEDGER_KEYSTORE_PASSWORD: PASSWORD };
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [args.map((arg) => (arg === String(CHAIN_ID) ? "7002" : arg)), withKey, /^deploy: the node at \S+ is chain 7001, not 7002 \(--chain-id\): refusing to deploy there$/],
      [args.filter((arg, i) => arg !== "--national-admin" && args[i - 1] !== "--national-admin"), withKey, /^deploy: give the national admin's address: --national-admin/],
      [args, {}, /^deploy: the deployer's key: set LEDGER_KEYSTORE_PASSWORD/],
      [args.map((arg) => (arg === chain.url ? `http://127.0.0.1:${1}` : arg)), withKey, /^deploy: the node at http:\/\/127\.0\.0\.1:1 does not answer: /],
      // Another national admin for the same data folder would be another deployment over this one's record.
      [args.map((arg) => (arg === nationalAdmin ? relayer.address : arg)), withKey, /^deploy: .*deployment\.json records national admin /],
    ];
    for (const [caseArgs, env, expected] of cases) {
      const run = await runDeploy(caseArgs, env);
      expect(run.code, run.stderr + run.stdout).to.equal(2);
      const lines = run.stderr.trim().split("\n");
      expect(lines, run.stderr).to.have.length(1);
      expect(lines[0]).to.match(expected);
    }
    expect(await provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });

  it("registers the BatchAnchor as the Directory's observer when the national admin deploys with its own key", async () => {
    const run = await runDeploy(
      ["--rpc", chain.url, "--chain-id", String(CHAIN_ID), "--national-admin", deployer.address, "--data-dir", ownDataDir],
      { LEDGER_PRIVATE_KEY: deployer.privateKey },
    );
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    const deployment = JSON.parse(readFileSync(join(ownDataDir, "deployment.json"), "utf8"));
    const directory = new Contract(deployment.contracts.directory, DIRECTORY_ABI, provider);
    expect(await directory.owner()).to.equal(deployer.address);
    expect(await directory.isObserver(deployment.contracts.batchAnchor)).to.equal(true);
    expect(run.stdout).not.to.include("registers the BatchAnchor");
  });

  it("writes nothing into the repository: Ignition's journal is in the data folder", () => {
    expect(repositoryState()).to.equal(repositoryBefore);
    expect(existsSync("scripts/ignition/deployments")).to.equal(false);
  });

  describe("the service on that chain", () => {
    const external = async (deploymentFile: string | undefined, relayerKey: string) => ({
      CHAIN_RPC_URL: chain.url,
      CHAIN_ID: String(CHAIN_ID),
      PORT: String(await freePort()),
      PUBLIC_URL: "https://ledger.example.go.th",
      RELAYER_PRIVATE_KEY: relayerKey,
      ...(deploymentFile ? { DEPLOYMENT_FILE: deploymentFile } : {}),
    });

    it("refuses to start without DEPLOYMENT_FILE instead of deploying with its relayer key", async () => {
      const blockBefore = await provider.getBlockNumber();
      const run = refusedStart(await external(undefined, relayer.privateKey));
      expect(run.status).to.equal(1);
      expect(run.lines).to.have.length(1);
      expect(run.lines[0]).to.match(/^ledger: the config failed to start: CHAIN_RPC_URL needs DEPLOYMENT_FILE: deploy the contracts first with `npm run deploy/);
      expect(await provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("refuses to start when its relayer key is the Directory's owner", async () => {
      // The national admin deployed with its own key above: a service given that key as its relayer.
      const run = refusedStart(await external(join(ownDataDir, "deployment.json"), deployer.privateKey));
      expect(run.status).to.equal(1);
      expect(run.lines).to.deep.equal([
        `ledger: the config failed to start: the relayer ${deployer.address} is the Directory's owner (the national admin): the service's hot key must never be; give the relayer a key of its own, or make the national admin's own key the owner (docs/deployment.md)`,
      ]);
    });

    it("refuses a deployment file of another chain", async () => {
      const elsewhere = join(ownDataDir, "elsewhere.json");
      writeFileSync(elsewhere, JSON.stringify({ ...JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8")), chainId: 7002 }));
      const run = refusedStart({ ...(await external(elsewhere, relayer.privateKey)), CHAIN_ID: "7002" });
      expect(run.status).to.equal(1);
      expect(run.lines).to.deep.equal([
        `ledger: the config failed to start: the node at ${chain.url} is chain ${CHAIN_ID}, but DEPLOYMENT_FILE is a deployment on chain 7002`,
      ]);
    });
  });
});
