import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EngineError } from "../errors.js";

/** Where the ledger's contracts live on a chain, as kept in the data folder (`deployment.json`). */
export interface LedgerDeployment {
  chainId: number;
  /** First block that can hold the ledger's events: the indexer starts here. */
  deploymentBlock: number;
  contracts: {
    directory: string;
    permitRegistry: string;
    complaintLedger: string;
    civicFund: string;
    batchAnchor: string;
  };
  /** The demo ERC-20 "THBT" (2 decimals) of the embedded chain's seed; absent on an external chain. */
  demoToken?: string;
}

export interface DeployOptions {
  rpcUrl: string;
  chainId: number;
  dataDir: string;
  /** Keys Ignition may send from; the first is the deployer (national admin). */
  privateKeys: string[];
  /** Also seed the demo municipality (embedded chain only: it uses the public dev keys). */
  seedDemo: boolean;
  /** Ignition's deployment id; its journal under the data folder makes re-runs resume, not redeploy. */
  deploymentId?: string;
}

/**
 * Deploys the ledger with the same Ignition modules the tests use, or resumes a deployment whose
 * journal is in the data folder (Ignition skips what is already on chain), and records the addresses.
 */
export async function deployLedger(options: DeployOptions): Promise<LedgerDeployment> {
  const recordPath = join(options.dataDir, "deployment.json");
  // Set before Hardhat loads its config, which reads it: journals go to the data folder.
  process.env.LEDGER_IGNITION_DIR = join(options.dataDir, "ignition");
  mkdirSync(process.env.LEDGER_IGNITION_DIR, { recursive: true });

  const { default: hre } = await import("hardhat");
  await hre.tasks.getTask("build").run({ quiet: true });
  const connection = await hre.network.create({
    network: "external",
    override: { url: options.rpcUrl, chainId: options.chainId, accounts: options.privateKeys },
  });
  try {
    const deploymentId = options.deploymentId ?? "ledger";
    const previous = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, "utf8")) as LedgerDeployment) : undefined;
    // The indexer starts at this block. A journal without a record means a start that crashed
    // mid-deployment: its first block is unknown, and block 0 is never wrong, only slower to index.
    const journal = join(process.env.LEDGER_IGNITION_DIR, "deployments", deploymentId, "journal.jsonl");
    const deploymentBlock =
      previous?.deploymentBlock ?? (existsSync(journal) ? 0 : (await connection.ethers.provider.getBlockNumber()) + 1);
    const module = options.seedDemo
      ? (await import("../../../scripts/ignition/modules/DemoSeed.js")).default
      : (await import("../../../scripts/ignition/modules/Ledger.js")).default;
    const deployed = await connection.ignition.deploy(module, { deploymentId });
    const deployment: LedgerDeployment = {
      chainId: options.chainId,
      deploymentBlock,
      contracts: {
        directory: await deployed.directory.getAddress(),
        permitRegistry: await deployed.permitRegistry.getAddress(),
        complaintLedger: await deployed.complaintLedger.getAddress(),
        civicFund: await deployed.civicFund.getAddress(),
        batchAnchor: await deployed.batchAnchor.getAddress(),
      },
      ...("demoToken" in deployed ? { demoToken: await (deployed.demoToken as { getAddress(): Promise<string> }).getAddress() } : {}),
    };
    writeFileSync(recordPath, JSON.stringify(deployment, null, 2));
    return deployment;
  } catch (error) {
    throw new EngineError("chain", `deploying the ledger contracts failed: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    await connection.close();
  }
}
