import { resolve } from "node:path";

/**
 * The service's configuration, read once from the environment. Defaults run everything embedded on
 * one machine: `npm start` with nothing set.
 */
export interface LedgerConfig {
  /** Where the chain state, IPFS blocks, database and deployment records live. */
  dataDir: string;
  port: number;
  /** Chain id of the embedded anvil chain. */
  chainId: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return {
    dataDir: resolve(env.DATA_DIR ?? ".data"),
    port: Number(env.PORT ?? 3000),
    chainId: Number(env.CHAIN_ID ?? 31337),
  };
}
