import type { Router } from "express";
import { auditRoutes } from "../routes/audit.js";
import { authRoutes } from "../routes/auth.js";
import { complaintRoutes } from "../routes/complaints.js";
import { dashboardRoutes } from "../routes/dashboards.js";
import { documentRevocationRoutes } from "../routes/documentRevocations.js";
import { fundsRoutes } from "../routes/funds.js";
import { municipalityRoutes } from "../routes/municipalities.js";
import { open311Routes } from "../routes/open311.js";
import { permitRoutes } from "../routes/permits.js";
import type { WorkflowContext } from "./context.js";

/** The routes of officers' sign-in and of each workflow, mounted by createApp in this order. */
export const WORKFLOW_ROUTES: ReadonlyArray<(ctx: WorkflowContext) => Router> = [
  authRoutes,
  municipalityRoutes,
  documentRevocationRoutes,
  permitRoutes,
  open311Routes,
  complaintRoutes,
  fundsRoutes,
  auditRoutes,
  dashboardRoutes,
];
