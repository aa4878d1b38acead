import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { townName } from "../towns.js";
import { categoryHashOf, categoryInfo, open311Status, statusNumber, OPEN_STATUSES } from "./catalogue.js";
import { checkAttributes, fileComplaint, type ComplaintContent, type FiledPhoto, type Filing } from "./filing.js";
import { ComplaintQueries, type ComplaintFilter, type ComplaintRecord } from "./queries.js";

/**
 * The Open311 GeoReport v2 view of complaints (http://wiki.open311.org/GeoReport_v2): services are a
 * municipality's complaint categories, service requests are its complaints. Public answers carry public
 * fields only — the text, address, contact and photos are sealed, so `description`, `address` and
 * `media_url` are empty and `lat`/`long` are rounded to about 100 m. With `extensions=true` a request
 * also carries `extended_attributes` (the ledger's `detailed_status`, area, hashes) and `notes` (its
 * status history, each with its transaction hash), as the Chicago / CitySDK extensions name them.
 */
export const SPEC_URL = "http://wiki.open311.org/GeoReport_v2";
export const MAX_PAGE_SIZE = 1000;
const NINETY_DAYS = 90 * 24 * 60 * 60;

export const w3c = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * A municipality's active categories on the chain, each with its SLA and as its profile describes it,
 * in the profile's order: what both the Open311 services list and the web app's form offer.
 */
export function activeCategories(ctx: WorkflowContext, municipalityId: number) {
  return new ComplaintQueries(ctx.db)
    .categories(municipalityId)
    .filter((category) => category.active)
    .map(({ category, slaSeconds }) => ({ info: categoryInfo(ctx.towns, municipalityId, category), slaSeconds }))
    .sort((a, b) => a.info.order - b.info.order || a.info.code.localeCompare(b.info.code));
}

/** A municipality's active categories as Open311 services. */
export function services(ctx: WorkflowContext, municipalityId: number) {
  return activeCategories(ctx, municipalityId).map(({ info, slaSeconds }) => {
    const days = Math.round((slaSeconds / 86_400) * 10) / 10;
    return {
      service_code: info.code,
      service_name: info.name,
      description: `${info.description}${info.description ? " " : ""}Answered within ${days} day${days === 1 ? "" : "s"} (${info.nameTh}).`.trim(),
      metadata: info.attributes.length > 0,
      type: "realtime",
      keywords: info.keywords.join(","),
      group: info.group,
    };
  });
}

/** The category hash of a service_code that is active in the municipality; 404 otherwise. */
export function activeCategory(ctx: WorkflowContext, municipalityId: number, serviceCode: string): string {
  const hash = categoryHashOf(ctx.towns, municipalityId, serviceCode);
  const found = hash && new ComplaintQueries(ctx.db).categories(municipalityId).find((c) => c.category === hash && c.active);
  if (!found) throw new AppError("SERVICE_CODE_UNKNOWN", `No service_code "${serviceCode}" in this jurisdiction.`);
  return found.category;
}

export function serviceDefinition(ctx: WorkflowContext, municipalityId: number, serviceCode: string) {
  const info = categoryInfo(ctx.towns, municipalityId, activeCategory(ctx, municipalityId, serviceCode));
  return {
    service_code: info.code,
    attributes: info.attributes.map((attribute) => ({
      variable: true,
      code: attribute.code,
      datatype: attribute.datatype,
      required: attribute.required,
      datatype_description: attribute.datatype_description,
      order: attribute.order,
      description: attribute.description,
      ...(attribute.values ? { values: attribute.values.map(({ key, name }) => ({ key, name })) } : {}),
    })),
  };
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);

/** `attribute[code]=value` fields of a form, or an `attribute` object of a JSON body. */
function attributesOf(body: Record<string, unknown>): Record<string, string | string[]> {
  const attributes: Record<string, string | string[]> = {};
  const put = (code: string, value: unknown) => {
    if (typeof value === "string") attributes[code] = value;
    else if (Array.isArray(value)) attributes[code] = value.map(String);
  };
  if (body.attribute && typeof body.attribute === "object") {
    for (const [code, value] of Object.entries(body.attribute as Record<string, unknown>)) put(code, value);
  }
  for (const [key, value] of Object.entries(body)) {
    const match = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (match) put(match[1], value);
  }
  return attributes;
}

function coordinate(value: unknown, limit: number): number {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(number) || Math.abs(number) > limit) throw new AppError("LOCATION_INVALID");
  return number;
}

/**
 * POST requests (and the web app's filing): checks the fields as the spec asks — the category active in
 * the town, its questions answered, the point inside the town's area — seals what is personal, files
 * on-chain. The one validation both paths share.
 */
export async function submitRequest(
  ctx: WorkflowContext,
  municipalityId: number,
  body: Record<string, unknown>,
  channel: "open311" | "web" = "open311",
  photo?: FiledPhoto,
): Promise<Filing> {
  const serviceCode = text(body.service_code);
  if (!serviceCode) throw new AppError("SERVICE_CODE_MISSING");
  await ctx.catchUpIndex(); // the categories as the chain has them now
  const category = activeCategory(ctx, municipalityId, serviceCode);
  const hasLat = body.lat !== undefined && body.lat !== "";
  const hasLong = body.long !== undefined && body.long !== "";
  const addressString = text(body.address_string);
  if (!hasLat && !hasLong && !addressString && !text(body.address_id)) throw new AppError("LOCATION_REQUIRED");
  if (hasLat !== hasLong) throw new AppError("LOCATION_INVALID", "Give both lat and long.");
  const lat = hasLat ? coordinate(body.lat, 90) : null;
  const long = hasLong ? coordinate(body.long, 180) : null;
  if (lat !== null && long !== null) ctx.towns.requireInArea(municipalityId, lat, long);
  const description = typeof body.description === "string" ? body.description : "";
  if (description.length > 4000) throw new AppError("BODY_INVALID", "description is longer than 4,000 characters.");
  const attributes = attributesOf(body);
  checkAttributes(categoryInfo(ctx.towns, municipalityId, category), attributes);
  const content: ComplaintContent = {
    description,
    addressString: addressString ?? text(body.address_id),
    lat,
    long,
    mediaUrl: text(body.media_url),
    attributes,
    contact: { firstName: text(body.first_name), lastName: text(body.last_name), phone: text(body.phone), email: text(body.email) },
  };
  return fileComplaint(ctx, { municipalityId, category, content, channel, photo });
}

/** A W3C date-time with a time zone → unix seconds; 400 otherwise. */
export function parseW3cDate(value: unknown, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new AppError("DATE_INVALID", `${name} must be a W3C date-time with a time zone, e.g. 2024-01-31T08:00:00+07:00.`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError("DATE_INVALID", `${name} is not a date.`);
  return Math.floor(ms / 1000);
}

/**
 * A page or page size from a query (absent or empty: `fallback`). Safe integers only: a page past 2^53
 * would make an offset SQLite cannot bind, and a fraction none at all.
 */
export function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new AppError("QUERY_INVALID", `${name} must be a positive whole number.`);
  return number;
}

const list = (value: unknown): string[] | undefined =>
  value === undefined || value === "" ? undefined : String(value).split(",").map((part) => part.trim()).filter(Boolean);

/**
 * GET requests' filters as the spec defines them: service_request_id (a comma list, which overrides
 * every other filter), service_code, start_date, end_date, status (open, closed — or, as an extension,
 * the detailed statuses); by default the last 90 days, at most 1,000 requests; page and page_size.
 */
export function requestFilter(ctx: WorkflowContext, query: Record<string, unknown>, municipalityId: number, now: number): ComplaintFilter {
  const pageSize = Math.min(positiveInt(query.page_size, "page_size", MAX_PAGE_SIZE), MAX_PAGE_SIZE);
  const page = positiveInt(query.page, "page", 1);
  const base = { municipalityId, limit: pageSize, offset: (page - 1) * pageSize };
  const ids = list(query.service_request_id);
  if (ids) return { ...base, ids };
  const from = parseW3cDate(query.start_date, "start_date");
  const to = parseW3cDate(query.end_date, "end_date");
  if (from !== undefined && to !== undefined && from > to) throw new AppError("DATE_INVALID", "start_date is after end_date.");
  const statuses = list(query.status)?.flatMap((name) => {
    if (name === "open") return [...OPEN_STATUSES];
    if (name === "closed") return [4, 5, 7, 8, 9];
    const number = statusNumber(name);
    if (number === null) throw new AppError("QUERY_INVALID", `status must be open or closed (or a detailed status), not "${name}".`);
    return [number];
  });
  const categories = list(query.service_code)?.map((code) => categoryHashOf(ctx.towns, municipalityId, code) ?? code);
  return {
    ...base,
    statuses,
    categories,
    from: from ?? (to === undefined ? now - NINETY_DAYS : to - NINETY_DAYS),
    to,
  };
}

/** A complaint as an Open311 service request. */
export function serviceRequest(ctx: WorkflowContext, complaint: ComplaintRecord, options: { extensions: boolean; agency: string }) {
  const request: Record<string, unknown> = {
    service_request_id: complaint.complaintId,
    status: open311Status(complaint.status),
    status_notes: complaint.detailedStatus.replace(/_/g, " "),
    service_name: complaint.serviceName,
    service_code: complaint.serviceCode,
    description: "",
    agency_responsible: options.agency,
    service_notice: "",
    requested_datetime: w3c(complaint.filedAt),
    updated_datetime: w3c(complaint.updatedAt),
    expected_datetime: w3c(complaint.dueAt),
    address: "",
    address_id: "",
    zipcode: "",
    lat: complaint.lat,
    long: complaint.long,
    media_url: "",
  };
  if (!options.extensions) return request;
  request.extended_attributes = {
    detailed_status: complaint.detailedStatus,
    area: complaint.area,
    reopen_count: complaint.reopenCount,
    content_hash: complaint.contentHash,
    filed_tx_hash: complaint.filedTx,
  };
  request.notes = new ComplaintQueries(ctx.db).history(complaint.complaintId).map((note) => ({
    datetime: w3c(note.at),
    type: "status_change",
    summary: note.status,
    description: note.previous ? `${note.previous} → ${note.status}` : "filed",
    tx_hash: note.txHash,
    block_number: note.blockNumber,
    actor: note.actor,
    data_hash: note.dataHash ?? "",
  }));
  return request;
}

/** The name of a municipality in English: its profile's, else the Directory's. */
export function agencyName(ctx: WorkflowContext, municipalityId: number): string {
  const town = ctx.towns.get(municipalityId);
  return town ? townName(town).en : `municipality ${municipalityId}`;
}

/** Chain time: the SLA clock and the 90-day window run on the chain's clock, like the contract's isOverdue. */
export async function chainNow(ctx: WorkflowContext): Promise<number> {
  const block = await ctx.chain.provider.getBlock("latest");
  return block ? block.timestamp : Math.floor(Date.now() / 1000);
}
