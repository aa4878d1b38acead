import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { CampaignReader } from "../funds/campaigns.js";
import { Towns } from "../towns.js";
import { chainNow } from "../permits/ledgerReads.js";
import { complaintFigures } from "./complaintFigures.js";
import { fundFigures } from "./fundFigures.js";
import { permitFigures, stepTimes } from "./permitFigures.js";

/**
 * The figures of a municipality's two dashboards, each a function of the index (rebuilt from the chain's
 * events by `npm run reindex`) and of the chain's clock, which open legal clocks and SLAs run against.
 * The resident's dashboard is the plain figures; the mayor's adds where work waits: every running
 * legal clock, the time each approval role takes, and the per-category detail. Both are aggregates,
 * public as the chain is.
 */
export type DashboardAudience = "resident" | "mayor";

function municipalityOf(db: DatabaseSync, municipalityId: number) {
  const row = db.prepare("SELECT code, name FROM idx_municipalities WHERE municipality_id = ?").get(municipalityId) as
    | { code: string; name: string }
    | undefined;
  if (!row) throw new AppError("MUNICIPALITY_UNKNOWN");
  const { th, en } = Towns.of(db).names(municipalityId, row.name);
  return { id: municipalityId, code: row.code, th, en };
}

export class DashboardService {
  readonly #campaigns: CampaignReader;

  constructor(private readonly ctx: WorkflowContext) {
    this.#campaigns = new CampaignReader(ctx.db, ctx.chain.provider);
  }

  async figures(municipalityId: number, audience: DashboardAudience) {
    const { db } = this.ctx;
    const municipality = municipalityOf(db, municipalityId);
    const now = await chainNow(this.ctx);
    const { clocks, ...permits } = permitFigures(db, municipalityId, now);
    const { byCategory, ...complaints } = complaintFigures(db, municipalityId, now);
    const funds = await fundFigures(db, this.#campaigns, municipalityId);
    const common = { municipality, audience, asOf: new Date(now * 1000).toISOString() };
    if (audience === "resident") {
      const categories = byCategory.map(({ category, total }) => ({ category, total }));
      return { ...common, permits, complaints: { ...complaints, byCategory: categories }, funds };
    }
    return { ...common, permits: { ...permits, clocks, stepTimes: stepTimes(db, municipalityId) }, complaints: { ...complaints, byCategory }, funds };
  }
}
