// The child process that deploys the ledger with Hardhat Ignition (deploy.ts starts it). Hardhat and its
// plugins come with it: heap that the service would otherwise carry for its whole life, and that every
// full garbage collection of the API's thread would have to walk.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { getAddress, Wallet } from "ethers";
import { DEPLOYMENT_ID, type DeployOptions, type DeployReply, type DeployResult, type LedgerDeployment } from "./deploy.js";

/** The ids of the Ignition steps (futures) that a journal shows done. */
function doneSteps(journal: string): Set<string> {
  if (!existsSync(journal)) return new Set();
  const steps = readFileSync(journal, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { type: string; futureId?: string })
    .filter((message) => message.type.endsWith("_EXECUTION_STATE_COMPLETE") && message.futureId !== undefined)
    .map((message) => message.futureId!);
  return new Set(steps);
}

async function deploy(options: DeployOptions): Promise<DeployResult> {
  const outputFile = options.outputFile ?? join(options.dataDir, "deployment.json");
  const deploymentId = options.deploymentId ?? DEPLOYMENT_ID;
  // Set before Hardhat loads its config, which reads it: journals go to the data folder, never to the
  // repository's scripts/ignition (Hardhat's default place for them).
  process.env.LEDGER_IGNITION_DIR = join(options.dataDir, "ignition");
  const journalDir = join(process.env.LEDGER_IGNITION_DIR, "deployments", deploymentId);
  mkdirSync(process.env.LEDGER_IGNITION_DIR, { recursive: true });

  const { default: hre } = await import("hardhat");
  // Deploys the artifacts built before (`npm start` and `npm run deploy` build first, `npm test` once for
  // all its tests), never compiling here: a town's server must not need a compiler at start, and
  // deployments running at once (parallel tests) would race on Hardhat's cache/ and types/.
  if (!(await hre.artifacts.artifactExists("Directory"))) {
    throw new Error("the contracts are not built: run npm run compile (npm start and npm run deploy build them first)");
  }
  const connection = await hre.network.create({
    network: "external",
    override: { url: options.rpcUrl, chainId: options.chainId, accounts: options.privateKeys },
  });
  try {
    const previous = existsSync(outputFile) ? (JSON.parse(readFileSync(outputFile, "utf8")) as LedgerDeployment) : undefined;
    // The indexer starts at this block. A journal without a record means a start that crashed
    // mid-deployment: its first block is unknown, and block 0 is never wrong, only slower to index.
    const journal = join(journalDir, "journal.jsonl");
    const deploymentBlock =
      previous?.deploymentBlock ?? (existsSync(journal) ? 0 : (await connection.ethers.provider.getBlockNumber()) + 1);
    const deployer = new Wallet(options.privateKeys[0]).address;
    const nationalAdmin = getAddress(options.nationalAdmin ?? deployer);
    const ledgerModules = await import("../../../scripts/ignition/modules/Ledger.js");
    // Registering the BatchAnchor as the Directory's observer is the owner's act: only the deployer can
    // make it within the deployment, and only if it is the national admin.
    const ledger = nationalAdmin === deployer ? ledgerModules.default : ledgerModules.LedgerForNationalAdmin;
    const module = options.seedDemo ? (await import("../../../scripts/ignition/modules/DemoSeed.js")).default : ledger;
    const before = doneSteps(journal);
    const deployed = await connection.ignition.deploy(module, {
      deploymentId,
      // Only when named: the embedded chain's journals were written without the parameter.
      ...(options.nationalAdmin ? { parameters: { Directory: { nationalAdmin } } } : {}),
    });
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
      nationalAdmin,
      ...("demoToken" in deployed ? { demoToken: await (deployed.demoToken as { getAddress(): Promise<string> }).getAddress() } : {}),
    };
    // Written whole or not at all: the service reads this file at every start.
    mkdirSync(dirname(outputFile), { recursive: true });
    writeFileSync(`${outputFile}.tmp`, `${JSON.stringify(deployment, null, 2)}\n`);
    renameSync(`${outputFile}.tmp`, outputFile);
    const sent = [...doneSteps(journal)].filter((step) => !before.has(step));
    return { deployment, sent, outputFile, journalDir };
  } finally {
    await connection.close();
  }
}

// The options (private keys among them) come over the IPC channel, never on the command line. A
// service killed meanwhile takes its deployment with it: Ignition's journal resumes it on the next start.
process.once("disconnect", () => process.exit(1));
process.once("message", (options: DeployOptions) => {
  const reply = (message: DeployReply) => process.send!(message, () => process.exit(0));
  deploy(options).then(reply, (error: Error) => reply({ error: error.message.split("\n")[0] }));
});
