// The receipt a resident keeps for a pledge or refund (format in docs/funds.md). Only zod and ethers, so
// the web app, the CLI and the API read it the same way.
import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import type { ProofBundle } from "./proofBundle.js";
import { parseProofBundle } from "./proofBundleFormat.js";

export const PLEDGE_RECEIPT_FORMAT = "public-service-ledger/pledge-receipt@1";
/** The document an off-chain pledge receipt hashes and anchors. */
export const OFFCHAIN_PLEDGE_FORMAT = "public-service-ledger/offchain-pledge@1";

export type ReceiptKind = "pledge" | "refund" | "offchain-pledge";

interface ReceiptBase {
  format: typeof PLEDGE_RECEIPT_FORMAT;
  receiptId: string;
  kind: ReceiptKind;
  chainId: number;
  /** The CivicFund contract. */
  civicFund: string;
  /** uint256 as decimal text. */
  campaignId: string;
  municipalityId: number;
  /** The campaign's ERC-20. */
  token: string;
  /** In the token's smallest unit (satang for THBT), decimal text. */
  amount: string;
  /** Where the resident (or anyone) fetches this receipt again; what the QR code holds. */
  verifyUrl: string;
}

/** A pledge or refund made from the resident's own wallet: the chain's event log is the receipt. */
export interface OnchainReceipt extends ReceiptBase {
  kind: "pledge" | "refund";
  pledger: string;
  txHash: string;
  blockNumber: number;
  /** The log's index in its block (eth_getLogs' logIndex). */
  logIndex: number;
  /** The block's timestamp, s since epoch. */
  timestamp: number;
}

/** A pledge paid in cash or by bank transfer: a document anchored in a Merkle batch and counted on chain. */
export interface OffchainReceipt extends ReceiptBase {
  kind: "offchain-pledge";
  /** The receipt document, exactly the bytes hashed (UTF-8 JSON text, see OffchainPledgeDocument). */
  document: string;
  /** SHA-256 of `document`: the record's hash in its batch and the receiptHash given to recordOffchainPledge. */
  receiptHash: string;
  /** The treasurer's recordOffchainPledge transaction. */
  recordTxHash: string;
  /** The Merkle proof of the document's batch; null while the batch is not anchored yet. */
  proof: ProofBundle | null;
}

export type PledgeReceipt = OnchainReceipt | OffchainReceipt;

/** What an off-chain receipt document says. No name in clear: `payerCommitment` = saltedHash(salt, name). */
export interface OffchainPledgeDocument {
  format: typeof OFFCHAIN_PLEDGE_FORMAT;
  chainId: number;
  civicFund: string;
  campaignId: string;
  municipalityId: number;
  amount: string;
  method: "cash" | "bank-transfer";
  /** The day the money was received, YYYY-MM-DD. */
  paidOn: string;
  payerCommitment: string;
  /** Random: two equal payments on the same day are still two receipts. */
  nonce: string;
}

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((v) => v.toLowerCase());
const address = z.string().refine((v) => isAddress(v), "expected an address").transform((v) => getAddress(v));
const uint = z.string().regex(/^[0-9]{1,78}$/, "expected a whole number as decimal text");
const whole = z.int().min(0);

const base = {
  format: z.literal(PLEDGE_RECEIPT_FORMAT),
  receiptId: z.string().min(1).max(200),
  chainId: whole.min(1),
  civicFund: address,
  campaignId: uint,
  municipalityId: whole.min(1).max(2 ** 32 - 1),
  token: address,
  amount: uint,
  verifyUrl: z.string().max(2000),
};

const onchainSchema = z.object({
  ...base,
  kind: z.enum(["pledge", "refund"]),
  pledger: address,
  txHash: bytes32,
  blockNumber: whole,
  logIndex: whole,
  timestamp: whole,
});

const offchainSchema = z.object({
  ...base,
  kind: z.literal("offchain-pledge"),
  document: z.string().min(2).max(10_000),
  receiptHash: bytes32,
  recordTxHash: bytes32,
  proof: z.unknown().nullable(),
});

export class ReceiptFormatError extends Error {
  readonly code = "RECEIPT_INVALID";
}

/** Validates a receipt (parsed JSON or text) and normalizes it; throws ReceiptFormatError naming the problems. */
export function parsePledgeReceipt(json: unknown): PledgeReceipt {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ReceiptFormatError(`not JSON: ${(error as Error).message}`);
    }
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  const result = (kind === "offchain-pledge" ? offchainSchema : onchainSchema).safeParse(value);
  if (!result.success) {
    const list = result.error.issues.map((issue) => `${issue.path.join(".") || "(receipt)"}: ${issue.message}`).join("; ");
    throw new ReceiptFormatError(`not a valid pledge receipt: ${list}`);
  }
  if (result.data.kind !== "offchain-pledge") return result.data;
  const proof = result.data.proof;
  try {
    return { ...result.data, proof: proof === null || proof === undefined ? null : parseProofBundle(proof) };
  } catch (error) {
    throw new ReceiptFormatError(`not a valid pledge receipt: proof: ${(error as Error).message}`);
  }
}
