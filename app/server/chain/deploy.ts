import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { applyDemoTowns } from "./demoTowns.js";
import { EngineError } from "../errors.js";

/**
 * Where the ledger's contracts live on a chain: `deployment.json`, written by `npm run deploy` (or by
 * `npm start` for the embedded chain, in its data folder) and read from DEPLOYMENT_FILE. Its format is
 * documented in docs/deployment.md.
 */
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
  /**
   * The Directory's owner named at deployment (`--national-admin`); absent from records written before
   * it was kept. The chain is the authority on who owns it now (`Directory.owner()`).
   */
  nationalAdmin?: string;
  /** The demo ERC-20 "THBT" (2 decimals) of the embedded chain's seed; absent on an external chain. */
  demoToken?: string;
}

const address = z.string().refine((value) => isAddress(value), "an address").transform((value) => getAddress(value));
const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  deploymentBlock: z.number().int().min(0),
  contracts: z.object({
    directory: address,
    permitRegistry: address,
    complaintLedger: address,
    civicFund: address,
    batchAnchor: address,
  }),
  nationalAdmin: address.optional(),
  demoToken: address.optional(),
});

/** Reads and checks a `deployment.json`; a missing or malformed file is a configuration error that names it. */
export function readDeployment(path: string): LedgerDeployment {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new EngineError("config", missing ? `the deployment file ${path} does not exist` : `cannot read the deployment file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EngineError("config", `the deployment file ${path} is not JSON`);
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError("config", `the deployment file ${path} is not a deployment.json: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data;
}

export interface DeployOptions {
  rpcUrl: string;
  chainId: number;
  /** Ignition's journal goes to `<dataDir>/ignition/deployments/<deploymentId>`, never into the repository. */
  dataDir: string;
  /** Where `deployment.json` is written (and read back on a re-run); default `<dataDir>/deployment.json`. */
  outputFile?: string;
  /** Keys Ignition may send from; the first is the deployer. */
  privateKeys: string[];
  /**
   * The Directory's owner; default the deployer. Another address gets a Directory it alone can change,
   * and registers the BatchAnchor as its observer itself afterwards (Ledger.ts, LedgerForNationalAdmin).
   */
  nationalAdmin?: string;
  /** Also seed the demo municipality (embedded chain only: it uses the public dev keys). */
  seedDemo: boolean;
  /** Ignition's deployment id; its journal under the data folder makes re-runs resume, not redeploy. */
  deploymentId?: string;
}

/** What a deployment did: the record, and the Ignition steps (future ids) it completed in this run. */
export interface DeployResult {
  deployment: LedgerDeployment;
  /** Empty on a re-run that found every step done already. */
  sent: string[];
  /** Where the record and Ignition's journal are. */
  outputFile: string;
  journalDir: string;
}

/** The default deployment id: one ledger per data folder. */
export const DEPLOYMENT_ID = "ledger";

/** What ignitionDeploy.ts answers over IPC. */
export type DeployReply = DeployResult | { error: string };

/**
 * Deploys the ledger with the same Ignition modules the tests use, or resumes a deployment whose
 * journal is in the data folder (Ignition skips what is already on chain), and records the addresses
 * in `deployment.json`. Hardhat runs in a child process (ignitionDeploy.ts) that exits when done, so
 * none of its memory stays with the caller. The one path of `npm start` (embedded chain) and
 * `npm run deploy` (external chain).
 */
export async function deployLedger(options: DeployOptions): Promise<DeployResult> {
  const child = spawn(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", "--import", "tsx", fileURLToPath(new URL("./ignitionDeploy.ts", import.meta.url))],
    // Hardhat finds its config from the working directory: the repository's, wherever the service was started.
    { cwd: fileURLToPath(new URL("../../..", import.meta.url)), stdio: ["ignore", "ignore", "pipe", "ipc"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const reply = new Promise<DeployReply | undefined>((resolve) => {
    child.once("message", (message: DeployReply) => resolve(message));
    // "close", not "exit": it comes after the IPC channel and stderr are drained, so a reply sent just
    // before the child exited is never lost, and stderr is complete.
    child.once("close", () => resolve(undefined));
    child.once("error", (error) => resolve({ error: error.message }));
  });
  // The child runs from the repository: paths relative to the caller's working directory are made absolute.
  child.send({ ...options, dataDir: resolve(options.dataDir), ...(options.outputFile ? { outputFile: resolve(options.outputFile) } : {}) });
  const answer = await reply;
  if (answer && "deployment" in answer) {
    // The demo's towns are their town files, applied by their admins as `ledger town apply` does.
    if (options.seedDemo) await applyDemoTowns(options.rpcUrl, answer.deployment);
    return answer;
  }
  const why = answer?.error ?? (stderr.trim().split("\n").at(-1) || `the deployment process exited with ${child.exitCode}`);
  throw new EngineError("chain", `deploying the ledger contracts failed: ${why}`);
}
