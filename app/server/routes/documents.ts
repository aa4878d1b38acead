import { Router, type RequestHandler } from "express";
import multer from "multer";
import { AppError } from "../errors.js";
import { parseDocumentMeta, parseRecordId } from "../http/validation.js";
import type { AnchorQueue } from "../anchoring/types.js";
import type { DocumentService } from "../services/documents.js";
import type { VerificationService } from "../services/verification.js";
import { publicRecord } from "../services/verification.js";

/** Multipart parsing of one file in the field `file`, held in memory up to `limitBytes`. */
export function singleFileUpload(limitBytes: number): RequestHandler {
  return multer({ storage: multer.memoryStorage(), limits: { fileSize: limitBytes, files: 1, fields: 8 } }).single("file");
}

export function uploadedBytes(file: Express.Multer.File | undefined): Uint8Array {
  if (!file) throw new AppError("FILE_MISSING");
  if (file.size === 0) throw new AppError("FILE_EMPTY");
  return new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
}

export function documentRoutes(deps: {
  documents: DocumentService;
  queue: AnchorQueue;
  verification: VerificationService;
  upload: RequestHandler;
  writeLimit: RequestHandler;
}): Router {
  const router = Router();

  router.post("/api/documents", deps.writeLimit, deps.upload, async (req, res) => {
    const bytes = uploadedBytes(req.file);
    const meta = parseDocumentMeta(req.body?.meta);
    // A document already on the ledger keeps its first record: 200 with it, never a second anchor.
    const { record, created } = await deps.documents.accept(bytes, meta);
    res.status(created ? 201 : 200).json({
      sha256: record.sha256,
      cid: record.cid,
      recordId: record.recordId,
      status: record.status,
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
