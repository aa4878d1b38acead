import { parsePledgeReceipt, PLEDGE_RECEIPT_FORMAT, type PledgeReceipt } from "../../../shared/pledgeReceipt.js";
import type { ProofBundle } from "../../../shared/proofBundle.js";
import { parseProofBundle } from "../../../shared/proofBundleFormat.js";
import { complaintRecordClaims, verifyComplaintRecord, type ComplaintRecordClaims, type ComplaintVerification } from "../../../shared/verifyComplaint.js";
import { verifyPledgeReceipt, type ReceiptVerification } from "../../../shared/verifyReceipt.js";
import { chainOf } from "./ledgerApi.js";
import { fetchRpc } from "./rpc.js";

/** A pledge receipt checked on the chain with verifyPledgeReceipt (the API's and the funds page's check too). */
export interface ReceiptCheck {
  receipt: PledgeReceipt;
  verification: ReceiptVerification;
  rpcUrl: string;
  chainId: number;
}

export async function checkReceipt(receipt: PledgeReceipt): Promise<ReceiptCheck> {
  const chain = await chainOf();
  return { receipt, verification: await verifyPledgeReceipt(receipt, fetchRpc(chain.rpcUrl)), rpcUrl: chain.rpcUrl, chainId: chain.chainId };
}

/** A complaint checked on the chain with verifyComplaintRecord (the CLI's check too): by id, or a record file. */
export interface ComplaintCheck {
  complaintId: string;
  verification: ComplaintVerification;
  /** The record file it was given with, if any. */
  claims?: ComplaintRecordClaims;
  rpcUrl: string;
  chainId: number;
}

/** Null when the chain's configuration names no ComplaintLedger. */
export async function checkComplaint(complaintId: string, claims?: ComplaintRecordClaims): Promise<ComplaintCheck | null> {
  const chain = await chainOf();
  const ledger = chain.contracts.complaintLedger;
  if (!ledger) return null;
  const verification = await verifyComplaintRecord(fetchRpc(chain.rpcUrl), { ledger, chainId: chain.chainId, complaintId, fromBlock: chain.deploymentBlock }, claims);
  return { complaintId, verification, ...(claims ? { claims } : {}), rpcUrl: chain.rpcUrl, chainId: chain.chainId };
}

/** What a dropped JSON file is, by its format (or shape, for a complaint record). */
export type JsonFile =
  | { kind: "bundle"; bundle: ProofBundle }
  | { kind: "receipt"; receipt: PledgeReceipt }
  | { kind: "complaint"; claims: ComplaintRecordClaims }
  /** It names a format of the ledger but does not follow it. */
  | { kind: "invalid" }
  | { kind: "other" };

/** Reads a JSON file the resident gave; anything unreadable or unknown is "other" (then hashed as a document). */
export function readJsonFile(text: string): JsonFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "other" };
  }
  const format = value && typeof value === "object" && !Array.isArray(value) ? (value as { format?: unknown }).format : undefined;
  try {
    if (typeof format === "string" && format.startsWith("public-service-ledger/proof-bundle")) return { kind: "bundle", bundle: parseProofBundle(value) };
    if (format === PLEDGE_RECEIPT_FORMAT) return { kind: "receipt", receipt: parsePledgeReceipt(value) };
  } catch {
    return { kind: "invalid" };
  }
  const claims = complaintRecordClaims(value);
  return claims ? { kind: "complaint", claims } : { kind: "other" };
}
