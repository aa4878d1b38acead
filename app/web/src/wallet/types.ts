/**
 * What every wallet of the web app offers, whichever holds the key: the in-browser keystore
 * (./keystore.ts) or a browser wallet extension (./browserWallet.ts). Types only, so a page may name
 * them without loading ethers.
 */

/** EIP-712 data as the API serves it: `types` without EIP712Domain (ethers' convention). */
export interface TypedDataPayload {
  domain: { name?: string; version?: string; chainId?: number | string; verifyingContract?: string; salt?: string };
  types: Record<string, { name: string; type: string }[]>;
  primaryType?: string;
  message: Record<string, unknown>;
}

/** A transaction the API prepared for the officer to sign (app/server/services/funds/treasurer.ts). */
export interface UnsignedTransaction {
  from?: string;
  to: string;
  data: string;
  chainId: number;
  value?: string;
}

/** What the API takes for an officer's own transaction (app/server/chain/officerTransactions.ts). */
export type OfficerTransactionInput = { signedTransaction: string } | { txHash: string };

export interface LedgerSigner {
  /** "keystore": a key in this browser, unlocked by passphrase; "browser": an EIP-1193 wallet. */
  readonly kind: "keystore" | "browser";
  /** The account's address, EIP-55 checksummed (as SIWE needs it). */
  readonly address: string;
  /** An EIP-191 personal signature (Sign-In with Ethereum). */
  signMessage(message: string): Promise<string>;
  /** An EIP-712 signature of the API's typed data. */
  signTypedData(typed: TypedDataPayload): Promise<string>;
  /**
   * The officer's own transaction: the keystore signs it (nonce and fees read from `rpcUrl`) and
   * answers `{signedTransaction}` for the API to broadcast; a browser wallet sends it and answers `{txHash}`.
   */
  submitTransaction(tx: UnsignedTransaction, rpcUrl: string): Promise<OfficerTransactionInput>;
}

/** Why a wallet action failed, by code, for the page to say in the user's language. */
export type WalletErrorCode =
  | "PASSPHRASE_WRONG"
  | "PASSPHRASE_MISMATCH"
  | "PASSPHRASE_SHORT"
  | "KEYSTORE_INVALID"
  | "KEYSTORE_MISSING"
  | "BROWSER_WALLET_MISSING"
  | "WALLET_REJECTED"
  | "WALLET_FAILED";

export class WalletError extends Error {
  constructor(
    readonly code: WalletErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = "WalletError";
  }
}
