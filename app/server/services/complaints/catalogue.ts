import { id } from "ethers";
import { STATUS_NAMES, type DetailedStatus } from "../../../shared/complaintAnswers.js";
import type { TownCategory, TownProfile } from "../../../shared/townProfile.js";
import type { Towns } from "../towns.js";

/**
 * What the chain cannot say about a complaint category: the chain knows a category as the keccak256 of
 * its code (e.g. id("ROAD")) with its SLA; its names, description and questions (the Open311 attributes)
 * are the municipality's own, in the profile its admin published (services/towns.ts). A category on the
 * chain that the profile does not describe is still served, under its hash as service_code.
 */
export type AttributeDatatype = TownCategory["questions"][number]["datatype"];

export interface ServiceAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  description: string;
  /** The description in Thai, for the web app's form (Open311 answers carry the English one). */
  descriptionTh: string;
  datatype_description: string;
  /** Its place among the category's questions, from 1 (the profile's order). */
  order: number;
  values?: Array<{ key: string; name: string; nameTh: string }>;
}

export interface CategoryInfo {
  code: string;
  name: string;
  nameTh: string;
  description: string;
  descriptionTh: string;
  group: string;
  keywords: string[];
  attributes: ServiceAttribute[];
  /** Its place in the town's list (the profile's order); a category the profile does not describe comes last. */
  order: number;
}

function described(category: TownCategory, index: number): CategoryInfo {
  return {
    code: category.code,
    name: category.name.en,
    nameTh: category.name.th,
    description: category.description?.en ?? "",
    descriptionTh: category.description?.th ?? "",
    group: category.group,
    keywords: category.keywords,
    attributes: category.questions.map((question, position) => ({
      code: question.code,
      datatype: question.datatype,
      required: question.required,
      description: question.label.en,
      descriptionTh: question.label.th,
      datatype_description: question.hint,
      order: position + 1,
      ...(question.values ? { values: question.values.map(({ key, label }) => ({ key, name: label.en, nameTh: label.th })) } : {}),
    })),
    order: index,
  };
}

/** Each profile's categories by their on-chain hash: a profile never changes, so this is built once. */
const catalogues = new WeakMap<TownProfile, Map<string, CategoryInfo>>();

function catalogueOf(profile: TownProfile | null): Map<string, CategoryInfo> {
  if (!profile) return new Map();
  let catalogue = catalogues.get(profile);
  if (!catalogue) {
    catalogue = new Map(profile.complaintCategories.map((category, index) => [id(category.code), described(category, index)]));
    catalogues.set(profile, catalogue);
  }
  return catalogue;
}

/** The category `categoryHash` of `municipalityId` as its profile describes it, or a bare entry named by its hash. */
export function categoryInfo(towns: Towns, municipalityId: number, categoryHash: string): CategoryInfo {
  const hash = categoryHash.toLowerCase();
  return (
    catalogueOf(towns.profile(municipalityId)).get(hash) ?? {
      code: hash,
      name: hash,
      nameTh: hash,
      description: "",
      descriptionTh: "",
      group: "",
      keywords: [],
      attributes: [],
      order: Number.MAX_SAFE_INTEGER,
    }
  );
}

/** The on-chain category hash of a service_code in `municipalityId`: a code its profile names, or a category hash given as such. */
export function categoryHashOf(towns: Towns, municipalityId: number, serviceCode: string): string | null {
  if (/^0x[0-9a-fA-F]{64}$/.test(serviceCode)) return serviceCode.toLowerCase();
  const hash = id(serviceCode);
  return catalogueOf(towns.profile(municipalityId)).has(hash) ? hash : null;
}

/** The statuses in which the municipality still owes work (the contract's _OPEN mask): the SLA clock runs. */
export const OPEN_STATUSES = [1, 2, 3, 6] as const;

/** Open311 knows open and closed: resolved (awaiting the reporter) and every final status are closed. */
export function open311Status(status: number): "open" | "closed" {
  return (OPEN_STATUSES as readonly number[]).includes(status) ? "open" : "closed";
}

export function statusNumber(name: string): number | null {
  const index = STATUS_NAMES.indexOf(name as DetailedStatus);
  return index > 0 ? index : null;
}

export { STATUS_NAMES };
