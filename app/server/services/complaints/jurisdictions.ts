import { AppError } from "../../errors.js";
import { apiKeySha256 } from "../../../shared/townProfile.js";
import type { Town, Towns } from "../towns.js";

/**
 * Open311 jurisdictions and their api keys, as each town's profile says (services/towns.ts): a
 * municipality answers under its profile's `open311.jurisdictionId` (e.g. "maehia.go.th", compared
 * case-insensitively) and takes filings with the keys its profile lists — each kept there as its
 * SHA-256 only, made by the town's admin (`ledger town key create`) and shown once to whoever made it.
 * A key is revoked by publishing the profile without it. Nothing of this lives in this server's
 * database: a fresh replica or a reindex knows every jurisdiction and key from the chain and IPFS.
 *
 * The demo town's key is fixed and public — like the development keys it works on the embedded chain
 * only (the town plan refuses its hash elsewhere), so that any 311 client can try the demo at once.
 */
export const DEMO_JURISDICTION = "maehia.go.th";
export const DEMO_API_KEY = "maehia-demo-open311-key";

export interface Jurisdiction {
  /** As the town's profile has it (lower case); "" for a town that has published none. */
  jurisdictionId: string;
  municipalityId: number;
}

export class Open311Jurisdictions {
  constructor(private readonly towns: Towns) {}

  /**
   * The town answering to `jurisdictionId` (any case); without one, the only town this server serves
   * (400 OPEN311_JURISDICTION_REQUIRED when it serves several). 404 for a jurisdiction no town has.
   */
  municipalityOf(jurisdictionId: string | undefined): Jurisdiction {
    if (jurisdictionId === undefined || jurisdictionId.trim() === "") {
      const towns = this.towns.list();
      if (towns.length === 1) return jurisdictionOf(towns[0]);
      throw new AppError(towns.length === 0 ? "OPEN311_JURISDICTION_UNKNOWN" : "OPEN311_JURISDICTION_REQUIRED");
    }
    const town = this.towns.byJurisdiction(jurisdictionId);
    if (!town) throw new AppError("OPEN311_JURISDICTION_UNKNOWN", `No jurisdiction "${jurisdictionId}" on this Open311 server.`);
    return jurisdictionOf(town);
  }

  /** 403 unless `apiKey` is a live key of the town: its SHA-256 is in the town's published profile. */
  requireKey(municipalityId: number, apiKey: unknown): void {
    if (typeof apiKey !== "string" || apiKey === "") throw new AppError("OPEN311_API_KEY_INVALID", "api_key is required to submit a request.");
    const sha256 = apiKeySha256(apiKey);
    const keys = this.towns.profile(municipalityId)?.open311.apiKeys ?? [];
    if (!keys.some((key) => key.sha256 === sha256)) throw new AppError("OPEN311_API_KEY_INVALID");
  }
}

function jurisdictionOf(town: Town): Jurisdiction {
  return { jurisdictionId: town.profile?.open311.jurisdictionId ?? "", municipalityId: town.municipalityId };
}
