import type { Report } from "../officer/status.js";
import { chainOf } from "../verify/ledgerApi.js";
import type { LedgerSigner, OfficerTransactionInput, UnsignedTransaction } from "../wallet/types.js";

/**
 * One treasurer action: the API prepares the unsigned call (and stores any public document it names),
 * the treasurer's own key signs it (the keystore with nonce and fees from the public RPC node; a
 * browser wallet sends it itself), and the API checks, simulates and relays it. Answers what the API
 * prepared and what it answered after the broadcast.
 */
export async function signAndSubmit<P extends { transaction: UnsignedTransaction }, T>(
  signer: LedgerSigner,
  report: Report,
  prepare: () => Promise<P>,
  submit: (signed: OfficerTransactionInput) => Promise<T>,
): Promise<{ prepared: P; result: T }> {
  report({ kind: "busy", key: "treasury.busyPreparing" });
  const prepared = await prepare();
  report({ kind: "busy", key: "officer.busySigning" });
  const signed = await signer.submitTransaction(prepared.transaction, (await chainOf()).rpcUrl);
  report({ kind: "busy", key: "officer.busySending" });
  return { prepared, result: await submit(signed) };
}
