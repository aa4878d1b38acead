import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { AppError } from "../errors.js";
import { toAppError } from "../http/errorHandler.js";
import { DEMO_JURISDICTION, Open311Jurisdictions } from "../services/complaints/jurisdictions.js";
import {
  SPEC_URL,
  agencyName,
  chainNow,
  requestFilter,
  serviceDefinition,
  serviceRequest,
  services,
  submitRequest,
} from "../services/complaints/open311.js";
import { filingView } from "../services/complaints/filing.js";
import { ComplaintQueries } from "../services/complaints/queries.js";
import type { WorkflowContext } from "../workflows/context.js";
import { toOpen311Xml } from "./open311Xml.js";

/**
 * The Open311 GeoReport v2 server at /open311/v2: discovery, services, services/:code, requests (GET,
 * POST), requests/:id and tokens/:token, each as .json and .xml. Errors are answered as the spec writes
 * them — a list of {code, description}, code being the HTTP status — instead of the API's usual body;
 * the API's own error code is in the `x-error-code` header.
 */
type Format = "json" | "xml";

const BASE = "/open311/v2";
const CHANGESET = "2024-06-29T00:00:00Z";

/** "requests.json" → ["requests", "json"]; 404 for any other extension. */
function split(file: string): [string, Format] {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  if (!match) throw new AppError("OPEN311_FORMAT_UNKNOWN");
  return [match[1], match[2] as Format];
}

function send(res: Response, format: Format, root: string, value: unknown, status = 200): void {
  res.status(status);
  if (format === "xml") res.type("text/xml; charset=utf-8").send(toOpen311Xml(root, value));
  else res.type("application/json; charset=utf-8").send(JSON.stringify(value));
}

export function open311Routes(ctx: WorkflowContext): Router {
  const jurisdictions = new Open311Jurisdictions(ctx.towns);
  const queries = new ComplaintQueries(ctx.db);
  const api = Router();
  api.use(express.urlencoded({ extended: false, limit: "1mb" }));
  const params = (req: Request): Record<string, unknown> => ({ ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown>) ?? {}) });
  // The towns as the chain has them now: a town that has just published its profile answers at once.
  const jurisdictionOf = async (req: Request) => {
    await ctx.catchUpIndex();
    const value = params(req).jurisdiction_id;
    return jurisdictions.municipalityOf(typeof value === "string" ? value : undefined);
  };

  api.get("/:file", async (req, res) => {
    const [resource, format] = split(req.params.file);
    if (resource === "discovery") {
      const url = `${ctx.publicUrl}${BASE}`;
      send(res, format, "discovery", {
        changeset: CHANGESET,
        contact: "The complaint office of each municipality; see /open311/v2/services for its jurisdiction.",
        key_service: ctx.devAccounts
          ? `Demo: jurisdiction_id ${DEMO_JURISDICTION}, api_key in the README (embedded chain only). Otherwise ask the municipality's admin.`
          : "Ask the municipality's admin for an api_key.",
        endpoints: [
          { specification: SPEC_URL, url, changeset: CHANGESET, type: ctx.devAccounts ? "test" : "production", formats: ["text/xml", "application/json"] },
        ],
      });
      return;
    }
    if (resource === "services") {
      const { municipalityId } = await jurisdictionOf(req);
      send(res, format, "services", services(ctx, municipalityId));
      return;
    }
    if (resource === "requests") {
      const { municipalityId } = await jurisdictionOf(req);
      const filter = requestFilter(ctx, params(req), municipalityId, await chainNow(ctx));
      const { complaints, total } = queries.list(filter);
      const options = { extensions: params(req).extensions === "true", agency: agencyName(ctx, municipalityId) };
      res.set("x-total-count", String(total));
      send(res, format, "service_requests", complaints.map((complaint) => serviceRequest(ctx, complaint, options)));
      return;
    }
    throw new AppError("ROUTE_NOT_FOUND");
  });

  api.get("/services/:file", async (req, res) => {
    const [code, format] = split(req.params.file);
    const { municipalityId } = await jurisdictionOf(req);
    send(res, format, "service_definition", serviceDefinition(ctx, municipalityId, code));
  });

  // One request, confirmed or not yet: a client asks for the request it just posted.
  api.get("/requests/:file", async (req, res) => {
    const [id, format] = split(req.params.file);
    const { municipalityId } = await jurisdictionOf(req);
    if (!/^0x[0-9a-fA-F]{64}$/.test(id)) throw new AppError("COMPLAINT_NOT_FOUND", `No service request "${id}" in this jurisdiction.`);
    const pending = queries.get(id) ? null : ctx.complaintFilings.open({ complaintId: id });
    const complaint = pending ? (await filingView(ctx, pending)).complaint : queries.get(id);
    if (!complaint || complaint.municipalityId !== municipalityId) {
      throw new AppError("COMPLAINT_NOT_FOUND", `No service request "${id}" in this jurisdiction.`);
    }
    const options = { extensions: params(req).extensions === "true", agency: agencyName(ctx, municipalityId) };
    const request = serviceRequest(ctx, complaint, options);
    if (options.extensions) (request.extended_attributes as Record<string, unknown>).confirmed = pending === null;
    send(res, format, "service_requests", [request]);
  });

  // A token names its request from the moment the filing is accepted, before it is on the chain.
  api.get("/tokens/:file", async (req, res) => {
    const [token, format] = split(req.params.file);
    const { municipalityId } = await jurisdictionOf(req);
    const complaint = queries.byToken(token) ?? ctx.complaintFilings.open({ token });
    if (!complaint || complaint.municipalityId !== municipalityId) throw new AppError("COMPLAINT_NOT_FOUND", `No token "${token}" in this jurisdiction.`);
    send(res, format, "service_requests", [{ service_request_id: complaint.complaintId, token }]);
  });

  api.post("/:file", async (req, res) => {
    const [resource, format] = split(req.params.file);
    if (resource !== "requests") throw new AppError("ROUTE_NOT_FOUND");
    const body = params(req);
    const { municipalityId } = await jurisdictionOf(req);
    jurisdictions.requireKey(municipalityId, body.api_key);
    // Answered once accepted, before it is on the chain (`confirmed: false`); GET requests/:id and the
    // tracking code show it confirm.
    const filing = await submitRequest(ctx, municipalityId, body);
    send(res, format, "service_requests", [
      {
        service_request_id: filing.complaint.complaintId,
        token: filing.token,
        service_notice: `Keep your tracking code: it is the only way to follow, confirm or reopen this request. Expected by ${new Date(filing.complaint.dueAt * 1000).toISOString()}.`,
        account_id: "",
        tracking_code: filing.trackingCode,
        tx_hash: filing.txHash ?? "",
        confirmed: filing.confirmed,
      },
    ]);
  });

  api.use((_req, _res, next) => next(new AppError("ROUTE_NOT_FOUND")));
  api.use(open311Errors);

  const router = Router();
  router.use(BASE, api);
  return router;
}

/**
 * Errors as GeoReport v2 writes them, in the format the path asked for: the router's own, and createApp's
 * for everything under /open311 (the limits on its writes, the API's body parsers, unknown paths). Each
 * has the registry's code (toAppError, as the API's error handler translates them); a failure on the
 * service's side that no route raised as an AppError (a bug, a chain node down) goes on to that handler,
 * which logs it before it answers.
 */
export const open311Errors: ErrorRequestHandler = (error, req, res, next) => {
  const appError = toAppError(error);
  if (appError.status >= 500 && !(error instanceof AppError)) {
    next(error);
    return;
  }
  res.set("x-error-code", appError.code);
  const format: Format = /\.xml$/.test(req.path) ? "xml" : "json";
  send(res, format, "errors", [{ code: appError.status, description: appError.message }], appError.status);
};
