import { apiRequest } from "../apiRequest.js";
import type { Lang } from "../i18n/index.js";
import type { TownProfile } from "../../../shared/townProfile.js";

/** A town as GET /api/municipalities lists it (app/server/services/towns.ts, townSummary). */
export interface TownSummary {
  id: number;
  code: string;
  /** The profile's names; for a town without a published profile, the chain's name in both. */
  name: { th: string; en: string };
  suspended: boolean;
  admin: string;
  jurisdictionId: string | null;
  /** The bounding box of the town's area, or null before its admin published one. */
  bounds: { south: number; west: number; north: number; east: number } | null;
  profileSha256: string | null;
  profileCid: string | null;
}

/** GET /api/municipalities/:id: the summary and the whole published profile (null before there is one). */
export interface TownDetail extends TownSummary {
  profile: TownProfile | null;
}

let listed: Promise<TownSummary[]> | undefined;

/**
 * The towns this ledger serves, by id. Asked once per page load (every page that names a town shares
 * the answer); `fresh` asks again, as the admin console does after a change.
 */
export function townList(fresh = false): Promise<TownSummary[]> {
  if (fresh || !listed) {
    listed = apiRequest<{ municipalities: TownSummary[] }>("/api/municipalities").then((answer) => answer.municipalities);
    listed.catch(() => (listed = undefined));
  }
  return listed;
}

export const townDetail = (municipalityId: number) => apiRequest<TownDetail>(`/api/municipalities/${municipalityId}`);

/** The town's name in the reader's language (Thai in Thai mode). */
export const townName = (town: Pick<TownSummary, "name">, lang: Lang) => town.name[lang] || town.name.en || town.name.th;
