import type { ERRORS } from "../../errors.js";

// The dashboards' routes as OpenAPI 3.1 paths (spread into app/server/openapi.ts), schemas inline.
type ErrorResponses = (...codes: Array<keyof typeof ERRORS>) => Record<string, unknown>;

const days = { type: ["number", "null"], description: "days, two decimals; null when there is nothing to measure" };
const durations = { count: { type: "integer" }, medianDays: days, p90Days: days };
const decisions = {
  type: "object",
  description: "decision times, from the application's completion (PermitCompleted) to its approval or rejection",
  properties: {
    ...durations,
    withinStatute: { type: "integer", description: "how many were decided within the 45 days" },
    withinStatuteShare: { type: ["number", "null"], description: "withinStatute / count, 0–1" },
  },
};
const label = { type: "object", properties: { code: { type: "string" }, th: { type: "string" }, en: { type: "string" } } };
const complaintSummary = {
  total: { type: "integer" },
  open: { type: "integer", description: "filed, acknowledged, in progress or reopened: work still owed" },
  sla: {
    type: "object",
    description: "met / missed: fixed by the due time or after; onTrack / overdue: still open, before or past it",
    properties: { met: { type: "integer" }, missed: { type: "integer" }, onTrack: { type: "integer" }, overdue: { type: "integer" } },
  },
  resolution: { type: "object", description: "filing to the latest resolution, of resolved and confirmed complaints", properties: durations },
};

const figures = (mayor: boolean) => ({
  type: "object",
  required: ["municipality", "audience", "asOf", "permits", "complaints", "funds"],
  properties: {
    municipality: { type: "object", properties: { id: { type: "integer" }, code: { type: "string" }, th: { type: "string" }, en: { type: "string" } } },
    audience: { const: mayor ? "mayor" : "resident" },
    asOf: { type: "string", format: "date-time", description: "the chain's latest block time: open clocks and SLAs are measured to it" },
    permits: {
      type: "object",
      properties: {
        statuteDays: { const: 45 },
        decided: { ...decisions, properties: { ...decisions.properties, approved: { type: "integer" }, rejected: { type: "integer" } } },
        byType: { type: "array", items: { ...decisions, properties: { type: label, ...decisions.properties } } },
        byMonth: { type: "array", items: { ...decisions, properties: { month: { type: "string", description: "YYYY-MM, Bangkok time of the decision" }, ...decisions.properties } } },
        byState: { type: "object", additionalProperties: { type: "integer" } },
        open: {
          type: "object",
          properties: Object.fromEntries(["awaitingCompletion", "underReview", "nearLimit", "beyondStatute", "awaitingCertificate"].map((k) => [k, { type: "integer" }])),
        },
        ...(mayor
          ? {
              clocks: {
                type: "array",
                description: "every permit under review, the least time left first; nearLimit within 10 days of the statute's end",
                items: {
                  type: "object",
                  properties: {
                    number: { type: "string" },
                    type: label,
                    awaitingRole: { type: ["string", "null"] },
                    completedAt: { type: "string", format: "date-time" },
                    deadline: { type: "string", format: "date-time" },
                    daysElapsed: { type: "number" },
                    daysLeft: { type: "number", description: "negative past the statute" },
                    nearLimit: { type: "boolean" },
                  },
                },
              },
              stepTimes: { type: "array", description: "per approval role: from the previous step to its decision", items: { type: "object", properties: { role: { type: "string" }, ...durations } } },
            }
          : {}),
      },
    },
    complaints: {
      type: "object",
      properties: {
        ...complaintSummary,
        byStatus: { type: "array", items: { type: "object", properties: { status: { type: "string" }, count: { type: "integer" } } } },
        byCategory: {
          type: "array",
          items: { type: "object", properties: mayor ? { category: label, ...complaintSummary } : { category: label, total: { type: "integer" } } },
        },
      },
    },
    funds: {
      type: "object",
      properties: {
        campaigns: {
          type: "array",
          items: {
            type: "object",
            description: "amounts in the token's smallest unit, as decimal strings",
            properties: {
              campaignId: { type: "integer" },
              phase: { type: "string", enum: ["Draft", "Funding", "Succeeded", "Failed", "Cancelled", "Lapsed"] },
              token: { type: "object", properties: { symbol: { type: ["string", "null"] }, decimals: { type: ["integer", "null"] } } },
              goal: { type: "string" },
              pledged: { type: "string", description: "on-chain pledges: what counts toward the goal" },
              offchainTotal: { type: "string" },
              refunded: { type: "string" },
              released: { type: "string" },
              progressPercent: { type: "number" },
              progressWithOffchainPercent: { type: "number" },
              deadlineAt: { type: "string", format: "date-time" },
              pledges: { type: "integer" },
              offchainPledges: { type: "integer" },
            },
          },
        },
        totals: { type: "object", additionalProperties: { type: "integer" } },
      },
    },
  },
});

export function dashboardOpenApiPaths(errors: ErrorResponses) {
  const municipalityId = { name: "municipalityId", in: "path", required: true, schema: { type: "integer", minimum: 1 }, example: 1 };
  const answer = (mayor: boolean) => ({ description: "The figures", content: { "application/json": { schema: figures(mayor) } } });
  return {
    "/api/dashboards/{municipalityId}": {
      get: {
        summary: "The resident dashboard's figures: permit decision times against the 45-day statute, complaints by status and SLA, funds raised (aggregates of the index)",
        parameters: [municipalityId],
        responses: { "200": answer(false), ...errors("QUERY_INVALID", "MUNICIPALITY_UNKNOWN") },
      },
    },
    "/api/dashboards/{municipalityId}/mayor": {
      get: {
        summary: "The mayor dashboard's figures: the resident's plus every running legal clock, time per approval role, SLA per category",
        parameters: [municipalityId],
        responses: { "200": answer(true), ...errors("QUERY_INVALID", "MUNICIPALITY_UNKNOWN") },
      },
    },
  };
}
