// Checks a pledge receipt against any RPC node of its chain, trusting nothing but that node (the API's
// POST /api/funds/receipts/verify and anyone else run this same function). Only ethers, so it also runs
// in a browser. The CivicFund ABI is a hand-kept fragment for the reason verifyBundle.ts gives;
// test/app/funds.test.ts checks it against the compiled ABI.
import { Interface, getAddress, sha256, toQuantity, toUtf8Bytes } from "ethers";
import type { Check } from "./proofBundle.js";
import { OFFCHAIN_PLEDGE_FORMAT, PLEDGE_RECEIPT_FORMAT, type OffchainReceipt, type OnchainReceipt, type PledgeReceipt } from "./pledgeReceipt.js";
import { ask, callView, verifyProofBundle, type JsonRpcSender } from "./verifyBundle.js";

export const CIVIC_FUND_ABI = [
  "function campaign(uint256 campaignId) view returns (tuple(uint32 municipalityId, address token, address beneficiary, uint256 goal, uint64 deadline, bytes32 rulesDocumentHash, bytes32 rulesHash, bool opened, bool cancelled, uint256 pledged, uint256 refunded, uint256 released, uint256 offchainTotal, uint8 nextMilestone))",
  "function offchainReceipt(uint256 campaignId, bytes32 receiptHash) view returns (uint256)",
  "event Pledged(uint256 indexed campaignId, address indexed pledger, uint256 amount, uint256 pledgerTotal, uint256 campaignTotal)",
  "event Refunded(uint256 indexed campaignId, address indexed pledger, uint256 amount)",
] as const;

const civicFund = new Interface(CIVIC_FUND_ABI);

/** valid: every check passed; pending: only the Merkle anchor of an off-chain receipt is still to come. */
export type ReceiptVerdict = "valid" | "pending" | "invalid";

export interface ReceiptVerification {
  verdict: ReceiptVerdict;
  checks: Check[];
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
}

interface RpcReceipt {
  status: string;
  blockNumber: string;
  logs: RpcLog[];
}

const view = (rpc: JsonRpcSender, contract: string, name: string, args: unknown[]) => callView(rpc, civicFund, contract, name, args);

/**
 * Checks `receipt` against the chain behind `rpc`; every check runs and is reported. Throws
 * RpcFailedError when the node does not answer (no verdict then).
 */
export async function verifyPledgeReceipt(receipt: PledgeReceipt, rpc: JsonRpcSender): Promise<ReceiptVerification> {
  const checks: Check[] = [];
  const record = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  if (receipt.format !== PLEDGE_RECEIPT_FORMAT) {
    record("format-known", false, `unknown format "${String(receipt.format)}"; this verifier reads "${PLEDGE_RECEIPT_FORMAT}"`);
    return { verdict: "invalid", checks };
  }
  record("format-known", true, `format ${PLEDGE_RECEIPT_FORMAT}`);

  const chainId = Number(BigInt(await ask<string>(rpc, "eth_chainId", [])));
  record("chain-id", chainId === receipt.chainId, `the RPC node serves chain ${chainId}, the receipt names chain ${receipt.chainId}`);

  const fund = getAddress(receipt.civicFund);
  const campaign = await view(rpc, fund, "campaign", [receipt.campaignId]);
  const terms = campaign?.[0] as { municipalityId: bigint; token: string } | undefined;
  const campaignOk = terms !== undefined && Number(terms.municipalityId) === receipt.municipalityId && getAddress(terms.token) === getAddress(receipt.token);
  record(
    "campaign",
    campaignOk,
    terms === undefined
      ? `${fund} knows no campaign ${receipt.campaignId} (or is not a CivicFund)`
      : `campaign ${receipt.campaignId} of ${fund}: municipality ${terms.municipalityId}, token ${terms.token}` +
          (campaignOk ? "" : `; the receipt says municipality ${receipt.municipalityId}, token ${receipt.token}`),
  );

  let pending = false;
  if (receipt.kind === "offchain-pledge") pending = await checkOffchain(receipt, rpc, fund, record);
  else await checkOnchain(receipt, rpc, fund, record);

  const failed = checks.filter((check) => !check.ok);
  return { verdict: failed.length > 0 ? "invalid" : pending ? "pending" : "valid", checks };
}

type Record_ = (name: string, ok: boolean, detail: string) => void;

/** The pledge's (or refund's) own event, at the log index the receipt names, says what the receipt says. */
async function checkOnchain(receipt: OnchainReceipt, rpc: JsonRpcSender, fund: string, record: Record_): Promise<void> {
  const mined = await ask<RpcReceipt | null>(rpc, "eth_getTransactionReceipt", [receipt.txHash]);
  const succeeded = mined !== null && BigInt(mined.status) === 1n;
  const block = mined ? Number(BigInt(mined.blockNumber)) : undefined;
  record(
    "tx-receipt",
    succeeded && block === receipt.blockNumber,
    mined === null
      ? `no receipt for transaction ${receipt.txHash} on this chain`
      : `transaction ${receipt.txHash} ${succeeded ? "succeeded" : "failed"} in block ${block}; the receipt says block ${receipt.blockNumber}`,
  );

  const eventName = receipt.kind === "pledge" ? "Pledged" : "Refunded";
  const log = mined?.logs.find((l) => Number(BigInt(l.logIndex)) === receipt.logIndex);
  let problem: string | null = log ? null : `the transaction has no log with index ${receipt.logIndex}`;
  if (log && getAddress(log.address) !== fund) problem = `log ${receipt.logIndex} comes from ${log.address}, not from ${fund}`;
  if (log && !problem) {
    const parsed = civicFund.parseLog({ topics: log.topics, data: log.data });
    if (parsed?.name !== eventName) problem = `log ${receipt.logIndex} is ${parsed?.name ?? "another event"}, not ${eventName}`;
    else {
      const [campaignId, pledger, amount] = [String(parsed.args.campaignId), getAddress(parsed.args.pledger), String(parsed.args.amount)];
      const wrong = [
        campaignId !== receipt.campaignId && `campaign ${campaignId}`,
        pledger !== getAddress(receipt.pledger) && `pledger ${pledger}`,
        amount !== receipt.amount && `amount ${amount}`,
      ].filter(Boolean);
      if (wrong.length > 0) problem = `the chain's ${eventName} says ${wrong.join(", ")}`;
    }
  }
  record(
    "event-log",
    problem === null,
    problem ?? `${eventName}(campaign ${receipt.campaignId}, ${receipt.pledger}, ${receipt.amount}) at log ${receipt.logIndex} of ${fund}`,
  );

  const header = await ask<{ timestamp: string } | null>(rpc, "eth_getBlockByNumber", [toQuantity(receipt.blockNumber), false]);
  const timestamp = header ? Number(BigInt(header.timestamp)) : undefined;
  record("block-time", timestamp === receipt.timestamp, `block ${receipt.blockNumber} has time ${timestamp ?? "(no such block)"}, the receipt says ${receipt.timestamp}`);
}

/** The document is the one hashed, says what the receipt says, is counted on chain and anchored. Returns "pending". */
async function checkOffchain(receipt: OffchainReceipt, rpc: JsonRpcSender, fund: string, record: Record_): Promise<boolean> {
  const hash = sha256(toUtf8Bytes(receipt.document));
  record("document-hash", hash === receipt.receiptHash, `SHA-256 of the document is ${hash}, the receipt says ${receipt.receiptHash}`);

  let fieldsOk = false;
  let detail: string;
  try {
    const doc = JSON.parse(receipt.document);
    const wrong = [
      doc.format !== OFFCHAIN_PLEDGE_FORMAT && "format",
      doc.chainId !== receipt.chainId && "chainId",
      typeof doc.civicFund !== "string" || doc.civicFund.toLowerCase() !== fund.toLowerCase() ? "civicFund" : false,
      doc.campaignId !== receipt.campaignId && "campaignId",
      doc.municipalityId !== receipt.municipalityId && "municipalityId",
      doc.amount !== receipt.amount && "amount",
    ].filter(Boolean);
    fieldsOk = wrong.length === 0;
    detail = fieldsOk ? `the document records ${doc.amount} for campaign ${doc.campaignId}, paid by ${doc.method} on ${doc.paidOn}` : `the document differs from the receipt in: ${wrong.join(", ")}`;
  } catch {
    detail = "the document is not JSON";
  }
  record("document-fields", fieldsOk, detail);

  const counted = await view(rpc, fund, "offchainReceipt", [receipt.campaignId, receipt.receiptHash]);
  const onChain = counted ? String(counted[0]) : undefined;
  record(
    "recorded-on-chain",
    onChain === receipt.amount,
    `offchainReceipt(${receipt.campaignId}, receiptHash) = ${onChain ?? "(no answer)"}, the receipt says ${receipt.amount}`,
  );

  if (receipt.proof === null) {
    record("anchored", true, "pending: the document's Merkle batch is not anchored yet; fetch the receipt again shortly");
    return true;
  }
  const proof = receipt.proof;
  record(
    "anchor-municipality",
    proof.municipalityId === receipt.municipalityId,
    `the proof bundle names municipality ${proof.municipalityId}, the receipt ${receipt.municipalityId}`,
  );
  const anchored = await verifyProofBundle(proof, rpc, { documentSha256: receipt.receiptHash, withoutIssuer: true });
  for (const check of anchored.checks) record(`anchor:${check.name}`, check.ok, check.detail);
  return false;
}
