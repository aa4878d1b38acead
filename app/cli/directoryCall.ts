// An admin's own transactions to the ledger's contracts (`ledger compromise`, `ledger name-officer`,
// `ledger municipality`, `ledger town`): the contracts accept these only from the municipality's admin (or
// the national admin), so the admin signs and pays; the ledger service relays nothing here.
import { FetchRequest, Interface, JsonRpcProvider, isAddress, type TransactionReceipt, type Wallet } from "ethers";
import { decodeContractError } from "../server/chain/chainErrors.js";
import { CliError } from "./bundleSource.js";
import { getJson } from "./ledgerApi.js";
import { signerKey } from "./signerKey.js";
import { DEFAULT_API_URL, DEFAULT_RPC_URL } from "./verify.js";

export const DIRECTORY_CALL_OPTIONS = {
  keystore: { type: "string" },
  rpc: { type: "string" },
  api: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The help lines of DIRECTORY_CALL_OPTIONS, for the key of `whose` (e.g. "the national admin's"). */
export function directoryCallHelp(whose = "the municipality admin's"): string {
  return `  --keystore FILE   ${whose} encrypted keystore; password from $LEDGER_KEYSTORE_PASSWORD
                    (without --keystore, the key is read from $LEDGER_PRIVATE_KEY)
  --rpc URL         a JSON-RPC node of the chain (default: $LEDGER_RPC_URL, else the one the API's
                    /api/health names, else ${DEFAULT_RPC_URL})
  --api URL         the ledger API, asked for the chain id and the contracts' addresses
                    (default: $LEDGER_API_URL, else ${DEFAULT_API_URL})`;
}

export const DIRECTORY_CALL_HELP = directoryCallHelp();

/** A receipt not seen within this long is reported, not waited for forever. */
const RECEIPT_TIMEOUT_MS = 120_000;

/** The chain refused the call (the message says why): exit code 1, not 2. */
export class ChainRefusal extends Error {}

/** The chain and the ledger's contracts on it, as the API's /api/health names them. */
export interface LedgerChain {
  apiUrl: string;
  chainId: number;
  contracts: { directory: string; permitRegistry: string; complaintLedger: string; batchAnchor: string };
  provider: JsonRpcProvider;
  /** Stops the provider's polling; the command's process then exits by itself. */
  close(): void;
}

/** Asks the API where the ledger is and connects to the chain's RPC node (--rpc, $LEDGER_RPC_URL or the API's). */
export async function connectLedger(options: { rpc?: string; api?: string }, env: NodeJS.ProcessEnv): Promise<LedgerChain> {
  const apiUrl = (options.api ?? env.LEDGER_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const health = (await getJson(`${apiUrl}/api/health`, [503])) as { chain?: { chainId?: unknown; rpcUrl?: unknown; contracts?: Record<string, unknown> } };
  const chain = health.chain;
  const contracts = chain?.contracts ?? {};
  if (!chain || !Number.isSafeInteger(chain.chainId) || !["directory", "permitRegistry", "complaintLedger", "batchAnchor"].every((name) => isAddress(contracts[name]))) {
    throw new CliError(`the API's ${apiUrl}/api/health names no chain id and contracts`);
  }
  const rpcUrl = options.rpc ?? env.LEDGER_RPC_URL ?? (typeof chain.rpcUrl === "string" ? chain.rpcUrl : DEFAULT_RPC_URL);
  if (!URL.canParse(rpcUrl) || !/^https?:$/.test(new URL(rpcUrl).protocol)) throw new CliError(`--rpc "${rpcUrl}" is not an http(s) URL`);
  const request = new FetchRequest(rpcUrl);
  request.timeout = 30_000;
  const provider = new JsonRpcProvider(request, chain.chainId as number, { staticNetwork: true, pollingInterval: 250 });
  return {
    apiUrl,
    chainId: chain.chainId as number,
    contracts: {
      directory: contracts.directory as string,
      permitRegistry: contracts.permitRegistry as string,
      complaintLedger: contracts.complaintLedger as string,
      batchAnchor: contracts.batchAnchor as string,
    },
    provider,
    close: () => provider.destroy(),
  };
}

/** A contract error as the chain gave it, e.g. `DirectoryNotMunicipalityAdmin(2, 0x…)`, or ethers' first line. */
export function refusalReason(error: unknown): string {
  const decoded = decodeContractError(error);
  if (!decoded) return (error as Error).message.split("\n")[0];
  return `${decoded.name}(${decoded.args.map((value) => String(value)).join(", ")})`;
}

/**
 * Sends one call signed by `signer` (connected to the chain) and waits for its receipt, at most
 * RECEIPT_TIMEOUT_MS. `nonce`, when given, is used as is: a plan of many calls counts its own nonces
 * instead of asking the node each time (a node's pending count can lag behind what it just accepted).
 * A revert — in the node's estimate before sending, or in the block — is a ChainRefusal.
 */
export async function sendSigned(signer: Wallet, call: { to: string; data: string }, nonce?: number): Promise<TransactionReceipt> {
  return receiptOf(signer, await submitSigned(signer, call, nonce));
}

/**
 * Signs and sends one call without waiting for it: answers its transaction hash. The node estimates its
 * gas on its latest block (anvil adds its pool, geth and Besu do not), so a call whose gas depends on a
 * call not mined yet is sent after that one's receipt (see planPhases.ts). A revert in the estimate is a
 * ChainRefusal.
 */
export async function submitSigned(signer: Wallet, call: { to: string; data: string }, nonce?: number): Promise<string> {
  try {
    return (await signer.sendTransaction({ to: call.to, data: call.data, nonce })).hash;
  } catch (error) {
    if (decodeContractError(error) || (error as { code?: string }).code === "CALL_EXCEPTION") throw new ChainRefusal(refusalReason(error));
    if ((error as { code?: string }).code === "INSUFFICIENT_FUNDS") throw new CliError(`the key ${signer.address} cannot pay for the transaction's gas: fund it first`);
    throw error;
  }
}

/** The receipt of a sent transaction, at most RECEIPT_TIMEOUT_MS away; a revert in the block is a ChainRefusal. */
export async function receiptOf(signer: Wallet, hash: string): Promise<TransactionReceipt> {
  const receipt = await signer.provider!.waitForTransaction(hash, 1, RECEIPT_TIMEOUT_MS).catch((error: unknown) => {
    if ((error as { code?: string }).code === "TIMEOUT") throw new CliError(`transaction ${hash} was sent but had no receipt within ${RECEIPT_TIMEOUT_MS / 1000} s: check it before sending anything again`);
    throw error;
  });
  if (!receipt) throw new CliError(`transaction ${hash} was sent but the node knows no receipt of it`);
  if (receipt.status !== 1) throw new ChainRefusal(`transaction ${hash} reverted in block ${receipt.blockNumber}`);
  return receipt;
}

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
  const ledger = await connectLedger(options, env);
  try {
    const method = signature.slice(0, signature.indexOf("("));
    const data = new Interface([`function ${signature}`]).encodeFunctionData(method, args);
    try {
      return (await sendSigned(admin.connect(ledger.provider), { to: ledger.contracts.directory, data })).hash;
    } catch (error) {
      if (error instanceof ChainRefusal) throw new ChainRefusal(`the Directory refused it: ${error.message}`);
      throw error;
    }
  } finally {
    ledger.close();
  }
}
