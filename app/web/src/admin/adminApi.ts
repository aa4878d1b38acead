import { apiRequest, postJson } from "../apiRequest.js";
import type { PlanReason } from "../../../shared/planReason.js";
import type { TownProfile } from "../../../shared/townProfile.js";
import type { OfficerTransactionInput } from "../wallet/types.js";

/** One transaction of a plan, for the admin's wallet (app/server/routes/municipalities.ts). */
export interface PlannedCall {
  to: string;
  data: string;
  method: string;
  /** What it does, in the service's words (English), e.g. "grant ENGINEER to 0x… (วิศวกร สมศักดิ์)". */
  why: string;
  /** What it does, as data: the console words it in the reader's language (planWords.ts). */
  reason: PlanReason;
  chainId: number;
}

/** POST /api/municipalities/plan: what makes the chain match a town file, and the profile to publish last. */
export interface TownPlan {
  municipalityId: number;
  code: string;
  admin: string;
  suspended: boolean;
  /** What cannot be applied; a plan with problems is not sent. */
  problems: string[];
  calls: PlannedCall[];
  /** `body`: exactly the bytes to store once publishProfile is mined (their SHA-256 is what the admin signs). */
  profile: { sha256: string; cid: string; publishedSha256: string | null; body: string };
}

export const adminApi = {
  plan: (profile: TownProfile) => postJson<TownPlan>("/api/municipalities/plan", profile),
  /** An admin's own signed transaction, relayed after the chain's own check (simulated first) says its sender may. */
  relay: (signed: OfficerTransactionInput) =>
    postJson<{ method: string; txHash: string; blockNumber: number }>("/api/municipalities/admin-transactions", signed),
  /** The published profile's bytes, kept once they hash to what the admin published on the chain. */
  storeProfile: (municipalityId: number, body: string) =>
    apiRequest<{ municipalityId: number; sha256: string; cid: string }>(`/api/municipalities/${municipalityId}/profile`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body,
    }),
};
