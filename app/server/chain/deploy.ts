import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
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

/** What ignitionDeploy.ts answers over IPC. */
export type DeployReply = { deployment: LedgerDeployment } | { error: string };

/**
 * Deploys the ledger with the same Ignition modules the tests use, or resumes a deployment whose
 * journal is in the data folder (Ignition skips what is already on chain), and records the addresses
 * in `deployment.json`. Hardhat runs in a child process (ignitionDeploy.ts) that exits when done, so
 * none of its memory stays with the caller.
 */
export async function deployLedger(options: DeployOptions): Promise<LedgerDeployment> {
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
  child.send(options);
  const answer = await reply;
  if (answer && "deployment" in answer) return answer.deployment;
  const why = answer?.error ?? (stderr.trim().split("\n").at(-1) || `the deployment process exited with ${child.exitCode}`);
  throw new EngineError("chain", `deploying the ledger contracts failed: ${why}`);
}
