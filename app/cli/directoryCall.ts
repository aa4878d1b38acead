// A municipality admin's own transaction to the Directory (`ledger compromise`, `ledger name-officer`):
// the Directory accepts these only from that admin (or the national admin), so the admin signs and pays.
import { Contract, FetchRequest, JsonRpcProvider } from "ethers";
import { signerKey } from "./signerKey.js";
import { DEFAULT_API_URL, DEFAULT_RPC_URL } from "./verify.js";

export const DIRECTORY_CALL_OPTIONS = {
  keystore: { type: "string" },
  rpc: { type: "string" },
  api: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const DIRECTORY_CALL_HELP = `  --keystore FILE   the municipality admin's encrypted keystore; password from $LEDGER_KEYSTORE_PASSWORD
                    (without --keystore, the key is read from $LEDGER_PRIVATE_KEY)
  --rpc URL         a JSON-RPC node of the chain (default: $LEDGER_RPC_URL, else ${DEFAULT_RPC_URL})
  --api URL         the ledger API, asked only for the Directory's address
                    (default: $LEDGER_API_URL, else ${DEFAULT_API_URL})`;

/** The chain refused the call (the message says why): exit code 1, not 2. */
export class DirectoryRefusal extends Error {}

/**
 * Sends `method(args)` to the Directory named by the API's /api/health, signed with the admin's key, and
 * waits for its receipt; answers the transaction hash.
 */
export async function sendDirectoryCall(
  options: { keystore?: string; rpc?: string; api?: string },
  env: NodeJS.ProcessEnv,
  signature: string,
  args: unknown[],
): Promise<string> {
  const admin = await signerKey(options.keystore, env);
  const apiUrl = (options.api ?? env.LEDGER_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const health = (await (await fetch(`${apiUrl}/api/health`)).json()) as { chain: { chainId: number; contracts: { directory: string } } };
  const request = new FetchRequest(options.rpc ?? env.LEDGER_RPC_URL ?? DEFAULT_RPC_URL);
  request.timeout = 30_000;
  const provider = new JsonRpcProvider(request, health.chain.chainId, { staticNetwork: true, pollingInterval: 250 });
  try {
    const directory = new Contract(health.chain.contracts.directory, [`function ${signature}`], admin.connect(provider));
    const method = signature.slice(0, signature.indexOf("("));
    let tx;
    try {
      tx = await directory.getFunction(method)(...args);
    } catch (error) {
      throw new DirectoryRefusal(`the Directory refused it: ${(error as Error).message.split("\n")[0]}`);
    }
    return (await tx.wait(1, 120_000)).hash;
  } finally {
    provider.destroy();
  }
}
