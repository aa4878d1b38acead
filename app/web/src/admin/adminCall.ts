import { ApiError } from "../apiRequest.js";
import { chainOf } from "../verify/ledgerApi.js";
import { WalletError, type LedgerSigner } from "../wallet/types.js";
import { adminApi } from "./adminApi.js";

/**
 * One admin transaction, signed by the admin's own key and relayed by the service (which never signs):
 * the keystore signs it with nonce and fees from the public RPC node, a browser wallet sends it itself.
 * A call the chain would refuse fails already when the keystore estimates its gas: that is the
 * contract's answer (not the admin, a suspended town, a code taken), said as ADMIN_CALL_REFUSED.
 */
export async function sendAdminCall(signer: LedgerSigner, call: { to: string; data: string; chainId?: number }): Promise<{ txHash: string }> {
  const chain = await chainOf();
  let signed;
  try {
    signed = await signer.submitTransaction({ to: call.to, data: call.data, chainId: call.chainId ?? chain.chainId }, chain.rpcUrl);
  } catch (error) {
    if (error instanceof WalletError || error instanceof ApiError) throw error;
    if (/insufficient funds/i.test(String((error as Error).message))) throw Object.assign(new Error("no gas"), { code: "OFFICER_OUT_OF_FUNDS" });
    throw Object.assign(new Error(`the chain refuses this call: ${(error as Error).message}`), { code: "ADMIN_CALL_REFUSED" });
  }
  return adminApi.relay(signed);
}
