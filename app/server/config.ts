import { resolve } from "node:path";
import { z } from "zod";
import { readAnchoringConfig, type AnchoringConfig } from "./anchoring/config.js";
import { readRelayerFeeConfig, type RelayerFeeConfig } from "./chain/relayerFeeConfig.js";
import { readWriteLimitsConfig, type WriteLimitsConfig } from "./http/writeLimitsConfig.js";
import { EngineError } from "./errors.js";
import { readMonitoringConfig, type MonitoringConfig } from "./services/monitoringConfig.js";

/**
 * The service's configuration, read once from the environment. With nothing set, everything runs
 * embedded on one machine (`npm start`); each scale-out engine is one variable away.
 */
const schema = z.object({
  DATA_DIR: z.string().default(".data"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  CHAIN_ID: z.coerce.number().int().positive().default(31337),
  /** An external EVM chain instead of the embedded anvil. */
  CHAIN_RPC_URL: z.url().optional(),
  /** The RPC URL /api/health gives to readers (the web verifier, the CLI); default: the chain's. */
  PUBLIC_RPC_URL: z.url().optional(),
  /**
   * The service's public address: what officers sign in to (the SIWE domain and URI), links, QR codes and
   * Open311 discovery. Required on an external chain; on the embedded demo http://localhost:PORT.
   */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "an http(s) URL such as https://ledger.example.go.th" }).optional(),
  /** The relayer's key on an external chain (or RELAYER_KEYSTORE + RELAYER_KEYSTORE_PASSWORD). */
  RELAYER_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 0x-prefixed 32-byte hex key").optional(),
  RELAYER_KEYSTORE: z.string().optional(),
  RELAYER_KEYSTORE_PASSWORD: z.string().optional(),
  /** On an external chain (required there): the deployment.json that `npm run deploy` wrote. */
  DEPLOYMENT_FILE: z.string().optional(),
  /** A Kubo node's RPC API instead of the embedded Helia. */
  IPFS_API_URL: z.url().optional(),
  UPLOAD_LIMIT_MB: z.coerce.number().positive().default(25),
  /** How long a sign-in nonce can be used, and how many nonces one client may ask for a minute (0: no limit). */
  SIGN_IN_NONCE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  SIGN_IN_NONCES_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface LedgerConfig {
  dataDir: string;
  port: number;
  chainId: number;
  /** Set: an external chain; unset: the embedded anvil. */
  chainRpcUrl?: string;
  publicRpcUrl?: string;
  /**
   * PUBLIC_URL without a trailing slash; on the embedded chain http://localhost:PORT by default (unset
   * only when PORT is 0: the port is known once the service listens, see ledger.ts).
   */
  publicUrl?: string;
  relayer?: { privateKey: string } | { keystore: string; password: string };
  deploymentFile?: string;
  ipfsApiUrl?: string;
  /** ANCHOR_BATCH_SIZE, ANCHOR_BATCH_MS, CONFIRMATIONS: see anchoring/config.ts. */
  anchoring: AnchoringConfig;
  /** ANCHOR_STALL_SECONDS, RELAYER_LOW_FUNDS_DAYS, HEALTH_CHAIN_READ_SECONDS, HEALTH_ROLES_CHECK_SECONDS: see services/monitoringConfig.ts. */
  monitoring: MonitoringConfig;
  /** RELAYER_REPLACE_AFTER_SECONDS, RELAYER_MAX_FEE_GWEI: see chain/relayerFeeConfig.ts. */
  relayerFees: RelayerFeeConfig;
  uploadLimitBytes: number;
  /** WRITES_PER_MINUTE, WRITE_FILES_PER_MINUTE, WRITE_MB_PER_MINUTE, ANONYMOUS_TRANSACTIONS_PER_HOUR, TRUST_PROXY: see http/writeLimitsConfig.ts. */
  writeLimits: WriteLimitsConfig;
  /** SIGN_IN_NONCE_SECONDS, SIGN_IN_NONCES_PER_MINUTE: see auth/signIn.ts. */
  signIn: { nonceTtlMs: number; noncesPerMinute: number };
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError("config", `${issue.path.join(".")}: ${issue.message}`);
  }
  const c = parsed.data;
  if (c.CHAIN_RPC_URL && !c.RELAYER_PRIVATE_KEY && !c.RELAYER_KEYSTORE) {
    throw new EngineError("config", "CHAIN_RPC_URL needs the relayer's key: RELAYER_PRIVATE_KEY, or RELAYER_KEYSTORE with RELAYER_KEYSTORE_PASSWORD");
  }
  // The service never deploys to an external chain: the deploying key would become the national admin,
  // and the only key the service has is its hot relayer key.
  if (c.CHAIN_RPC_URL && !c.DEPLOYMENT_FILE) {
    throw new EngineError(
      "config",
      "CHAIN_RPC_URL needs DEPLOYMENT_FILE: deploy the contracts first with `npm run deploy -- --rpc … --chain-id … --national-admin …` (docs/deployment.md) and set DEPLOYMENT_FILE to the deployment.json it writes",
    );
  }
  if (c.RELAYER_KEYSTORE && c.RELAYER_KEYSTORE_PASSWORD === undefined) {
    throw new EngineError("config", "RELAYER_KEYSTORE needs RELAYER_KEYSTORE_PASSWORD");
  }
  // Officers sign in to this address: a service that took it from each request's Host header would
  // accept a message signed for any site that relays it (docs/architecture.md, Sign-in).
  if (c.CHAIN_RPC_URL && !c.PUBLIC_URL) {
    throw new EngineError("config", "CHAIN_RPC_URL needs PUBLIC_URL: the address officers and residents open the service at (e.g. https://ledger.example.go.th)");
  }
  if (c.PUBLIC_URL && /[?#]/.test(c.PUBLIC_URL)) {
    throw new EngineError("config", "PUBLIC_URL: an address without ?query or #fragment (e.g. https://ledger.example.go.th)");
  }
  return {
    dataDir: resolve(c.DATA_DIR),
    port: c.PORT,
    chainId: c.CHAIN_ID,
    chainRpcUrl: c.CHAIN_RPC_URL,
    publicRpcUrl: c.PUBLIC_RPC_URL,
    publicUrl: publicUrlOf(c.PUBLIC_URL, c.PORT),
    relayer: c.RELAYER_PRIVATE_KEY
      ? { privateKey: c.RELAYER_PRIVATE_KEY }
      : c.RELAYER_KEYSTORE
        ? { keystore: c.RELAYER_KEYSTORE, password: c.RELAYER_KEYSTORE_PASSWORD! }
        : undefined,
    deploymentFile: c.DEPLOYMENT_FILE === undefined ? undefined : resolve(c.DEPLOYMENT_FILE),
    ipfsApiUrl: c.IPFS_API_URL,
    anchoring: readAnchoringConfig(env, { embedded: c.CHAIN_RPC_URL === undefined }),
    monitoring: readMonitoringConfig(env),
    relayerFees: readRelayerFeeConfig(env),
    uploadLimitBytes: Math.round(c.UPLOAD_LIMIT_MB * 1024 * 1024),
    writeLimits: readWriteLimitsConfig(env, c.UPLOAD_LIMIT_MB),
    signIn: { nonceTtlMs: c.SIGN_IN_NONCE_SECONDS * 1000, noncesPerMinute: c.SIGN_IN_NONCES_PER_MINUTE },
    logLevel: c.LOG_LEVEL,
  };
}

/** PUBLIC_URL as links are built from it (no trailing slash), or the embedded demo's http://localhost:PORT. */
export function publicUrlOf(configured: string | undefined, port: number): string | undefined {
  if (configured) return configured.replace(/\/+$/, "");
  return port === 0 ? undefined : `http://localhost:${port}`;
}
