import type { Router } from "express";
import { authRoutes } from "../routes/auth.js";
import { permitRoutes } from "../routes/permits.js";
import type { WorkflowContext } from "./context.js";

/** The routes of officers' sign-in and of each workflow, mounted by createApp in this order. */
export const WORKFLOW_ROUTES: ReadonlyArray<(ctx: WorkflowContext) => Router> = [authRoutes, permitRoutes];
