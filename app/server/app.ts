import { existsSync } from "node:fs";
import type { RequestListener } from "node:http";
import express, { type Express, type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { AnchorQueue } from "./anchoring/types.js";
import { AppError } from "./errors.js";
import { errorHandler, notFound } from "./http/errorHandler.js";
import { withFastReads } from "./http/fastReads.js";
import type { IpfsStore } from "./ipfs/types.js";
import { openApiDocument } from "./openapi.js";
import { documentRoutes, singleFileUpload } from "./routes/documents.js";
import { ipfsGatewayRoutes } from "./routes/ipfsGateway.js";
import { verifyRoutes } from "./routes/verify.js";
import type { DocumentService } from "./services/documents.js";
import type { VerificationService } from "./services/verification.js";

export interface AppDeps {
  documents: DocumentService;
  verification: VerificationService;
  queue: AnchorQueue;
  ipfs: IpfsStore;
  /** What /api/health answers; `ok: false` makes it a 503. */
  health: () => Promise<{ ok: boolean } & Record<string, unknown>>;
  logger: Logger;
  uploadLimitBytes: number;
  /** Uploads per minute per client address; 0 turns the limit off. */
  writesPerMinute: number;
  /** The built web app (issue 5) or the shell, served at `/`. */
  webRoot: string;
  version: string;
}

/**
 * The whole HTTP surface, built from its dependencies: `npm start` and the tests assemble the same
 * listener, with engines they started themselves. The hot reads (verify, proofs) are answered in front
 * of the Express app, everything else by it (http/fastReads.ts).
 */
export function createRequestListener(deps: AppDeps): RequestListener {
  const securityHeaders = helmet();
  return withFastReads(createApp(deps, securityHeaders), { ...deps, securityHeaders });
}

/** The Express app alone: every route, including the two that createRequestListener answers first. */
export function createApp(deps: AppDeps, securityHeaders: RequestHandler = helmet()): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders);
  // A log line per request costs about a tenth of a verification; above `info` nothing would be written.
  if (deps.logger.isLevelEnabled("info")) {
    app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === "/api/health" } }));
  }

  const upload = singleFileUpload(deps.uploadLimitBytes);
  const writeLimit: RequestHandler =
    deps.writesPerMinute > 0
      ? rateLimit({
          windowMs: 60_000,
          limit: deps.writesPerMinute,
          standardHeaders: "draft-8",
          legacyHeaders: false,
          handler: (_req, _res, next) => next(new AppError("RATE_LIMITED")),
        })
      : (_req, _res, next) => next();

  app.get("/api/health", async (_req, res) => {
    const report = await deps.health();
    res.status(report.ok ? 200 : 503).json(report);
  });
  const openapi = openApiDocument(deps.version);
  app.get("/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  app.use(documentRoutes({ ...deps, upload, writeLimit }));
  app.use(verifyRoutes({ ...deps, upload, writeLimit }));
  app.use(ipfsGatewayRoutes(deps));
  if (existsSync(deps.webRoot)) app.use(express.static(deps.webRoot, { index: "index.html" }));

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
