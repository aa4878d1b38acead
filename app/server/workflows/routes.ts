import type { Router } from "express";
import { auditRoutes } from "../routes/audit.js";
import { authRoutes } from "../routes/auth.js";
import { fundsRoutes } from "../routes/funds.js";
import { permitRoutes } from "../routes/permits.js";
import type { WorkflowContext } from "./context.js";

/** The routes of officers' sign-in and of each workflow, mounted by createApp in this order. */
export const WORKFLOW_ROUTES: ReadonlyArray<(ctx: WorkflowContext) => Router> = [authRoutes, permitRoutes, fundsRoutes, auditRoutes];
