import { readConfig } from "./config.js";
import { EngineError } from "./errors.js";
import { startLedger, type RunningLedger } from "./ledger.js";

/**
 * `npm start`: the ledger on one machine. Today that is the embedded chain with the contracts deployed
 * and the demo municipality seeded; the API, IPFS and the anchoring engine join it as they are built.
 */
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

let ledger: RunningLedger | undefined;
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: saving the chain state and stopping`);
  await ledger?.stop();
  log("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

try {
  const config = readConfig();
  log(`data folder: ${config.dataDir}`);
  ledger = await startLedger(config, log);
  for (const [name, address] of Object.entries(ledger.deployment.contracts)) log(`contract ${name}: ${address}`);
  log("demo municipality TH-50-MAEHIA seeded; its officers (development keys):");
  for (const account of ledger.devAccounts) log(`  ${account.role.padEnd(18)} ${account.address}`);
  log("ready; Ctrl-C stops and keeps every record for the next start");
} catch (error) {
  const message = (error as Error).message.split("\n")[0];
  console.error(error instanceof EngineError ? `ledger: the ${error.engine} failed to start: ${message}` : `ledger: failed to start: ${message}`);
  process.exit(1);
}
