import type { DevAccount, DevRole } from "../../chain/devAccounts.js";

/**
 * Off-chain labels of the permit workflow: what a permit type and a municipality are called in Thai and
 * English, the short codes that make readable permit numbers, and the display names of the demo
 * officers. None of it is personal data of residents; officers' names are shown only for the embedded
 * chain's demo accounts (a real deployment shows addresses, or names from its own configuration).
 */
export interface PermitTypeLabel {
  code: string;
  /** Short code in the permit number, e.g. BLD in MH-BLD-2026-000001. */
  abbreviation: string;
  th: string;
  en: string;
}

const PERMIT_TYPES: Record<string, PermitTypeLabel> = {
  BUILDING: { code: "BUILDING", abbreviation: "BLD", th: "อนุญาตก่อสร้างอาคาร", en: "Building permit" },
  HEALTH_HAZARD_BUSINESS: {
    code: "HEALTH_HAZARD_BUSINESS",
    abbreviation: "HHB",
    th: "ใบอนุญาตประกอบกิจการที่เป็นอันตรายต่อสุขภาพ",
    en: "Licence for a business that may harm health",
  },
};

/** Known municipalities by their Directory code: short code and Thai name (the English name is on-chain). */
const MUNICIPALITIES: Record<string, { abbreviation: string; th: string }> = {
  "TH-50-MAEHIA": { abbreviation: "MH", th: "เทศบาลเมืองแม่เหียะ" },
};

const DEMO_OFFICER_NAMES: Partial<Record<DevRole, string>> = {
  permitOfficer: "เจ้าหน้าที่ สมหญิง (demo)",
  engineer: "วิศวกร สมศักดิ์ (demo)",
  director: "ผู้อำนวยการกองช่าง สมชาย (demo)",
  mayor: "นายกเทศมนตรี สมพร (demo)",
  healthOfficer: "เจ้าหน้าที่สาธารณสุข สมใจ (demo)",
  ledgerService: "ระบบบริการบัญชีสาธารณะ (ledger service)",
};

export function permitTypeLabel(code: string): PermitTypeLabel {
  return PERMIT_TYPES[code] ?? { code, abbreviation: code.replace(/[^A-Z0-9]/g, "").slice(0, 3) || "PMT", th: code, en: code };
}

/** The permit type codes this service knows a label for (a typeId is keccak256 of its code). */
export function knownPermitTypeCodes(): string[] {
  return Object.keys(PERMIT_TYPES);
}

export function municipalityLabel(code: string, name: string): { abbreviation: string; th: string; en: string } {
  const known = MUNICIPALITIES[code];
  const fallback = code.split("-").pop()!.replace(/[^A-Z0-9]/gi, "").toUpperCase() || "M";
  return { abbreviation: known?.abbreviation ?? fallback, th: known?.th ?? name, en: name };
}

/** Display names of officers by lowercase address: the demo accounts' names, or none on a real chain. */
export function officerNames(devAccounts: DevAccount[] | null): Map<string, string> {
  const names = new Map<string, string>();
  for (const account of devAccounts ?? []) {
    const name = DEMO_OFFICER_NAMES[account.role];
    if (name) names.set(account.address.toLowerCase(), name);
  }
  return names;
}

/** Reason codes of a revocation (the code is public on-chain; the reasoned text is sealed). */
export const REVOCATION_REASONS: Record<number, { th: string; en: string }> = {
  1: { th: "ไม่ปฏิบัติตามเงื่อนไขการอนุญาต", en: "Conditions of the permit not met" },
  2: { th: "ข้อมูลในคำขอไม่ถูกต้อง", en: "False information in the application" },
  3: { th: "ผู้ได้รับอนุญาตขอยกเลิก", en: "Withdrawn at the holder's request" },
  4: { th: "คำสั่งศาลหรือหน่วยงานกำกับ", en: "Court or supervisory order" },
  9: { th: "อื่น ๆ", en: "Other" },
};
