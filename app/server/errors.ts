/**
 * Every error the service reports. HTTP errors come from one registry: each has a stable code (what
 * clients match on), an HTTP status and a message; every 4xx/5xx body is
 * `{ "error": { "code": "…", "message": "…" } }` (see http/errorHandler.ts).
 */
export const ERRORS = {
  BAD_JSON: { status: 400, message: "The request body is not valid JSON." },
  BAD_MULTIPART: { status: 400, message: "The request is not a well-formed multipart/form-data upload." },
  // Requests the service cannot read as sent, refused before any route's own checks (http/errorHandler.ts, http/clientErrors.ts).
  URL_INVALID: { status: 400, message: "The URL holds a percent-escape that does not decode to UTF-8 text (such as %zz)." },
  CHARSET_UNSUPPORTED: { status: 415, message: "The body's charset is not one the service reads: a UTF encoding for JSON, UTF-8 or ISO-8859-1 for forms." },
  CONTENT_ENCODING_UNSUPPORTED: { status: 415, message: "The body's Content-Encoding is not one the service reads: send it as it is, or as gzip, deflate or br." },
  CONTENT_ENCODING_INVALID: { status: 400, message: "The body does not decompress as its Content-Encoding says." },
  BODY_INCOMPLETE: { status: 400, message: "The request body did not arrive as its Content-Length said." },
  FORM_FIELDS_TOO_MANY: { status: 413, message: "A form-encoded body may hold at most 1,000 fields." },
  REQUEST_MALFORMED: { status: 400, message: "The request is not well-formed HTTP/1.1: its request line, method, a header or its framing." },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, message: "The request line and headers together exceed 16 KiB (the URL and cookies count)." },
  REQUEST_TIMEOUT: { status: 408, message: "The request did not arrive in time." },
  FILE_MISSING: { status: 400, message: "The upload has no file in the field `file`." },
  FILE_EMPTY: { status: 400, message: "The uploaded file is empty." },
  FILE_TOO_LARGE: { status: 413, message: "The uploaded file is larger than the limit." },
  FILES_TOO_MANY: { status: 413, message: "Too many files in one upload (at most 1,000)." },
  LENGTH_REQUIRED: { status: 411, message: "A bulk upload must say its size (Content-Length)." },
  META_INVALID: { status: 400, message: "The field `meta` is not valid." },
  SHA256_INVALID: { status: 400, message: "A SHA-256 must be 64 hexadecimal digits (0x optional)." },
  CID_INVALID: { status: 400, message: "That is not a valid CID." },
  RECORD_ID_INVALID: { status: 400, message: "That is not a valid record id." },
  QUERY_INVALID: { status: 400, message: "The query string is not valid." },
  MUNICIPALITY_UNKNOWN: { status: 400, message: "No such municipality on the ledger." },
  MUNICIPALITY_SUSPENDED: { status: 403, message: "The municipality is suspended: it can record nothing." },
  // Towns (services/towns.ts): what a municipality's admin published, and what it implies.
  TOWN_PROFILE_INVALID: { status: 400, message: "That is not a valid town profile (docs/towns.md)." },
  TOWN_PROFILE_NOT_PUBLISHED: { status: 409, message: "The municipality's admin has not published a profile with these bytes." },
  TOWN_ADMIN_CALL_INVALID: { status: 400, message: "The transaction is not one a town's admin signs (grant or revoke a role, name an officer, define a permit type or a category, publish the profile)." },
  POINT_OUTSIDE_TOWN: { status: 422, message: "The point is outside the town's area." },
  // Issuing documents (services/issuance.ts): an upload is the signed act of a DOCUMENT_ISSUER.
  ISSUANCE_REQUIRED: { status: 401, message: "Documents are issued only with the signature of an officer who may issue them (the field `issuance`; see docs/trust-model.md)." },
  ISSUANCE_INVALID: { status: 400, message: "The field `issuance` is not a valid signed issuance." },
  ISSUANCE_SIGNATURE_INVALID: { status: 401, message: "The issuance's signature is not its signer's over these documents, this chain and this contract." },
  ISSUANCE_EXPIRED: { status: 401, message: "The issuance's deadline has passed; sign again." },
  ISSUANCE_REPLAYED: { status: 409, message: "That signature (or its nonce) was already used for these documents." },
  ISSUER_NOT_AUTHORISED: { status: 403, message: "The signer does not hold DOCUMENT_ISSUER in that municipality now, or its key is marked compromised." },
  RECORD_NOT_FOUND: { status: 404, message: "No record with that id." },
  PROOF_NOT_FOUND: { status: 404, message: "No anchored record has that SHA-256." },
  PROOF_PENDING: { status: 409, message: "The record is accepted but not anchored yet; try again shortly." },
  CONTENT_NOT_FOUND: { status: 404, message: "No stored file has that CID." },
  RANGE_NOT_SATISFIABLE: { status: 416, message: "The requested range is outside the file." },
  ROUTE_NOT_FOUND: { status: 404, message: "No such route." },
  // Public writes per client (http/clientLimits.ts) and what anonymous requests may cost (http/relayerBudget.ts); each with Retry-After.
  RATE_LIMITED: { status: 429, message: "Too many requests from this client; try again after Retry-After seconds." },
  RATE_LIMITED_FILES: { status: 429, message: "This client has sent as many files as it may this minute; try again after Retry-After seconds." },
  RATE_LIMITED_BYTES: { status: 429, message: "This client has sent as many bytes as it may this minute; try again after Retry-After seconds." },
  RELAYER_BUDGET_EXHAUSTED: { status: 503, message: "The service has paid for as many transactions of anonymous requests as it may this hour; try again after Retry-After seconds." },
  BODY_INVALID: { status: 400, message: "The request body is not valid." },
  AUTH_REQUIRED: { status: 401, message: "Sign in as an officer first." },
  SIWE_INVALID: { status: 401, message: "The sign-in message or its signature is not valid." },
  SIWE_NONCE_INVALID: { status: 401, message: "The sign-in nonce is unknown, used or expired; ask for a new one." },
  SIWE_WRONG_SITE: { status: 401, message: "The sign-in message names another site: sign the domain and URI that GET /api/auth/nonce gives (this service's PUBLIC_URL)." },
  ROLE_REQUIRED: { status: 403, message: "The signed-in officer does not hold the role this needs." },
  SIGNATURE_INVALID: { status: 403, message: "The signature is not the expected officer's, or is for another contract or chain." },
  SIGNATURE_EXPIRED: { status: 409, message: "The signature's deadline has passed; sign again." },
  SIGNATURE_REPLAYED: { status: 409, message: "That signature was already used." },
  NOT_REPORTER: { status: 403, message: "Only the person who filed the complaint may do that." },
  TX_INVALID: { status: 400, message: "The transaction is not one this ledger accepts." },
  TX_SENDER_MISMATCH: { status: 403, message: "The transaction is not signed by the signed-in officer." },
  TX_NOT_FOUND: { status: 404, message: "No transaction with that hash is known to the chain." },
  TX_PENDING: { status: 409, message: "The transaction is not mined yet." },
  TX_REVERTED: { status: 409, message: "The transaction reverted on the chain." },
  INDEX_BEHIND: { status: 503, message: "The service has not read the chain's latest confirmed blocks yet; try again shortly." },
  CHAIN_REJECTED: { status: 409, message: "The ledger's contracts refused the action." },
  // Audit (routes/audit.ts): trails by subject, chain checks and exports.
  AUDIT_ID_INVALID: { status: 400, message: "That is not a valid permit number or id, complaint id or campaign id." },
  AUDIT_RANGE_INVALID: { status: 400, message: "`from` and `to` must be days (YYYY-MM-DD, UTC) or ISO 8601 instants with a zone, from not after to." },
  AUDIT_FORMAT_INVALID: { status: 400, message: "`format` must be csv or json." },
  AUDIT_TRAIL_NOT_FOUND: { status: 404, message: "The chain records no event of that permit, complaint or campaign." },
  // Civic funds (routes/funds.ts)
  FUNDS_CAMPAIGN_NOT_FOUND: { status: 404, message: "No campaign with that id on the ledger." },
  FUNDS_DOCUMENT_TOO_LARGE: { status: 413, message: "A campaign's public document (rules, milestone evidence, cancellation reason) is at most 1 MiB (1,048,576 bytes): it is public and anchored by its SHA-256, and a file of one IPFS block has the CID that SHA-256 names, so any copy of the ledger finds it from the chain alone. Nothing was stored; make the file smaller or publish a summary." },
  FUNDS_TOKEN_REQUIRED: { status: 400, message: "Give the campaign's ERC-20 `token`: the town's profile names no fund token." },
  FUNDS_EVENT_NOT_FOUND: { status: 404, message: "The transaction holds no such event of this campaign." },
  FUNDS_OFFCHAIN_UNKNOWN: { status: 404, message: "No prepared off-chain pledge has that receipt hash; ask for its transaction first." },
  FUNDS_RECEIPT_NOT_FOUND: { status: 404, message: "No receipt with that id." },
  FUNDS_RECEIPT_INVALID: { status: 400, message: "That is not a pledge receipt this ledger reads." },
  // Permits (routes/permits.ts)
  PERMIT_NOT_FOUND: { status: 404, message: "No permit with that number." },
  PERMIT_FILE_NOT_FOUND: { status: 404, message: "The permit's application has no file with that SHA-256." },
  PERMIT_TYPE_UNKNOWN: { status: 400, message: "That permit type is not open for applications in the municipality." },
  PERMIT_WRONG_STATE: { status: 409, message: "The permit is not in a state that allows this." },
  PERMIT_STEP_NOT_CURRENT: { status: 409, message: "That step is not the one awaiting a decision." },
  PERMIT_TRACKING_CODE_INVALID: { status: 403, message: "The tracking code does not open this permit." },
  DRAFT_NOT_FOUND: { status: 404, message: "No such certificate, amendment or revocation draft for this permit." },
  NOTE_HASH_MISMATCH: { status: 400, message: "The note file's SHA-256 is not the signed noteHash." },
  REJECTION_REASON_REQUIRED: { status: 400, message: "A rejection carries its reasons: sign the SHA-256 of a note that is not blank (noteHash) and send the note with the decision." },
  AMENDMENT_UNCHANGED: { status: 422, message: "The amendment changes nothing: give a parcel or a description other than the current certificate's." },
  // Complaints and the Open311 server (services/complaints, routes/open311.ts, routes/complaints.ts).
  OPEN311_JURISDICTION_UNKNOWN: { status: 404, message: "No such jurisdiction_id on this Open311 server." },
  OPEN311_JURISDICTION_REQUIRED: { status: 400, message: "This server answers for several jurisdictions: give jurisdiction_id." },
  OPEN311_API_KEY_INVALID: { status: 403, message: "Missing or invalid api_key for this jurisdiction." },
  OPEN311_FORMAT_UNKNOWN: { status: 404, message: "Only .json and .xml are served." },
  SERVICE_CODE_MISSING: { status: 400, message: "service_code is required." },
  SERVICE_CODE_UNKNOWN: { status: 404, message: "No such service_code in this jurisdiction." },
  LOCATION_REQUIRED: { status: 400, message: "Give lat and long, or address_string." },
  LOCATION_INVALID: { status: 400, message: "lat must be within -90..90 and long within -180..180." },
  ATTRIBUTE_INVALID: { status: 400, message: "An attribute is missing or has a value the service does not accept." },
  DATE_INVALID: { status: 400, message: "Dates must be W3C date-times with a time zone, e.g. 2024-01-31T08:00:00+07:00." },
  COMPLAINT_NOT_FOUND: { status: 404, message: "No complaint with that id." },
  TRACKING_CODE_INVALID: { status: 400, message: "Give the tracking code in the x-tracking-code header (16 characters, e.g. 7K3Q-9PXR-M2D8-WC4T)." },
  TRACKING_CODE_UNKNOWN: { status: 404, message: "No complaint has that tracking code (a reopened complaint has a new one)." },
  COMPLAINT_ACTION_UNKNOWN: { status: 404, message: "Actions are acknowledge, start, resolve and close." },
  TX_WRONG_COMPLAINT: { status: 400, message: "The transaction is for another complaint or carries other values than this request." },
  COMPLAINT_PHOTO_INVALID: { status: 400, message: "The photo must be a non-empty image (JPEG, PNG, WebP, GIF or HEIC)." },
  EVIDENCE_MISMATCH: { status: 400, message: "The evidence file's SHA-256 is not the evidenceHash of the transaction." },
  COMPLAINT_ATTACHMENT_NOT_FOUND: { status: 404, message: "The complaint has no attachment with that SHA-256." },
  // Chain failures that are no refusal by the contracts (chain/chainErrors.ts, docs/monitoring.md).
  CHAIN_UNREACHABLE: { status: 503, message: "The chain node is unreachable; nothing was recorded. Try again shortly." },
  RELAYER_OUT_OF_FUNDS: { status: 503, message: "The relayer is out of funds: the service cannot pay for transactions until its operator tops up the relayer's account." },
  RELAYER_FEE_CEILING: { status: 503, message: "The chain's fees are above what the relayer may offer (RELAYER_MAX_FEE_GWEI): nothing was sent. Try again when fees fall." },
  OFFICER_OUT_OF_FUNDS: { status: 409, message: "The officer's account cannot pay for the transaction's gas; ask the municipality's admin to top it up." },
  ENGINE_UNAVAILABLE: { status: 503, message: "An engine of the ledger is not available." },
  // Personal data (privacy/vault.ts): sealed under a key the service's keyring lacks (docs/operator-guide.md).
  PERSONAL_DATA_KEY_MISSING: { status: 503, message: "This personal data is sealed under a key the service does not hold; its operator must put that key back in the keyring." },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error meant for the client: its code and status come from {@link ERRORS}. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERRORS[code].status;
  }
}

export type EngineName = "chain" | "ipfs" | "store" | "config" | "http";

/** An engine that cannot start; `main.ts` prints it as one line instead of a stack trace. */
export class EngineError extends Error {
  constructor(
    readonly engine: EngineName,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}
