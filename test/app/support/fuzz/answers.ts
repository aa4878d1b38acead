import { ERRORS } from "../../../../app/server/errors.js";
import type { RawAnswer, RawRequest } from "../rawHttp.js";

/**
 * What the fuzz holds every answer to: no 5xx; every 4xx in its API's error shape — the API's
 * `{ error: { code, message } }` with a code of the registry (app/server/errors.ts) and that code's
 * status, or on /open311 routes GeoReport v2's own list of `{ code, description }` (code = the status)
 * as JSON, or as `<errors><error>…` for a .xml path. A HEAD answer has no body to hold to a shape.
 */
export function answerProblem(request: RawRequest, answer: RawAnswer): string | null {
  if (answer.status >= 500) return `a ${answer.status}`;
  if (answer.status < 400 || request.method === "HEAD") return null;
  const path = pathOf(request.target);
  const text = answer.body.toString("utf8");
  // A request the HTTP parser refuses, or a CONNECT, reaches no route: it is answered in the API's shape on every path.
  const parserRefusal = request.method === "CONNECT" || /^\{"error":\{"code":"(REQUEST_MALFORMED|REQUEST_HEADERS_TOO_LARGE|REQUEST_TIMEOUT)"/.test(text);
  if (path.startsWith("/open311/") && !parserRefusal) return open311Problem(path, answer, text);
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(text);
  } catch {
    return `a ${answer.status} whose body is not JSON: ${JSON.stringify(text.slice(0, 120))}`;
  }
  const code = body?.error?.code;
  if (typeof code !== "string" || typeof body.error?.message !== "string") return `a ${answer.status} without { error: { code, message } }: ${text.slice(0, 200)}`;
  const registered = ERRORS[code as keyof typeof ERRORS];
  if (!registered) return `a ${answer.status} with the code ${code}, which app/server/errors.ts does not hold`;
  if (registered.status !== answer.status) return `a ${answer.status} with the code ${code}, whose status is ${registered.status}`;
  return null;
}

function open311Problem(path: string, answer: RawAnswer, text: string): string | null {
  if (/\.xml$/.test(path)) {
    const errors = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<errors>((?:<error><code>\d+<\/code><description>[^<]+<\/description><\/error>)+)<\/errors>$/.exec(text);
    if (!errors) return `an Open311 ${answer.status} that is not <errors><error><code/><description/></error></errors>: ${text.slice(0, 200)}`;
    const codes = [...errors[1].matchAll(/<code>(\d+)<\/code>/g)].map((match) => Number(match[1]));
    return codes.every((code) => code === answer.status) ? null : `an Open311 ${answer.status} listing codes ${codes}`;
  }
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return `an Open311 ${answer.status} whose body is not JSON: ${JSON.stringify(text.slice(0, 120))}`;
  }
  const valid =
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((entry) => entry?.code === answer.status && typeof entry?.description === "string" && entry.description.length > 0);
  return valid ? null : `an Open311 ${answer.status} that is not a list of { code, description }: ${text.slice(0, 200)}`;
}

/** The path of a request target (origin-form, or the path of an absolute-form one). */
export function pathOf(target: string): string {
  const path = target.replace(/^[a-z]+:\/\/[^/]*/i, "").split("?")[0];
  return path.split("#")[0];
}

/** What two answers must share: the status, and for an error its code (both from the same API). */
export function verdictOf(answer: RawAnswer): string {
  if (answer.status < 400) return `${Math.floor(answer.status / 100)}xx`;
  try {
    return `${answer.status} ${JSON.parse(answer.body.toString("utf8"))?.error?.code}`;
  } catch {
    return `${answer.status} (no JSON)`;
  }
}

/** A record a 2xx answer says was accepted, and how to find it again. */
export interface AcceptedRecord {
  kind: "document" | "complaint" | "permit";
  /** The read that must answer 200 afterwards… */
  lookup: string;
  /** …with each of these in its body: the record's hashes, a complaint's confirmation on the chain. */
  mustInclude: string[];
}

/** The records a write's 2xx answer accepted (none for a read or a refusal). */
export function acceptedRecords(request: RawRequest, answer: RawAnswer, jurisdiction: string): AcceptedRecord[] {
  if (request.method !== "POST" || answer.status < 200 || answer.status > 299) return [];
  const path = pathOf(request.target);
  const text = answer.body.toString("utf8");
  const json = () => JSON.parse(text);
  const document = ({ recordId, sha256 }: { recordId: string; sha256: string }): AcceptedRecord => ({ kind: "document", lookup: `/api/records/${recordId}`, mustInclude: [sha256] });
  const complaint = (id: string | undefined): AcceptedRecord => ({
    kind: "complaint",
    lookup: `/open311/v2/requests/${id ?? "(none in the answer)"}.json?jurisdiction_id=${jurisdiction}&extensions=true`,
    mustInclude: ['"confirmed":true'],
  });
  if (/^\/api\/documents\/?$/.test(path)) return [document(json())];
  if (path === "/api/documents/batch") return json().documents.map(document);
  // An application, or documents added to one: the permit lists their hashes as the chain holds them.
  if (path === "/api/permits" || /^\/api\/permits\/[^/]+\/documents$/.test(path)) {
    const { number, documentHashes } = json();
    return [{ kind: "permit", lookup: `/api/permits/${encodeURIComponent(number)}`, mustInclude: documentHashes }];
  }
  if (path === "/api/complaints") return [complaint(json().complaintId)];
  if (path === "/open311/v2/requests.json") return [complaint(json()[0].service_request_id)];
  if (path === "/open311/v2/requests.xml") return [complaint(/<service_request_id>(0x[0-9a-f]{64})<\/service_request_id>/.exec(text)?.[1])];
  return [];
}
