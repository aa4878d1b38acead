import { Wallet, type HDNodeWallet } from "ethers";
import { fetchRpc } from "../verify/rpc.js";
import { WalletError, type LedgerSigner, type OfficerTransactionInput, type TypedDataPayload, type UnsignedTransaction } from "./types.js";

/**
 * The in-browser keystore: one account's key, encrypted (ethers' JSON keystore, scrypt + AES) in
 * localStorage. The key is never stored in clear; once unlocked it lives only in this page's memory,
 * in the signer returned, and is gone on reload. Unlocking takes a second or more: that is scrypt, on
 * purpose, so a stolen keystore resists guessing.
 */
const STORAGE_KEY = "ledger.keystore";
export const MIN_PASSPHRASE = 8;

export interface StoredKeystore {
  address: string;
  json: string;
}

/** The keystore kept in this browser, if any (its address is readable without the passphrase). */
export function storedKeystore(): StoredKeystore | null {
  const json = localStorage.getItem(STORAGE_KEY);
  if (!json) return null;
  const address = addressOf(json);
  return address ? { address, json } : null;
}

function addressOf(json: string): string | null {
  try {
    const parsed = JSON.parse(json) as { address?: unknown; crypto?: unknown; Crypto?: unknown };
    if (typeof parsed.address !== "string" || !(parsed.crypto || parsed.Crypto)) return null;
    return parsed.address.startsWith("0x") ? parsed.address : `0x${parsed.address}`;
  } catch {
    return null;
  }
}

function checkPassphrase(passphrase: string, repeated?: string): void {
  if (passphrase.length < MIN_PASSPHRASE) throw new WalletError("PASSPHRASE_SHORT");
  if (repeated !== undefined && repeated !== passphrase) throw new WalletError("PASSPHRASE_MISMATCH");
}

/** A new random account, encrypted with `passphrase` (given twice) and kept; answers it unlocked. */
export async function createKeystore(passphrase: string, repeated: string, onProgress?: (share: number) => void): Promise<LedgerSigner> {
  checkPassphrase(passphrase, repeated);
  const wallet = Wallet.createRandom();
  localStorage.setItem(STORAGE_KEY, await wallet.encrypt(passphrase, onProgress));
  return keystoreSigner(wallet);
}

/**
 * Keeps an account brought from elsewhere: an encrypted JSON keystore (opened with its passphrase, to
 * check it before keeping it) or a private key (0x + 64 hex), which is encrypted with `passphrase` first.
 */
export async function importKeystore(source: string, passphrase: string, onProgress?: (share: number) => void): Promise<LedgerSigner> {
  const text = source.trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) {
    checkPassphrase(passphrase);
    let wallet: Wallet;
    try {
      wallet = new Wallet(text.startsWith("0x") ? text : `0x${text}`);
    } catch {
      throw new WalletError("KEYSTORE_INVALID");
    }
    localStorage.setItem(STORAGE_KEY, await wallet.encrypt(passphrase, onProgress));
    return keystoreSigner(wallet);
  }
  if (!addressOf(text)) throw new WalletError("KEYSTORE_INVALID");
  const signer = await decrypt(text, passphrase, onProgress);
  localStorage.setItem(STORAGE_KEY, text);
  return signer;
}

/** The kept account, unlocked with its passphrase, in memory only. */
export async function unlockKeystore(passphrase: string, onProgress?: (share: number) => void): Promise<LedgerSigner> {
  const stored = storedKeystore();
  if (!stored) throw new WalletError("KEYSTORE_MISSING");
  return decrypt(stored.json, passphrase, onProgress);
}

async function decrypt(json: string, passphrase: string, onProgress?: (share: number) => void): Promise<LedgerSigner> {
  try {
    return keystoreSigner(await Wallet.fromEncryptedJson(json, passphrase, onProgress));
  } catch (error) {
    // ethers says "incorrect password" when the MAC does not match; anything else is a damaged file.
    throw new WalletError(/password/i.test(String((error as Error).message)) ? "PASSPHRASE_WRONG" : "KEYSTORE_INVALID", String(error));
  }
}

/** Offers the kept keystore (still encrypted) as a file download, to back it up or move it. */
export function downloadKeystore(): void {
  const stored = storedKeystore();
  if (!stored) throw new WalletError("KEYSTORE_MISSING");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([stored.json], { type: "application/json" }));
  link.download = `ledger-keystore-${stored.address.slice(2, 10).toLowerCase()}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** Removes the keystore from this browser (a downloaded copy is the only way back). */
export function forgetKeystore(): void {
  localStorage.removeItem(STORAGE_KEY);
}

function keystoreSigner(wallet: Wallet | HDNodeWallet): LedgerSigner {
  return {
    kind: "keystore",
    address: wallet.address,
    signMessage: (message) => wallet.signMessage(message),
    signTypedData: (typed: TypedDataPayload) => wallet.signTypedData(typed.domain, typed.types, typed.message),
    submitTransaction: async (tx: UnsignedTransaction, rpcUrl: string): Promise<OfficerTransactionInput> => {
      const rpc = fetchRpc(rpcUrl);
      const call = { from: wallet.address, to: tx.to, data: tx.data, value: tx.value ?? "0x0" };
      const [nonce, gas, block, tip] = (await Promise.all([
        rpc.send("eth_getTransactionCount", [wallet.address, "pending"]),
        rpc.send("eth_estimateGas", [call]),
        rpc.send("eth_getBlockByNumber", ["latest", false]),
        rpc.send("eth_maxPriorityFeePerGas", []),
      ])) as [string, string, { baseFeePerGas?: string }, string];
      const priority = BigInt(tip);
      const signedTransaction = await wallet.signTransaction({
        type: 2,
        chainId: tx.chainId,
        to: tx.to,
        data: tx.data,
        value: BigInt(tx.value ?? 0),
        nonce: Number(nonce),
        // 20 % above the estimate: the state may move a little between estimate and inclusion.
        gasLimit: (BigInt(gas) * 12n) / 10n,
        maxPriorityFeePerGas: priority,
        maxFeePerGas: BigInt(block.baseFeePerGas ?? 0) * 2n + priority,
      });
      return { signedTransaction };
    },
  };
}
