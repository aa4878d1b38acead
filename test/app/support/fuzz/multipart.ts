import { SeededRandom } from "./random.js";

/**
 * multipart/form-data bodies with one flaw each: in the framing (boundaries, line endings, preamble,
 * padding), in a part's headers (what busboy calls a malformed part header, dispositions that are not
 * form-data, names missing or encoded), in the parts themselves (too many, a second file, an empty
 * one, the wrong field) and in the fields the upload routes read (`meta`, `issuance`). "none" is a
 * well-formed body, so that some of the fuzz's uploads are accepted and can be looked for afterwards.
 */
export const MULTIPART_FLAWS = [
  "none",
  "none",
  "preamble",
  "epilogue",
  "quotedBoundary",
  "boundaryAfterCharset",
  "noClosingDelimiter",
  "truncated",
  "wrongBoundary",
  "noBoundaryParam",
  "emptyBoundary",
  "longBoundary",
  "lfOnly",
  "transportPadding",
  "junkAfterBoundary",
  "headerNoColon",
  "headerSpaceInName",
  "headerEmptyName",
  "headerControlChar",
  "headerHighBytes",
  "headerFolded",
  "headerless",
  "hugeHeader",
  "noDisposition",
  "dispositionNotFormData",
  "dispositionNoName",
  "dispositionBadParams",
  "filenameStar",
  "octetStreamWithoutFilename",
  "nameWithNul",
  "twoFiles",
  "wrongFileField",
  "manyFields",
  "manyFiles",
  "emptyFile",
  "noFile",
  "emptyBody",
  "garbage",
  "duplicateMeta",
  "badMeta",
  "badIssuance",
  "noIssuance",
  "partContentTypeCharset",
] as const;
export type MultipartFlaw = (typeof MULTIPART_FLAWS)[number];

export interface UploadContent {
  file: Buffer;
  /** The field `issuance` as sent (JSON text of a signed statement). */
  issuance: string;
  meta?: string;
  /** The file's field name (`file` for documents, `photo` for complaints). */
  fileField?: string;
  /** Other text fields, before the file. */
  fields?: Array<[string, string]>;
}

interface Part {
  headers: string[];
  body: Buffer;
}

/** The Content-Type and body of an upload of `content` with `flaw`; `seed` decides its random details alike on every call. */
export function flawedUpload(flaw: MultipartFlaw, content: UploadContent, seed: number): { contentType: string; body: Buffer } {
  const random = new SeededRandom(seed);
  const boundary = flaw === "longBoundary" ? "b".repeat(71 + random.int(200)) : `----fuzz${random.word(16)}`;
  const field = content.fileField ?? "file";
  const text = (name: string, value: string, extra: string[] = []): Part => ({
    headers: [`Content-Disposition: form-data; name="${name}"`, ...extra],
    body: Buffer.from(value, "utf8"),
  });
  const file = (name: string, body: Buffer, filename = "scan.pdf"): Part => ({
    headers: [`Content-Disposition: form-data; name="${name}"; filename="${filename}"`, "Content-Type: application/pdf"],
    body,
  });

  const fields: Part[] = (content.fields ?? []).map(([name, value]) => text(name, value));
  if (flaw !== "noIssuance") fields.push(text("issuance", flaw === "badIssuance" ? random.pick(["{", "[]", '{"signer":1}', "x".repeat(3000), ""]) : content.issuance));
  if (content.meta !== undefined || flaw === "badMeta" || flaw === "duplicateMeta") {
    fields.push(text("meta", flaw === "badMeta" ? random.pick(["{", '{"title":""}', '{"municipalityId":-1}', '{"extra":1}', "[]", "null"]) : (content.meta ?? "{}")));
    if (flaw === "duplicateMeta") fields.push(text("meta", content.meta ?? "{}"));
  }
  let parts: Part[] = [...fields];
  const fileBytes = flaw === "emptyFile" ? Buffer.alloc(0) : content.file;
  if (flaw !== "noFile") parts.push(file(flaw === "wrongFileField" ? random.pick(["files", "File", "", "file[]", "upload"]) : field, fileBytes));
  const last = parts.length - 1;
  const first = parts[0];

  switch (flaw) {
    case "headerNoColon":
      parts[last].headers.push("X-Scanner scan-station-4");
      break;
    case "headerSpaceInName":
      parts[random.int(parts.length)].headers.push("X Scanner: station 4");
      break;
    case "headerEmptyName":
      parts[last].headers.push(": nothing");
      break;
    case "headerControlChar":
      parts[last].headers.push(`X-Note: a${String.fromCharCode(random.pick([0, 1, 8, 11, 127]))}b`);
      break;
    case "headerHighBytes":
      // Latin-1 bytes above 0x7f (the header block is written as Latin-1): obs-text, which HTTP allows.
      parts[last].headers.push("X-Note: caf\u00e9 \u00ff");
      break;
    case "headerFolded":
      parts[last].headers.push("X-Note: one", " two");
      break;
    case "headerless":
      parts.unshift({ headers: [], body: Buffer.from("orphan") });
      break;
    case "hugeHeader":
      parts[last].headers.push(`X-Padding: ${"p".repeat(17_000 + random.int(2000))}`);
      break;
    case "noDisposition":
      parts.unshift({ headers: ["Content-Type: text/plain"], body: Buffer.from("no name") });
      break;
    case "dispositionNotFormData":
      parts.unshift({ headers: ['Content-Disposition: attachment; name="note"'], body: Buffer.from("attached") });
      break;
    case "dispositionNoName":
      parts.unshift({ headers: ["Content-Disposition: form-data"], body: Buffer.from("nameless") });
      break;
    case "dispositionBadParams":
      parts.unshift({ headers: [random.pick(['Content-Disposition: form-data; name="note', "Content-Disposition: form-data; name=", "Content-Disposition: form-data;; name=a b", "Content-Disposition: form-data; =x"])], body: Buffer.from("?") });
      break;
    case "filenameStar":
      parts[last].headers[0] = `Content-Disposition: form-data; name="${field}"; filename*=UTF-8''%E0%B8%97%E0%B8%94.pdf`;
      break;
    case "octetStreamWithoutFilename":
      parts[last].headers = [`Content-Disposition: form-data; name="${field}"`, "Content-Type: application/octet-stream"];
      break;
    case "nameWithNul":
      parts.unshift({ headers: ['Content-Disposition: form-data; name="a\u0000b"'], body: Buffer.from("nul") });
      break;
    case "twoFiles":
      parts.push(file(field, Buffer.from("second file")));
      break;
    case "manyFields":
      parts = [...Array.from({ length: 9 + random.int(400) }, (_, i) => text(`f${i}`, "v")), ...parts];
      break;
    case "manyFiles":
      parts.push(...Array.from({ length: 2 + random.int(300) }, (_, i) => file(field, Buffer.from(`copy ${i}`))));
      break;
    case "partContentTypeCharset":
      first.headers.push(`Content-Type: text/plain; charset=${random.pick(["latin1", "utf-16le", "x-unknown", "utf-8"])}`);
      break;
  }

  const eol = flaw === "lfOnly" ? "\n" : "\r\n";
  const delimiter = flaw === "wrongBoundary" ? `--${boundary}x` : `--${boundary}`;
  const chunks: Buffer[] = [];
  if (flaw === "preamble") chunks.push(Buffer.from(`This is a preamble a client may send.${eol}`));
  for (const part of parts) {
    const after = flaw === "transportPadding" ? "  \t" : flaw === "junkAfterBoundary" ? "junk" : "";
    chunks.push(Buffer.from(`${delimiter}${after}${eol}${part.headers.map((header) => `${header}${eol}`).join("")}${eol}`, "latin1"));
    chunks.push(part.body, Buffer.from(eol));
  }
  if (flaw !== "noClosingDelimiter") chunks.push(Buffer.from(`${delimiter}--${eol}`));
  if (flaw === "epilogue") chunks.push(Buffer.from(`An epilogue, ignored.${eol}`));
  let body = Buffer.concat(chunks);
  if (flaw === "truncated") body = body.subarray(0, random.int(body.length));
  if (flaw === "emptyBody") body = Buffer.alloc(0);
  if (flaw === "garbage") body = Buffer.from(Array.from({ length: 1 + random.int(3000) }, () => random.int(256)));

  const contentType =
    flaw === "noBoundaryParam"
      ? "multipart/form-data"
      : flaw === "emptyBoundary"
        ? "multipart/form-data; boundary="
        : flaw === "quotedBoundary"
          ? `multipart/form-data; boundary="${boundary}"`
          : flaw === "boundaryAfterCharset"
            ? `multipart/form-data; charset=utf-8; boundary=${boundary}`
            : `multipart/form-data; boundary=${boundary}`;
  return { contentType, body };
}
