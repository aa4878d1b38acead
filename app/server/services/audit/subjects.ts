import { id, toBeHex, zeroPadValue } from "ethers";
import { AppError } from "../../errors.js";
import type { SubjectContract } from "../../../shared/trailEvents.js";

/** What an audit route is about: the contract, the subject as idx_events keeps it, and its first topic. */
export interface AuditSubject {
  kind: AuditKind;
  contract: SubjectContract;
  /** As the events name it: a 0x-hex permitId / complaintId, a decimal campaignId. */
  subject: string;
  /** The subject as the events' first topic (a 32-byte word), for eth_getLogs. */
  topic: string;
}

export const AUDIT_KINDS = ["permits", "complaints", "funds"] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
// A permit number is public text such as "TH-50-MAEHIA/BP/2026/0001": printable, bounded.
const PERMIT_NUMBER = /^[\p{L}\p{N}\p{P}\p{S} ]{1,128}$/u;
const CAMPAIGN_ID = /^[1-9][0-9]{0,30}$/;

/** A permit number as given (`?permit=` of the export); 400 AUDIT_ID_INVALID when it cannot be one. */
export function parsePermitNumber(raw: string): string {
  if (!PERMIT_NUMBER.test(raw) || raw.trim() !== raw)
    throw new AppError("AUDIT_ID_INVALID", "A permit is named by its number, e.g. TH-50-MAEHIA/BLD/2026/000001.");
  return raw;
}

/** Parses the `:id` of /api/audit/<kind>/:id; 400 AUDIT_ID_INVALID when it cannot name anything. */
export function parseAuditSubject(kind: AuditKind, raw: string): AuditSubject {
  switch (kind) {
    case "permits": {
      // A permit id is keccak256 of the permit number (PermitRegistry.permitIdOf), so either names it.
      const subject = HEX32.test(raw) ? raw.toLowerCase() : PERMIT_NUMBER.test(raw) && raw.trim() === raw ? id(raw) : null;
      if (!subject) throw new AppError("AUDIT_ID_INVALID", "A permit is named by its number or its permitId (0x and 64 hex digits).");
      return { kind, contract: "permitRegistry", subject, topic: subject };
    }
    case "complaints":
      if (!HEX32.test(raw)) throw new AppError("AUDIT_ID_INVALID", "A complaint is named by its complaintId (0x and 64 hex digits).");
      return { kind, contract: "complaintLedger", subject: raw.toLowerCase(), topic: raw.toLowerCase() };
    case "funds": {
      if (!CAMPAIGN_ID.test(raw) || BigInt(raw) >= 2n ** 256n) {
        throw new AppError("AUDIT_ID_INVALID", "A campaign is named by its campaign id (a positive whole number).");
      }
      return { kind, contract: "civicFund", subject: BigInt(raw).toString(), topic: zeroPadValue(toBeHex(BigInt(raw)), 32) };
    }
  }
}
