import { ReceiptFormatError, parsePledgeReceipt, type PledgeReceipt } from "../../../shared/pledgeReceipt.js";
import type { Check } from "../../../shared/proofBundle.js";
import { verifyPledgeReceipt, type ReceiptVerdict } from "../../../shared/verifyReceipt.js";
import { chainOf } from "../verify/ledgerApi.js";
import { fetchRpc } from "../verify/rpc.js";

export interface ReceiptCheck {
  receipt: PledgeReceipt;
  verdict: ReceiptVerdict;
  checks: Check[];
  rpcUrl: string;
  chainId: number;
}

export class NotAReceiptError extends Error {}

/**
 * A receipt (parsed JSON or its text) checked in the browser against the chain's RPC node that
 * /api/health names, by the same function as the API and the CLI (app/shared/verifyReceipt.ts): the
 * service hands out receipts but is not trusted to judge them.
 */
export async function checkReceipt(json: unknown): Promise<ReceiptCheck> {
  let receipt: PledgeReceipt;
  try {
    receipt = parsePledgeReceipt(json);
  } catch (error) {
    if (error instanceof ReceiptFormatError) throw new NotAReceiptError(error.message);
    throw error;
  }
  const chain = await chainOf();
  const { verdict, checks } = await verifyPledgeReceipt(receipt, fetchRpc(chain.rpcUrl));
  return { receipt, verdict, checks, rpcUrl: chain.rpcUrl, chainId: chain.chainId };
}
