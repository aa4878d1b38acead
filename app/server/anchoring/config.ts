import { EngineError } from "../errors.js";

/**
 * The anchoring engine's settings, from the environment:
 * - ANCHOR_BATCH_SIZE (N, default 1,000) and ANCHOR_BATCH_MS (T, default 1,000): a batch closes at N
 *   records or when its oldest record has waited T ms, whichever comes first;
 * - CONFIRMATIONS: blocks built on an anchor's block before its records are final. Default 0 on the
 *   embedded anvil chain (one node, no reorganisations; its automine makes no block while idle, so a
 *   wait for one would never end — finality there waits for the saved state instead, see worker.ts),
 *   1 on an external chain;
 * - INDEX_BLOCK_RANGE (default 2,000): blocks per eth_getLogs request of the indexer (and of `npm run
 *   reindex`); a provider that caps the range of a logs request (many public RPCs do) needs its cap here.
 */
export interface AnchoringConfig {
  batchSize: number;
  batchWindowMs: number;
  confirmations: number;
  indexBlockRange: number;
}

/** The integer setting `name`, from `min` to `max`; `fallback` when unset or empty (also read by chain/relayerFeeConfig.ts). */
export function envInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EngineError("config", `${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

export function readAnchoringConfig(env: NodeJS.ProcessEnv, chain: { embedded: boolean }): AnchoringConfig {
  return {
    batchSize: envInteger(env, "ANCHOR_BATCH_SIZE", 1000, 1, 100_000),
    batchWindowMs: envInteger(env, "ANCHOR_BATCH_MS", 1000, 0, 3_600_000),
    confirmations: envInteger(env, "CONFIRMATIONS", chain.embedded ? 0 : 1, 0, 1000),
    indexBlockRange: envInteger(env, "INDEX_BLOCK_RANGE", 2000, 1, 1_000_000),
  };
}
