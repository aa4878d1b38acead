import { ROLE_NAMES } from "../../../shared/roles.js";
import { TownProfileError, parseTownProfile, type TownArea, type TownProfile } from "../../../shared/townProfile.js";
import type { TownSummary } from "../towns/townsApi.js";

/**
 * The town file as the admin edits it in the console: a TownProfile (app/shared/townProfile.ts) that
 * may lack its map area while a new town is set up. The shared schema checks it before anything is
 * planned, so the console and `ledger town apply` accept exactly the same files.
 */
export type TownDraft = Omit<TownProfile, "area"> & { area: TownArea | null };
export type DraftChange = (change: (draft: TownDraft) => TownDraft) => void;

/** Codes the chain keeps as keccak256(code): roles, permit types, complaint categories (as the schema has it). */
const CHAIN_CODE = /^[A-Z][A-Z0-9_]{0,47}$/;

/** Why `code` cannot name a new role, permit type or category: not a code the chain keeps, or taken already. */
export function newCodeProblem(code: string, taken: Iterable<string>): "admin.codeInvalid" | "admin.codeTaken" | null {
  if (!CHAIN_CODE.test(code)) return "admin.codeInvalid";
  return [...taken].includes(code) ? "admin.codeTaken" : null;
}

/** A town whose admin has published no profile yet: its code and name from the chain, nothing else. */
export function blankDraft(town: TownSummary): TownDraft {
  return {
    version: 1,
    code: town.code,
    name: { th: town.name.th, en: town.name.en },
    open311: { jurisdictionId: town.code.toLowerCase(), apiKeys: [] },
    area: null,
    roles: [],
    officers: [],
    permitTypes: [],
    complaintCategories: [],
  };
}

/** The draft as a valid profile, or every problem with its place in the file. */
export function checkDraft(draft: TownDraft): { profile: TownProfile; problems: [] } | { profile: null; problems: string[] } {
  try {
    return { profile: parseTownProfile(draft), problems: [] };
  } catch (error) {
    if (error instanceof TownProfileError) return { profile: null, problems: error.problems };
    throw error;
  }
}

/** The roles an officer may be given: the ledger's own, then the town's (named in the file or used in it). */
export function roleChoices(draft: TownDraft): string[] {
  return [
    ...new Set<string>([
      ...ROLE_NAMES,
      ...draft.roles.map((role) => role.code),
      ...draft.officers.flatMap((officer) => officer.roles),
      ...draft.permitTypes.flatMap((type) => type.approvalRoles),
    ]),
  ];
}

/** The file as the console offers it for download: the draft, two-space indents, as the examples are written. */
export const draftJson = (draft: TownDraft) => `${JSON.stringify(draft, null, 2)}\n`;
