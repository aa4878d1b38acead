// The audit trail as the chain states it: the events of PermitRegistry, ComplaintLedger, CivicFund,
// BatchAnchor (anchored batches, revoked records) and the Directory (roles, officers' names, compromised
// keys), decoded the one way the indexer (server/indexer/modules/trail.ts), the audit API and `ledger audit`
// all decode them, so that their answers can be compared field by field. Only ethers: it also runs in
// the CLI on Node 20 and in a browser.
//
// The event fragments are hand-kept rather than taken from the typechain factories, which `hardhat
// build` generates into the git-ignored types/ folder (a fresh clone running `npx ledger audit` has
// none). test/app/audit.test.ts checks them against the compiled ABIs.
import { Interface, type LogDescription, type Result } from "ethers";
import { roleName } from "./roles.js";
import type { FieldDifference, TrailAnnotations } from "./trailRecords.js";
import type { TrailWords } from "./trailWords.js";

export const TRAIL_EVENT_ABI = {
  permitRegistry: [
    "event PermitAmended(bytes32 indexed permitId, uint32 version, bytes32 indexed certificateHash, bytes32 previousCertificateHash, string cid, bytes32 reasonHash, address indexed officer)",
    "event PermitApplied(bytes32 indexed permitId, uint32 indexed municipalityId, bytes32 typeId, string number, bytes32 applicantCommitment, bytes32[] documentHashes, address sender)",
    "event PermitApproved(bytes32 indexed permitId)",
    "event PermitCompleted(bytes32 indexed permitId, uint64 completedAt, address indexed officer)",
    "event PermitDocumentsAdded(bytes32 indexed permitId, bytes32[] documentHashes, address sender)",
    "event PermitIssued(bytes32 indexed permitId, uint32 version, bytes32 indexed certificateHash, string cid, uint64 validUntil, address indexed officer)",
    "event PermitRejected(bytes32 indexed permitId, uint8 stepIndex)",
    "event PermitRevoked(bytes32 indexed permitId, uint16 reasonCode, bytes32 reasonHash, address indexed officer)",
    "event PermitStepDecided(bytes32 indexed permitId, uint8 stepIndex, bytes32 role, address indexed officer, uint8 decision, bytes32 noteHash)",
    "event PermitTypeDefined(uint32 indexed municipalityId, bytes32 indexed typeId, bytes32[] approvalRoles, uint32 validityDays)",
    "event PermitTypeRetired(uint32 indexed municipalityId, bytes32 indexed typeId)",
    "event EIP712DomainChanged()",
  ],
  complaintLedger: [
    "event ComplaintCategorySet(uint32 indexed municipalityId, bytes32 indexed category, uint32 slaSeconds, bool active)",
    "event ComplaintCommitmentRotated(bytes32 indexed complaintId, bytes32 nextCommitment)",
    "event ComplaintDeadlineReset(bytes32 indexed complaintId, uint48 dueAt)",
    "event ComplaintFiled(bytes32 indexed complaintId, uint32 indexed municipalityId, bytes32 filingId, bytes32 category, bytes32 areaCode, bytes32 contentHash, bytes32 reporterCommitment, uint48 dueAt)",
    "event ComplaintStatusChanged(bytes32 indexed complaintId, uint8 indexed status, uint8 previous, address indexed actor, bytes32 dataHash, uint16 reasonCode)",
    "event EIP712DomainChanged()",
  ],
  civicFund: [
    "event CampaignCancelled(uint256 indexed campaignId, bytes32 reasonHash, address officer)",
    "event CampaignCreated(uint256 indexed campaignId, uint32 indexed municipalityId, address token, address beneficiary, uint256 goal, uint64 deadline, uint256[] milestoneAmounts, bytes32 rulesDocumentHash, address officer)",
    "event CampaignOpened(uint256 indexed campaignId, bytes32 rulesHash, address officer)",
    "event MilestoneReleased(uint256 indexed campaignId, uint8 index, uint256 amount, bytes32 evidenceHash, address beneficiary, address officer)",
    "event OffchainPledgeRecorded(uint256 indexed campaignId, bytes32 indexed receiptHash, uint256 amount, uint256 offchainTotal, address officer)",
    "event Pledged(uint256 indexed campaignId, address indexed pledger, uint256 amount, uint256 pledgerTotal, uint256 campaignTotal)",
    "event Refunded(uint256 indexed campaignId, address indexed pledger, uint256 amount)",
  ],
  batchAnchor: [
    "event BatchAnchored(bytes32 indexed root, uint32 indexed municipalityId, uint32 count)",
    "event EIP712DomainChanged()",
    "event RecordRevoked(uint32 indexed municipalityId, bytes32 indexed root, bytes32 indexed leaf, uint16 reasonCode, bytes32 reasonHash, address actor)",
  ],
  directory: [
    "event KeyCompromised(uint32 indexed municipalityId, address indexed account, uint64 since, address sender)",
    "event MunicipalityAdded(uint32 indexed municipalityId, string code, string name, address indexed admin)",
    "event MunicipalityAdminChanged(uint32 indexed municipalityId, address indexed previousAdmin, address indexed newAdmin)",
    "event MunicipalityProfilePublished(uint32 indexed municipalityId, bytes32 sha256Digest, string cid, address sender)",
    "event MunicipalityReinstated(uint32 indexed municipalityId)",
    "event MunicipalitySuspended(uint32 indexed municipalityId, bytes32 reasonHash)",
    "event ObserverAdded(address indexed observer)",
    "event OfficerNamed(uint32 indexed municipalityId, address indexed account, string name)",
    "event OfficerRoleGranted(uint32 indexed municipalityId, bytes32 indexed role, address indexed account, address sender)",
    "event OfficerRoleRevoked(uint32 indexed municipalityId, bytes32 indexed role, address indexed account, address sender)",
    "event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner)",
    "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
  ],
} as const;

/** The contracts whose events make up the trail (keys of the deployment's contract list). */
export type TrailContract = keyof typeof TRAIL_EVENT_ABI;
export const TRAIL_CONTRACTS = Object.keys(TRAIL_EVENT_ABI) as TrailContract[];

export const TRAIL_INTERFACES: Record<TrailContract, Interface> = {
  permitRegistry: new Interface(TRAIL_EVENT_ABI.permitRegistry),
  complaintLedger: new Interface(TRAIL_EVENT_ABI.complaintLedger),
  civicFund: new Interface(TRAIL_EVENT_ABI.civicFund),
  batchAnchor: new Interface(TRAIL_EVENT_ABI.batchAnchor),
  directory: new Interface(TRAIL_EVENT_ABI.directory),
};

/** The contracts whose subjects have trails of their own (a permit, a complaint, a campaign). */
export type SubjectContract = "permitRegistry" | "complaintLedger" | "civicFund";

/** The argument that names a trail's subject, per contract: it is always the event's first topic. */
export const SUBJECT_ARGUMENT: Record<SubjectContract, "permitId" | "complaintId" | "campaignId"> = {
  permitRegistry: "permitId",
  complaintLedger: "complaintId",
  civicFund: "campaignId",
};

// What an event is about, first match wins: a batch's root, the officer an act of the Directory concerns,
// else the municipality itself (MunicipalityAdded and the like).
const SUBJECT_ARGUMENTS = ["permitId", "complaintId", "campaignId", "typeId", "category", "root", "account", "municipalityId"];

/** An event's arguments as plain JSON: numbers (amounts too) as decimal strings, bytes as 0x-hex. */
export function eventArguments(event: LogDescription): Record<string, unknown> {
  const plain = (value: unknown): unknown => {
    if (typeof value === "bigint") return value.toString();
    if (Array.isArray(value)) return Array.from(value as Result, plain);
    return value;
  };
  return Object.fromEntries(event.fragment.inputs.map((input, i) => [input.name, plain(event.args[i])]));
}

/**
 * What an event is about: the permit, complaint, campaign, permit type or category it names, a batch's
 * root, an officer's account, or the municipality.
 */
export function eventSubject(args: Record<string, unknown>): string {
  const name = SUBJECT_ARGUMENTS.find((key) => key in args);
  return name ? String(args[name]) : "";
}

/** The role names of the arguments that carry role ids (a step's role, a permit type's approval chain). */
export function roleNamesOf(args: Record<string, unknown>): Record<string, string | string[]> | undefined {
  const names: Record<string, string | string[]> = {};
  if (typeof args.role === "string") names.role = roleName(args.role);
  if (Array.isArray(args.approvalRoles)) names.approvalRoles = args.approvalRoles.map((role) => roleName(String(role)));
  return Object.keys(names).length > 0 ? names : undefined;
}

/**
 * One event of the trail, as the audit API answers it and `ledger audit` rebuilds it from the chain: the
 * event itself, its words (trailWords.ts: derived from the chain, so compared too) and what the service
 * adds to it (trailRecords.ts: the records of a batch, a revocation's words; checked against the chain).
 * One row format for the JSON and the CSV export; every field is present, null where it says nothing.
 */
export interface AuditEvent extends TrailWords, TrailAnnotations {
  contract: TrailContract;
  event: string;
  subject: string;
  municipalityId: number | null;
  args: Record<string, unknown>;
  /** Present where args carry role ids: e.g. { role: "ENGINEER" }. */
  roleNames?: Record<string, string | string[]>;
  txHash: string;
  blockNumber: number;
  logIndex: number;
  /** Block time, seconds since the epoch. */
  timestamp: number;
  /** The same instant as ISO 8601 (UTC). */
  time: string;
  /** Who sent the transaction (the relayer, an officer, a resident). */
  sender: string;
}

export function isoTime(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString();
}

/** What differs between two accounts of the same trail, keyed by chain position (block, log index). */
export type TrailDifference =
  | { kind: "missing-in-api" | "missing-on-chain"; blockNumber: number; logIndex: number; event: string; txHash: string }
  | {
      kind: "field-differs";
      blockNumber: number;
      logIndex: number;
      event: string;
      txHash: string;
      fields: Array<{ field: string; api: unknown; chain: unknown }>;
    };

/**
 * The fields compared: the event's own and its words. Time and roleNames are derived from timestamp and
 * args; the annotations (records, reasonWords) are checked against the chain instead ({@link compareTrails}).
 */
const COMPARED_FIELDS = [
  "txHash",
  "contract",
  "event",
  "subject",
  "municipalityId",
  "args",
  "sender",
  "timestamp",
  "number",
  "actor",
  "actorName",
  "actorRole",
  "decision",
  "reason",
  "accountName",
] as const;
const ADDRESS_FIELDS = new Set<string>(["txHash", "sender", "actor"]);

/** A row as compared: its annotations are optional (the chain's side has none). */
export type ComparedEvent = Omit<AuditEvent, "time" | "roleNames" | keyof TrailAnnotations> & Partial<TrailAnnotations>;

/** JSON with sorted keys, so that equal values compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function sameField(field: (typeof COMPARED_FIELDS)[number], a: unknown, b: unknown): boolean {
  // Hashes and addresses may come in any letter case (checksummed or not); they are the same value.
  if (ADDRESS_FIELDS.has(field) && typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return canonical(a) === canonical(b);
}

const positionOf = (e: { blockNumber: number; logIndex: number }) => `${e.blockNumber}:${e.logIndex}`;

/**
 * Every difference between what the API says (`api`) and what the chain says (`chain`) about the same
 * trail; empty when they agree. Events are matched by their position on the chain; the result is in
 * chain order. `checkAnnotations` (trailRecords.ts) checks what the API adds to an event the chain holds.
 */
export function compareTrails(
  api: ReadonlyArray<ComparedEvent>,
  chain: ReadonlyArray<ComparedEvent>,
  checkAnnotations?: (api: ComparedEvent) => FieldDifference[],
): TrailDifference[] {
  const onChain = new Map(chain.map((e) => [positionOf(e), e]));
  const inApi = new Map(api.map((e) => [positionOf(e), e]));
  const differences: TrailDifference[] = [];
  for (const [position, a] of inApi) {
    const c = onChain.get(position);
    const where = { blockNumber: a.blockNumber, logIndex: a.logIndex, event: a.event, txHash: a.txHash };
    if (!c) {
      differences.push({ kind: "missing-on-chain", ...where });
      continue;
    }
    const fields: FieldDifference[] = COMPARED_FIELDS.filter((field) => !sameField(field, a[field], c[field])).map((field) => ({
      field,
      api: a[field],
      chain: c[field],
    }));
    if (checkAnnotations) fields.push(...checkAnnotations(a));
    if (fields.length > 0) differences.push({ kind: "field-differs", ...where, event: c.event, fields });
  }
  for (const [position, c] of onChain) {
    if (!inApi.has(position)) differences.push({ kind: "missing-in-api", blockNumber: c.blockNumber, logIndex: c.logIndex, event: c.event, txHash: c.txHash });
  }
  return differences.sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex);
}

/** A day (YYYY-MM-DD, a UTC day) or an ISO 8601 instant with a zone, as the export and the CLI take them. */
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The block-time bounds (seconds, both inclusive) of `from` … `to`: a day covers the whole UTC day, so
 * `to=2026-12-31` includes the last second of that day. Returns null for a value that is neither.
 */
export function timeBound(value: string, end: "from" | "to"): number | null {
  if (DAY_PATTERN.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
    return end === "from" ? ms / 1000 : ms / 1000 + 86_399;
  }
  if (INSTANT_PATTERN.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return null;
    return end === "from" ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  }
  return null;
}
