import express, { type RequestHandler } from "express";
import { AppError } from "../errors.js";
import { formDataBoundary, formDataParts, type FormPart } from "./multipartBody.js";

/** At most this many non-file fields in an upload (and in the bulk upload's multer limits). */
export const UPLOAD_MAX_FIELDS = 8;
/** Room for the text fields (`meta`, `issuance` with its proofs) beside a file of the upload limit. */
const FIELDS_ALLOWANCE_BYTES = 1024 * 1024;

/** One document's upload: the file (if any) and the text fields the route reads, as text. */
export interface DocumentUpload {
  file: FormPart | undefined;
  fields: { meta?: string; issuance?: string };
}

/**
 * The body of POST /api/documents read by one set of rules, in front of Express (http/fastUpload.ts)
 * and in it (documentUploadParser): one file, in the field `file`, of at most `limitBytes`; at most
 * UPLOAD_MAX_FIELDS text fields, of which `meta` and `issuance` are read (a field sent twice is read
 * as its values joined by commas, as multer's array of them reads as text). The parts come from one
 * parser (multipartBody.ts), so a body either path refuses, the other refuses with the same code.
 */
export function documentUploadOf(body: Buffer, boundary: string, limitBytes: number): DocumentUpload {
  let file: FormPart | undefined;
  const texts: Record<"meta" | "issuance", string[]> = { meta: [], issuance: [] };
  let fields = 0;
  for (const part of formDataParts(body, boundary)) {
    if (part.filename === undefined) {
      if (++fields > UPLOAD_MAX_FIELDS) throw new AppError("BAD_MULTIPART", "Malformed upload: Too many fields");
      if (part.name === "meta" || part.name === "issuance") texts[part.name].push(part.body.toString("utf8"));
      continue;
    }
    if (file) throw new AppError("FILES_TOO_MANY");
    if (part.name !== "file") throw new AppError("BAD_MULTIPART", `Unexpected file field "${part.name}"; send the file as \`file\`.`);
    if (part.body.length > limitBytes) throw new AppError("FILE_TOO_LARGE");
    file = part;
  }
  const text = (values: string[]) => (values.length > 1 ? String(values) : values[0]);
  return { file, fields: { meta: text(texts.meta), issuance: text(texts.issuance) } };
}

/**
 * Express's side of documentUploadOf: reads the whole body (inflated, if it came gzip-, deflate- or
 * br-encoded; the fast path leaves such bodies to Express) and gives the file as `req.file` and the
 * fields as `req.body`, the shape the route and the file count (clientLimits.ts) read after multer. A
 * body that is not multipart at all passes untouched: the route answers FILE_MISSING, as it did.
 */
export function documentUploadParser(limitBytes: number): RequestHandler {
  const read = express.raw({ type: () => true, limit: limitBytes + FIELDS_ALLOWANCE_BYTES });
  return (req, res, next) => {
    const boundary = formDataBoundary(req.headers["content-type"]);
    if (boundary === null) {
      if (req.is("multipart/*")) next(new AppError("BAD_MULTIPART", "Malformed upload: not multipart/form-data with a boundary"));
      else next();
      return;
    }
    read(req, res, (error?: unknown) => {
      if (error) return next(error);
      try {
        const { file, fields } = documentUploadOf(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), boundary, limitBytes);
        req.body = fields;
        if (file) {
          const { name, filename, body } = file;
          req.file = { fieldname: name, originalname: filename ?? "", encoding: "7bit", mimetype: "application/octet-stream", size: body.length, buffer: body } as Express.Multer.File;
        }
        next();
      } catch (parseError) {
        next(parseError);
      }
    });
  };
}
