import { Router } from "express";
import { parseSha256 } from "../http/validation.js";
import { revokeDocument } from "../services/documentRevocations.js";
import type { WorkflowContext } from "../workflows/context.js";

/**
 * POST /api/documents/:sha256/revocation: an issued document revoked by a DOCUMENT_ISSUER's own signature
 * (checked by BatchAnchor on the chain; no session needed: the signature is the authority).
 */
export function documentRevocationRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  router.post("/api/documents/:sha256/revocation", async (req, res) => {
    res.json(await revokeDocument(ctx, parseSha256(req.params.sha256), req.body));
  });
  return router;
}
