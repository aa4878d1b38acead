import { join } from "node:path";
import { AnvilChain } from "./chain/anvil.js";
import { deployLedger, type LedgerDeployment } from "./chain/deploy.js";
import { devAccounts, type DevAccount } from "./chain/devAccounts.js";
import type { LedgerConfig } from "./config.js";

/** A running ledger on one machine: what `npm start` starts and tests start the same way. */
export interface RunningLedger {
  chain: AnvilChain;
  deployment: LedgerDeployment;
  devAccounts: DevAccount[];
  /** Saves the chain state and stops every engine. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded engines in order — today the chain, then the contracts (deployed on the first
 * start, resumed from the Ignition journal after) — and stops what already started if a later one fails.
 */
export async function startLedger(config: LedgerConfig, log: (message: string) => void): Promise<RunningLedger> {
  const accounts = devAccounts();
  const chain = new AnvilChain({ stateDir: join(config.dataDir, "chain"), chainId: config.chainId, log });
  await chain.start();
  try {
    log(`chain: anvil at ${chain.url} (chain id ${config.chainId}), state in ${chain.statePath}`);
    log("WARNING: DEVELOPMENT KEYS IN USE. The embedded chain runs on anvil's public test mnemonic:");
    log("WARNING: anyone can sign as these accounts. Never keep real records on this chain.");
    const deployment = await deployLedger({
      rpcUrl: chain.url,
      chainId: config.chainId,
      dataDir: config.dataDir,
      privateKeys: accounts.map((account) => account.privateKey),
      seedDemo: true,
    });
    await chain.persist(true);
    return { chain, deployment, devAccounts: accounts, stop: () => chain.stop() };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}
