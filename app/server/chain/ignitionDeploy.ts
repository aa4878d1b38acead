// The child process that deploys the ledger with Hardhat Ignition (deploy.ts starts it). Hardhat, two
// instances of the Solidity compiler and the TypeScript compiler come with it: about 200 MB of heap
// and compiler memory that the service would otherwise carry for its whole life, and that every full
// garbage collection of the API's thread would have to walk.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DeployOptions, DeployReply, LedgerDeployment } from "./deploy.js";

async function deploy(options: DeployOptions): Promise<LedgerDeployment> {
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
  } finally {
    await connection.close();
  }
}

// The options (private keys among them) come over the IPC channel, never on the command line. A
// service killed meanwhile takes its deployment with it: Ignition's journal resumes it on the next start.
process.once("disconnect", () => process.exit(1));
process.once("message", (options: DeployOptions) => {
  const reply = (message: DeployReply) => process.send!(message, () => process.exit(0));
  deploy(options).then(
    (deployment) => reply({ deployment }),
    (error: Error) => reply({ error: error.message.split("\n")[0] }),
  );
});
