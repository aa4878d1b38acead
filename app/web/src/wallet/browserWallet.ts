import { getAddress } from "ethers";
import { WalletError, type LedgerSigner, type TypedDataPayload, type UnsignedTransaction } from "./types.js";

/**
 * A browser wallet (an extension injecting EIP-1193 `window.ethereum`): the key stays in the wallet,
 * which asks its user to approve each signature. Used instead of the keystore when one is present.
 */
interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

function injected(): Eip1193Provider | null {
  const provider = (globalThis as { ethereum?: Eip1193Provider }).ethereum;
  return provider && typeof provider.request === "function" ? provider : null;
}

export function browserWalletPresent(): boolean {
  return injected() !== null;
}

/** The field types of EIP712Domain for the fields `domain` has, in the order EIP-712 lists them. */
const DOMAIN_FIELDS = [
  ["name", "string"],
  ["version", "string"],
  ["chainId", "uint256"],
  ["verifyingContract", "address"],
  ["salt", "bytes32"],
] as const;

/** The typed data as eth_signTypedData_v4 wants it: with the EIP712Domain type the API leaves out. */
export function typedDataV4(typed: TypedDataPayload): string {
  const domainType = DOMAIN_FIELDS.filter(([name]) => typed.domain[name] !== undefined).map(([name, type]) => ({ name, type }));
  const primaryType = typed.primaryType ?? Object.keys(typed.types).find((name) => name !== "EIP712Domain")!;
  return JSON.stringify({ domain: typed.domain, types: { EIP712Domain: domainType, ...typed.types }, primaryType, message: typed.message }, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

const utf8Hex = (text: string) => `0x${[...new TextEncoder().encode(text)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;

async function ask<T>(provider: Eip1193Provider, method: string, params?: unknown[]): Promise<T> {
  try {
    return (await provider.request({ method, params })) as T;
  } catch (error) {
    // EIP-1193: 4001 is the user saying no.
    const code = (error as { code?: number }).code;
    throw new WalletError(code === 4001 ? "WALLET_REJECTED" : "WALLET_FAILED", String((error as Error).message ?? error));
  }
}

/** Asks the browser wallet for its account (the wallet shows its own prompt). */
export async function connectBrowserWallet(): Promise<LedgerSigner> {
  const provider = injected();
  if (!provider) throw new WalletError("BROWSER_WALLET_MISSING");
  const [account] = await ask<string[]>(provider, "eth_requestAccounts");
  if (!account) throw new WalletError("WALLET_REJECTED");
  const address = getAddress(account);
  return {
    kind: "browser",
    address,
    signMessage: (message) => ask<string>(provider, "personal_sign", [utf8Hex(message), address]),
    signTypedData: (typed) => ask<string>(provider, "eth_signTypedData_v4", [address, typedDataV4(typed)]),
    submitTransaction: async (tx: UnsignedTransaction) => {
      const sent = { from: address, to: tx.to, data: tx.data, value: tx.value ?? "0x0", chainId: `0x${tx.chainId.toString(16)}` };
      return { txHash: await ask<string>(provider, "eth_sendTransaction", [sent]) };
    },
  };
}
