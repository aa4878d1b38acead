import { readConfig } from "./config.js";
import { EngineError } from "./errors.js";
import { startLedger, type RunningLedger } from "./ledger.js";
import { DEMO_API_KEY, DEMO_JURISDICTION } from "./services/complaints/jurisdictions.js";

/** `npm start`: the whole ledger on one machine — chain, IPFS, store, anchoring engine and the API. */
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

let ledger: RunningLedger | undefined;
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping; every record is kept for the next start`);
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
  if (ledger.devAccounts) {
    log("demo municipality TH-50-MAEHIA (id 1); its officers hold these development keys:");
    for (const account of ledger.devAccounts) log(`  ${account.role.padEnd(18)} ${account.address}`);
    log(`Open311 demo (embedded chain only): jurisdiction_id ${DEMO_JURISDICTION}, api_key ${DEMO_API_KEY} at ${ledger.url}/open311/v2`);
  }
  if (ledger.publicUrl !== ledger.url) log(`public address (PUBLIC_URL, what officers sign in to): ${ledger.publicUrl}`);
  log(`ready; the ledger is at ${ledger.url} (API: ${ledger.url}/api/health, ${ledger.url}/openapi.json). Ctrl-C stops.`);
} catch (error) {
  const message = (error as Error).message.split("\n")[0];
  console.error(error instanceof EngineError ? `ledger: the ${error.engine} failed to start: ${message}` : `ledger: failed to start: ${message}`);
  await ledger?.stop();
  process.exit(1);
}
