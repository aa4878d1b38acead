import { join } from "node:path";
import { AnvilChain } from "./chain/anvil.js";
import { deployLedger } from "./chain/deploy.js";
import { devAccounts } from "./chain/devAccounts.js";
import { readConfig } from "./config.js";
import { EngineError } from "./errors.js";

/**
 * `npm start`: the ledger on one machine. Today that is the embedded chain with the contracts deployed
 * and the demo municipality seeded; the API, IPFS and the anchoring engine join it as they are built.
 */
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

async function main(): Promise<void> {
  const config = readConfig();
  const accounts = devAccounts();
  const chain = new AnvilChain({ stateDir: join(config.dataDir, "chain"), chainId: config.chainId, log });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: saving the chain state and stopping`);
    await chain.stop();
    log("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  log(`data folder: ${config.dataDir}`);
  await chain.start();
  log(`chain: anvil at ${chain.url} (chain id ${config.chainId}), state in ${chain.statePath}`);
  log("WARNING: DEVELOPMENT KEYS IN USE. The embedded chain runs on anvil's public test mnemonic;");
  log("WARNING: anyone can sign as these accounts. Never point real records at this chain.");

  const deployment = await deployLedger({
    rpcUrl: chain.url,
    chainId: config.chainId,
    dataDir: config.dataDir,
    privateKeys: accounts.map((a) => a.privateKey),
    seedDemo: true,
  });
  await chain.persist(true);
  for (const [name, address] of Object.entries(deployment.contracts)) log(`contract ${name}: ${address}`);
  log(`demo municipality TH-50-MAEHIA seeded; officers (dev keys):`);
  for (const account of accounts) log(`  ${account.role.padEnd(18)} ${account.address}`);
  log("ready; Ctrl-C stops and keeps every record for the next start");
}

main().catch((error: unknown) => {
  if (error instanceof EngineError) {
    console.error(`ledger: ${error.engine} failed to start: ${error.message}`);
  } else {
    console.error(`ledger: failed to start: ${(error as Error).message}`);
  }
  process.exit(1);
});
