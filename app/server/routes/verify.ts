import { createHash } from "node:crypto";
import { Router, type RequestHandler } from "express";
import { verifierConfigOf } from "../../shared/verifyConfig.js";
import { AppError } from "../errors.js";
import { countFiles } from "../http/clientLimits.js";
import { parseSha256 } from "../http/validation.js";
import type { VerificationService } from "../services/verification.js";
import { uploadedBytes } from "./documents.js";

export function verifyRoutes(deps: {
  verification: VerificationService;
  upload: RequestHandler;
  writeLimit: RequestHandler;
  /** /api/health's report: its `chain` section is what a verifier needs without this service. */
  health: () => Promise<Record<string, unknown>>;
}): Router {
  const router = Router();

  router.get("/api/verify", async (req, res) => {
    if (req.query.sha256 === undefined) throw new AppError("QUERY_INVALID", "Give the document's hash as ?sha256=…");
    res.type("application/json").send(await deps.verification.verifySha256Body(parseSha256(req.query.sha256)));
  });

  // The file is hashed here and forgotten: verification never stores what it is shown.
  router.post("/api/verify", deps.writeLimit, deps.upload, countFiles, (req, res) => {
    const sha256 = `0x${createHash("sha256").update(uploadedBytes(req.file)).digest("hex")}`;
    res.json(deps.verification.verifySha256(sha256));
  });

  // A proof bundle, or a permit certificate's proof (app/shared/verifyCertificate.ts).
  router.get("/api/proofs/:sha256", async (req, res) => {
    res.type("application/json").send(await deps.verification.proofBody(parseSha256(req.params.sha256)));
  });

  // What the web verifier keeps, and a static copy of it serves beside its index.html, to read the chain
  // with this service down (docs/web.md). Public: the chain, its public RPC node and the contracts.
  router.get("/ledger-config.json", async (_req, res) => {
    const { chain } = (await deps.health()) as { chain?: Parameters<typeof verifierConfigOf>[0] };
    if (!chain) throw new AppError("ROUTE_NOT_FOUND", "This service names no chain.");
    res.set("cache-control", "no-cache").json(verifierConfigOf(chain));
  });

  return router;
}
