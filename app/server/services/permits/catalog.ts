/**
 * Off-chain labels of the permit workflow: what a permit type and a municipality are called in Thai and
 * English, the permit types' short codes in readable permit numbers, and the display names of the demo
 * officers. None of it is personal data of residents; officers' names are shown only for the embedded
 * chain's demo accounts (a real deployment shows addresses, or names from its own configuration).
 */
export interface PermitTypeLabel {
  code: string;
  /** Short code in the permit number, e.g. BLD in TH-50-MAEHIA/BLD/2026/000001. */
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

/** Known municipalities by their Directory code: the Thai name (the English name is on-chain). */
const MUNICIPALITIES: Record<string, { th: string }> = {
  "TH-50-MAEHIA": { th: "เทศบาลเมืองแม่เหียะ" },
};

export function permitTypeLabel(code: string): PermitTypeLabel {
  return PERMIT_TYPES[code] ?? { code, abbreviation: code.replace(/[^A-Z0-9]/g, "").slice(0, 3) || "PMT", th: code, en: code };
}

/** The permit type codes this service knows a label for (a typeId is keccak256 of its code). */
export function knownPermitTypeCodes(): string[] {
  return Object.keys(PERMIT_TYPES);
}

export function municipalityLabel(code: string, name: string): { th: string; en: string } {
  return { th: MUNICIPALITIES[code]?.th ?? name, en: name };
}

/** Reason codes of a revocation (the code is public on-chain; the reasoned text is sealed). */
export { PERMIT_REVOCATION_REASONS as REVOCATION_REASONS } from "../../../shared/trailWords.js";
