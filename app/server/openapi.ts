import { z } from "zod";
import { ERRORS } from "./errors.js";
import { documentMetaSchema } from "./http/validation.js";
import { auditOpenApiPaths } from "./services/audit/openapi.js";
import { dashboardOpenApiPaths } from "./services/dashboards/openapi.js";

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
/**
 * A resident's write: 429 past the client's limits (RATE_LIMITED; RATE_LIMITED_FILES, RATE_LIMITED_BYTES
 * share the status), 503 past the hour's relayer budget; both with Retry-After (docs/operator-guide.md).
 */
const ANONYMOUS_WRITE_ERRORS = ["RATE_LIMITED", "RELAYER_BUDGET_EXHAUSTED"] as const;
const json = (schemaRef: string, description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaRef}` } } },
});
/** A multipart upload: `file` (one, or an array for a bulk upload), the issuer's signed `issuance` and the optional `meta`. */
const multipartUpload = (file: object, metaDescription: string) => ({
  required: true,
  content: {
    "multipart/form-data": {
      schema: {
        type: "object",
        required: ["file", "issuance"],
        properties: {
          file,
          issuance: {
            type: "string",
            contentMediaType: "application/json",
            description:
              "JSON of the issuer's signed IssueDocuments statement (app/shared/issuance.ts: municipalityId, documentsRoot, count, nonce, deadline, signer, signature), optionally with `proofs` (one Merkle proof per file into documentsRoot). The signer must hold DOCUMENT_ISSUER in that municipality: 401 without it or with a bad or expired signature, 403 for another signer, 409 for a replay.",
          },
          meta: { type: "string", description: metaDescription, contentMediaType: "application/json" },
        },
      },
    },
  },
});
const binary = { type: "string", format: "binary" };
const upload = multipartUpload(binary, "JSON of DocumentMeta");
/** Several files in the repeated field `file` (POST /api/documents/batch). */
const bulkUpload = multipartUpload({ type: "array", items: binary, maxItems: 1000 }, "JSON of DocumentMeta, for every file");

// Civic funds (docs/funds.md): officer routes need the session cookie; a treasurer action is a pair —
// `…/transaction` answers the unsigned {to, data} for the officer's own wallet, the route without it
// takes {signedTransaction} or {txHash}.
const anyJson = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const officerTx = { required: true, content: { "application/json": { schema: { oneOf: [
  { type: "object", required: ["signedTransaction"], properties: { signedTransaction: { type: "string" } } },
  { type: "object", required: ["txHash"], properties: { txHash: hex32 } },
] } } } };
const idParam = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
const txErrors = errors("AUTH_REQUIRED", "ROLE_REQUIRED", "TX_INVALID", "CHAIN_REJECTED", "FUNDS_CAMPAIGN_NOT_FOUND");
function fundsPaths() {
  const treasurer = (summary: string, body?: object, more: Array<keyof typeof ERRORS> = []) => ({
    post: { summary, parameters: [idParam], ...(body ? { requestBody: body } : {}), responses: { "200": anyJson("The unsigned transaction (and the stored document)"), ...txErrors, ...errors(...more) } },
  });
  const signed = (summary: string) => ({ post: { summary, parameters: [idParam], requestBody: officerTx, responses: { "200": anyJson("The campaign"), ...txErrors } } });
  const receiptFor = (summary: string) => ({
    post: {
      summary,
      parameters: [idParam],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["txHash"], properties: { txHash: hex32 } } } } },
      responses: { "201": anyJson("The receipt (PledgeReceipt)"), "200": anyJson("The same receipt, issued before"), ...errors("TX_NOT_FOUND", "TX_REVERTED", "FUNDS_EVENT_NOT_FOUND") },
    },
  });
  return {
    "/api/funds/campaigns": {
      get: { summary: "Campaigns (?municipality=id), newest first, with phase and progress", responses: { "200": anyJson("The campaigns"), ...errors("QUERY_INVALID") } },
      post: { summary: "Relay the treasurer's signed createCampaign", requestBody: officerTx, responses: { "201": anyJson("The campaign"), ...txErrors } },
    },
    "/api/funds/campaigns/transaction": {
      post: {
        summary: "Store the rules document (multipart `file`, at most 1 MiB: one IPFS block, whose CID follows from the SHA-256 on chain) and answer the unsigned createCampaign (fields municipalityId, token?, beneficiary, goal, deadline, milestones)",
        responses: { "200": anyJson("rulesDocument {sha256, cid} and transaction"), ...txErrors, ...errors("FUNDS_TOKEN_REQUIRED", "FILE_MISSING", "FUNDS_DOCUMENT_TOO_LARGE") },
      },
    },
    "/api/funds/campaigns/{id}": { get: { summary: "A campaign: terms, phase, totals, progress, pledges (no personal data), milestone releases", parameters: [idParam], responses: { "200": anyJson("The campaign"), ...errors("FUNDS_CAMPAIGN_NOT_FOUND") } } },
    "/api/funds/campaigns/{id}/open/transaction": treasurer("The unsigned openCampaign"),
    "/api/funds/campaigns/{id}/open": signed("Relay the treasurer's signed openCampaign"),
    "/api/funds/campaigns/{id}/cancel/transaction": treasurer("Store the public reason {reason} and answer the unsigned cancelCampaign", { required: true, content: { "application/json": { schema: { type: "object", required: ["reason"], properties: { reason: { type: "string" } } } } } }),
    "/api/funds/campaigns/{id}/cancel": signed("Relay the treasurer's signed cancelCampaign"),
    "/api/funds/campaigns/{id}/milestones/{index}/transaction": treasurer("Store the public evidence (multipart `file`, at most 1 MiB: one IPFS block, whose CID follows from the SHA-256 on chain) and answer the unsigned releaseMilestone", undefined, ["FILE_MISSING", "FUNDS_DOCUMENT_TOO_LARGE"]),
    "/api/funds/campaigns/{id}/milestones/{index}": signed("Relay the treasurer's signed releaseMilestone"),
    "/api/funds/campaigns/{id}/offchain-pledges/transaction": treasurer("Write an off-chain receipt document {amount, method, paidOn, payerName} (name sealed, only a salted commitment in the document) and answer the unsigned recordOffchainPledge", { required: true, content: { "application/json": { schema: { type: "object", required: ["amount", "method", "paidOn", "payerName"] } } } }),
    "/api/funds/campaigns/{id}/offchain-pledges": { post: { summary: "Relay the treasurer's signed recordOffchainPledge; queue the receipt document for anchoring", parameters: [idParam], requestBody: officerTx, responses: { "201": anyJson("The receipt (proof null until anchored)"), ...txErrors, ...errors("FUNDS_OFFCHAIN_UNKNOWN") } } },
    "/api/funds/campaigns/{id}/pledge-transactions": { get: { summary: "Unsigned approve, pledge and refund calls (?amount) for the resident's wallet", parameters: [idParam], responses: { "200": anyJson("approve, pledge, refund") } } },
    "/api/funds/campaigns/{id}/pledges": receiptFor("The receipt of the resident's own pledge transaction"),
    "/api/funds/campaigns/{id}/refunds": receiptFor("The receipt of the resident's own refund transaction"),
    "/api/funds/receipts/{receiptId}": { get: { summary: "A receipt (its verify URL is this address; a browser asking for text/html is redirected to the web app's receipt check)", parameters: [{ name: "receiptId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": anyJson("The receipt"), ...errors("FUNDS_RECEIPT_NOT_FOUND") } } },
    "/api/funds/receipts/{receiptId}/qr": { get: { summary: "QR code of the receipt's verify URL (PNG, or ?format=svg)", parameters: [{ name: "receiptId", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "The QR code", content: { "image/png": {}, "image/svg+xml": {} } }, ...errors("FUNDS_RECEIPT_NOT_FOUND") } } },
    "/api/funds/receipts/verify": { post: { summary: "Check a receipt against this service's RPC node (the same checks as app/shared/verifyReceipt.ts)", requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } }, responses: { "200": anyJson("{verdict: valid | pending | invalid, checks}"), ...errors("FUNDS_RECEIPT_INVALID", "ENGINE_UNAVAILABLE") } } },
  };
}

/** The permit workflow's paths (routes/permits.ts). */
function permitPaths() {
  const number = {
    name: "number",
    in: "path",
    required: true,
    schema: { type: "string" },
    description: "The permit number, URL-encoded: it begins with the municipality's Directory code and \"/\"",
    example: "TH-50-MAEHIA%2FBLD%2F2026%2F000001",
  };
  const tracking = { name: "x-tracking-code", in: "header", required: true, schema: { type: "string" } };
  const ok = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
  const signed = {
    required: true,
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["nonce", "deadline", "signature"],
          properties: {
            draftId: { type: "string" },
            documentCount: { type: "integer" },
            certificateHash: { type: "string" },
            nonce: { type: "string" },
            deadline: { type: "string" },
            signature: { type: "string" },
          },
        },
      },
    },
  };
  const signatureErrors = ["AUTH_REQUIRED", "ROLE_REQUIRED", "SIGNATURE_INVALID", "SIGNATURE_EXPIRED", "SIGNATURE_REPLAYED", "PERMIT_WRONG_STATE"] as const;
  return {
    "/api/permits": {
      post: {
        summary: "Apply for a permit: multipart `application` (JSON: municipalityId, type, parcel, description, applicant{name, nationalId, phone, address}) and one or more `file` documents; personal data and documents are sealed before IPFS",
        requestBody: { required: true, content: { "multipart/form-data": { schema: { type: "object", properties: { application: { type: "string" }, file: { type: "array", items: { type: "string", format: "binary" } } } } } } },
        responses: { "201": ok("The permit number and the applicant's tracking code"), ...errors("BODY_INVALID", "FILE_MISSING", "FILE_EMPTY", "PERMIT_TYPE_UNKNOWN", "MUNICIPALITY_UNKNOWN", ...ANONYMOUS_WRITE_ERRORS) },
      },
    },
    "/api/permits/types": {
      get: {
        summary: "The permit types a municipality takes applications for now ({code, typeId, th, en, approvalRoles, validityDays, known}), from the chain's index",
        parameters: [{ name: "municipality", in: "query", required: true, schema: { type: "integer", minimum: 1 } }],
        responses: { "200": ok("{ types }"), ...errors("QUERY_INVALID") },
      },
    },
    "/api/permits/queue": { get: { summary: "Permits waiting for the signed-in officer", responses: { "200": ok("The queue"), ...errors("AUTH_REQUIRED") } } },
    "/api/permits/{number}": {
      get: { summary: "Public fields, state, verdict, trail and legal clock (45 days)", parameters: [number], responses: { "200": ok("The permit"), ...errors("PERMIT_NOT_FOUND") } },
    },
    "/api/permits/{number}/private": {
      get: { summary: "The applicant's own view (with the tracking code), or an officer's who works on the permit (with a session and no code)", parameters: [number, { ...tracking, required: false }], responses: { "200": ok("The permit with the applicant's data"), ...errors("PERMIT_TRACKING_CODE_INVALID", "ROLE_REQUIRED", "PERMIT_NOT_FOUND") } },
    },
    "/api/permits/{number}/certificate.pdf": {
      get: { summary: "The current certificate PDF, for the applicant (with the tracking code) or an officer who works on the permit (with a session and no code)", parameters: [number, { ...tracking, required: false }], responses: { "200": { description: "The PDF", content: { "application/pdf": {} } }, ...errors("PERMIT_TRACKING_CODE_INVALID", "ROLE_REQUIRED", "PERMIT_WRONG_STATE") } },
    },
    "/api/permits/{number}/documents": {
      post: { summary: "Add documents before the application is complete (permit officer)", parameters: [number], requestBody: upload, responses: { "200": ok("The documents' hashes"), ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "PERMIT_WRONG_STATE") } },
    },
    "/api/permits/{number}/completion/typed-data": {
      get: {
        summary: "The EIP-712 Completion of an application (its document count), with the permit officer's nonce and a deadline",
        parameters: [number],
        responses: { "200": ok("{number, documentCount, domain, types, primaryType, message}"), ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "PERMIT_WRONG_STATE") },
      },
    },
    "/api/permits/{number}/complete": {
      post: {
        summary: "Relay the permit officer's signed Completion (JSON {documentCount, nonce, deadline, signature}): starts the legal clock",
        parameters: [number],
        requestBody: signed,
        responses: { "200": ok("Completed"), ...errors(...signatureErrors) },
      },
    },
    "/api/permits/{number}/steps/next/typed-data": {
      get: {
        summary: "The EIP-712 StepDecision of the step awaiting a decision, with the officer's nonce and a deadline",
        parameters: [number, { name: "decision", in: "query", schema: { enum: ["approve", "reject"] } }, { name: "noteHash", in: "query", schema: hex32 }],
        responses: { "200": ok("{domain, types, primaryType, message}"), ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "PERMIT_WRONG_STATE", "REJECTION_REASON_REQUIRED") },
      },
    },
    "/api/permits/{number}/steps/decisions": {
      post: {
        summary: "Relay the officer's signed decision (JSON {stepIndex, decision, noteHash, nonce, deadline, signature}, or multipart with a note `file` and that JSON as `signed`)",
        parameters: [number],
        requestBody: signed,
        responses: { "200": ok("Decided"), ...errors(...signatureErrors, "PERMIT_STEP_NOT_CURRENT", "NOTE_HASH_MISMATCH", "REJECTION_REASON_REQUIRED") },
      },
    },
    "/api/permits/{number}/certificate/drafts": {
      post: {
        summary: "Render the certificate PDF of an approved permit, store it, and serve the Issuance typed data over its SHA-256 and CID (permit officer)",
        parameters: [number],
        responses: { "201": ok("The certificate's SHA-256, data hash, CID and typed data"), ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "PERMIT_WRONG_STATE", "INDEX_BEHIND") },
      },
    },
    "/api/permits/{number}/certificate": {
      post: {
        summary: "Relay the permit officer's signed Issuance (JSON {certificateHash, nonce, deadline, signature})",
        parameters: [number],
        requestBody: signed,
        responses: { "201": ok("Issued: the certificate's SHA-256, data hash and CID"), ...errors(...signatureErrors, "DRAFT_NOT_FOUND") },
      },
    },
    "/api/permits/{number}/amendments/drafts": {
      post: { summary: "Render the next certificate version and serve the Amendment typed data (issuing authority)", parameters: [number], responses: { "201": ok("Draft and typed data"), ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "PERMIT_WRONG_STATE", "AMENDMENT_UNCHANGED") } },
    },
    "/api/permits/{number}/amendments": {
      post: { summary: "Relay the signed amendment", parameters: [number], requestBody: signed, responses: { "201": ok("Amended"), ...errors(...signatureErrors, "DRAFT_NOT_FOUND") } },
    },
    "/api/permits/{number}/revocation/drafts": {
      post: { summary: "Seal the reason and serve the Revocation typed data (issuing authority)", parameters: [number], responses: { "201": ok("Draft and typed data"), ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "PERMIT_WRONG_STATE") } },
    },
    "/api/permits/{number}/revocation": {
      post: { summary: "Relay the signed revocation", parameters: [number], requestBody: signed, responses: { "200": ok("Revoked"), ...errors(...signatureErrors, "DRAFT_NOT_FOUND") } },
    },
  };
}
// Complaints and Open311 (docs/complaints.md).
const open311Format = { name: "format", in: "path", required: true, schema: { type: "string", enum: ["json", "xml"] } };
const jurisdiction = { name: "jurisdiction_id", in: "query", schema: { type: "string" }, description: "e.g. maehia.go.th" };
const open311Answer = { description: "GeoReport v2 answer", content: { "application/json": {}, "text/xml": {} } };
const open311Errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: "GeoReport v2 errors: [{ code, description }] / <errors><error>…</error></errors>; x-error-code header" }]));
const trackingHeader = { name: "x-tracking-code", in: "header", required: true, schema: { type: "string" } };
const complaintIdParam = { name: "id", in: "path", required: true, schema: hex32 };
const actionParam = { name: "action", in: "path", required: true, schema: { type: "string", enum: ["acknowledge", "start", "resolve", "close"] } };

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
      "/api/health": {
        get: {
          summary: "Engines, chain, queue, the relayer's balance and days left, and `problems` with stable codes (docs/monitoring.md)",
          responses: { "200": json("Health", "No problem of severity error"), "503": json("Health", "A problem of severity error: the chain unreachable, the relayer out of funds, anchoring stalled, …") },
        },
      },
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
      "/api/documents/batch": {
        post: {
          summary: "Store up to 1,000 documents (repeated field `file`) and queue them together; one record each, in the order sent",
          requestBody: bulkUpload,
          responses: {
            "201": json("AcceptedBatch", "Accepted: durably queued (at least one new record)"),
            "200": json("AcceptedBatch", "Every file was already on the ledger"),
            ...errors("FILE_MISSING", "FILE_EMPTY", "FILE_TOO_LARGE", "FILES_TOO_MANY", "LENGTH_REQUIRED", "MUNICIPALITY_SUSPENDED", "RATE_LIMITED"),
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
          summary: "The proof bundle of an anchored document (docs/proof-bundle.md), or a permit certificate's proof (docs/certificates.md)",
          parameters: [{ ...sha256Param, in: "path" }],
          responses: {
            "200": { description: "The bundle, or the certificate's proof", content: { "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/ProofBundle" }, { $ref: "#/components/schemas/PermitCertificateProof" }] } } } },
            ...errors("SHA256_INVALID", "PROOF_NOT_FOUND", "PROOF_PENDING"),
          },
        },
      },
      "/ledger-config.json": {
        get: { summary: "The chain, its public RPC node and the contracts: what a verifier needs without this service (docs/web.md)", responses: { "200": json("VerifierConfig", "The configuration") } },
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
      ...dashboardOpenApiPaths(errors),
      // ── civic funds (docs/funds.md) ──
      ...fundsPaths(),
      ...permitPaths(),
      // Complaints (docs/complaints.md): the Open311 GeoReport v2 server and the ledger's own routes.
      "/open311/v2/discovery.{format}": { get: { summary: "Open311 service discovery", parameters: [open311Format], responses: { "200": open311Answer } } },
      "/open311/v2/services.{format}": {
        get: { summary: "Open311: the jurisdiction's complaint categories", parameters: [open311Format, jurisdiction], responses: { "200": open311Answer, ...open311Errors(400, 404) } },
      },
      "/open311/v2/services/{service_code}.{format}": {
        get: {
          summary: "Open311: a service definition with its attributes",
          parameters: [{ name: "service_code", in: "path", required: true, schema: { type: "string" } }, open311Format, jurisdiction],
          responses: { "200": open311Answer, ...open311Errors(404) },
        },
      },
      "/open311/v2/requests.{format}": {
        get: {
          summary: "Open311: service requests (last 90 days, at most 1,000 by default); extensions=true adds notes and detailed_status",
          parameters: [
            open311Format,
            jurisdiction,
            ...["service_request_id", "service_code", "start_date", "end_date", "status", "extensions", "page", "page_size"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
          ],
          responses: { "200": open311Answer, ...open311Errors(400, 404) },
        },
        post: {
          summary: "Open311: file a request (api_key); personal fields are sealed before IPFS; answers the tracking_code once",
          parameters: [open311Format],
          requestBody: { content: { "application/x-www-form-urlencoded": { schema: { type: "object" } }, "application/json": { schema: { type: "object" } } } },
          responses: { "200": open311Answer, ...open311Errors(400, 403, 404, 429, 503) },
        },
      },
      "/open311/v2/requests/{service_request_id}.{format}": {
        get: { summary: "Open311: one service request", parameters: [{ name: "service_request_id", in: "path", required: true, schema: hex32 }, open311Format, jurisdiction], responses: { "200": open311Answer, ...open311Errors(404) } },
      },
      "/open311/v2/tokens/{token}.{format}": {
        get: { summary: "Open311: the request id of a token", parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }, open311Format, jurisdiction], responses: { "200": open311Answer, ...open311Errors(404) } },
      },
      "/api/complaints": {
        get: {
          summary: "Officer: a municipality's complaints by status, category, area (COMPLAINT_OFFICER or AUDITOR)",
          parameters: ["municipality", "status", "category", "area", "page", "pageSize"].map((name) => ({ name, in: "query", required: name === "municipality", schema: { type: "string" } })),
          responses: { "200": { description: "{ complaints, total, page, pageSize }" }, ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "QUERY_INVALID") },
        },
        post: { summary: "File a complaint from the web app (Open311 field names, municipalityId; multipart may add an image `photo`, sealed)", responses: { "201": { description: "Answered once accepted, before it is mined: { complaintId, trackingCode, txHash, confirmed: false, filing: { state, txHash, blockNumber, confirmations }, complaint }" }, ...errors("SERVICE_CODE_MISSING", "LOCATION_REQUIRED", "POINT_OUTSIDE_TOWN", "COMPLAINT_PHOTO_INVALID", ...ANONYMOUS_WRITE_ERRORS) } },
      },
      "/api/complaints/form": {
        get: { summary: "The web form of a municipality, from its town profile: its names, active categories (Thai and English, SLA, questions as attributes) and its map area", parameters: [{ name: "municipality", in: "query", required: true, schema: { type: "integer" } }], responses: { "200": { description: "{ municipalityId, municipality: {code, th, en} | null, area: {south, west, north, east} | null, boundary: GeoJSON Polygon | MultiPolygon | null, categories }" }, ...errors("QUERY_INVALID") } },
      },
      "/api/complaints/track": {
        get: { summary: "Resident: their complaint, history and unsealed text (x-tracking-code header)", parameters: [trackingHeader], responses: { "200": { description: "ComplaintDetails; confirmed: false (and filing: how far it got) until the filing is CONFIRMATIONS blocks deep" }, ...errors("TRACKING_CODE_INVALID", "TRACKING_CODE_UNKNOWN") } },
      },
      "/api/complaints/track/confirm": {
        post: { summary: "Resident: confirm the fix (relayed confirmBySecret)", parameters: [trackingHeader], responses: { "200": { description: "{ txHash, confirmed, details }" }, ...errors("TRACKING_CODE_UNKNOWN", "CHAIN_REJECTED", ...ANONYMOUS_WRITE_ERRORS) } },
      },
      "/api/complaints/track/reopen": {
        post: { summary: "Resident: reopen ('closed, not fixed'); answers a NEW tracking code", parameters: [trackingHeader], responses: { "200": { description: "{ txHash, trackingCode, confirmed, details }" }, ...errors("TRACKING_CODE_UNKNOWN", "CHAIN_REJECTED", ...ANONYMOUS_WRITE_ERRORS) } },
      },
      "/api/complaints/overdue": {
        get: { summary: "Complaints past their category's SLA (public)", parameters: [{ name: "municipality", in: "query", required: true, schema: { type: "integer" } }], responses: { "200": { description: "{ municipalityId, now, complaints }" }, ...errors("QUERY_INVALID") } },
      },
      "/api/complaints/{id}": {
        get: { summary: "Officer: a complaint with its unsealed content", parameters: [complaintIdParam], responses: { "200": { description: "ComplaintDetails" }, ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "COMPLAINT_NOT_FOUND") } },
      },
      "/api/complaints/{id}/attachments/{sha256}": {
        get: {
          summary: "Officer (COMPLAINT_OFFICER of its municipality): a sealed attachment of the complaint, opened (the resolve evidence, a reopen reason)",
          parameters: [complaintIdParam, { name: "sha256", in: "path", required: true, schema: hex32 }],
          responses: { "200": { description: "the file, as an attachment" }, ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "COMPLAINT_NOT_FOUND", "COMPLAINT_ATTACHMENT_NOT_FOUND") },
        },
      },
      "/api/complaints/{id}/actions/{action}/call": {
        get: {
          summary: "Officer: the {to, data} to sign for acknowledge, start, resolve (evidenceHash) or close (outcome, reasonCode, duplicateOf)",
          parameters: [complaintIdParam, actionParam],
          responses: { "200": { description: "{ to, data, chainId, method, args }" }, ...errors("AUTH_REQUIRED", "ROLE_REQUIRED", "QUERY_INVALID", "FILE_EMPTY") },
        },
      },
      "/api/complaints/{id}/{action}": {
        post: {
          summary: "Officer: relay their signed transaction (JSON { signedTransaction | txHash }; resolve: multipart with the evidence `file`)",
          parameters: [complaintIdParam, actionParam],
          responses: { "200": { description: "{ txHash, confirmed, details }: confirmed once the index read the transaction (a bounded wait), else the details predate it" }, ...errors("ROLE_REQUIRED", "TX_SENDER_MISMATCH", "TX_INVALID", "TX_WRONG_COMPLAINT", "FILE_MISSING", "FILE_EMPTY", "EVIDENCE_MISMATCH", "CHAIN_REJECTED") },
        },
      },
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
        AcceptedBatch: {
          type: "object",
          required: ["created", "existing", "documents"],
          properties: {
            created: { type: "integer" },
            existing: { type: "integer" },
            documents: {
              type: "array",
              items: {
                allOf: [{ $ref: "#/components/schemas/Accepted" }, { type: "object", required: ["created"], properties: { created: { type: "boolean" } } }],
              },
            },
          },
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
          required: ["verdict", "record", "trail"],
          properties: {
            verdict: { type: "string", enum: ["valid", "revoked", "superseded", "pending", "unauthorised", "attached", "unknown"] },
            attachment: {
              type: "object",
              description: "for verdict `attached`: a file that came in through a workflow (a resident's photo or application document, an officer's evidence), never issued by the municipality",
              properties: {
                kind: { type: "string", enum: ["complaint-photo", "complaint-reason", "complaint-evidence", "permit-application-document"] },
                attachedBy: { type: "string", enum: ["resident", "officer"] },
                municipalityId: { type: "integer" },
                complaintId: { type: "string" },
                permitNumber: { type: "string" },
                attachedAt: { type: "string", format: "date-time" },
              },
            },
            reason: { type: "string", description: "why a document is unauthorised" },
            issuer: {
              type: "object",
              description: "who issued the document: the signer of its issuance and what the Directory says of it at the signature's anchor time",
              properties: {
                municipalityId: { type: "integer" },
                address: { type: "string" },
                role: { const: "DOCUMENT_ISSUER" },
                signedAt: { type: ["string", "null"], format: "date-time" },
                heldRole: { type: ["boolean", "null"] },
                compromisedSince: { type: ["string", "null"], format: "date-time" },
              },
            },
            record: { oneOf: [{ $ref: "#/components/schemas/Record" }, { type: "null" }] },
            trail: { type: "array", items: { type: "object" } },
            proofUrl: {
              type: ["string", "null"],
              description: "for a record: where its proof bundle is served (`/api/proofs/<sha256>`) once it is anchored, null before; the verdict does not carry the bundle (docs/proof-bundle.md)",
            },
            proof: {
              description: "a permit certificate's proof (docs/certificates.md); null for a file attached or unknown; absent for a record (see proofUrl)",
              oneOf: [{ $ref: "#/components/schemas/PermitCertificateProof" }, { type: "null" }],
            },
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
            issuance: { type: "object", description: "the signed statement that issued the document, its proof into it, and the signature's own anchor (docs/proof-bundle.md)" },
          },
        },
        PermitCertificateProof: {
          type: "object",
          required: ["format", "chainId", "contract", "permitId", "certificateHash", "version", "txHash", "blockNumber"],
          properties: {
            format: { const: "public-service-ledger/permit-certificate@1" },
            chainId: { type: "integer" },
            contract: { type: "string", description: "the PermitRegistry" },
            permitId: hex32,
            permitNumber: { type: "string" },
            certificateHash: hex32,
            version: { type: "integer" },
            txHash: hex32,
            blockNumber: { type: "integer" },
            call: { type: "string" },
            dataHash: { oneOf: [hex32, { type: "null" }], description: "the QR code's data hash of this version, as the issuing service rendered it (not on the chain)" },
          },
        },
        VerifierConfig: {
          type: "object",
          required: ["format", "chainId", "rpcUrl", "contracts"],
          properties: {
            format: { const: "public-service-ledger/verifier-config@1" },
            chainId: { type: "integer" },
            rpcUrl: { type: "string" },
            deploymentBlock: { type: "integer" },
            contracts: { type: "object", additionalProperties: { type: "string" } },
            devKeys: { type: "boolean" },
          },
        },
        Health: { type: "object" },
      },
    },
  };
}
