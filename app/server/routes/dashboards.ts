import { Router, type Request } from "express";
import { AppError } from "../errors.js";
import { parseMunicipalityId } from "../http/validation.js";
import { DashboardService } from "../services/dashboards/dashboards.js";
import type { WorkflowContext } from "../workflows/context.js";

function municipalityIdOf(req: Request): number {
  return parseMunicipalityId(String(req.params.municipalityId), () => new AppError("QUERY_INVALID", "Give the municipality by its id on the ledger: /api/dashboards/<id>."));
}

/**
 * The dashboards' figures (docs/web.md, "Dashboards"): public aggregates of the index, as the chain
 * they are computed from is public. The mayor's answer is more detailed, not more private.
 */
export function dashboardRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  const dashboards = new DashboardService(ctx);

  router.get("/api/dashboards/:municipalityId", async (req, res) => {
    // Up to the chain's head, so a figure never lags a transaction the reader just saw mined.
    await ctx.catchUpIndex();
    res.json(await dashboards.figures(municipalityIdOf(req), "resident"));
  });

  router.get("/api/dashboards/:municipalityId/mayor", async (req, res) => {
    await ctx.catchUpIndex();
    res.json(await dashboards.figures(municipalityIdOf(req), "mayor"));
  });

  return router;
}
