import { id } from "ethers";
import type { Towns } from "../towns.js";

/**
 * Off-chain labels of the permit workflow, as each town's profile gives them (services/towns.ts): what a
 * permit type is called in Thai and English and its short code in readable permit numbers. The chain
 * knows a permit type by the keccak256 of its code only; a type the profile does not describe is shown
 * under its code (or its id) and numbered with a short code made from it.
 */
export interface PermitTypeLabel {
  code: string;
  /** Short code in the permit number, e.g. BLD in TH-50-MAEHIA/BLD/2026/000001. */
  abbreviation: string;
  th: string;
  en: string;
}

export function permitTypeLabel(towns: Towns, municipalityId: number, code: string): PermitTypeLabel {
  const type = towns.profile(municipalityId)?.permitTypes.find((candidate) => candidate.code === code);
  if (type) return { code, abbreviation: type.abbreviation, th: type.label.th, en: type.label.en };
  return { code, abbreviation: code.replace(/[^A-Z0-9]/g, "").slice(0, 3) || "PMT", th: code, en: code };
}

/** The code of a permit type id (keccak256 of the code) as the town's profile names it; else the id itself. */
export function permitTypeCodeOf(towns: Towns, municipalityId: number, typeId: string): string {
  const wanted = typeId.toLowerCase();
  return towns.profile(municipalityId)?.permitTypes.find((type) => id(type.code) === wanted)?.code ?? typeId;
}

/** Reason codes of a revocation (the code is public on-chain; the reasoned text is sealed). */
export { PERMIT_REVOCATION_REASONS as REVOCATION_REASONS } from "../../../shared/trailWords.js";
