// Where a verifier reads the chain without asking this service: the chain id, a public RPC node and the
// contracts' addresses. The service publishes it at /ledger-config.json (and inside /api/health); a static
// copy of the web verifier carries the same file beside its index.html (docs/web.md, "Serving the
// verifier from another host"), and `ledger verify --config` reads it from a file or a URL.
import { getAddress, isAddress } from "ethers";
import { z } from "zod";

export const VERIFIER_CONFIG_FORMAT = "public-service-ledger/verifier-config@1";

export interface VerifierConfig {
  format: typeof VERIFIER_CONFIG_FORMAT;
  chainId: number;
  /** A JSON-RPC node of the chain that browsers may call (PUBLIC_RPC_URL). */
  rpcUrl: string;
  /** The block the ledger was deployed in: where event searches start. */
  deploymentBlock: number;
  /** directory, batchAnchor, permitRegistry, complaintLedger, civicFund, … (checksummed). */
  contracts: Record<string, string>;
  /** The embedded demo's publicly known keys sign there: nothing issued means anything. */
  devKeys: boolean;
}

const schema = z.object({
  format: z.literal(VERIFIER_CONFIG_FORMAT),
  chainId: z.int().min(1),
  rpcUrl: z.url({ protocol: /^https?$/ }),
  deploymentBlock: z.int().min(0).default(0),
  contracts: z.record(
    z.string(),
    z
      .string()
      .refine((value) => isAddress(value), "expected an address")
      .transform((value) => getAddress(value)),
  ),
  devKeys: z.boolean().default(false),
});

/** The verifier's configuration from /api/health's `chain` section. */
export function verifierConfigOf(chain: { chainId: number; rpcUrl: string; deploymentBlock?: number; contracts: Record<string, string>; devKeys?: boolean }): VerifierConfig {
  return {
    format: VERIFIER_CONFIG_FORMAT,
    chainId: chain.chainId,
    rpcUrl: chain.rpcUrl,
    deploymentBlock: chain.deploymentBlock ?? 0,
    contracts: chain.contracts,
    devKeys: chain.devKeys === true,
  };
}

export class VerifierConfigError extends Error {
  readonly code = "INVALID_VERIFIER_CONFIG";
}

/** Validates a verifier configuration (parsed JSON or text); throws VerifierConfigError naming the problems. */
export function parseVerifierConfig(json: unknown): VerifierConfig {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new VerifierConfigError(`not JSON: ${(error as Error).message}`);
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new VerifierConfigError(`not a verifier configuration: ${result.error.issues.map((i) => `${i.path.join(".") || "(config)"}: ${i.message}`).join("; ")}`);
  }
  return result.data as VerifierConfig;
}
