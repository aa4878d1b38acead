import { AppError } from "../errors.js";

/**
 * A multipart/form-data body (RFC 7578) that is already in memory, split into its parts: the fast
 * upload path's parser (fastUpload.ts). It reads what browsers, curl and HTTP libraries send — a
 * `Content-Disposition: form-data` header with a quoted or plain `name` per part — and refuses anything
 * else as BAD_MULTIPART, as multer does.
 */
export interface FormPart {
  name: string;
  /** Present for a file part (the filename parameter, possibly empty). */
  filename: string | undefined;
  body: Buffer;
}

const CRLF = Buffer.from("\r\n");
const HEADERS_END = Buffer.from("\r\n\r\n");
const MALFORMED = "Malformed upload: ";

/** The boundary of a multipart/form-data Content-Type, or null for any other type. */
export function formDataBoundary(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const match = /^\s*multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

export function formDataParts(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter has no CRLF before it when nothing (no preamble) comes first.
  const first = delimiter.subarray(2);
  let at: number;
  if (body.subarray(0, first.length).equals(first)) at = first.length;
  else {
    const found = body.indexOf(delimiter);
    if (found === -1) throw malformed("no boundary found");
    at = found + delimiter.length;
  }
  const parts: FormPart[] = [];
  for (;;) {
    // After a delimiter: "--" ends the body, CRLF starts a part (transport padding is not expected).
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    if (!body.subarray(at, at + 2).equals(CRLF)) throw malformed("a boundary is not followed by a line break");
    const headersEnd = body.indexOf(HEADERS_END, at + 2);
    if (headersEnd === -1) throw malformed("Unexpected end of form");
    const next = body.indexOf(delimiter, headersEnd + 4);
    if (next === -1) throw malformed("Unexpected end of form");
    parts.push({ ...dispositionOf(body.toString("latin1", at + 2, headersEnd)), body: body.subarray(headersEnd + 4, next) });
    at = next + delimiter.length;
  }
}

function dispositionOf(headers: string): { name: string; filename: string | undefined } {
  for (const line of headers.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) throw malformed("Malformed part header");
    if (line.slice(0, colon).trim().toLowerCase() !== "content-disposition") continue;
    const value = line.slice(colon + 1);
    if (!/^\s*form-data\s*(;|$)/i.test(value)) break;
    const name = parameter(value, "name");
    if (name === undefined) break;
    return { name, filename: parameter(value, "filename") };
  }
  throw malformed("a part has no form-data name");
}

function parameter(value: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;"]+))`, "i").exec(value);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2];
}

function malformed(reason: string): AppError {
  return new AppError("BAD_MULTIPART", `${MALFORMED}${reason}`);
}
