import { EngineError } from "../errors.js";

/**
 * When /api/health calls something a problem (services/health.ts, docs/monitoring.md), from the
 * environment:
 * - ANCHOR_STALL_SECONDS (default 600): a record still not anchored this long after it was accepted
 *   means anchoring has stalled (ANCHORING_STALLED); a complaint filing still not mined this long, that
 *   the filings' queue has (COMPLAINT_FILING_STALLED);
 * - RELAYER_LOW_FUNDS_DAYS (default 7): the relayer's balance lasting fewer days than this at its recent
 *   pace of spending is RELAYER_LOW_FUNDS;
 * - HEALTH_CHAIN_READ_SECONDS (default 5): /api/health answers from one reading of the chain (head
 *   block, the relayer's balance, fees, IPFS's status) this long before it reads again;
 * - HEALTH_ROLES_CHECK_SECONDS (default 30): and from one check of the relayer's ANCHOR_SERVICE role in
 *   every municipality (a call or two per municipality) this long, so RELAYER_ROLE_MISSING appears and
 *   clears within it.
 */
export interface MonitoringConfig {
  stallAfterMs: number;
  lowFundsDays: number;
  chainFreshMs: number;
  rolesFreshMs: number;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new EngineError("config", `${name} must be an integer from 1 to ${max} (got "${raw}")`);
  }
  return value;
}

export function readMonitoringConfig(env: NodeJS.ProcessEnv): MonitoringConfig {
  return {
    stallAfterMs: positiveInteger(env, "ANCHOR_STALL_SECONDS", 600, 7 * 86_400) * 1000,
    lowFundsDays: positiveInteger(env, "RELAYER_LOW_FUNDS_DAYS", 7, 3650),
    chainFreshMs: positiveInteger(env, "HEALTH_CHAIN_READ_SECONDS", 5, 3600) * 1000,
    rolesFreshMs: positiveInteger(env, "HEALTH_ROLES_CHECK_SECONDS", 30, 86_400) * 1000,
  };
}
