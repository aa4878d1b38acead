// What a trail event says in words: who acted (and the name their municipality published for them on the
// chain), in which role, what was decided and why. Derived from the event and from other facts of the
// chain only, so that the audit API (from its index) and `ledger audit` (from an RPC node) derive the same
// words and compare them. No node: imports, so it also runs in the CLI on Node 20 and in a browser.
import { STATUS_NAMES } from "./complaintAnswers.js";
import { DOCUMENT_REVOCATION_REASONS } from "./issuance.js";
import { roleName } from "./roles.js";

/** Reason codes of a permit's revocation (PermitRegistry.revoke; the reasoned text is sealed). */
export const PERMIT_REVOCATION_REASONS: Record<number, { th: string; en: string }> = {
  1: { th: "ไม่ปฏิบัติตามเงื่อนไขการอนุญาต", en: "Conditions of the permit not met" },
  2: { th: "ข้อมูลในคำขอไม่ถูกต้อง", en: "False information in the application" },
  3: { th: "ผู้ได้รับอนุญาตขอยกเลิก", en: "Withdrawn at the holder's request" },
  4: { th: "คำสั่งศาลหรือหน่วยงานกำกับ", en: "Court or supervisory order" },
  9: { th: "อื่น ๆ", en: "Other" },
};

/** Reason codes of a complaint closed without a fix (ComplaintLedger.close), as the officer console offers them. */
export const COMPLAINT_CLOSE_REASONS: Record<number, { th: string; en: string }> = {
  1: { th: "ข้อมูลไม่พอที่จะหาจุดเกิดเหตุ", en: "Not enough information to find the place" },
  2: { th: "มีผู้แจ้งเรื่องเดียวกันแล้ว", en: "Already reported by someone else" },
  3: { th: "ไม่อยู่ในอำนาจหน้าที่ของเทศบาล", en: "Not the municipality's responsibility" },
  4: { th: "ตรวจแล้วไม่พบปัญหา", en: "No problem found on inspection" },
  9: { th: "อื่น ๆ", en: "Other" },
};

/**
 * Who may act besides the Directory's officer roles (shared/roles.ts): the national admin (the Directory's
 * owner), a municipality's admin, and a complaint's reporter (who confirms or reopens it).
 */
export const ACTING_ROLES = ["NATIONAL_ADMIN", "MUNICIPALITY_ADMIN", "REPORTER"] as const;

/** The words of a decision: a step's or a permit's, a role granted or revoked, a complaint's new status… */
export type Decision = "approve" | "reject" | "revoke" | "grant" | "compromised" | "suspend" | "reinstate" | (typeof STATUS_NAMES)[number];

/** A reason code with its label in Thai and English (null words for a code the ledger does not list). */
export interface ReasonLabel {
  code: number;
  th: string | null;
  en: string | null;
}

/** The words of one trail event. Every field is null where it says nothing of that event. */
export interface TrailWords {
  /** The permit number of a permit's event. */
  number: string | null;
  /** Who acted: the officer who signed, the admin, the transaction's sender. */
  actor: string | null;
  /** The name the municipality's admin published for the actor on the chain (Directory.OfficerNamed). */
  actorName: string | null;
  /** The role the actor acted in: a Directory role name, or one of {@link ACTING_ROLES}. */
  actorRole: string | null;
  decision: Decision | null;
  reason: ReasonLabel | null;
  /** For the Directory's acts on an officer (a role, a name, a compromised key): that officer's published name. */
  accountName: string | null;
}

/** What the words depend on besides the event: facts of the chain, kept by the index or read from a node. */
export interface TrailFacts {
  /** The name published for `account` in the municipality (its latest OfficerNamed), or null. */
  nameOf(municipalityId: number, account: string): string | null;
  /** A permit's number, municipality and type (its PermitApplied). */
  permitOf(permitId: string): { number: string; municipalityId: number; typeId: string } | undefined;
  /** A permit type's approval roles, first step first (role ids; its PermitTypeDefined). */
  approvalRolesOf(municipalityId: number, typeId: string): string[] | undefined;
  /** The municipality's admin just before the event at this position (MunicipalityAdded, MunicipalityAdminChanged). */
  adminBefore(municipalityId: number, position: { blockNumber: number; logIndex: number }): string | undefined;
}

/** The part of a trail event its words are made from. */
export interface WordedEvent {
  contract: string;
  event: string;
  municipalityId: number | null;
  args: Record<string, unknown>;
  sender: string;
  blockNumber: number;
  logIndex: number;
}

const TREASURER_EVENTS = new Set(["CampaignCreated", "CampaignOpened", "CampaignCancelled", "MilestoneReleased", "OffchainPledgeRecorded"]);
const OFFICER_OF_COMPLAINT = new Set<string>(["acknowledged", "in_progress", "resolved", "rejected", "duplicate", "not_responsible"]);

function label(table: Record<number, { th: string; en: string }>, code: unknown): ReasonLabel | null {
  const number = Number(code);
  if (!Number.isInteger(number) || number === 0) return null;
  return { code: number, th: table[number]?.th ?? null, en: table[number]?.en ?? null };
}

/** Who acted, in which role, what was decided and why. */
function act(event: WordedEvent, facts: TrailFacts): Pick<TrailWords, "actor" | "actorRole" | "decision" | "reason"> {
  const { args } = event;
  const m = event.municipalityId;
  const adminOrNational = (actor: string, admin: string | undefined) =>
    admin !== undefined && admin.toLowerCase() === actor.toLowerCase() ? "MUNICIPALITY_ADMIN" : "NATIONAL_ADMIN";
  const issuingAuthority = () => {
    const permit = facts.permitOf(String(args.permitId));
    const roles = permit && facts.approvalRolesOf(permit.municipalityId, permit.typeId);
    return roles?.length ? roleName(roles[roles.length - 1]) : null;
  };
  const none = { actor: null, actorRole: null, decision: null, reason: null };
  switch (event.event) {
    // PermitRegistry
    case "PermitTypeDefined":
    case "PermitTypeRetired":
    case "ComplaintCategorySet":
      return { ...none, actor: event.sender, actorRole: "MUNICIPALITY_ADMIN" };
    case "PermitApplied":
    case "PermitDocumentsAdded":
      // A permit officer, or the ledger service relaying the applicant's filing.
      return { ...none, actor: String(args.sender) };
    case "PermitCompleted":
    case "PermitIssued":
      return { ...none, actor: String(args.officer), actorRole: "PERMIT_OFFICER" };
    case "PermitStepDecided":
      return {
        ...none,
        actor: String(args.officer),
        actorRole: roleName(String(args.role)),
        decision: Number(args.decision) === 2 ? "reject" : "approve",
      };
    case "PermitApproved":
      return { ...none, decision: "approve" };
    case "PermitRejected":
      return { ...none, decision: "reject" };
    case "PermitAmended":
      return { ...none, actor: String(args.officer), actorRole: issuingAuthority() };
    case "PermitRevoked":
      return {
        actor: String(args.officer),
        actorRole: issuingAuthority(),
        decision: "revoke",
        reason: label(PERMIT_REVOCATION_REASONS, args.reasonCode),
      };
    // ComplaintLedger
    case "ComplaintFiled":
      return { ...none, actor: event.sender };
    case "ComplaintStatusChanged": {
      const status = STATUS_NAMES[Number(args.status)] ?? null;
      const role =
        status === null
          ? null
          : OFFICER_OF_COMPLAINT.has(status)
          ? "COMPLAINT_OFFICER"
          : status === "confirmed" || status === "reopened"
          ? "REPORTER"
          : null;
      return { actor: String(args.actor), actorRole: role, decision: status, reason: label(COMPLAINT_CLOSE_REASONS, args.reasonCode) };
    }
    // CivicFund
    case "Pledged":
    case "Refunded":
      return { ...none, actor: String(args.pledger) };
    // BatchAnchor
    case "BatchAnchored":
      return { ...none, actor: event.sender, actorRole: "ANCHOR_SERVICE" };
    case "RecordRevoked":
      return {
        actor: String(args.actor),
        actorRole: "DOCUMENT_ISSUER",
        decision: "revoke",
        reason: label(DOCUMENT_REVOCATION_REASONS, args.reasonCode),
      };
    // Directory
    case "MunicipalityAdded":
      return { ...none, actor: event.sender, actorRole: "NATIONAL_ADMIN" };
    case "MunicipalitySuspended":
      return { ...none, actor: event.sender, actorRole: "NATIONAL_ADMIN", decision: "suspend" };
    case "MunicipalityReinstated":
      return { ...none, actor: event.sender, actorRole: "NATIONAL_ADMIN", decision: "reinstate" };
    case "MunicipalityAdminChanged":
      return { ...none, actor: event.sender, actorRole: adminOrNational(event.sender, String(args.previousAdmin)) };
    case "OfficerRoleGranted":
      return { ...none, actor: String(args.sender), actorRole: "MUNICIPALITY_ADMIN", decision: "grant" };
    case "OfficerRoleRevoked":
    case "KeyCompromised": {
      const actor = String(args.sender);
      const admin = m === null ? undefined : facts.adminBefore(m, event);
      return { ...none, actor, actorRole: adminOrNational(actor, admin), decision: event.event === "KeyCompromised" ? "compromised" : "revoke" };
    }
    case "OfficerNamed":
      return { ...none, actor: event.sender, actorRole: "MUNICIPALITY_ADMIN" };
    case "MunicipalityProfilePublished":
      return { ...none, actor: String(args.sender), actorRole: "MUNICIPALITY_ADMIN" };
  }
  if (event.contract === "civicFund" && TREASURER_EVENTS.has(event.event)) return { ...none, actor: String(args.officer), actorRole: "TREASURER" };
  return none;
}

/** The words of one trail event (see {@link TrailWords}). */
export function trailWords(event: WordedEvent, facts: TrailFacts): TrailWords {
  const { actor, actorRole, decision, reason } = act(event, facts);
  const m = event.municipalityId;
  const number =
    event.event === "PermitApplied"
      ? String(event.args.number)
      : event.contract === "permitRegistry" && typeof event.args.permitId === "string"
      ? facts.permitOf(event.args.permitId)?.number ?? null
      : null;
  const account = event.contract === "directory" && typeof event.args.account === "string" ? event.args.account : null;
  return {
    number,
    actor,
    actorName: actor !== null && m !== null ? facts.nameOf(m, actor) : null,
    actorRole,
    decision,
    reason,
    accountName: account !== null && m !== null ? facts.nameOf(m, account) : null,
  };
}

/**
 * The facts of the chain, gathered from a list of its trail events in chain order (what `ledger audit` and
 * the API's chain check read from a node): permits, permit types, admins, and the names as of the last event.
 */
export function factsFromEvents(
  events: readonly { event: string; args: Record<string, unknown>; blockNumber: number; logIndex: number }[]
): TrailFacts {
  const names = new Map<string, string>();
  const permits = new Map<string, { number: string; municipalityId: number; typeId: string }>();
  const types = new Map<string, string[]>();
  const admins = new Map<number, Array<{ blockNumber: number; logIndex: number; admin: string }>>();
  const key = (municipalityId: number, value: string) => `${municipalityId}:${value.toLowerCase()}`;
  for (const { event, args, blockNumber, logIndex } of events) {
    const m = Number(args.municipalityId);
    if (event === "OfficerNamed") {
      if (String(args.name) === "") names.delete(key(m, String(args.account)));
      else names.set(key(m, String(args.account)), String(args.name));
    } else if (event === "PermitApplied") {
      permits.set(String(args.permitId).toLowerCase(), { number: String(args.number), municipalityId: m, typeId: String(args.typeId) });
    } else if (event === "PermitTypeDefined") {
      types.set(key(m, String(args.typeId)), (args.approvalRoles as unknown[]).map(String));
    } else if (event === "MunicipalityAdded" || event === "MunicipalityAdminChanged") {
      const admin = String(event === "MunicipalityAdded" ? args.admin : args.newAdmin);
      admins.set(m, [...(admins.get(m) ?? []), { blockNumber, logIndex, admin }]);
    }
  }
  return {
    nameOf: (municipalityId, account) => names.get(key(municipalityId, account)) ?? null,
    permitOf: (permitId) => permits.get(permitId.toLowerCase()),
    approvalRolesOf: (municipalityId, typeId) => types.get(key(municipalityId, typeId)),
    adminBefore: (municipalityId, position) =>
      (admins.get(municipalityId) ?? [])
        .filter(
          (change) =>
            change.blockNumber < position.blockNumber || (change.blockNumber === position.blockNumber && change.logIndex < position.logIndex)
        )
        .at(-1)?.admin,
  };
}
