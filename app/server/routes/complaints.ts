import { Router, type Request } from "express";
import multer from "multer";
import { officerOf, requireOfficer } from "../auth/middleware.js";
import { AppError } from "../errors.js";
import { countFiles } from "../http/clientLimits.js";
import { multipartForm } from "../http/errorHandler.js";
import { sendPrivateFile } from "../http/privateFile.js";
import { categoryHashOf, statusNumber } from "../services/complaints/catalogue.js";
import { complaintDetails, openAttachment } from "../services/complaints/details.js";
import type { FiledPhoto } from "../services/complaints/filing.js";
import { filingForm } from "../services/complaints/filingForm.js";
import { actionCall, complaintForOfficer, officerAction, performAction } from "../services/complaints/officer.js";
import { chainNow, positiveInt, submitRequest } from "../services/complaints/open311.js";
import { ComplaintQueries } from "../services/complaints/queries.js";
import { confirm, reopen, track } from "../services/complaints/resident.js";
import type { WorkflowContext } from "../workflows/context.js";

/**
 * Complaints beyond Open311: the web app's filing, the resident's tracking code (follow, confirm,
 * reopen — the code travels in the `x-tracking-code` header, never in a URL that logs would keep),
 * the public overdue list, the officers' listing and their signed status changes. (Open311 api keys are
 * the town's own, in its profile: services/complaints/jurisdictions.ts.)
 */
function municipalityParam(value: unknown): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1 || id > 4_294_967_295) throw new AppError("QUERY_INVALID", "municipality must be a municipality id (a positive whole number).");
  return id;
}

const trackingCode = (req: Request) => req.get("x-tracking-code");

/** An uploaded photo, or none; anything but an image is refused (it is shown to officers as a picture). */
function photoOf(file: Express.Multer.File | undefined): FiledPhoto | undefined {
  if (!file) return undefined;
  if (file.size === 0 || !/^image\/(jpeg|png|webp|gif|heic|heif)$/.test(file.mimetype)) throw new AppError("COMPLAINT_PHOTO_INVALID");
  return { bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength), filename: file.originalname || null, mediaType: file.mimetype };
}

export function complaintRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  // The form's fields (category, place, text, attributes) exceed the document upload's field limit.
  const photoUpload = multipartForm(multer({ storage: multer.memoryStorage(), limits: { fileSize: ctx.uploadLimitBytes, files: 1, fields: 40 } }).single("photo"));
  const queries = new ComplaintQueries(ctx.db);
  const officerOnly = requireOfficer(ctx.sessions);

  router.get("/api/complaints/form", async (req, res) => {
    res.json(await filingForm(ctx, municipalityParam(req.query.municipality)));
  });

  // JSON, or multipart with an optional `photo` (an image, sealed before it is stored). Answered once the
  // filing is accepted, before it is mined: `confirmed: false`, and the tracking view shows it confirm.
  // Counted per client and against the relayer's budget by createApp before the body is read; the photo here.
  router.post("/api/complaints", photoUpload, countFiles, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const filing = await submitRequest(ctx, municipalityParam(body.municipalityId), body, "web", photoOf(req.file));
    res.status(201).set("cache-control", "no-store").json({
      complaintId: filing.complaint.complaintId,
      trackingCode: filing.trackingCode,
      txHash: filing.txHash,
      confirmed: filing.confirmed,
      filing: filing.filing,
      complaint: filing.complaint,
    });
  });

  router.get("/api/complaints/track", async (req, res) => {
    res.set("cache-control", "no-store").json(await track(ctx, trackingCode(req)));
  });

  router.post("/api/complaints/track/confirm", async (req, res) => {
    res.set("cache-control", "no-store").json(await confirm(ctx, trackingCode(req)));
  });

  router.post("/api/complaints/track/reopen", async (req, res) => {
    const reason = typeof req.body?.reason === "string" && req.body.reason.trim() ? req.body.reason.trim() : null;
    res.set("cache-control", "no-store").json(await reopen(ctx, trackingCode(req), reason));
  });

  router.get("/api/complaints/overdue", async (req, res) => {
    const municipalityId = municipalityParam(req.query.municipality);
    await ctx.catchUpIndex();
    const now = await chainNow(ctx);
    res.json({ municipalityId, now, complaints: queries.overdue(municipalityId, now) });
  });

  router.get("/api/complaints", officerOnly, async (req, res) => {
    const municipalityId = municipalityParam(req.query.municipality);
    await ctx.officers.requireRole(officerOf(res).address, municipalityId, ["COMPLAINT_OFFICER", "AUDITOR"]);
    await ctx.catchUpIndex();
    const statuses = typeof req.query.status === "string" ? req.query.status.split(",").map((name) => {
      const number = statusNumber(name);
      if (number === null) throw new AppError("QUERY_INVALID", `Unknown status "${name}".`);
      return number;
    }) : undefined;
    const categories = typeof req.query.category === "string" ? req.query.category.split(",").map((code) => categoryHashOf(ctx.towns, municipalityId, code) ?? code) : undefined;
    const pageSize = Math.min(positiveInt(req.query.pageSize, "pageSize", 100), 1000);
    const page = positiveInt(req.query.page, "page", 1);
    const result = queries.list({
      municipalityId,
      statuses,
      categories,
      area: typeof req.query.area === "string" ? req.query.area : undefined,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    res.json({ ...result, page, pageSize });
  });

  router.get("/api/complaints/:id", officerOnly, async (req, res) => {
    const complaint = await complaintForOfficer(ctx, officerOf(res).address, String(req.params.id));
    res.set("cache-control", "no-store").json(await complaintDetails(ctx, complaint));
  });

  // A sealed file of the complaint (the officer's evidence, a reopen reason), opened for its officers only.
  router.get("/api/complaints/:id/attachments/:sha256", officerOnly, async (req, res) => {
    const complaint = await complaintForOfficer(ctx, officerOf(res).address, String(req.params.id));
    const sha256 = String(req.params.sha256);
    if (!/^0x[0-9a-fA-F]{64}$/.test(sha256)) throw new AppError("COMPLAINT_ATTACHMENT_NOT_FOUND");
    sendPrivateFile(res, { ...(await openAttachment(ctx, complaint.complaintId, sha256)), sha256 });
  });

  router.get("/api/complaints/:id/actions/:action/call", officerOnly, async (req, res) => {
    const action = officerAction(String(req.params.action));
    const complaint = await complaintForOfficer(ctx, officerOf(res).address, String(req.params.id));
    res.json(await actionCall(ctx, action, complaint, req.query as Record<string, unknown>));
  });

  router.post("/api/complaints/:id/:action", officerOnly, ctx.upload, async (req, res) => {
    const action = officerAction(String(req.params.action));
    const officer = officerOf(res).address;
    const complaint = await complaintForOfficer(ctx, officer, String(req.params.id));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = typeof body.signedTransaction === "string" ? { signedTransaction: body.signedTransaction } : { txHash: String(body.txHash ?? "") };
    const file = (req as Request & { file?: Express.Multer.File }).file;
    const evidence = file ? { bytes: file.buffer, filename: file.originalname || null, mediaType: file.mimetype || null } : null;
    res.json(await performAction(ctx, officer, action, complaint, input, evidence));
  });

  return router;
}
