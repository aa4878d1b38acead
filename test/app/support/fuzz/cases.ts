import type { RawRequest } from "../rawHttp.js";

/** One request of the fuzz, and the family of cases it belongs to (for the figures and a failure's report). */
export interface FuzzCase {
  family: string;
  request: RawRequest;
  /**
   * The same request spelled so that Express answers it rather than a fast path in front of it
   * (app/server/http/fastReads.ts, fastUpload.ts): both answers must have the same status and code.
   */
  viaExpress?: RawRequest;
}

/**
 * What the fuzz knows of the service under test: values that pass a route's first checks, so that a
 * case with one bad value reaches the check of that value rather than stopping at the first one.
 */
export interface FuzzTargets {
  municipalityId: string;
  jurisdiction: string;
  apiKey: string;
  complaintId: string;
  trackingCode: string;
  campaignId: string;
  permitNumber: string;
  /** `ledger_session=…` of signed-in officers of the demo town (permits, complaints, funds). */
  officerCookies: string[];
  /** Signed uploads of one document each: each may be accepted once (sent again, it is a replay). */
  signedUploads: Array<{ file: Buffer; issuance: string }>;
  /** More of them, kept for the fast path's and Express's twins: each is sent once. */
  parityUploads: Array<{ file: Buffer; issuance: string }>;
  /** A document on the ledger and a CID stored, for the reads. */
  knownSha256: string;
  knownCid: string;
}
