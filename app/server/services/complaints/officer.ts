import { createHash } from "node:crypto";
import { Transaction, ZeroHash, type Interface } from "ethers";
import type { OfficerTransactionInput } from "../../chain/officerTransactions.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { indexReaches } from "../../workflows/indexCatchUp.js";
import { complaintDetails, saveAttachment, SEAL_CONTEXTS, type ComplaintDetails } from "./details.js";
import { statusNumber } from "./catalogue.js";
import { ComplaintQueries, type ComplaintRecord } from "./queries.js";

/**
 * The complaint officer's side. ComplaintLedger requires msg.sender to be a COMPLAINT_OFFICER of the
 * complaint's municipality, so the officer signs each status change with their own key; the API hands
 * out the call to sign ({to, data}), checks the signed transaction is the signed-in officer's, for this
 * complaint and these values, and relays it (officerTransactions). Resolving carries the evidence: its
 * SHA-256 is in the transaction, the file itself is sealed to IPFS.
 */
export const OFFICER_ACTIONS = {
  acknowledge: "acknowledge",
  start: "startWork",
  resolve: "resolve",
  close: "close",
} as const;

export type OfficerAction = keyof typeof OFFICER_ACTIONS;

const CLOSE_OUTCOMES = ["rejected", "duplicate", "not_responsible"];
const EMPTY_FILE_SHA256 = `0x${createHash("sha256").digest("hex")}`;

export function officerAction(value: string): OfficerAction {
  if (!Object.hasOwn(OFFICER_ACTIONS, value)) throw new AppError("COMPLAINT_ACTION_UNKNOWN");
  return value as OfficerAction;
}

/** The complaint, once `officer` is a COMPLAINT_OFFICER of its municipality (asked on-chain now). */
export async function complaintForOfficer(ctx: WorkflowContext, officer: string, complaintId: string): Promise<ComplaintRecord> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(complaintId)) throw new AppError("COMPLAINT_NOT_FOUND");
  await ctx.catchUpIndex();
  const complaint = new ComplaintQueries(ctx.db).get(complaintId);
  if (!complaint) throw new AppError("COMPLAINT_NOT_FOUND");
  await ctx.officers.requireRole(officer, complaint.municipalityId, ["COMPLAINT_OFFICER"]);
  return complaint;
}

const hex32 = (value: unknown, name: string): string => {
  if (typeof value !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(value)) throw new AppError("QUERY_INVALID", `${name} must be 32 bytes of hex.`);
  return `0x${value.replace(/^0x/, "").toLowerCase()}`;
};

/** The arguments of the call for `action` on `complaint` from the query the web app sends. */
export function callArguments(action: OfficerAction, complaintId: string, query: Record<string, unknown>): unknown[] {
  switch (action) {
    case "acknowledge":
      return [complaintId];
    case "start":
      return [complaintId, query.noteHash === undefined ? ZeroHash : hex32(query.noteHash, "noteHash")];
    case "resolve": {
      const evidenceHash = hex32(query.evidenceHash, "evidenceHash");
      // Refused before the officer signs, not only when the file comes with the signed transaction.
      if (evidenceHash === EMPTY_FILE_SHA256) throw new AppError("FILE_EMPTY", "evidenceHash is the SHA-256 of an empty file: the evidence shows nothing.");
      return [complaintId, evidenceHash];
    }
    case "close": {
      const outcome = String(query.outcome ?? "");
      if (!CLOSE_OUTCOMES.includes(outcome)) throw new AppError("QUERY_INVALID", `outcome must be one of ${CLOSE_OUTCOMES.join(", ")}.`);
      const reasonCode = Number(query.reasonCode);
      if (!Number.isInteger(reasonCode) || reasonCode < 1 || reasonCode > 65_535) throw new AppError("QUERY_INVALID", "reasonCode must be 1..65535.");
      const reasonHash = outcome === "duplicate" ? hex32(query.duplicateOf, "duplicateOf") : query.reasonHash === undefined ? ZeroHash : hex32(query.reasonHash, "reasonHash");
      return [complaintId, statusNumber(outcome), reasonCode, reasonHash];
    }
  }
}

/** What the officer signs for `action`: the contract, the calldata and the chain. */
export async function actionCall(ctx: WorkflowContext, action: OfficerAction, complaint: ComplaintRecord, query: Record<string, unknown>) {
  const ledger = ctx.contracts.complaintLedger;
  const method = OFFICER_ACTIONS[action];
  const args = callArguments(action, complaint.complaintId, query);
  return { to: await ledger.getAddress(), data: (ledger.interface as Interface).encodeFunctionData(method, args), chainId: ctx.chainId, method, args: args.map(String) };
}

export interface Evidence {
  bytes: Uint8Array;
  filename: string | null;
  mediaType: string | null;
}

/**
 * Relays the officer's signed transaction for `action`, after checking it calls `action` on this very
 * complaint (and, for resolve, that its evidenceHash is the SHA-256 of the uploaded evidence) — before
 * anything is broadcast.
 */
export async function performAction(
  ctx: WorkflowContext,
  officer: string,
  action: OfficerAction,
  complaint: ComplaintRecord,
  input: OfficerTransactionInput,
  evidence: Evidence | null,
): Promise<{ txHash: string; confirmed: boolean; details: ComplaintDetails }> {
  const ledger = ctx.contracts.complaintLedger;
  const method = OFFICER_ACTIONS[action];
  const args = await decodedArguments(ctx, input, method);
  if (args && String(args[0]).toLowerCase() !== complaint.complaintId) {
    throw new AppError("TX_WRONG_COMPLAINT", `The transaction is for complaint ${String(args[0])}, not ${complaint.complaintId}.`);
  }
  let sealedEvidence: { cid: string; sha256: string } | null = null;
  if (action === "resolve") {
    if (!evidence) throw new AppError("FILE_MISSING", "Resolving needs the evidence (a photo or document) in the field `file`.");
    if (evidence.bytes.length === 0) throw new AppError("FILE_EMPTY", "The evidence file is empty: it shows nothing of the fix.");
    const sha256 = `0x${createHash("sha256").update(evidence.bytes).digest("hex")}`;
    if (args && String(args[1]).toLowerCase() !== sha256) throw new AppError("EVIDENCE_MISMATCH");
    sealedEvidence = { cid: await ctx.ipfs.add(ctx.vault.seal(evidence.bytes, SEAL_CONTEXTS.evidence)), sha256 };
  }
  const mined = await ctx.officerTransactions.submit(officer, input, { contract: ledger, method });
  // A transaction given by hash was already on the chain: its values are checked once it is mined.
  if (String(mined.args[0]).toLowerCase() !== complaint.complaintId) throw new AppError("TX_WRONG_COMPLAINT");
  if (sealedEvidence) {
    if (String(mined.args[1]).toLowerCase() !== sealedEvidence.sha256) throw new AppError("EVIDENCE_MISMATCH");
    saveAttachment(ctx, complaint.complaintId, mined.txHash, {
      kind: "evidence",
      ...sealedEvidence,
      filename: evidence!.filename,
      mediaType: evidence!.mediaType,
    });
  }
  // Confirmed when the index read its block, CONFIRMATIONS blocks later: waited for a bounded time,
  // then the details are the index's as they are, and `confirmed: false` says they predate the change.
  const confirmed = await indexReaches(ctx, mined.blockNumber);
  return { txHash: mined.txHash, confirmed, details: await complaintDetails(ctx, new ComplaintQueries(ctx.db).get(complaint.complaintId)!) };
}

/** The arguments of a signed (not yet broadcast) transaction, or null for one given by hash. */
async function decodedArguments(ctx: WorkflowContext, input: OfficerTransactionInput, method: string): Promise<unknown[] | null> {
  if (!("signedTransaction" in input) || typeof input.signedTransaction !== "string") return null;
  let data: string;
  try {
    data = Transaction.from(input.signedTransaction).data;
  } catch {
    return null; // officerTransactions answers TX_INVALID
  }
  const call = ctx.contracts.complaintLedger.interface.parseTransaction({ data });
  return call && call.name === method ? [...call.args] : null;
}
