import { Router, type RequestHandler } from "express";
import multer from "multer";
import { AppError } from "../errors.js";
import { countFiles } from "../http/clientLimits.js";
import { documentUploadParser, UPLOAD_MAX_FIELDS } from "../http/documentUpload.js";
import { multipartForm } from "../http/errorHandler.js";
import { parseDocumentMeta, parseRecordId } from "../http/validation.js";
import type { AnchorQueue } from "../anchoring/types.js";
import type { DocumentService } from "../services/documents.js";
import type { VerificationService } from "../services/verification.js";
import { publicRecord } from "../services/verification.js";

/**
 * Multipart parsing of one file in the field `file`, held in memory up to `limitBytes` (verification by
 * file, the officers' evidence and notes). POST /api/documents reads its body with documentUploadParser
 * instead, the parser its fast path shares.
 */
export function singleFileUpload(limitBytes: number): RequestHandler {
  return multipartForm(multer({ storage: multer.memoryStorage(), limits: { fileSize: limitBytes, files: 1, fields: UPLOAD_MAX_FIELDS } }).single("file"));
}

/** At most this many files in one bulk upload (POST /api/documents/batch). */
export const MAX_FILES_PER_BATCH = 1000;

/**
 * Multipart parsing of up to MAX_FILES_PER_BATCH files in the field `file`. Each file is capped at
 * `limitBytes` by multer; the whole body is capped at the same limit by its Content-Length, checked
 * before a byte is read (a body without one is refused: the cap could not be kept while reading it).
 */
export function bulkFileUpload(limitBytes: number): RequestHandler {
  const parse = multipartForm(
    multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: limitBytes, files: MAX_FILES_PER_BATCH, fields: UPLOAD_MAX_FIELDS },
    }).array("file", MAX_FILES_PER_BATCH),
  );
  return (req, res, next) => {
    const length = req.headers["content-length"];
    if (length === undefined) return next(new AppError("LENGTH_REQUIRED"));
    if (Number(length) > limitBytes) return next(new AppError("FILE_TOO_LARGE", "The request body is larger than the limit."));
    parse(req, res, next);
  };
}

export function uploadedBytes(file: Express.Multer.File | undefined): Uint8Array {
  return documentBytes(file?.buffer);
}

/** An uploaded file's bytes, refused when missing or empty: by the routes and by http/fastUpload.ts alike. */
export function documentBytes(file: Buffer | undefined): Uint8Array {
  if (!file) throw new AppError("FILE_MISSING");
  if (file.length === 0) throw new AppError("FILE_EMPTY");
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}

/**
 * POST /api/documents once its body is read: the document issued, and the answer. `fields` are the
 * upload's text fields (`meta`, `issuance`) as multer gives them; the fast path gives the same.
 */
export async function acceptUpload(documents: DocumentService, bytes: Uint8Array, fields: UploadFields) {
  // A document already on the ledger keeps its first record: 200 with it, never a second anchor.
  const { record, created, issuer } = await documents.accept(bytes, parseDocumentMeta(fields.meta), fields.issuance);
  return {
    status: created ? 201 : 200,
    body: { sha256: record.sha256, cid: record.cid, recordId: record.recordId, status: record.status, issuer },
  };
}

/** The text fields of an upload: `meta` (public metadata, JSON) and `issuance` (the issuer's signed statement, JSON). */
export interface UploadFields {
  meta?: unknown;
  issuance?: unknown;
}

export function documentRoutes(deps: {
  documents: DocumentService;
  queue: AnchorQueue;
  verification: VerificationService;
  bulkUpload: RequestHandler;
  writeLimit: RequestHandler;
  uploadLimitBytes: number;
}): Router {
  const router = Router();

  // Most uploads are answered in front of Express (http/fastUpload.ts), with the same parser and rules
  // (http/documentUpload.ts) and through acceptUpload as here.
  router.post("/api/documents", deps.writeLimit, documentUploadParser(deps.uploadLimitBytes), countFiles, async (req, res) => {
    const { status, body } = await acceptUpload(deps.documents, uploadedBytes(req.file), req.body ?? {});
    res.status(status).json(body);
  });

  // Many documents in one request (archives being digitised, a day's certificates): one HTTP exchange
  // and one durable commit for all of them. All are checked before any is stored; the answer lists
  // each file's record in the order sent.
  router.post("/api/documents/batch", deps.writeLimit, deps.bulkUpload, countFiles, async (req, res) => {
    const files = (req.files ?? []) as Express.Multer.File[];
    if (files.length === 0) throw new AppError("FILE_MISSING");
    const empty = files.findIndex((file) => file.size === 0);
    if (empty !== -1) throw new AppError("FILE_EMPTY", `File ${empty + 1} of ${files.length} is empty; nothing was accepted.`);
    const meta = parseDocumentMeta(req.body?.meta);
    const accepted = await deps.documents.acceptMany(files.map(uploadedBytes), meta, req.body?.issuance);
    const created = accepted.filter((document) => document.created).length;
    res.status(created > 0 ? 201 : 200).json({
      created,
      existing: accepted.length - created,
      issuer: accepted[0].issuer,
      documents: accepted.map(({ record, created }) => ({
        sha256: record.sha256,
        cid: record.cid,
        recordId: record.recordId,
        status: record.status,
        created,
      })),
    });
  });

  router.get("/api/records/:recordId", (req, res) => {
    const record = deps.queue.get(parseRecordId(req.params.recordId));
    if (!record) throw new AppError("RECORD_NOT_FOUND");
    const anchored = record.status === "anchored" || record.status === "final";
    res.json({ ...publicRecord(record), proof: anchored ? deps.verification.bundleOf(record) : null });
  });

  return router;
}
