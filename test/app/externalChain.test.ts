import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, Wallet, id } from "ethers";
import { AnvilChain } from "../../app/server/chain/anvil.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { runDeploy } from "./support/deployCommand.js";
import { DocumentIssuer } from "./support/issuer.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * The scale-out configuration: the same app against a chain it did not start (CHAIN_RPC_URL), with
 * the relayer's key from an encrypted keystore, the ledger deployed there by `npm run deploy` with the
 * national admin's own key and read from DEPLOYMENT_FILE, no demo seed and no development-key warning.
 */
const DIRECTORY_ABI = [
  "function addMunicipality(string code, string name, address admin) returns (uint32)",
  "function grantRole(uint32 municipalityId, bytes32 role, address account)",
];
// Not a demo chain: the municipality's admin names its own issuer (here a fresh key).
const ISSUER = Wallet.createRandom();

describe("the service on an external chain", function () {
  this.timeout(300_000);
  const chainDir = tempDataDir("ledger-external-chain");
  const dataDir = tempDataDir("ledger-external-data");
  const chain = new AnvilChain({ stateDir: chainDir, chainId: 31337 });
  const [nationalAdmin, municipalityAdmin, relayer] = devAccounts();
  let service: RunningService | undefined;
  let env: Record<string, string>;

  before(async () => {
    await chain.start();
    const deployed = await runDeploy(
      ["--rpc", chain.url, "--chain-id", "31337", "--national-admin", nationalAdmin.address, "--data-dir", dataDir],
      { LEDGER_PRIVATE_KEY: nationalAdmin.privateKey },
    );
    if (deployed.code !== 0) throw new Error(`npm run deploy exited with ${deployed.code}:\n${deployed.stderr}${deployed.stdout}`);
    const keystore = join(dataDir, "relayer.json");
    writeFileSync(keystore, await new Wallet(relayer.privateKey).encrypt("correct horse battery staple"));
    env = {
      CHAIN_RPC_URL: chain.url,
      RELAYER_KEYSTORE: keystore,
      RELAYER_KEYSTORE_PASSWORD: "correct horse battery staple",
      DEPLOYMENT_FILE: join(dataDir, "deployment.json"),
      ANCHOR_BATCH_MS: "100",
      WRITES_PER_MINUTE: "3",
    };
  });
  after(async () => {
    await service?.kill();
    await chain.stop();
    cleanUp(dataDir);
    cleanUp(chainDir);
  });

  it("starts on the deployment that npm run deploy made there, and says no development keys are in use", async () => {
    service = await startService(dataDir, env);
    expect(service.output()).not.to.include("DEVELOPMENT KEYS");
    const health = (await (await fetch(`${service.url}/api/health`)).json()) as Record<string, any>;
    expect(health.chain.devKeys).to.equal(false);
    expect(health.chain.rpcUrl).to.equal(chain.url);
    expect(health.engines.chain.engine).to.equal("external");
  });

  it("anchors for a municipality that the chain's own admins set up, and limits uploads per client", async () => {
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8"));
    const provider = rpcProvider(chain.url);
    // The national admin deployed the ledger with its own key: it owns the Directory, the relayer holds nothing.
    const national = new Contract(deployment.contracts.directory, DIRECTORY_ABI, new Wallet(nationalAdmin.privateKey, provider));
    // A bounded wait: a transaction that never lands fails here with its name, not at the suite's timeout.
    const landed = async (tx: Promise<{ hash: string }>) => expect(await provider.waitForTransaction((await tx).hash, 1, 60_000)).to.have.property("status", 1);
    await landed(national.addMunicipality("TH-50-SUTHEP", "Suthep", municipalityAdmin.address));
    const admin = new Contract(deployment.contracts.directory, DIRECTORY_ABI, new Wallet(municipalityAdmin.privateKey, provider));
    await landed(admin.grantRole(1, id("ANCHOR_SERVICE"), relayer.address));
    await landed(admin.grantRole(1, id("DOCUMENT_ISSUER"), ISSUER.address));
    const issuer = new DocumentIssuer((await DocumentIssuer.of(service!.url)).chain, new Wallet(ISSUER.privateKey));

    const uploads = [];
    for (let i = 0; i < 4; i++) {
      const body = await issuer.form(randomBytes(256));
      uploads.push(await fetch(`${service!.url}/api/documents`, { method: "POST", body, signal: AbortSignal.timeout(60_000) }));
    }
    expect(uploads.map((r) => r.status)).to.deep.equal([201, 201, 201, 429]);
    expect(((await uploads[3].json()) as { error: { code: string } }).error.code).to.equal("RATE_LIMITED");
    const { recordId, sha256 } = (await uploads[0].json()) as { recordId: string; sha256: string };
    const status = async () => (await (await fetch(`${service!.url}/api/records/${recordId}`)).json()) as { status: string };
    await eventually(status, (r) => r.status === "anchored" || r.status === "final");
    // CONFIRMATIONS is 1 on an external chain: a real one keeps making blocks; this idle anvil needs one.
    await chain.rpc("evm_mine");
    await eventually(status, (r) => r.status === "final");
    // The index reads a block once another is on it (CONFIRMATIONS 1); until then the issuer's role is not known.
    const verdict = await eventually(
      async () => (await (await fetch(`${service!.url}/api/verify?sha256=${sha256}`)).json()) as { verdict: string; issuer: { address: string } },
      (answer) => answer.verdict !== "pending",
    );
    expect(verdict.verdict).to.equal("valid");
    expect(verdict.issuer.address).to.equal(ISSUER.address);
  });

  it("uses the same deployment on the next start", async () => {
    const before = readFileSync(env.DEPLOYMENT_FILE, "utf8");
    expect(await service!.stop()).to.equal(0);
    service = await startService(dataDir, env);
    const health = (await (await fetch(`${service.url}/api/health`)).json()) as Record<string, any>;
    expect(health.chain.contracts).to.deep.equal(JSON.parse(before).contracts);
  });
});
