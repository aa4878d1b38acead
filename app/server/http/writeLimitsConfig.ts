import { EngineError } from "../errors.js";
import type { ClientLimitSettings } from "./clientLimits.js";
import { parseTrustProxy } from "./clientKey.js";

/**
 * The limits on public writes, from the environment (README's Configuration, docs/operator-guide.md):
 * - WRITES_PER_MINUTE (default 600), WRITE_FILES_PER_MINUTE (default 2000), WRITE_MB_PER_MINUTE
 *   (default 256): what one client may send to the public writes per minute, in requests, files and
 *   MiB (http/clientLimits.ts); 0 turns that kind off. The MiB may not be fewer than UPLOAD_LIMIT_MB,
 *   or an upload the service takes could never be sent;
 * - ANONYMOUS_TRANSACTIONS_PER_HOUR (default 600): what anonymous requests may make the relayer pay,
 *   in transactions per hour across all clients (http/relayerBudget.ts); 0: no cap;
 * - TRUST_PROXY (default off): the reverse proxies whose X-Forwarded-For names the client — a number
 *   of hops, or a list of addresses and CIDRs (http/clientKey.ts).
 */
export interface WriteLimitsConfig {
  perClient: ClientLimitSettings;
  anonymousTransactionsPerHour: number;
}

const MIB = 1024 * 1024;

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new EngineError("config", `${name} must be a whole number, 0 for no limit (got "${raw}")`);
  return value;
}

export function readWriteLimitsConfig(env: NodeJS.ProcessEnv, uploadLimitMegabytes: number): WriteLimitsConfig {
  const megabytes = count(env, "WRITE_MB_PER_MINUTE", 256);
  if (megabytes > 0 && megabytes < uploadLimitMegabytes) {
    throw new EngineError("config", `WRITE_MB_PER_MINUTE (${megabytes}) must be at least UPLOAD_LIMIT_MB (${uploadLimitMegabytes}), or 0 for no limit: a client could never send an upload of the largest size taken`);
  }
  let trustProxy;
  try {
    trustProxy = parseTrustProxy(env.TRUST_PROXY);
  } catch (error) {
    throw new EngineError("config", `TRUST_PROXY: ${(error as Error).message} (e.g. 1, or loopback, or 10.0.0.5, 10.1.0.0/16)`);
  }
  return {
    perClient: {
      requestsPerMinute: count(env, "WRITES_PER_MINUTE", 600),
      filesPerMinute: count(env, "WRITE_FILES_PER_MINUTE", 2000),
      bytesPerMinute: megabytes * MIB,
      trustProxy,
    },
    anonymousTransactionsPerHour: count(env, "ANONYMOUS_TRANSACTIONS_PER_HOUR", 600),
  };
}
