// `npm run deploy -- …`: deploys the ledger's contracts to an external chain with Hardhat Ignition and
// writes the deployment.json that the service reads from DEPLOYMENT_FILE (docs/deployment.md).
// Non-interactive, and safe to run again: Ignition's journal in the data folder makes a re-run resume
// an interrupted deployment and send nothing once it is complete.
// Exit codes: 0 deployed (or already deployed), 1 the deployment failed on the chain, 2 bad input.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Contract, FetchRequest, getAddress, isAddress, JsonRpcProvider, ZeroAddress } from "ethers";
import { signerKey } from "../app/cli/signerKey.js";
import { DEPLOYMENT_ID, deployLedger, readDeployment, type DeployResult } from "../app/server/chain/deploy.js";

const HELP = `Usage: npm run deploy -- --rpc URL --chain-id N --national-admin ADDRESS [--keystore FILE]
                         [--data-dir DIR] [--out FILE]

Deploys the ledger's contracts (Directory, PermitRegistry, ComplaintLedger, CivicFund, BatchAnchor) to an
external EVM chain and writes deployment.json for the service's DEPLOYMENT_FILE. Running it again resumes
an interrupted deployment and sends nothing once it is complete.

Options:
  --rpc URL                 the chain's JSON-RPC node (default: $CHAIN_RPC_URL)
  --chain-id N              the chain's id; the node must answer it (default: $CHAIN_ID)
  --national-admin ADDRESS  the Directory's owner, who adds and suspends municipalities: its own key,
                            never the service's relayer (required; may be the deployer's address)
  --keystore FILE           the deployer's encrypted keystore; password from $LEDGER_KEYSTORE_PASSWORD
                            (without --keystore, the deployer's key is read from $LEDGER_PRIVATE_KEY)
  --data-dir DIR            the data folder; Ignition's journal goes to DIR/ignition
                            (default: $DATA_DIR, else ./.data)
  --out FILE                where deployment.json is written (default: DIR/deployment.json)

Exit codes: 0 deployed (or already deployed), 1 the deployment failed on the chain, 2 bad input.`;

/** Bad input: exit code 2 with one line. */
class BadInput extends Error {}

const out = (line = "") => process.stdout.write(`${line}\n`);

interface Inputs {
  rpcUrl: string;
  chainId: number;
  nationalAdmin: string;
  keystore?: string;
  dataDir: string;
  outputFile: string;
}

function readInputs(args: string[], env: NodeJS.ProcessEnv): Inputs | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        rpc: { type: "string" },
        "chain-id": { type: "string" },
        "national-admin": { type: "string" },
        keystore: { type: "string" },
        "data-dir": { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new BadInput(`${(error as Error).message} (npm run deploy -- --help)`);
  }
  if (values.help) return "help";
  const rpcUrl = values.rpc ?? env.CHAIN_RPC_URL;
  if (!rpcUrl || !URL.canParse(rpcUrl)) throw new BadInput("give the chain's JSON-RPC node: --rpc URL (or set CHAIN_RPC_URL)");
  const chainIdText = values["chain-id"] ?? env.CHAIN_ID;
  const chainId = Number(chainIdText);
  if (!chainIdText || !Number.isSafeInteger(chainId) || chainId <= 0) throw new BadInput("give the chain's id: --chain-id N (or set CHAIN_ID)");
  const admin = values["national-admin"];
  if (!admin || !isAddress(admin) || getAddress(admin) === ZeroAddress) {
    throw new BadInput("give the national admin's address: --national-admin 0x… (the Directory's owner; its own key, not the relayer's)");
  }
  const dataDir = resolve(values["data-dir"] ?? env.DATA_DIR ?? ".data");
  return {
    rpcUrl,
    chainId,
    nationalAdmin: getAddress(admin),
    keystore: values.keystore,
    dataDir,
    outputFile: resolve(values.out ?? join(dataDir, "deployment.json")),
  };
}

/** The node's own chain id: the one check that this is the chain the operator means. */
async function chainIdOf(provider: JsonRpcProvider, rpcUrl: string): Promise<number> {
  try {
    return Number(await provider.send("eth_chainId", []));
  } catch (error) {
    throw new BadInput(`the node at ${rpcUrl} does not answer: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** A record already at the output path must be this deployment's, resumable from this data folder. */
function checkPreviousRecord(inputs: Inputs): void {
  if (!existsSync(inputs.outputFile)) return;
  let previous;
  try {
    previous = readDeployment(inputs.outputFile);
  } catch (error) {
    throw new BadInput(`${(error as Error).message}; move it away or give another --out`);
  }
  if (previous.chainId !== inputs.chainId) {
    throw new BadInput(`${inputs.outputFile} records a deployment on chain ${previous.chainId}, not ${inputs.chainId}; give another --out`);
  }
  if (previous.nationalAdmin && previous.nationalAdmin !== inputs.nationalAdmin) {
    throw new BadInput(`${inputs.outputFile} records national admin ${previous.nationalAdmin}, not ${inputs.nationalAdmin}; give the same --national-admin, or another --out and --data-dir for a new deployment`);
  }
  const journal = join(inputs.dataDir, "ignition", "deployments", DEPLOYMENT_ID);
  if (!existsSync(journal)) {
    throw new BadInput(`${inputs.outputFile} exists but ${journal} does not: give the --data-dir it was deployed from (a deployment without its journal would be made again)`);
  }
}

function printResult(result: DeployResult, inputs: Inputs, deployer: string, registered: boolean): void {
  const { deployment } = result;
  out(
    result.sent.length === 0
      ? "deploy: nothing to do: every step is on the chain already (Ignition's journal)"
      : `deploy: done ${result.sent.length} step(s): ${result.sent.join(", ")}`,
  );
  for (const [name, address] of Object.entries(deployment.contracts)) out(`  ${name.padEnd(16)} ${address}`);
  out(`  ${"deploymentBlock".padEnd(16)} ${deployment.deploymentBlock}`);
  out(`deploy: wrote ${result.outputFile}; Ignition's journal is in ${result.journalDir}`);
  const { directory, batchAnchor } = deployment.contracts;
  const steps = [
    ...(registered
      ? []
      : [
          `The national admin ${inputs.nationalAdmin} registers the BatchAnchor ${batchAnchor} as the Directory ${directory}'s\n` +
            `     observer with its own key, once the service runs (next step): npx ledger municipality observe --keystore national-admin.json\n` +
            `     Until then anchoring works, at about 6,800 more gas a batch.`,
        ]),
    `Start the service on this chain with a relayer key of its own (never the national admin's: the service refuses it):\n` +
      `     CHAIN_RPC_URL=${inputs.rpcUrl} CHAIN_ID=${inputs.chainId} DEPLOYMENT_FILE=${result.outputFile} \\\n` +
      `     RELAYER_KEYSTORE=relayer.json RELAYER_KEYSTORE_PASSWORD=… PUBLIC_URL=https://… npm start`,
    `Fund the relayer's address: it pays the gas of every anchor.`,
    `The national admin adds each municipality and names its admin, with its own key:\n` +
      `     npx ledger municipality add --code CODE --name TEXT --admin ADDRESS --keystore national-admin.json`,
    `Each municipality's admin applies the town's file (docs/towns.md), listing the relayer's address with\n` +
      `     ANCHOR_SERVICE (until then nothing is anchored for the town): npx ledger town apply FILE --keystore admin.json`,
  ];
  if (deployer !== inputs.nationalAdmin) out(`deploy: the deployer ${deployer} holds no role in the ledger.`);
  out();
  out("Next steps (docs/deployment.md):");
  steps.forEach((step, index) => out(`  ${index + 1}. ${step}`));
}

async function main(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let inputs;
  let provider: JsonRpcProvider | undefined;
  let deployerKey: string;
  let deployer: string;
  try {
    inputs = readInputs(args, env);
    if (inputs === "help") {
      out(HELP);
      return 0;
    }
    let wallet;
    try {
      wallet = await signerKey(inputs.keystore, env);
    } catch (error) {
      throw new BadInput(`the deployer's key: ${(error as Error).message}`);
    }
    deployerKey = wallet.privateKey;
    deployer = wallet.address;
    const request = new FetchRequest(inputs.rpcUrl);
    request.timeout = 15_000;
    provider = new JsonRpcProvider(request, inputs.chainId, { staticNetwork: true });
    const nodeChainId = await chainIdOf(provider, inputs.rpcUrl);
    if (nodeChainId !== inputs.chainId) {
      throw new BadInput(`the node at ${inputs.rpcUrl} is chain ${nodeChainId}, not ${inputs.chainId} (--chain-id): refusing to deploy there`);
    }
    checkPreviousRecord(inputs);
  } catch (error) {
    provider?.destroy();
    if (!(error instanceof BadInput)) throw error;
    process.stderr.write(`deploy: ${error.message}\n`);
    return 2;
  }

  try {
    out(`deploy: chain ${inputs.chainId} at ${inputs.rpcUrl}; deployer ${deployer}; national admin ${inputs.nationalAdmin}`);
    out(`deploy: deploying with Hardhat Ignition (a resumed or complete deployment sends only what is missing) …`);
    let result: DeployResult;
    try {
      result = await deployLedger({
        rpcUrl: inputs.rpcUrl,
        chainId: inputs.chainId,
        dataDir: inputs.dataDir,
        outputFile: inputs.outputFile,
        privateKeys: [deployerKey],
        nationalAdmin: inputs.nationalAdmin,
        seedDemo: false,
      });
    } catch (error) {
      process.stderr.write(`deploy: ${(error as Error).message.split("\n")[0]}\n`);
      return 1;
    }
    const { directory, batchAnchor } = result.deployment.contracts;
    const registered = (await new Contract(directory, ["function isObserver(address) view returns (bool)"], provider).isObserver(batchAnchor)) as boolean;
    printResult(result, inputs, deployer, registered);
    return 0;
  } finally {
    provider.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
