import { AppError } from "../errors.js";

/**
 * A multipart/form-data body (RFC 7578) that is already in memory, split into its parts: the parser of
 * POST /api/documents on both its paths (documentUpload.ts). It reads what browsers, curl and HTTP
 * libraries send — a preamble, transport padding after a boundary, part headers as RFC 7230 writes
 * them (folded lines too), a `Content-Disposition: form-data` header with a quoted or plain `name` per
 * part and a `filename` (or `filename*`) for a file — and refuses anything else as BAD_MULTIPART.
 */
export interface FormPart {
  name: string;
  /** Present for a file part (the filename parameter, possibly empty). */
  filename: string | undefined;
  body: Buffer;
}

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
    // After a delimiter: "--" ends the body; spaces and tabs (transport padding), then CRLF, start a part.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw malformed("a boundary is not followed by a line break");
    // The part's headers end at the first empty line: at once, if it has none.
    const headersEnd = body.indexOf(HEADERS_END, at);
    if (headersEnd === -1) throw malformed("Unexpected end of form");
    const next = body.indexOf(delimiter, headersEnd + 4);
    if (next === -1) throw malformed("Unexpected end of form");
    parts.push({ ...dispositionOf(body.toString("latin1", at + 2, headersEnd)), body: body.subarray(headersEnd + 4, next) });
    at = next + delimiter.length;
  }
}

/** A header line: a token, a colon, and a value of visible characters, spaces and tabs (RFC 7230 field-value, obs-text included). */
const HEADER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/;

function dispositionOf(block: string): { name: string; filename: string | undefined } {
  if (block === "") throw malformed("a part has no headers");
  // A line that starts with a space or a tab continues the header before it (obs-fold).
  const lines: string[] = [];
  for (const line of block.split("\r\n")) {
    if (lines.length > 0 && (line[0] === " " || line[0] === "\t")) lines[lines.length - 1] += line;
    else lines.push(line);
  }
  let disposition: string | undefined;
  for (const line of lines) {
    if (!HEADER_LINE.test(line)) throw malformed("Malformed part header");
    const colon = line.indexOf(":");
    if (disposition === undefined && line.slice(0, colon).toLowerCase() === "content-disposition") disposition = line.slice(colon + 1);
  }
  const name = disposition !== undefined && /^\s*form-data\s*(;|$)/i.test(disposition) ? parameter(disposition, NAME) : undefined;
  if (name === undefined) throw malformed("a part has no form-data name");
  return { name, filename: parameter(disposition!, FILENAME) ?? parameter(disposition!, EXTENDED_FILENAME) };
}

/** A parameter of a Content-Disposition value, quoted (with backslash escapes) or plain. */
const parameterOf = (key: string) => new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;"]+))`, "i");
const NAME = parameterOf("name");
const FILENAME = parameterOf("filename");
const EXTENDED_FILENAME = parameterOf("filename\\*");

function parameter(value: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(value);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2];
}

function malformed(reason: string): AppError {
  return new AppError("BAD_MULTIPART", `${MALFORMED}${reason}`);
}
