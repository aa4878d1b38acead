import { z } from "zod";
import { ERRORS } from "./errors.js";
import { documentMetaSchema } from "./http/validation.js";
import { auditOpenApiPaths } from "./services/audit/openapi.js";

/**
 * The API described as OpenAPI 3.1, served at /openapi.json. Routes relied on by the web app, the CLI
 * and outside checkers; their shapes are kept stable.
 */
const errorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string", enum: Object.keys(ERRORS) }, message: { type: "string" } },
    },
  },
};
const hex32 = { type: "string", pattern: "^0x[0-9a-f]{64}$" };
const sha256Param = {
  name: "sha256",
  required: true,
  schema: { type: "string", pattern: "^(0x)?[0-9a-fA-F]{64}$" },
  description: "SHA-256 of the document's bytes",
};
const errors = (...codes: Array<keyof typeof ERRORS>) =>
  Object.fromEntries(
    codes.map((code) => [
      String(ERRORS[code].status),
      { description: `${code}: ${ERRORS[code].message}`, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );
const json = (schemaRef: string, description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaRef}` } } },
});
const upload = {
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        required: ["file"],
        properties: {
          file: { type: "string", format: "binary" },
          meta: { type: "string", description: "JSON of DocumentMeta", contentMediaType: "application/json" },
        },
      },
    },
  },
};

export function openApiDocument(version: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Public-service ledger API",
      version,
      description:
        "Documents on IPFS, their hashes anchored on-chain in Merkle batches; verdicts and proof bundles that anyone can check against the chain without this API.",
    },
    paths: {
      "/api/health": { get: { summary: "Engines, chain and queue status", responses: { "200": json("Health", "All engines up"), "503": json("Health", "An engine is down") } } },
      "/api/documents": {
        post: {
          summary: "Store a document on IPFS and queue its hash for anchoring",
          requestBody: upload,
          responses: {
            "201": json("Accepted", "Accepted: durably queued"),
            "200": json("Accepted", "Already on the ledger: its first record"),
            ...errors("FILE_MISSING", "FILE_TOO_LARGE", "MUNICIPALITY_SUSPENDED", "RATE_LIMITED"),
          },
        },
      },
      "/api/records/{recordId}": {
        get: {
          summary: "A record's status, transaction, block and proof",
          parameters: [{ name: "recordId", in: "path", required: true, schema: { type: "string", pattern: "^rec_[0-9A-Za-z]+$" } }],
          responses: { "200": json("Record", "The record"), ...errors("RECORD_ID_INVALID", "RECORD_NOT_FOUND") },
        },
      },
      "/api/verify": {
        get: {
          summary: "Verdict for a document hash",
          parameters: [{ ...sha256Param, in: "query" }],
          responses: { "200": json("Verification", "The verdict"), ...errors("SHA256_INVALID") },
        },
        post: {
          summary: "Verdict for an uploaded file (hashed, never stored)",
          requestBody: upload,
          responses: { "200": json("Verification", "The verdict"), ...errors("FILE_MISSING", "FILE_TOO_LARGE") },
        },
      },
      "/api/proofs/{sha256}": {
        get: {
          summary: "The proof bundle of an anchored document (docs/proof-bundle.md)",
          parameters: [{ ...sha256Param, in: "path" }],
          responses: { "200": json("ProofBundle", "The bundle"), ...errors("SHA256_INVALID", "PROOF_NOT_FOUND", "PROOF_PENDING") },
        },
      },
      "/ipfs/{cid}": {
        get: {
          summary: "The stored bytes of a public document (Range supported)",
          parameters: [{ name: "cid", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The bytes", content: { "application/octet-stream": {} } },
            "206": { description: "The requested range", content: { "application/octet-stream": {} } },
            ...errors("CID_INVALID", "CONTENT_NOT_FOUND", "RANGE_NOT_SATISFIABLE"),
          },
        },
      },
      ...auditOpenApiPaths(errors),
    },
    components: {
      schemas: {
        Error: errorBody,
        DocumentMeta: z.toJSONSchema(documentMetaSchema),
        Accepted: {
          type: "object",
          required: ["sha256", "cid", "recordId", "status"],
          properties: { sha256: hex32, cid: { type: "string" }, recordId: { type: "string" }, status: { $ref: "#/components/schemas/RecordStatus" } },
        },
        RecordStatus: { type: "string", enum: ["pending", "submitted", "anchored", "final"] },
        Record: {
          type: "object",
          properties: {
            recordId: { type: "string" },
            sha256: hex32,
            cid: { type: ["string", "null"] },
            municipalityId: { type: "integer" },
            kind: { type: "string" },
            meta: { type: ["object", "null"] },
            status: { $ref: "#/components/schemas/RecordStatus" },
            acceptedAt: { type: "integer", description: "ms since epoch" },
            txHash: { type: ["string", "null"] },
            blockNumber: { type: ["integer", "null"] },
            anchoredAt: { type: ["integer", "null"], description: "block time, s since epoch" },
            proof: { oneOf: [{ $ref: "#/components/schemas/ProofBundle" }, { type: "null" }] },
          },
        },
        Verification: {
          type: "object",
          required: ["verdict", "record", "trail", "proof"],
          properties: {
            verdict: { type: "string", enum: ["valid", "revoked", "superseded", "pending", "unknown"] },
            record: { oneOf: [{ $ref: "#/components/schemas/Record" }, { type: "null" }] },
            trail: { type: "array", items: { type: "object" } },
            proof: { oneOf: [{ $ref: "#/components/schemas/ProofBundle" }, { type: "null" }] },
          },
        },
        ProofBundle: {
          type: "object",
          required: ["format", "sha256", "leaf", "proof", "root", "chainId", "contract", "municipalityId", "txHash", "blockNumber", "anchoredAt"],
          properties: {
            format: { const: "public-service-ledger/proof-bundle@1" },
            sha256: hex32,
            leaf: hex32,
            proof: { type: "array", items: hex32 },
            root: hex32,
            chainId: { type: "integer" },
            contract: { type: "string" },
            municipalityId: { type: "integer" },
            txHash: hex32,
            blockNumber: { type: "integer" },
            anchoredAt: { type: "integer" },
            recordId: { type: "string" },
            cid: { type: "string" },
          },
        },
        Health: { type: "object" },
      },
    },
  };
}
