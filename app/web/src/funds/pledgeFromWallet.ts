import { fetchRpc } from "../verify/rpc.js";
import { chainOf } from "../verify/ledgerApi.js";
import { allowanceOf, balanceOf, FundsError } from "../treasury/amounts.js";
import { fundsApi, type Receipt } from "../treasury/api.js";
import type { LedgerSigner } from "../wallet/types.js";
import type { JsonRpcSender } from "../../../shared/verifyBundle.js";

export type PledgeStep = "approving" | "pledging" | "receipt";

/** Sends one of the resident's own transactions and waits until it is mined; answers its hash. */
async function sendAndWait(signer: LedgerSigner, rpc: JsonRpcSender, rpcUrl: string, tx: { to: string; data: string; chainId: number }): Promise<string> {
  const sent = await signer.submitTransaction(tx, rpcUrl);
  // A keystore answers signed bytes (the resident's browser broadcasts them, no service in between);
  // a browser wallet has sent the transaction itself.
  const hash = "txHash" in sent ? sent.txHash : ((await rpc.send("eth_sendRawTransaction", [sent.signedTransaction])) as string);
  for (;;) {
    const mined = (await rpc.send("eth_getTransactionReceipt", [hash])) as { status: string } | null;
    if (mined) {
      if (BigInt(mined.status) !== 1n) throw new FundsError("TX_REVERTED");
      return hash;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * A resident's pledge from their own wallet (docs/funds.md): the API's unsigned `approve` (skipped when
 * the allowance already covers it) and `pledge` calls, each signed by the resident's key and sent to
 * the chain's public node, then the pledge's hash to the API, which finds its Pledged event and issues
 * the receipt.
 */
export async function pledgeFromWallet(signer: LedgerSigner, campaignId: number, amount: string, onStep: (step: PledgeStep) => void): Promise<Receipt> {
  const chain = await chainOf();
  const rpc = fetchRpc(chain.rpcUrl);
  const calls = await fundsApi.pledgeTransactions(campaignId, amount);
  const token = calls.approve.to;
  if ((await balanceOf(rpc, token, signer.address)) < BigInt(amount)) throw new FundsError("BALANCE_LOW");
  if ((await allowanceOf(rpc, token, signer.address, calls.pledge.to)) < BigInt(amount)) {
    onStep("approving");
    await sendAndWait(signer, rpc, chain.rpcUrl, { ...calls.approve, chainId: calls.chainId });
  }
  onStep("pledging");
  const txHash = await sendAndWait(signer, rpc, chain.rpcUrl, { ...calls.pledge, chainId: calls.chainId });
  onStep("receipt");
  return fundsApi.pledged(campaignId, txHash);
}
