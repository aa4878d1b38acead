import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Express, RequestHandler } from "express";
import type { Logger } from "pino";
import { AppError } from "../errors.js";
import { acceptUpload, documentBytes } from "../routes/documents.js";
import type { DocumentService } from "../services/documents.js";
import type { ClientLimits } from "./clientLimits.js";
import { errorBody, toAppError } from "./errorHandler.js";
import { documentUploadOf } from "./documentUpload.js";
import { fastAnswers } from "./fastReads.js";
import { formDataBoundary } from "./multipartBody.js";

/**
 * POST /api/documents answered in front of Express, for the common upload: one multipart body with a
 * Content-Length of at most FAST_MAX_BYTES. Express's router and request wrappers, multer and busboy
 * cost the API's one thread more than accepting the document itself (docs/benchmarks.md: one upload
 * per document is the figure of a scanning clerk or a kiosk).
 *
 * The answer is the route's own: the same limits per client (the app's ClientLimits: admit before the
 * body is read, countFiles once it is parsed, as the route's middleware calls them), the same parser
 * and rules for the body (documentUploadOf: one file, in the field `file`; at most 8 other fields),
 * acceptUpload for the document, the same error codes and security headers. Anything else — a larger,
 * chunked or encoded (Content-Encoding) body, another path spelling such as `/api/documents/` — goes
 * to Express unchanged; test/app/fastUpload.test.ts and fuzz.test.ts compare the two.
 */
/** Bodies up to this size are read here (the upload limit, if lower, caps it too). */
const FAST_MAX_BYTES = 1024 * 1024;

export function withFastUploads(
  next: RequestListener,
  app: Express,
  deps: {
    documents: DocumentService;
    /** The app's limits on public writes, the ones its Express routes count with. */
    limits: ClientLimits;
    securityHeaders: RequestHandler;
    uploadLimitBytes: number;
    logger: Logger;
  },
): RequestListener {
  const etagOf = app.get("etag fn") as (body: Buffer, encoding?: BufferEncoding) => string;
  const { write, log, logRequests } = fastAnswers(deps);
  const maxBytes = Math.min(FAST_MAX_BYTES, deps.uploadLimitBytes);
  const answer = (req: IncomingMessage, res: ServerResponse, status: number, value: unknown, started: number) => {
    const body = Buffer.from(JSON.stringify(value), "utf8");
    write(req, res, status, body, etagOf(body), started);
  };

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown, started: number) => {
    const appError = toAppError(error);
    if (appError.status >= 500) log.error({ err: error }, "request failed");
    // A refused body may still be arriving: it is drained, so the connection stays usable.
    req.resume();
    answer(req, res, appError.status, errorBody(appError), started);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, boundary: string, length: number, started: number) => {
    deps.limits.admit(req, res);
    const { file, fields } = documentUploadOf(await bodyOf(req, length), boundary, deps.uploadLimitBytes);
    deps.limits.countFiles(req, res, file ? 1 : 0);
    const { status, body: accepted } = await acceptUpload(deps.documents, documentBytes(file?.body), fields);
    answer(req, res, status, accepted, started);
  };

  return (req, res) => {
    const length = Number(req.headers["content-length"]);
    const boundary = req.method === "POST" && req.url === "/api/documents" ? formDataBoundary(req.headers["content-type"]) : null;
    if (boundary === null || !(length <= maxBytes) || req.headers["transfer-encoding"] !== undefined || req.headers["content-encoding"] !== undefined) {
      next(req, res);
      return;
    }
    const started = logRequests ? Date.now() : 0;
    handle(req, res, boundary, length, started).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else fail(req, res, error, started);
    });
  };
}

/** The whole body of a request whose Content-Length is `length` (Node's parser holds it to that). */
function bodyOf(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.allocUnsafe(length);
    let filled = 0;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else if (filled === length) resolve(body);
      else reject(new AppError("BAD_MULTIPART", "Malformed upload: Unexpected end of form"));
    };
    req.on("data", (chunk: Buffer) => {
      if (filled + chunk.length > length) return settle(new AppError("BAD_MULTIPART", "Malformed upload: the body is longer than its Content-Length"));
      chunk.copy(body, filled);
      filled += chunk.length;
    });
    req.once("end", () => settle());
    req.once("error", settle);
    // A client that goes away mid-body: nothing more will come.
    req.once("close", () => settle());
  });
}
