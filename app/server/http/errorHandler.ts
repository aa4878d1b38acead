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
 * the registry. Errors from body parsers and multer are translated to their registry codes, a chain node
 * that does not answer or a relayer that cannot pay to theirs (chain/chainErrors.ts); anything else is
 * a 500 whose details go to the log, not to the client.
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
  if (error instanceof multer.MulterError) {
    if (error.code === "LIMIT_FILE_SIZE") return new AppError("FILE_TOO_LARGE");
    if (error.code === "LIMIT_FILE_COUNT") return new AppError("FILES_TOO_MANY");
    if (error.code === "LIMIT_UNEXPECTED_FILE") {
      return new AppError("BAD_MULTIPART", `Unexpected file field "${error.field}"; send the file as \`file\`.`);
    }
    return new AppError("BAD_MULTIPART", `${MALFORMED}${error.message}`);
  }
  const status = (error as { status?: number; type?: string }).status;
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return new AppError("BAD_JSON");
  if (type === "entity.too.large") return new AppError("FILE_TOO_LARGE", "The request body is larger than the limit.");
  // busboy reports malformed multipart bodies as plain errors thrown inside multer.
  if (error instanceof Error && /multipart|boundary|Unexpected end of form/i.test(error.message)) {
    return new AppError("BAD_MULTIPART", `${MALFORMED}${error.message}`);
  }
  if (status === 400) return new AppError("BAD_MULTIPART", (error as Error).message);
  return chainFailureOf(error) ?? new AppError("INTERNAL");
}
