import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from "node:http";
import type { Express, RequestHandler } from "express";
import type { Logger } from "pino";
import { AppError } from "../errors.js";
import { LOG_SERIALIZERS } from "../logRedaction.js";
import type { VerificationService } from "../services/verification.js";
import { errorBody } from "./errorHandler.js";
import { parseSha256 } from "./validation.js";

/**
 * The two hot reads — GET /api/verify?sha256=… and GET /api/proofs/:sha256 — answered without Express:
 * its router, request and response wrappers cost about six times the answer itself (docs/benchmarks.md),
 * and QR scans and bulk checks are most of the traffic. Everything else, and every request these
 * routes could answer differently through Express (HEAD, conditional requests, other spellings of the
 * path), goes to the Express app unchanged.
 *
 * An answer here is the one Express gives, byte for byte in status, body, Content-Type and ETag, with
 * the same security headers: they are taken from the app's own helmet middleware, its ETag function
 * and query parser, and test/app/fastReads.test.ts compares both paths' answers.
 */
export function withFastReads(
  app: Express,
  deps: { verification: VerificationService; securityHeaders: RequestHandler; logger: Logger },
): RequestListener {
  const parseQuery = app.get("query parser fn") as (query: string) => Record<string, unknown>;
  const etagOf = app.get("etag fn") as (body: Buffer, encoding?: BufferEncoding) => string;
  const { write, logRequests } = fastAnswers(deps);

  // The service keeps settled answers as the same Buffer objects (VerificationService); their ETags are
  // kept beside them for as long as they live, so a repeated answer costs no hash.
  const etags = new WeakMap<Buffer, string>();
  const etagFor = (body: Buffer) => {
    let etag = etags.get(body);
    if (etag === undefined) {
      etag = etagOf(body);
      etags.set(body, etag);
    }
    return etag;
  };

  const route = (req: IncomingMessage): (() => Buffer | Promise<Buffer>) | null => {
    if (req.method !== "GET" || req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined) {
      return null;
    }
    const url = req.url ?? "";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (path === "/api/verify") {
      return () => {
        const query = parseQuery(queryAt === -1 ? "" : url.slice(queryAt + 1));
        if (query.sha256 === undefined) throw new AppError("QUERY_INVALID", "Give the document's hash as ?sha256=…");
        return deps.verification.verifySha256Body(parseSha256(query.sha256));
      };
    }
    // Only plain segments: anything Express would decode (%xx) or route elsewhere is left to it.
    if (path.startsWith("/api/proofs/") && /^[0-9A-Za-z]+$/.test(path.slice(12))) {
      return () => deps.verification.proofBody(parseSha256(path.slice(12)));
    }
    return null;
  };

  return (req, res) => {
    const handler = route(req);
    if (!handler) {
      app(req, res);
      return;
    }
    const started = logRequests ? Date.now() : 0;
    const answer = (body: Buffer) => write(req, res, 200, body, etagFor(body), started);
    // Client errors answer here as the error handler would; anything else is Express's to log and answer.
    const fail = (error: unknown) => {
      if (!(error instanceof AppError)) {
        app(req, res);
        return;
      }
      const body = Buffer.from(JSON.stringify(errorBody(error)));
      write(req, res, error.status, body, etagFor(body), started);
    };
    let body: Buffer | Promise<Buffer>;
    try {
      body = handler();
    } catch (error) {
      fail(error);
      return;
    }
    // A kept answer is written in this turn; a first read, when the reader has made it.
    if (body instanceof Promise) body.then(answer, fail);
    else answer(body);
  };
}

/**
 * How the answers given in front of Express are written: a JSON body with the headers Express and its
 * security middleware would send, and the log line pino-http would write at `info`, through the same
 * serializers as pino-http's (createApp): `log` is the logger the fast paths write with.
 */
export function fastAnswers(deps: { securityHeaders: RequestHandler; logger: Logger }) {
  const fixedHeaders = headersSetBy(deps.securityHeaders);
  const log = deps.logger.child({}, { serializers: LOG_SERIALIZERS });
  const logRequests = log.isLevelEnabled("info");
  const write = (req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, etag: string, started: number) => {
    const headers: OutgoingHttpHeaders = {
      ...fixedHeaders,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": body.length,
      ETag: etag,
    };
    res.writeHead(status, headers);
    res.end(body);
    if (logRequests) {
      log.info(
        { req: { method: req.method, url: req.url }, res: { statusCode: status }, responseTime: Date.now() - started },
        "request completed",
      );
    }
  };
  return { write, log, logRequests };
}

/** The headers a header-setting middleware (helmet) sets: fixed for every response, so read once. */
function headersSetBy(middleware: RequestHandler): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const recorder = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name] = value;
    },
    removeHeader(name: string) {
      delete headers[name];
    },
  };
  let passed = false;
  middleware({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    passed = true;
  });
  if (!passed) throw new Error("the security-header middleware did not finish synchronously");
  return headers;
}
