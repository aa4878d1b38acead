import type { ErrorRequestHandler, RequestHandler } from "express";
import multer from "multer";
import type { Logger } from "pino";
import { chainFailureOf } from "../chain/chainErrors.js";
import { AppError } from "../errors.js";

const MALFORMED = "Malformed upload: ";

/** Unknown routes answer like every other error. */
export const notFound: RequestHandler = (_req, _res, next) => next(new AppError("ROUTE_NOT_FOUND"));

/**
 * The one place where errors become HTTP answers: `{ error: { code, message } }` with the status of
 * the registry. Errors from body parsers, the router and multer are translated to their registry codes
 * (what the client sent: toAppError), a chain node that does not answer or a relayer that cannot pay to
 * theirs (chain/chainErrors.ts); anything else is a 500 whose details go to the log, not to the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) (req.log ?? logger).error({ err: error }, "request failed");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(appError.status).json(errorBody(appError));
  };
}

/** The body of every error answer, here and on the fast paths in front of Express. */
export function errorBody(error: AppError): { error: { code: string; message: string } } {
  return { error: { code: error.code, message: error.message } };
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof multer.MulterError) return multipartError(error);
  const type = (error as { type?: string }).type;
  const known = type === undefined ? undefined : BODY_READ_ERRORS[type];
  if (known) return known();
  // Express's router decodes each path parameter; an escape that is no UTF-8 (%zz) throws a URIError there.
  if (error instanceof URIError) return new AppError("URL_INVALID");
  // A gzip, deflate, br or zstd body that does not decompress: body-parser passes zlib's error on.
  if (isDecompressionError(error)) return new AppError("CONTENT_ENCODING_INVALID");
  return chainFailureOf(error) ?? new AppError("INTERNAL");
}

/** body-parser's and raw-body's refusals, by their `type`: what the client sent, each with its code. */
const BODY_READ_ERRORS: Record<string, () => AppError> = {
  "entity.parse.failed": () => new AppError("BAD_JSON"),
  "entity.too.large": () => new AppError("FILE_TOO_LARGE", "The request body is larger than the limit."),
  "charset.unsupported": () => new AppError("CHARSET_UNSUPPORTED"),
  "encoding.unsupported": () => new AppError("CONTENT_ENCODING_UNSUPPORTED"),
  "parameters.too.many": () => new AppError("FORM_FIELDS_TOO_MANY"),
  "request.aborted": () => new AppError("BODY_INCOMPLETE"),
  "request.size.invalid": () => new AppError("BODY_INCOMPLETE"),
};

function isDecompressionError(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return typeof errno === "number" && typeof code === "string" && /^(Z_|ERR__ERROR_|ERR_BROTLI|ZSTD_error_)/.test(code);
}

/**
 * A multer middleware whose every refusal has its registry code. multer reports its own limits as
 * MulterErrors, but busboy's complaints about the body ("Malformed part header", "Unexpected end of
 * form", "Malformed content type", …) come through as plain Errors: whatever fails inside multer is
 * the body's fault, so it is BAD_MULTIPART.
 */
export function multipartForm(parse: RequestHandler): RequestHandler {
  return (req, res, next) => parse(req, res, (error?: unknown) => next(error === undefined ? undefined : multipartError(error)));
}

function multipartError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof multer.MulterError) {
    if (error.code === "LIMIT_FILE_SIZE") return new AppError("FILE_TOO_LARGE");
    if (error.code === "LIMIT_FILE_COUNT") return new AppError("FILES_TOO_MANY");
    if (error.code === "LIMIT_UNEXPECTED_FILE") {
      return new AppError("BAD_MULTIPART", `Unexpected file field "${error.field}"; send the file as \`file\`.`);
    }
  }
  return new AppError("BAD_MULTIPART", `${MALFORMED}${(error as Error).message}`);
}
