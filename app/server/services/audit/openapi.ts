import { ERRORS } from "../../errors.js";
import { CSV_COLUMNS } from "./csv.js";

// The audit routes as OpenAPI 3.1 paths (spread into app/server/openapi.ts), schemas inline so that the
// block stays in one place.
type ErrorResponses = (...codes: Array<keyof typeof ERRORS>) => Record<string, unknown>;

const nullableString = (description: string) => ({ type: ["string", "null"], description });

const auditRecord = {
  type: "object",
  description: "a record this service anchored (its claims are checked against the chain by ?check=chain and `ledger audit`)",
  properties: {
    kind: { type: "string", description: "document, issuance, pledge-receipt, …" },
    sha256: { type: "string" },
    leaf: { type: "string", description: "BatchAnchor.leafOf(sha256)" },
    proof: { type: ["array", "null"], items: { type: "string" }, description: "from the leaf to the batch's root" },
    issuer: {
      type: ["object", "null"],
      properties: { address: { type: "string" }, name: { type: ["string", "null"] }, role: { const: "DOCUMENT_ISSUER" } },
    },
    issuance: {
      type: ["object", "null"],
      description: "the signed IssueDocuments statement (municipalityId, documentsRoot, count, nonce, deadline, signer, signature), its record's sha256 and the document's proof into the list",
    },
  },
};

const auditEvent = {
  type: "object",
  required: ["contract", "event", "subject", "municipalityId", "args", "txHash", "blockNumber", "logIndex", "timestamp", "time", "sender"],
  properties: {
    contract: { type: "string", enum: ["permitRegistry", "complaintLedger", "civicFund", "batchAnchor", "directory"] },
    event: { type: "string", description: "the Solidity event's name" },
    subject: { type: "string", description: "permitId / complaintId (0x-hex), campaignId (decimal), a permit type / category, a batch's root, an officer's account, or the municipality" },
    municipalityId: { type: ["integer", "null"] },
    args: { type: "object", description: "the event's arguments: numbers (amounts too) as decimal strings, bytes as 0x-hex" },
    roleNames: { type: "object", description: "names of the role ids among args, e.g. { role: ENGINEER }" },
    txHash: { type: "string" },
    blockNumber: { type: "integer" },
    logIndex: { type: "integer" },
    timestamp: { type: "integer", description: "block time, s since epoch" },
    time: { type: "string", format: "date-time" },
    sender: { type: "string", description: "who sent the transaction" },
    number: nullableString("the permit number of a permit's event"),
    actor: nullableString("who acted: the officer who signed, the admin, the sender"),
    actorName: nullableString("the name the municipality's admin published for the actor on the chain"),
    actorRole: nullableString("the role acted in: a Directory role, NATIONAL_ADMIN, MUNICIPALITY_ADMIN or REPORTER"),
    decision: nullableString("approve, reject, revoke, grant, compromised, suspend, reinstate, or a complaint's new status"),
    reason: { type: ["object", "null"], properties: { code: { type: "integer" }, th: { type: ["string", "null"] }, en: { type: ["string", "null"] } } },
    accountName: nullableString("the published name of the officer a Directory event concerns"),
    records: { type: ["array", "null"], items: auditRecord, description: "BatchAnchored: the records anchored in the batch; RecordRevoked: the revoked record" },
    reasonWords: nullableString("a revoked document's reason in words (SHA-256 = args.reasonHash)"),
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
  "/api/audit/municipalities": {
    get: {
      summary: "The municipalities of the Directory, for choosing whose trail to read",
      responses: {
        "200": {
          description: "Each municipality's id, Directory code, names and whether it is suspended",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  municipalities: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: { id: { type: "integer" }, code: { type: "string" }, th: { type: "string" }, en: { type: "string" }, suspended: { type: "boolean" } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  "/api/audit/export": {
    get: {
      summary: "Every trail event of a municipality (or of one of its permits) between two dates, as CSV or JSON (an attachment; rate-limited)",
      parameters: [
        { name: "municipality", in: "query", required: true, schema: { type: "integer", minimum: 1 } },
        { name: "permit", in: "query", required: false, schema: { type: "string" }, description: "only the events of this permit (its number)" },
        { name: "check", in: "query", required: false, schema: { const: "chain" }, description: "JSON only: rebuild the same trail from the chain and compare (checked)" },
        { name: "from", in: "query", required: false, schema: { type: "string" }, description: "first day (YYYY-MM-DD, UTC) or ISO 8601 instant with a zone" },
        { name: "to", in: "query", required: false, schema: { type: "string" }, description: "last day, inclusive" },
        { name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "csv"], default: "json" } },
      ],
      responses: {
        "200": {
          description: `JSON (format public-service-ledger/audit-export@2), or CSV with a header row (${CSV_COLUMNS.join(", ")}), RFC 4180, UTF-8 with a byte order mark`,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  format: { const: "public-service-ledger/audit-export@2" },
                  municipalityId: { type: "integer" },
                  from: { type: ["string", "null"] },
                  to: { type: ["string", "null"] },
                  permit: { type: ["string", "null"] },
                  chainId: { type: "integer" },
                  contracts: { type: "object" },
                  deploymentBlock: { type: "integer" },
                  indexedBlock: { type: "integer" },
                  count: { type: "integer" },
                  events: { type: "array", items: auditEvent },
                  checked: {
                    type: "object",
                    description: "with ?check=chain: ok, chainId, fromBlock, toBlock, chainEvents and the differences (as `ledger audit --json` lists them)",
                  },
                },
              },
            },
            "text/csv": { schema: { type: "string" } },
          },
        },
        ...errors("QUERY_INVALID", "AUDIT_ID_INVALID", "AUDIT_RANGE_INVALID", "AUDIT_FORMAT_INVALID", "MUNICIPALITY_UNKNOWN", "RATE_LIMITED"),
      },
    },
  },
});
