import { createHash } from "node:crypto";
import { Router, type RequestHandler } from "express";
import { AppError } from "../errors.js";
import { parseSha256 } from "../http/validation.js";
import type { VerificationService } from "../services/verification.js";
import { uploadedBytes } from "./documents.js";

export function verifyRoutes(deps: { verification: VerificationService; upload: RequestHandler; writeLimit: RequestHandler }): Router {
  const router = Router();

  router.get("/api/verify", async (req, res) => {
    if (req.query.sha256 === undefined) throw new AppError("QUERY_INVALID", "Give the document's hash as ?sha256=…");
    res.type("application/json").send(await deps.verification.verifySha256Body(parseSha256(req.query.sha256)));
  });

  // The file is hashed here and forgotten: verification never stores what it is shown.
  router.post("/api/verify", deps.writeLimit, deps.upload, (req, res) => {
    const sha256 = `0x${createHash("sha256").update(uploadedBytes(req.file)).digest("hex")}`;
    res.json(deps.verification.verifySha256(sha256));
  });

  router.get("/api/proofs/:sha256", async (req, res) => {
    res.type("application/json").send(await deps.verification.proofBody(parseSha256(req.params.sha256)));
  });

  return router;
}
