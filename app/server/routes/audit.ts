import { Router, type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { AppError } from "../errors.js";
import { parseMunicipalityId } from "../http/validation.js";
import { auditCsv } from "../services/audit/csv.js";
import { AuditTrailService } from "../services/audit/auditTrail.js";
import { AUDIT_KINDS, parseAuditSubject, parsePermitNumber, type AuditKind } from "../services/audit/subjects.js";
import { servedTowns } from "../services/towns.js";
import type { WorkflowContext } from "../workflows/context.js";

/**
 * Re-reading the chain and exporting a municipality's history cost far more than a plain read: they
 * share a budget per client address, as uploads do. The plain trail is as cheap as any other read.
 */
export const AUDIT_CHECKS_PER_MINUTE = 60;

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new AppError("QUERY_INVALID", `Give \`${name}\` once.`);
  return value;
}

const parseMunicipality = (value: unknown) =>
  parseMunicipalityId(value, () => new AppError("QUERY_INVALID", "Give the municipality as ?municipality=<its id on the ledger>."));

function parseCheck(value: unknown): boolean {
  const check = optionalText(value, "check");
  if (check !== undefined && check !== "chain") throw new AppError("QUERY_INVALID", "The only check is ?check=chain.");
  return check === "chain";
}

/**
 * The audit trail, public as the chain is (it holds no personal data): a permit's, complaint's or
 * campaign's events with tx hashes and blocks, checked against the chain on request, and a
 * municipality's whole trail — its workflows, its anchored batches and records, its Directory's role
 * changes and officers' names — as CSV or JSON. docs/audit.md says what an auditor can check with it.
 */
export function auditRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  const audit = new AuditTrailService(ctx.db, ctx.chain.provider, ctx.deployment);
  const costlyLimit = rateLimit({
    windowMs: 60_000,
    limit: AUDIT_CHECKS_PER_MINUTE,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError("RATE_LIMITED")),
  });
  const limitChecks: RequestHandler = (req, res, next) => (req.query.check === undefined ? next() : costlyLimit(req, res, next));

  // The municipalities an auditor may choose: the towns GET /api/municipalities lists (one list, servedTowns),
  // in the audit API's own flat shape (docs/audit.md), which its page and the console's names read.
  router.get("/api/audit/municipalities", async (_req, res) => {
    const municipalities = (await servedTowns(ctx)).map(({ id, code, suspended, name }) => ({ id, code, suspended, th: name.th, en: name.en }));
    res.set("cache-control", "no-store").json({ municipalities });
  });

  router.get("/api/audit/export", costlyLimit, async (req, res) => {
    const municipalityId = parseMunicipality(req.query.municipality);
    const format = optionalText(req.query.format, "format") ?? "json";
    if (format !== "csv" && format !== "json") throw new AppError("AUDIT_FORMAT_INVALID");
    const check = parseCheck(req.query.check);
    if (check && format !== "json") throw new AppError("AUDIT_FORMAT_INVALID", "The chain check is answered in JSON only (format=json).");
    const permit = optionalText(req.query.permit, "permit");
    const known = ctx.db.prepare("SELECT 1 FROM idx_municipalities WHERE municipality_id = ?").get(municipalityId);
    if (!known) throw new AppError("MUNICIPALITY_UNKNOWN");
    const range = { from: optionalText(req.query.from, "from"), to: optionalText(req.query.to, "to") };
    const answer = await audit.exportTrail(municipalityId, { ...range, ...(permit === undefined ? {} : { permit: parsePermitNumber(permit) }) }, { check });
    const name = `audit-municipality-${municipalityId}-${permit ? `${permit}-` : ""}${range.from ?? "start"}-${range.to ?? "now"}`.replace(/[^\w.-]/g, "_");
    res.set("cache-control", "no-store").attachment(`${name}.${format}`);
    if (format === "json") res.json(answer);
    else res.type("text/csv; charset=utf-8; header=present").send(auditCsv(answer.events));
  });

  router.get("/api/audit/:kind/:id", limitChecks, async (req, res, next) => {
    const kind = req.params.kind as AuditKind;
    if (!AUDIT_KINDS.includes(kind)) return next();
    const check = parseCheck(req.query.check);
    const target = parseAuditSubject(kind, String(req.params.id));
    res.set("cache-control", "no-store").json(await audit.trail(target, { check }));
  });

  return router;
}
