import { Router, type Request } from "express";
import multer from "multer";
import { officerOf, requireOfficer, sessionToken } from "../auth/middleware.js";
import { roleId } from "../../shared/roles.js";
import { AppError } from "../errors.js";
import { countFiles } from "../http/clientLimits.js";
import { multipartForm } from "../http/errorHandler.js";
import { sendPrivateFile } from "../http/privateFile.js";
import {
  addDocuments,
  applyForPermit,
  openApplicant,
  openPermitFile,
  parseApplication,
  requireTrackingCode,
  type UploadedDocument,
} from "../services/permits/applications.js";
import {
  certificatePdf,
  draftAmendment,
  draftIssuance,
  draftRevocation,
  submitAmendment,
  submitIssuance,
  submitRevocation,
} from "../services/permits/certificates.js";
import { completeApplication, completionTypedData } from "../services/permits/completion.js";
import { decideStep, nextStepTypedData } from "../services/permits/decisions.js";
import { readPermit } from "../services/permits/ledgerReads.js";
import { PermitStore } from "../services/permits/store.js";
import { officerQueue, privatePermitView, publicPermitView } from "../services/permits/views.js";
import { openPermitTypes } from "../services/permits/openTypes.js";
import type { WorkflowContext } from "../workflows/context.js";

/**
 * The permit workflow over HTTP (docs/permits.md). Residents apply and follow their permit with a
 * tracking code; officers act behind a SIWE session, with their role checked on-chain in the permit's
 * municipality; completion, approvals, issuance, amendments and revocations carry the officer's own
 * EIP-712 signature, served as typed data (or a draft with its typed data) and relayed once signed.
 */
const MAX_DOCUMENTS = 10;

function documentsOf(req: Request): UploadedDocument[] {
  const files = (Array.isArray(req.files) ? req.files : req.file ? [req.file] : []) as Express.Multer.File[];
  return files.map((file) => {
    if (file.size === 0) throw new AppError("FILE_EMPTY", `The document ${file.originalname || "(unnamed)"} is empty.`);
    return {
      bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength),
      name: file.originalname || null,
      mediaType: file.mimetype || null,
    };
  });
}

/** The JSON field `field` of a multipart form (a decision with its note file), or the JSON body itself. */
function jsonBody(req: Request, field: string): unknown {
  const raw = req.is("multipart/form-data") ? req.body?.[field] : undefined;
  if (raw === undefined) return req.body;
  try {
    return typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    throw new AppError("BODY_INVALID", `The field \`${field}\` is not valid JSON.`);
  }
}

export function permitRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  const store = new PermitStore(ctx.db);
  const officer = requireOfficer(ctx.sessions);
  const documents = multipartForm(
    multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: ctx.uploadLimitBytes, files: MAX_DOCUMENTS, fields: 8 },
    }).array("file", MAX_DOCUMENTS),
  );
  const number = (req: Request) => String(req.params.number);
  /** 403 ROLE_REQUIRED unless the signed-in officer is a permit officer of the permit's municipality. */
  const requirePermitOfficer = async (address: string, permitNumber: string) => {
    const permit = await readPermit(ctx, permitNumber);
    await ctx.officers.requireRole(address, permit.municipalityId, ["PERMIT_OFFICER"]);
  };

  /**
   * Who may read the applicant's sealed data: the applicant with their tracking code, or a signed-in
   * officer who works on this permit (a permit officer or one of its steps' roles, in its municipality).
   */
  const privateReader = async (req: Request, view: { number: string; permitId: string; municipality: { id: number }; steps: { roleId: string }[] }) => {
    const code = req.get("x-tracking-code");
    const token = sessionToken(req);
    const session = code === undefined && token ? ctx.sessions.find(token) : null;
    if (!session) return requireTrackingCode(store, view.number, code);
    // By id: a step's role may be one the town defined itself, which has no name here.
    const roles = [...new Set([roleId("PERMIT_OFFICER"), ...view.steps.map((step) => roleId(step.roleId))])];
    await ctx.officers.requireRole(session.address, view.municipality.id, roles);
    const application = store.application(view.permitId);
    // A permit on the chain that this service did not take holds no sealed data here.
    if (!application) throw new AppError("PERMIT_NOT_FOUND", `This service holds no application data for ${view.number}.`);
    return application;
  };

  // Counted per client and against the relayer's budget by createApp before the body is read; the files here.
  router.post("/api/permits", documents, countFiles, async (req, res) => {
    const application = parseApplication(req.body?.application);
    res.status(201).json(await applyForPermit(ctx, store, application, documentsOf(req)));
  });

  // Before /api/permits/:number, which would take "types" for a permit number.
  router.get("/api/permits/types", async (req, res) => {
    res.json({ types: await openPermitTypes(ctx, req.query) });
  });

  router.get("/api/permits/queue", officer, (_req, res) => {
    res.json({ officer: officerOf(res).address, permits: officerQueue(ctx, officerOf(res).address) });
  });

  router.get("/api/permits/:number", async (req, res) => {
    res.json(await publicPermitView(ctx, store, number(req)));
  });

  router.get("/api/permits/:number/private", async (req, res) => {
    const view = await publicPermitView(ctx, store, number(req));
    const application = await privateReader(req, view);
    res.set("cache-control", "no-store").json(privatePermitView(view, application, await openApplicant(ctx, application), store));
  });

  // A document of the application (sealed on IPFS), for the applicant (tracking code) and the officers
  // who review the permit, as /private decides.
  router.get("/api/permits/:number/files/:sha256", async (req, res) => {
    const view = await publicPermitView(ctx, store, number(req));
    const application = await privateReader(req, view);
    const sha256 = String(req.params.sha256).toLowerCase();
    const file = store.files(application.permitId).find((f) => f.sha256 === sha256);
    if (!file) throw new AppError("PERMIT_FILE_NOT_FOUND");
    sendPrivateFile(res, { bytes: await openPermitFile(ctx, file), filename: file.name, mediaType: file.mediaType, sha256 });
  });

  // The applicant with their tracking code, or an officer of the permit who prints it at the counter.
  router.get("/api/permits/:number/certificate.pdf", async (req, res) => {
    await privateReader(req, await publicPermitView(ctx, store, number(req)));
    const permit = await readPermit(ctx, number(req));
    const pdf = await certificatePdf(ctx, permit.certificateHash);
    res
      .set("cache-control", "no-store")
      .type("application/pdf")
      // A permit number holds "/" (TH-50-MAEHIA/BLD/2026/000001), which no file name may.
      .set("content-disposition", `attachment; filename="${permit.number.replaceAll("/", "-")}-v${permit.version}.pdf"`)
      .send(Buffer.from(pdf));
  });

  router.post("/api/permits/:number/documents", officer, documents, async (req, res) => {
    await requirePermitOfficer(officerOf(res).address, number(req));
    res.json(await addDocuments(ctx, store, number(req), documentsOf(req)));
  });

  router.get("/api/permits/:number/completion/typed-data", officer, async (req, res) => {
    res.set("cache-control", "no-store").json(await completionTypedData(ctx, officerOf(res).address, number(req)));
  });

  router.post("/api/permits/:number/complete", officer, async (req, res) => {
    res.json(await completeApplication(ctx, officerOf(res).address, number(req), req.body));
  });

  router.get("/api/permits/:number/steps/next/typed-data", officer, async (req, res) => {
    res.set("cache-control", "no-store").json(await nextStepTypedData(ctx, officerOf(res).address, number(req), req.query));
  });

  router.post("/api/permits/:number/steps/decisions", officer, ctx.upload, async (req, res) => {
    const note = req.file ? documentsOf(req)[0].bytes : null;
    res.json(await decideStep(ctx, store, officerOf(res).address, number(req), jsonBody(req, "signed"), note));
  });

  router.post("/api/permits/:number/certificate/drafts", officer, async (req, res) => {
    res.status(201).json(await draftIssuance(ctx, store, officerOf(res).address, number(req)));
  });

  router.post("/api/permits/:number/certificate", officer, async (req, res) => {
    res.status(201).json(await submitIssuance(ctx, store, officerOf(res).address, number(req), req.body));
  });

  router.post("/api/permits/:number/amendments/drafts", officer, async (req, res) => {
    res.status(201).json(await draftAmendment(ctx, store, officerOf(res).address, number(req), req.body));
  });

  router.post("/api/permits/:number/amendments", officer, async (req, res) => {
    res.status(201).json(await submitAmendment(ctx, store, officerOf(res).address, number(req), req.body));
  });

  router.post("/api/permits/:number/revocation/drafts", officer, async (req, res) => {
    res.status(201).json(await draftRevocation(ctx, store, officerOf(res).address, number(req), req.body));
  });

  router.post("/api/permits/:number/revocation", officer, async (req, res) => {
    res.json(await submitRevocation(ctx, store, officerOf(res).address, number(req), req.body));
  });

  return router;
}
