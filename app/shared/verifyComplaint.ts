// Checks a complaint's public record against any RPC node of its chain, trusting nothing but that node:
// ComplaintLedger's record of the complaint and its event stream (filed, then every status change with its
// actor), and the Directory's word that each officer's change was made by a key that held
// COMPLAINT_OFFICER in that municipality at that time. With a record file (an Open311 service request with
// its extensions, or the API's complaint record) it also says whether the file tells what the chain tells.
// Only ethers, so it runs in a browser; the CLI and the web verifier run this one function.
import { Interface, getAddress, toQuantity } from "ethers";
import { STATUS_NAMES, type DetailedStatus } from "./complaintAnswers.js";
import type { Check, Verdict } from "./proofBundle.js";
import { roleId } from "./roles.js";
import { ask, callView, DIRECTORY_ABI, type JsonRpcSender } from "./verifyBundle.js";

export const COMPLAINT_LEDGER_ABI = [
  "function complaint(bytes32 complaintId) view returns (tuple(uint32 municipalityId, uint8 status, uint32 reopenCount, uint48 filedAt, uint48 dueAt, uint48 updatedAt, bytes32 category, bytes32 reporterCommitment))",
  "function isOverdue(bytes32 complaintId) view returns (bool)",
  "function directory() view returns (address)",
  "event ComplaintFiled(bytes32 indexed complaintId, uint32 indexed municipalityId, bytes32 filingId, bytes32 category, bytes32 areaCode, bytes32 contentHash, bytes32 reporterCommitment, uint48 dueAt)",
  "event ComplaintStatusChanged(bytes32 indexed complaintId, uint8 indexed status, uint8 previous, address indexed actor, bytes32 dataHash, uint16 reasonCode)",
] as const;

const ledger = new Interface(COMPLAINT_LEDGER_ABI);
const directoryInterface = new Interface(DIRECTORY_ABI);
const FILED = ledger.getEvent("ComplaintFiled")!;
const CHANGED = ledger.getEvent("ComplaintStatusChanged")!;
const COMPLAINT_OFFICER = roleId("COMPLAINT_OFFICER");
/** The statuses only the reporter sets (confirmed, reopened): every other change is an officer's act. */
const REPORTER_STATUSES: readonly DetailedStatus[] = ["confirmed", "reopened"];

export const COMPLAINT_CHECK_NAMES = ["chain-id", "ledger-deployed", "complaint-filed", "status-history", "officer-roles", "record-matches-chain"] as const;
export type ComplaintCheckName = (typeof COMPLAINT_CHECK_NAMES)[number];

export interface ComplaintTarget {
  /** The ComplaintLedger (deployment.json / ledger-config.json name it). */
  ledger: string;
  chainId?: number;
  complaintId: string;
  /** The first block worth searching for events (the deployment's block). */
  fromBlock?: number;
}

export interface ComplaintStep {
  status: DetailedStatus;
  previous: DetailedStatus | null;
  actor: string;
  /** The name the municipality's admin published for an officer (Directory.officerName). */
  actorName?: string;
  /** "officer": an officer's act, its role checked; "reporter": the resident's (or the relay of their code). */
  by: "officer" | "reporter" | "filing";
  /** The role check of an officer's act: held COMPLAINT_OFFICER then, and the key not compromised before. */
  authorised?: boolean;
  at: number;
  txHash: string;
  blockNumber: number;
  dataHash: string | null;
  reasonCode: number;
}

export interface ComplaintVerification {
  /** valid: on the chain, every officer's act authorised (and the file, if any, tells the same). */
  verdict: Verdict;
  checks: Check[];
  complaint?: {
    complaintId: string;
    municipalityId: number;
    municipalityName?: string;
    status: DetailedStatus;
    reopenCount: number;
    filedAt: number;
    dueAt: number;
    updatedAt: number;
    overdue: boolean;
    category: string;
    contentHash: string;
  };
  history: ComplaintStep[];
}

interface RpcLog {
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
}

/** What a record file says, in the names of the chain (each field only when the file has it). */
export interface ComplaintRecordClaims {
  complaintId: string;
  status?: string;
  contentHash?: string;
  reopenCount?: number;
  filedAt?: number;
  dueAt?: number;
  filedTx?: string;
  notes?: { status?: string; txHash?: string; actor?: string }[];
}

const statusName = (n: number): DetailedStatus => STATUS_NAMES[n] ?? "none";
const when = (seconds: number) => (seconds > 0 && seconds <= 8.64e12 ? new Date(seconds * 1000).toISOString() : String(seconds));
const COMPLAINT_ID = /^0x[0-9a-fA-F]{64}$/;

/**
 * Reads a complaint record file: an Open311 GeoReport v2 service request (alone or as the one-element
 * list the API answers, with `extensions=true` for the hashes and notes), or the API's complaint record.
 * Returns null for anything else.
 */
export function complaintRecordClaims(json: unknown): ComplaintRecordClaims | null {
  const value = Array.isArray(json) && json.length === 1 ? json[0] : json;
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, any>;
  const source = r.complaint && typeof r.complaint === "object" ? (r.complaint as Record<string, any>) : r;
  const id = source.service_request_id ?? source.complaintId;
  if (typeof id !== "string" || !COMPLAINT_ID.test(id)) return null;
  const ext = (source.extended_attributes ?? {}) as Record<string, any>;
  const seconds = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Math.floor(Date.parse(v) / 1000) : undefined);
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const notesSource: unknown[] = Array.isArray(source.notes) ? source.notes : Array.isArray(r.history) ? r.history : [];
  const claims: ComplaintRecordClaims = {
    complaintId: id.toLowerCase(),
    status: text(ext.detailed_status) ?? text(source.detailedStatus),
    contentHash: text(ext.content_hash) ?? text(source.contentHash),
    reopenCount: typeof ext.reopen_count === "number" ? ext.reopen_count : typeof source.reopenCount === "number" ? source.reopenCount : undefined,
    filedAt: seconds(source.requested_datetime ?? source.filedAt),
    dueAt: seconds(source.expected_datetime ?? source.dueAt),
    filedTx: text(ext.filed_tx_hash) ?? text(source.filedTx),
    notes: notesSource
      .filter((note): note is Record<string, any> => !!note && typeof note === "object")
      .map((note) => ({ status: text(note.summary) ?? text(note.status), txHash: text(note.tx_hash) ?? text(note.txHash), actor: text(note.actor) })),
  };
  return claims;
}

/**
 * Checks the complaint `target.complaintId` against the chain behind `rpc`, and, given `claims` (a record
 * file read by complaintRecordClaims), that the file tells the chain's story. Throws RpcFailedError when
 * the node does not answer.
 */
export async function verifyComplaintRecord(rpc: JsonRpcSender, target: ComplaintTarget, claims?: ComplaintRecordClaims): Promise<ComplaintVerification> {
  const checks: Check[] = [];
  const history: ComplaintStep[] = [];
  const record = (name: ComplaintCheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const result = (extra: Partial<ComplaintVerification> = {}): ComplaintVerification => ({ verdict: verdictOf(checks), checks, history, ...extra });
  const complaintId = target.complaintId.toLowerCase();

  if (target.chainId !== undefined) {
    const chainId = Number(BigInt(await ask<string>(rpc, "eth_chainId", [])));
    record("chain-id", chainId === target.chainId, `the RPC node serves chain ${chainId}${chainId === target.chainId ? "" : `, not ${target.chainId}`}`);
  }
  const contract = getAddress(target.ledger);
  const deployed = (await ask<string>(rpc, "eth_getCode", [contract, "latest"])) !== "0x";
  record("ledger-deployed", deployed, deployed ? `ComplaintLedger ${contract} has code` : `no contract at ${contract} on this chain`);
  if (!deployed) return result();

  const answer = await callView(rpc, ledger, contract, "complaint", [complaintId]);
  const logs = await ask<RpcLog[]>(rpc, "eth_getLogs", [
    { address: contract, fromBlock: toQuantity(target.fromBlock ?? 0), toBlock: "latest", topics: [[FILED.topicHash, CHANGED.topicHash], complaintId] },
  ]);
  logs.sort((a, b) => Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex)));
  const filedLog = logs.find((log) => log.topics[0].toLowerCase() === FILED.topicHash);
  if (!answer || !filedLog) {
    record("complaint-filed", false, !answer ? `ComplaintLedger knows no complaint ${complaintId}` : `no ComplaintFiled event of ${complaintId} from ${contract}`);
    return result();
  }
  const c = answer[0] as Record<string, bigint | string>;
  const times = new Map<number, number>();
  const timeOf = async (blockNumber: number) => {
    if (!times.has(blockNumber)) {
      const block = await ask<{ timestamp: string } | null>(rpc, "eth_getBlockByNumber", [toQuantity(blockNumber), false]);
      times.set(blockNumber, block ? Number(BigInt(block.timestamp)) : 0);
    }
    return times.get(blockNumber)!;
  };
  const municipalityId = Number(c.municipalityId);
  // The content hash is on the chain in the filing event only: the ledger's stored record leaves it out.
  const filed = ledger.decodeEventLog(FILED, filedLog.data, filedLog.topics);
  const complaint = {
    complaintId,
    municipalityId,
    status: statusName(Number(c.status)),
    reopenCount: Number(c.reopenCount),
    filedAt: Number(c.filedAt),
    dueAt: Number(c.dueAt),
    updatedAt: Number(c.updatedAt),
    overdue: Boolean((await callView(rpc, ledger, contract, "isOverdue", [complaintId]))?.[0]),
    category: String(c.category),
    contentHash: String(filed.contentHash).toLowerCase(),
  };
  const filedBlock = Number(BigInt(filedLog.blockNumber));
  record(
    "complaint-filed",
    true,
    `ComplaintLedger holds complaint ${complaintId} of municipality ${municipalityId}, filed in transaction ${filedLog.transactionHash} (block ${filedBlock}) at ${when(complaint.filedAt)}; now ${complaint.status}`,
  );
  history.push({
    status: "filed",
    previous: null,
    actor: "",
    by: "filing",
    at: await timeOf(filedBlock),
    txHash: filedLog.transactionHash.toLowerCase(),
    blockNumber: filedBlock,
    dataHash: null,
    reasonCode: 0,
  });

  // The event stream: each change starts from the status the one before left, and ends where the record is.
  let status: DetailedStatus = "filed";
  const broken: string[] = [];
  for (const log of logs.filter((l) => l.topics[0].toLowerCase() === CHANGED.topicHash)) {
    const args = ledger.decodeEventLog(CHANGED, log.data, log.topics);
    const [to, from] = [statusName(Number(args.status)), statusName(Number(args.previous))];
    if (from !== status) broken.push(`${from} → ${to} follows ${status}`);
    status = to;
    const blockNumber = Number(BigInt(log.blockNumber));
    const dataHash = String(args.dataHash).toLowerCase();
    history.push({
      status: to,
      previous: from,
      actor: getAddress(String(args.actor)),
      by: REPORTER_STATUSES.includes(to) ? "reporter" : "officer",
      at: await timeOf(blockNumber),
      txHash: log.transactionHash.toLowerCase(),
      blockNumber,
      dataHash: /^0x0{64}$/.test(dataHash) ? null : dataHash,
      reasonCode: Number(args.reasonCode),
    });
  }
  if (status !== complaint.status) broken.push(`the events end at ${status}, the record says ${complaint.status}`);
  record(
    "status-history",
    broken.length === 0,
    broken.length === 0 ? `${history.length - 1} status change${history.length === 2 ? "" : "s"} after filing, each from the status before, ending at ${complaint.status}` : broken.join("; "),
  );

  // Each officer's act: the Directory's word on the key at the block's time (the contract checked the role then).
  const directoryAnswer = await callView(rpc, ledger, contract, "directory", []);
  const directory = directoryAnswer ? String(directoryAnswer[0]) : undefined;
  const refused: string[] = [];
  for (const step of history.filter((s) => s.by === "officer")) {
    const [held, compromised, named] = directory
      ? await Promise.all([
          callView(rpc, directoryInterface, directory, "roleHeldAt", [municipalityId, COMPLAINT_OFFICER, step.actor, step.at]),
          callView(rpc, directoryInterface, directory, "compromisedSince", [municipalityId, step.actor]),
          callView(rpc, directoryInterface, directory, "officerName", [municipalityId, step.actor]),
        ])
      : [undefined, undefined, undefined];
    const since = compromised ? Number(compromised[0]) : undefined;
    step.authorised = Boolean(held?.[0]) && since !== undefined && (since === 0 || since > step.at);
    if (named && String(named[0])) step.actorName = String(named[0]);
    if (!step.authorised) refused.push(`${step.status} by ${step.actor} at ${when(step.at)}${held?.[0] ? " (key marked compromised from before)" : " (no COMPLAINT_OFFICER role then)"}`);
  }
  const officerSteps = history.filter((s) => s.by === "officer").length;
  record(
    "officer-roles",
    directory !== undefined && refused.length === 0,
    !directory
      ? "the ComplaintLedger names no Directory"
      : refused.length === 0
        ? `each of the ${officerSteps} officer's change${officerSteps === 1 ? "" : "s"} was made by a key that held COMPLAINT_OFFICER in municipality ${municipalityId} then`
        : `not authorised: ${refused.join("; ")}`,
  );

  if (claims) record("record-matches-chain", ...compareClaims(claims, complaint, history));
  if (directory) {
    const town = await callView(rpc, directoryInterface, directory, "municipality", [municipalityId]);
    if (town) Object.assign(complaint, { municipalityName: String(town[1]) });
  }
  return result({ complaint });
}

function verdictOf(checks: readonly Check[]): Verdict {
  const failed = checks.filter((check) => !check.ok).map((check) => check.name);
  if (failed.length === 0) return "valid";
  return failed.every((name) => name === "officer-roles") ? "unauthorised" : "unknown";
}

/** Where the record file and the chain differ, field by field (only the fields the file has). */
function compareClaims(claims: ComplaintRecordClaims, complaint: NonNullable<ComplaintVerification["complaint"]>, history: ComplaintStep[]): [boolean, string] {
  const differ: string[] = [];
  const compared: string[] = [];
  const same = (what: string, claimed: unknown, actual: unknown) => {
    if (claimed === undefined) return;
    compared.push(what);
    const [a, b] = [String(claimed).toLowerCase(), String(actual).toLowerCase()];
    if (a !== b) differ.push(`${what}: the file says ${String(claimed)}, the chain ${String(actual)}`);
  };
  same("id", claims.complaintId, complaint.complaintId);
  same("status", claims.status, complaint.status);
  same("content hash", claims.contentHash, complaint.contentHash);
  same("reopen count", claims.reopenCount, complaint.reopenCount);
  same("filed at", claims.filedAt, complaint.filedAt);
  same("due at", claims.dueAt, complaint.dueAt);
  same("filing transaction", claims.filedTx, history[0]?.txHash);
  const notes = claims.notes ?? [];
  if (notes.length > 0) {
    // Open311's notes begin with the filing itself; the API's history may too.
    const changes = notes[0]?.status === "filed" ? history : history.slice(1);
    compared.push(`${notes.length} notes`);
    if (notes.length !== changes.length) differ.push(`the file lists ${notes.length} status notes, the chain ${changes.length}`);
    notes.forEach((note, i) => {
      const step = changes[i];
      if (!step) return;
      if (note.status !== undefined && note.status.replace(/ /g, "_") !== step.status) differ.push(`note ${i + 1}: the file says ${note.status}, the chain ${step.status}`);
      if (note.txHash !== undefined && note.txHash.toLowerCase() !== step.txHash) differ.push(`note ${i + 1}: the file names transaction ${note.txHash}, the chain ${step.txHash}`);
      if (step.by !== "filing" && note.actor !== undefined && note.actor !== "" && note.actor.toLowerCase() !== step.actor.toLowerCase()) differ.push(`note ${i + 1}: the file names ${note.actor}, the chain ${step.actor}`);
    });
  }
  return differ.length === 0 ? [true, `the file tells what the chain tells (${compared.join(", ")})`] : [false, differ.join("; ")];
}

/** A complaint id as the chain writes it, or null: 0x and 64 hex digits. */
export function normalizeComplaintId(text: string): string | null {
  const trimmed = text.trim().replace(/^complaint:/i, "");
  return COMPLAINT_ID.test(trimmed) ? trimmed.toLowerCase() : null;
}
