/**
 * The web app's wallets, for officers' consoles and residents' pledges alike. Import this module only
 * from lazily loaded pages: it brings ethers' Wallet and scrypt, which the Verify page must not load.
 *
 *   browserWalletPresent() / connectBrowserWallet()         an EIP-1193 wallet, preferred when present
 *   storedKeystore()                                        the kept account's address, or null (no passphrase needed)
 *   createKeystore(pass, pass2) / importKeystore(jsonOrKey, pass) / unlockKeystore(pass)
 *   downloadKeystore() / forgetKeystore()                   back up the encrypted JSON / remove it
 *
 * Each connect/create/import/unlock answers a LedgerSigner (./types.ts): address, signMessage,
 * signTypedData(API typed data), submitTransaction(API unsigned tx, rpcUrl) → what the API takes.
 * Failures are WalletError with a code (PASSPHRASE_WRONG, WALLET_REJECTED, …) to say in the user's language.
 */
export { browserWalletPresent, connectBrowserWallet, typedDataV4 } from "./browserWallet.js";
export { createKeystore, downloadKeystore, forgetKeystore, importKeystore, MIN_PASSPHRASE, storedKeystore, unlockKeystore, type StoredKeystore } from "./keystore.js";
export { WalletError, type LedgerSigner, type OfficerTransactionInput, type TypedDataPayload, type UnsignedTransaction, type WalletErrorCode } from "./types.js";
