import { existsSync } from "node:fs";
import type { RequestListener } from "node:http";
import { join, sep } from "node:path";
import express, { type Express, type RequestHandler } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { AnchorQueue } from "./anchoring/types.js";
import { ClientLimits, NO_CLIENT_LIMITS, type ClientLimitSettings } from "./http/clientLimits.js";
import { errorHandler, notFound } from "./http/errorHandler.js";
import { withFastReads } from "./http/fastReads.js";
import { withFastUploads } from "./http/fastUpload.js";
import { LOG_SERIALIZERS } from "./logRedaction.js";
import type { RelayerBudget } from "./http/relayerBudget.js";
import type { IpfsStore } from "./ipfs/types.js";
import { openApiDocument } from "./openapi.js";
import { bulkFileUpload, documentRoutes, singleFileUpload } from "./routes/documents.js";
import { ipfsGatewayRoutes } from "./routes/ipfsGateway.js";
import { open311Errors } from "./routes/open311.js";
import { verifyRoutes } from "./routes/verify.js";
import type { DocumentService } from "./services/documents.js";
import type { VerificationService } from "./services/verification.js";
import type { WorkflowContext } from "./workflows/context.js";
import { WORKFLOW_ROUTES } from "./workflows/routes.js";
import { TOWN_PROFILE_MAX_BYTES } from "../shared/townProfile.js";

export interface AppDeps {
  documents: DocumentService;
  verification: VerificationService;
  queue: AnchorQueue;
  ipfs: IpfsStore;
  /** What /api/health answers; `ok: false` makes it a 503. */
  health: () => Promise<{ ok: boolean } & Record<string, unknown>>;
  logger: Logger;
  uploadLimitBytes: number;
  /** What one client may send to the public writes per minute, and whose X-Forwarded-For names it (absent: no limits, no proxy). */
  writeLimits?: ClientLimitSettings;
  /** What anonymous requests may make the relayer pay per hour (absent: no cap). */
  relayerBudget?: RelayerBudget;
  /** The built web app (issue 5) or the shell, served at `/`. */
  webRoot: string;
  version: string;
  /** Officers' sign-in and the permit, complaint, fund and audit workflows (absent in bare benchmarks). */
  workflows?: WorkflowContext;
}

/**
 * The whole HTTP surface, built from its dependencies: `npm start` and the tests assemble the same
 * listener, with engines they started themselves. The hot reads (verify, proofs) are answered in front
 * of the Express app, everything else by it (http/fastReads.ts).
 */
export function createRequestListener(deps: AppDeps): RequestListener {
  const securityHeaders = ledgerSecurityHeaders();
  const limits = new ClientLimits(deps.writeLimits ?? NO_CLIENT_LIMITS);
  const app = createApp(deps, securityHeaders, limits);
  return withFastUploads(withFastReads(app, { ...deps, securityHeaders }), app, { ...deps, securityHeaders, limits });
}

/** The Express app alone: every route, including the ones that createRequestListener answers first. */
export function createApp(
  deps: AppDeps,
  securityHeaders: RequestHandler = ledgerSecurityHeaders(),
  limits: ClientLimits = new ClientLimits(deps.writeLimits ?? NO_CLIENT_LIMITS),
): Express {
  const app = express();
  app.disable("x-powered-by");
  // req.ip and req.protocol believe the proxies TRUST_PROXY names, as the limits do (http/clientKey.ts).
  app.set("trust proxy", limits.trust);
  app.use(securityHeaders);
  // A log line per request costs about a tenth of a verification; above `info` nothing would be written.
  if (deps.logger.isLevelEnabled("info")) {
    // No header, body or secret-bearing query value in any line (logRedaction.ts).
    app.use(pinoHttp({ logger: deps.logger, serializers: LOG_SERIALIZERS, autoLogging: { ignore: (req) => req.url === "/api/health" } }));
  }

  const upload = singleFileUpload(deps.uploadLimitBytes);
  const bulkUpload = bulkFileUpload(deps.uploadLimitBytes);

  app.get("/api/health", async (_req, res) => {
    const report = await deps.health();
    res.status(report.ok ? 200 : 503).json(report);
  });
  const openapi = openApiDocument(deps.version);
  app.get("/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  // Every public write is counted per client (http/clientLimits.ts) before its body is read; those that
  // make the relayer send a transaction for an anonymous client also spend the hour's budget
  // (http/relayerBudget.ts). Open311 clients are refused in Open311's own format.
  const writeLimit = limits.writes;
  const relayerPays: RequestHandler = deps.relayerBudget?.guard ?? ((_req, _res, next) => next());
  app.post(ANONYMOUS_TRANSACTIONS, writeLimit, relayerPays);
  app.post(OPEN311_WRITES, writeLimit, relayerPays, open311Errors);
  // A town's profile is kept byte for byte (its SHA-256 is what the admin signed): read raw, before the JSON parser.
  app.put("/api/municipalities/:id/profile", writeLimit, express.raw({ type: () => true, limit: TOWN_PROFILE_MAX_BYTES }));
  app.post(["/api/municipalities/plan", "/api/municipalities/admin-transactions"], writeLimit);
  // A document's revocation is a public write like an upload (the relayer pays for it): the same limit.
  app.post("/api/documents/:sha256/revocation", writeLimit);
  app.use(express.json({ limit: "1mb" }));
  app.use(documentRoutes({ ...deps, bulkUpload, writeLimit }));
  app.use(verifyRoutes({ ...deps, upload, writeLimit }));
  app.use(ipfsGatewayRoutes(deps));
  if (deps.workflows) for (const routes of WORKFLOW_ROUTES) app.use(routes(deps.workflows));
  if (existsSync(deps.webRoot)) app.use(webApp(deps.webRoot));

  app.use(notFound);
  // Whatever is refused under /open311 — unknown paths, a body the API's parsers refuse — in Open311's format.
  app.use("/open311", open311Errors);
  app.use(errorHandler(deps.logger));
  return app;
}

/** Residents' writes that the relayer pays a transaction for (routes/permits.ts, routes/complaints.ts). */
const ANONYMOUS_TRANSACTIONS = ["/api/permits", "/api/complaints", "/api/complaints/track/confirm", "/api/complaints/track/reopen"];
/** Open311's POST requests (routes/open311.ts); any other POST there is refused after it is counted. */
const OPEN311_WRITES = "/open311/v2/:file";

/** Paths of the server itself: never answered with the web app. */
const SERVER_PATHS = /^\/(api|open311|ipfs)(\/|$)|^\/openapi\.json$/;

/**
 * The built web app: its files, and index.html for the app's own URLs (/verify, /permits/…) when a
 * browser asks for a page, so that links and QR codes open them directly. Vite's hashed assets never
 * change under their names; index.html is revalidated so a new build shows at once.
 */
function webApp(webRoot: string): RequestHandler {
  const assets = `${sep}assets${sep}`;
  const files = express.static(webRoot, {
    index: "index.html",
    setHeaders: (res, path) => {
      res.setHeader("Cache-Control", path.includes(assets) ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  const page = join(webRoot, "index.html");
  return (req, res, next) => {
    files(req, res, () => {
      const wantsPage = (req.method === "GET" || req.method === "HEAD") && (req.headers.accept ?? "").includes("text/html");
      if (!wantsPage || SERVER_PATHS.test(req.path) || !existsSync(page)) return next();
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(page);
    });
  };
}

/**
 * helmet's headers, with two changes. The verify page reads the chain itself, from the RPC node
 * /api/health names (another origin, and in a consortium any node the reader trusts): connect-src must
 * allow it. No upgrade-insecure-requests: a town hall may serve the app over plain http on its network,
 * where https URLs of its own scripts and of its RPC node would not answer.
 */
function ledgerSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { "connect-src": ["'self'", "http:", "https:"], "upgrade-insecure-requests": null } },
  });
}
