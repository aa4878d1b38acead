import { parseUnits } from "ethers";
import { envInteger } from "../anchoring/config.js";
import { EngineError } from "../errors.js";

/**
 * How the relayer prices and replaces its transactions (chain/inFlight.ts), from the environment:
 * - RELAYER_REPLACE_AFTER_SECONDS (default 30): a transaction the chain has built blocks without for
 *   this long is signed again at its nonce with fees raised (≥ 12.5 % each, following the base fee);
 *   one the node lost is sent again after as long;
 * - RELAYER_MAX_FEE_GWEI (default 500): the most the relayer offers per gas, first send or replacement.
 *   At it, a stalled transaction is no longer raised and /api/health reports RELAYER_FEE_CEILING; with
 *   the base fee above it, nothing is sent (503 RELAYER_FEE_CEILING).
 */
export interface RelayerFeeConfig {
  replaceAfterMs: number;
  maxFeePerGasWei: bigint;
}

export const DEFAULT_RELAYER_FEES: RelayerFeeConfig = { replaceAfterMs: 30_000, maxFeePerGasWei: 500n * 10n ** 9n };

export function readRelayerFeeConfig(env: NodeJS.ProcessEnv): RelayerFeeConfig {
  return {
    replaceAfterMs: envInteger(env, "RELAYER_REPLACE_AFTER_SECONDS", DEFAULT_RELAYER_FEES.replaceAfterMs / 1000, 1, 86_400) * 1000,
    maxFeePerGasWei: gwei(env, "RELAYER_MAX_FEE_GWEI") ?? DEFAULT_RELAYER_FEES.maxFeePerGasWei,
  };
}

function gwei(env: NodeJS.ProcessEnv, name: string): bigint | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let wei: bigint | undefined;
  try {
    // Decimals allowed down to the wei (e.g. 0.05 on an L2 whose fees are fractions of a gwei).
    if (/^\d+(\.\d{1,9})?$/.test(raw)) wei = parseUnits(raw, "gwei");
  } catch {
    wei = undefined;
  }
  if (wei === undefined || wei <= 0n) {
    throw new EngineError("config", `${name} must be a positive number of gwei, up to 9 decimals (got "${raw}")`);
  }
  return wei;
}
