// What the auditor's page (pages/Audit.tsx) asks of the API (docs/audit.md): the municipalities, and a
// trail with its check against the chain — one permit's (GET /api/audit/permits/:number?check=chain) or
// a municipality's between two dates (GET /api/audit/export?…&check=chain) — in one shape for the page.
import { ApiError, apiRequest } from "../apiRequest.js";
import type { AuditEvent, TrailDifference } from "../../../shared/trailEvents.js";

export type { AuditEvent };

export interface AuditMunicipality {
  id: number;
  code: string;
  th: string;
  en: string;
  suspended: boolean;
}

/** What the page searches for, as its URL holds it (?municipality=1&permit=…&from=YYYY-MM-DD&to=YYYY-MM-DD). */
export interface AuditQuery {
  municipality: string;
  permit: string;
  from: string;
  to: string;
}

export type EventStatus = "match" | "mismatch" | "missing-in-api" | "missing-on-chain";

export interface TrailCheck {
  ok: boolean;
  /** How many events were compared, and how many differ. */
  compared: number;
  differences: number;
  chainId: number;
  fromBlock: number;
  toBlock: number;
  /** Each event's verdict by its position ("block:log"), with the fields that differ. */
  status: Map<string, { status: EventStatus; fields: string[] }>;
  /** Events the chain holds and the service did not show. */
  missingInApi: Array<{ blockNumber: number; logIndex: number; event: string; txHash: string }>;
}

export type TrailLoad = { events: AuditEvent[]; check: TrailCheck } | { notFound: true } | { error: string };

export const positionOf = (e: { blockNumber: number; logIndex: number }) => `${e.blockNumber}:${e.logIndex}`;

export function queryOf(url: URL): AuditQuery | null {
  const municipality = url.searchParams.get("municipality");
  if (!municipality) return null;
  const text = (name: string) => url.searchParams.get(name)?.trim() ?? "";
  return { municipality, permit: text("permit"), from: text("from"), to: text("to") };
}

/** A day of the date inputs as the instant the API takes: days are Thai days (UTC+7), as the page shows times. */
function instant(day: string, end: "from" | "to"): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return end === "from" ? `${day}T00:00:00+07:00` : `${day}T23:59:59+07:00`;
}

/** The export's query for the same search (the download links, and the municipality's trail itself). */
export function exportParams(query: AuditQuery, format: "csv" | "json"): URLSearchParams {
  const params = new URLSearchParams({ municipality: query.municipality });
  if (query.permit) params.set("permit", query.permit);
  const from = instant(query.from, "from");
  const to = instant(query.to, "to");
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  params.set("format", format);
  return params;
}

/** The command an auditor runs to check the same against a node of their own choosing (given with --rpc). */
export function cliCommand(query: AuditQuery, apiOrigin: string): string {
  const params = exportParams(query, "json");
  const quote = (value: string) => (/^[\w./:+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);
  const flags = [
    ["permit", params.get("permit")],
    ["from", params.get("from")],
    ["to", params.get("to")],
  ]
    .filter(([, value]) => value)
    .map(([name, value]) => `--${name} ${quote(value!)}`);
  return ["npx ledger audit", query.municipality, ...flags, "--api", apiOrigin].join(" ");
}

export function loadMunicipalities(): Promise<AuditMunicipality[]> {
  return apiRequest<{ municipalities: AuditMunicipality[] }>("/api/audit/municipalities").then((answer) => answer.municipalities);
}

interface SubjectTrailAnswer {
  municipalityId: number | null;
  events: AuditEvent[];
  checked: {
    ok: boolean;
    chainId: number;
    fromBlock: number;
    toBlock: number;
    events: Array<{ blockNumber: number; logIndex: number; txHash: string; event: string; status: EventStatus; fields?: Array<{ field: string }> }>;
  };
}

interface ExportAnswer {
  events: AuditEvent[];
  checked: { ok: boolean; chainId: number; fromBlock: number; toBlock: number; chainEvents: number; differences: TrailDifference[] };
}

/** One permit's trail (checked as the permit's own events) or the municipality's, with the chain's verdict. */
export async function loadTrail(query: AuditQuery): Promise<TrailLoad> {
  try {
    return query.permit ? await permitTrail(query) : await municipalityTrail(query);
  } catch (error) {
    if (error instanceof ApiError && error.code === "AUDIT_TRAIL_NOT_FOUND") return { notFound: true };
    return { error: error instanceof ApiError ? error.code : "NETWORK" };
  }
}

async function permitTrail(query: AuditQuery): Promise<TrailLoad> {
  const answer = await apiRequest<SubjectTrailAnswer>(`/api/audit/permits/${encodeURIComponent(query.permit)}?check=chain`);
  if (String(answer.municipalityId) !== query.municipality) return { notFound: true };
  const from = instant(query.from, "from");
  const to = instant(query.to, "to");
  if (from && to && Date.parse(from) > Date.parse(to)) return { error: "AUDIT_RANGE_INVALID" };
  const inRange = (e: AuditEvent) => (!from || e.timestamp * 1000 >= Date.parse(from)) && (!to || e.timestamp * 1000 <= Date.parse(to));
  const { checked } = answer;
  const status = new Map(checked.events.map((e) => [positionOf(e), { status: e.status, fields: e.fields?.map((f) => f.field) ?? [] }]));
  const missingInApi = checked.events.filter((e) => e.status === "missing-in-api");
  return {
    events: answer.events.filter(inRange),
    check: {
      ok: checked.ok,
      compared: checked.events.length,
      differences: checked.events.filter((e) => e.status !== "match").length,
      chainId: checked.chainId,
      fromBlock: checked.fromBlock,
      toBlock: checked.toBlock,
      status,
      missingInApi,
    },
  };
}

async function municipalityTrail(query: AuditQuery): Promise<TrailLoad> {
  const params = exportParams(query, "json");
  params.set("check", "chain");
  const answer = await apiRequest<ExportAnswer>(`/api/audit/export?${params}`);
  const { checked } = answer;
  const status = new Map<string, { status: EventStatus; fields: string[] }>(
    answer.events.map((e) => [positionOf(e), { status: "match", fields: [] }])
  );
  for (const difference of checked.differences) {
    const fields = difference.kind === "field-differs" ? difference.fields.map((f) => f.field) : [];
    const kind: EventStatus = difference.kind === "field-differs" ? "mismatch" : difference.kind;
    status.set(positionOf(difference), { status: kind, fields });
  }
  return {
    events: answer.events,
    check: {
      ok: checked.ok,
      compared: Math.max(answer.events.length, checked.chainEvents),
      differences: checked.differences.length,
      chainId: checked.chainId,
      fromBlock: checked.fromBlock,
      toBlock: checked.toBlock,
      status,
      missingInApi: checked.differences.filter((d) => d.kind === "missing-in-api"),
    },
  };
}
