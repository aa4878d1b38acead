import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AnvilChain } from "./chain/anvil.js";
import type { DatabaseSync } from "node:sqlite";
import { createProvider } from "./chain/client.js";
import type { LedgerDeployment } from "./chain/deploy.js";
import { demoTownProfiles } from "./chain/demoTowns.js";
import { readConfig, type LedgerConfig } from "./config.js";
import { EngineError } from "./errors.js";
import { Indexer } from "./indexer/indexer.js";
import { urlForLog } from "./logRedaction.js";
import { openIpfsStore } from "./ipfs/index.js";
import { FilingRestorer } from "./services/complaints/filingRestore.js";
import { Towns } from "./services/towns.js";
import { PersonalDataVault } from "./privacy/vault.js";
import { databasePath, openDatabase } from "./store/database.js";
import { townProfileBytes } from "../shared/townProfile.js";

/**
 * `npm run reindex`: rebuilds the index tables of the data folder's database from the chain alone, then
 * prints how many rows each table holds. The anchoring queue is left as it is. The tables are rebuilt
 * aside and swapped in at once (indexer/shadowIndex.ts), so a service running on the same database
 * answers from the old ones until then, and never from empty or half-built ones.
 *
 * Which chain: CHAIN_RPC_URL when set (an external chain); else the embedded chain of the data folder —
 * the running one when `npm start` is up (found through its pid file), otherwise an anvil started here
 * from the folder's saved state and stopped again at the end.
 */
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);

async function runningEmbeddedChain(stateDir: string): Promise<string | undefined> {
  const pidFile = join(stateDir, "anvil.pid");
  if (!existsSync(pidFile)) return undefined;
  const { url } = JSON.parse(readFileSync(pidFile, "utf8")) as { url: string };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    return response.ok ? url : undefined;
  } catch {
    return undefined; // a pid file left by a crash: AnvilChain.start cleans it up
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  // On an external chain, the deployment.json of `npm run deploy` (DEPLOYMENT_FILE, required there).
  const deploymentPath = config.deploymentFile ?? join(config.dataDir, "deployment.json");
  if (!existsSync(deploymentPath)) {
    throw new EngineError("config", `no ${deploymentPath}: start the ledger once (npm start) so that its contracts are deployed`);
  }
  const deployment = JSON.parse(readFileSync(deploymentPath, "utf8")) as LedgerDeployment;

  let chain: AnvilChain | undefined;
  let rpcUrl = process.env.CHAIN_RPC_URL ?? (await runningEmbeddedChain(join(config.dataDir, "chain")));
  if (rpcUrl) {
    log(`chain: using ${urlForLog(rpcUrl)}`);
  } else {
    chain = new AnvilChain({ stateDir: join(config.dataDir, "chain"), chainId: config.chainId, log });
    await chain.start();
    rpcUrl = chain.url;
    log(`chain: started the embedded chain from ${chain.statePath} for the rebuild`);
  }
  const provider = createProvider(rpcUrl, deployment.chainId);
  const db = openDatabase(config.dataDir);
  try {
    log(`index: rebuilding ${databasePath(config.dataDir)} from block ${deployment.deploymentBlock}`);
    const counts = await new Indexer({ db, provider, deployment, blockRange: config.anchoring.indexBlockRange, log }).reindex();
    for (const [table, count] of Object.entries(counts)) log(`  ${table.padEnd(20)} ${count}`);
    log("index: rebuilt from the chain");
    await rebuildFromIpfs(config, deployment, db);
  } finally {
    db.close();
    provider.destroy();
    await chain?.stop();
  }
}

/**
 * What the rebuilt index names on IPFS (the data folder's Helia, or IPFS_API_URL's Kubo), as the service
 * reads it: the towns' profiles by SHA-256 and CID, checked against the hash and kept; and the sealed
 * bundles of complaints this data folder has no filing of (a copy without its database), opened with
 * the vault's key.
 */
async function rebuildFromIpfs(config: LedgerConfig, deployment: LedgerDeployment, db: DatabaseSync): Promise<void> {
  const ipfs = await openIpfsStore({ dataDir: config.dataDir, kuboApiUrl: config.ipfsApiUrl });
  try {
    const towns = Towns.of(db);
    // On the embedded chain the demo's town files are at hand, as the service has them (workflows/context.ts).
    towns.useIpfs(ipfs, config.chainRpcUrl ? [] : demoTownProfiles(deployment).map(townProfileBytes));
    await towns.resolve();
    const all = towns.list();
    log(`towns: ${all.filter((town) => town.profile).length} of ${all.length} municipalities with their published profile`);
    for (const town of all) {
      if (town.profileSha256 && !town.profile) log(`  ${town.code}: its profile ${town.profileCid} is not on IPFS (or not a valid profile)`);
    }
    const restored = await new FilingRestorer({ db, ipfs, vault: PersonalDataVault.open(config.dataDir, process.env, log), log }).restore();
    log(`complaints: ${restored} filing${restored === 1 ? "" : "s"} restored from their sealed bundles`);
  } finally {
    await ipfs.stop();
  }
}

try {
  await main();
} catch (error) {
  const message = (error as Error).message.split("\n")[0];
  console.error(error instanceof EngineError ? `reindex: the ${error.engine} failed: ${message}` : `reindex: failed: ${message}`);
  process.exit(1);
}
