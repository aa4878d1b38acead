import { ERRORS } from "../../errors.js";
import { CSV_COLUMNS } from "./csv.js";

// The audit routes as OpenAPI 3.1 paths (spread into app/server/openapi.ts), schemas inline so that the
// block stays in one place.
type ErrorResponses = (...codes: Array<keyof typeof ERRORS>) => Record<string, unknown>;

const auditEvent = {
  type: "object",
  required: ["contract", "event", "subject", "municipalityId", "args", "txHash", "blockNumber", "logIndex", "timestamp", "time", "sender"],
  properties: {
    contract: { type: "string", enum: ["permitRegistry", "complaintLedger", "civicFund"] },
    event: { type: "string", description: "the Solidity event's name" },
    subject: { type: "string", description: "permitId / complaintId (0x-hex), campaignId (decimal), or a permit type / category" },
    municipalityId: { type: ["integer", "null"] },
    args: { type: "object", description: "the event's arguments: numbers (amounts too) as decimal strings, bytes as 0x-hex" },
    roleNames: { type: "object", description: "names of the role ids among args, e.g. { role: ENGINEER }" },
    txHash: { type: "string" },
    blockNumber: { type: "integer" },
    logIndex: { type: "integer" },
    timestamp: { type: "integer", description: "block time, s since epoch" },
    time: { type: "string", format: "date-time" },
    sender: { type: "string", description: "who sent the transaction" },
  },
};

const chainCheck = {
  type: "object",
  description: "Present with ?check=chain: each event re-read from the chain (eth_getLogs by the subject's topic, each block's hash, time and senders).",
  properties: {
    against: { const: "chain" },
    chainId: { type: "integer" },
    contract: { type: "string" },
    fromBlock: { type: "integer" },
    toBlock: { type: "integer", description: "the last block the index has read" },
    ok: { type: "boolean" },
    events: {
      type: "array",
      items: {
        type: "object",
        properties: {
          blockNumber: { type: "integer" },
          logIndex: { type: "integer" },
          txHash: { type: "string" },
          event: { type: "string" },
          status: { type: "string", enum: ["match", "mismatch", "missing-in-api", "missing-on-chain"] },
          blockHash: { type: ["string", "null"] },
          fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, api: {}, chain: {} } } },
        },
      },
    },
  },
};

const trail = (errors: ErrorResponses, description: string, idDescription: string) => ({
  get: {
    summary: description,
    parameters: [
      { name: "id", in: "path", required: true, schema: { type: "string" }, description: idDescription },
      { name: "check", in: "query", required: false, schema: { const: "chain" }, description: "re-read the trail from the chain and compare (rate-limited)" },
    ],
    responses: {
      "200": {
        description: "The trail in chain order",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["kind", "subject", "municipalityId", "events"],
              properties: {
                kind: { type: "string", enum: ["permits", "complaints", "funds"] },
                subject: { type: "string" },
                number: { type: "string", description: "permits: the permit number" },
                municipalityId: { type: ["integer", "null"] },
                events: { type: "array", items: auditEvent },
                checked: chainCheck,
              },
            },
          },
        },
      },
      ...errors("AUDIT_ID_INVALID", "QUERY_INVALID", "AUDIT_TRAIL_NOT_FOUND", "RATE_LIMITED"),
    },
  },
});

/** The paths, with the error responses written the way the rest of the document writes them. */
export const auditOpenApiPaths = (errors: ErrorResponses) => ({
  "/api/audit/permits/{id}": trail(errors, "A permit's audit trail (docs/audit.md)", "the permit number (URL-encoded) or its permitId (0x-hex)"),
  "/api/audit/complaints/{id}": trail(errors, "A complaint's audit trail (docs/audit.md)", "the complaintId (0x-hex)"),
  "/api/audit/funds/{id}": trail(errors, "A campaign's audit trail (docs/audit.md)", "the campaign id (decimal)"),
  "/api/audit/export": {
    get: {
      summary: "Every trail event of a municipality between two dates, as CSV or JSON (an attachment; rate-limited)",
      parameters: [
        { name: "municipality", in: "query", required: true, schema: { type: "integer", minimum: 1 } },
        { name: "from", in: "query", required: false, schema: { type: "string" }, description: "first day (YYYY-MM-DD, UTC) or ISO 8601 instant with a zone" },
        { name: "to", in: "query", required: false, schema: { type: "string" }, description: "last day, inclusive" },
        { name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "csv"], default: "json" } },
      ],
      responses: {
        "200": {
          description: `JSON (format public-service-ledger/audit-export@1), or CSV with a header row (${CSV_COLUMNS.join(", ")}), RFC 4180`,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  format: { const: "public-service-ledger/audit-export@1" },
                  municipalityId: { type: "integer" },
                  from: { type: ["string", "null"] },
                  to: { type: ["string", "null"] },
                  chainId: { type: "integer" },
                  contracts: { type: "object" },
                  deploymentBlock: { type: "integer" },
                  indexedBlock: { type: "integer" },
                  count: { type: "integer" },
                  events: { type: "array", items: auditEvent },
                },
              },
            },
            "text/csv": { schema: { type: "string" } },
          },
        },
        ...errors("QUERY_INVALID", "AUDIT_RANGE_INVALID", "AUDIT_FORMAT_INVALID", "MUNICIPALITY_UNKNOWN", "RATE_LIMITED"),
      },
    },
  },
});
