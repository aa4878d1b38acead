import type { DatabaseSync } from "node:sqlite";
import { trailOf } from "../../indexer/modules/trail.js";
import { REVOCATION_REASONS } from "./catalog.js";
import type { OfficerNames } from "../../indexer/officerNames.js";
import { Towns } from "../towns.js";

/**
 * A permit's trail as people read it, from the indexed PermitRegistry events (idx_events): each step
 * with who acted (role, address, display name), what they decided, when, in which transaction, and the
 * hashes it carried. Nothing here is personal data: the chain never held any.
 */
export interface PermitTrailStep {
  step: "applied" | "documents-added" | "completed" | "decided" | "approved" | "rejected" | "issued" | "amended" | "revoked";
  at: string;
  txHash: string;
  blockNumber: number;
  /** Who sent the transaction (the ledger service when it relayed). */
  sender: string;
  /** The officer whose own signature the step carries (completion, decisions, issuance, amendments, revocations). */
  officer?: string;
  officerName?: string;
  role?: string;
  stepIndex?: number;
  decision?: "approve" | "reject";
  noteHash?: string;
  documentHashes?: string[];
  certificateHash?: string;
  previousCertificateHash?: string;
  version?: number;
  cid?: string;
  reasonCode?: number;
  reason?: { th: string; en: string };
  reasonHash?: string;
}

const STEP_OF_EVENT: Record<string, PermitTrailStep["step"]> = {
  PermitApplied: "applied",
  PermitDocumentsAdded: "documents-added",
  PermitCompleted: "completed",
  PermitStepDecided: "decided",
  PermitApproved: "approved",
  PermitRejected: "rejected",
  PermitIssued: "issued",
  PermitAmended: "amended",
  PermitRevoked: "revoked",
};

const ZERO = `0x${"0".repeat(64)}`;

/** The permit's steps from the index of its events, officers named as their municipality published them. */
export function permitTrail(db: DatabaseSync, permitId: string, municipalityId: number, names: OfficerNames): PermitTrailStep[] {
  const steps: PermitTrailStep[] = [];
  // A town's own roles (SAFETY_OFFICER) by the names its profile gives them, as the permit's steps are.
  const towns = Towns.of(db);
  for (const event of trailOf(db, "permitRegistry", permitId.toLowerCase())) {
    const step = STEP_OF_EVENT[event.event];
    if (!step) continue;
    const a = event.args as unknown as Record<string, string | string[]>;
    const entry: PermitTrailStep = {
      step,
      at: new Date(event.timestamp * 1000).toISOString(),
      txHash: event.txHash,
      blockNumber: event.blockNumber,
      sender: event.sender,
    };
    const officer = (a.officer as string | undefined) ?? undefined;
    if (officer) Object.assign(entry, { officer, officerName: names.nameOf(municipalityId, officer) ?? undefined });
    if (a.role) entry.role = towns.role(municipalityId, String(a.role)).role;
    if (a.stepIndex !== undefined) entry.stepIndex = Number(a.stepIndex);
    if (event.event === "PermitStepDecided") entry.decision = Number(a.decision) === 1 ? "approve" : "reject";
    if (a.noteHash && a.noteHash !== ZERO) entry.noteHash = String(a.noteHash);
    if (Array.isArray(a.documentHashes)) entry.documentHashes = a.documentHashes.map(String);
    if (a.certificateHash) entry.certificateHash = String(a.certificateHash);
    if (a.previousCertificateHash) entry.previousCertificateHash = String(a.previousCertificateHash);
    if (a.version !== undefined) entry.version = Number(a.version);
    if (a.cid) entry.cid = String(a.cid);
    if (a.reasonCode !== undefined) {
      entry.reasonCode = Number(a.reasonCode);
      entry.reason = REVOCATION_REASONS[entry.reasonCode] ?? REVOCATION_REASONS[9];
    }
    if (a.reasonHash) entry.reasonHash = String(a.reasonHash);
    steps.push(entry);
  }
  return steps;
}

export const STATUTE_DAYS = 45;

/**
 * The legal clock of the Building Control Act: from the application's completion (PermitCompleted) to
 * the decision (the last step's approval or a rejection), or to now while undecided, against 45 days.
 */
export function legalClock(trail: PermitTrailStep[], nowSeconds: number) {
  const completed = trail.find((step) => step.step === "completed");
  if (!completed) return { completedAt: null, decidedAt: null, decided: false, days: null, statuteDays: STATUTE_DAYS, withinStatute: null };
  const decision = trail.find((step) => step.step === "approved" || step.step === "rejected");
  const start = Date.parse(completed.at) / 1000;
  const end = decision ? Date.parse(decision.at) / 1000 : nowSeconds;
  const elapsedSeconds = Math.max(0, end - start);
  return {
    completedAt: completed.at,
    decidedAt: decision?.at ?? null,
    decided: decision !== undefined,
    elapsedSeconds,
    days: Math.round((elapsedSeconds / 86_400) * 100) / 100,
    statuteDays: STATUTE_DAYS,
    deadline: new Date((start + STATUTE_DAYS * 86_400) * 1000).toISOString(),
    withinStatute: elapsedSeconds <= STATUTE_DAYS * 86_400,
  };
}
