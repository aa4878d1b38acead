import type { PermitCertificateData } from "./certificateData.js";
import { canonicalCertificateJson } from "./certificateData.js";

/**
 * The canonical JSON rides in the PDF's document information dictionary under one custom key, as a PDF
 * text string (UTF-16BE with its byte-order mark) written in hex. Any PDF reader shows it among the
 * document properties (pdfinfo, pdf.js `getMetadata().info.Custom`); {@link readCertificateData} takes it
 * out of our own files without a PDF library.
 */
export const CERTIFICATE_INFO_KEY = "LedgerPermitCertificate";

/** The info-dictionary value: the canonical JSON as a UTF-16BE text string, BOM first. */
export function certificateInfoValue(data: PermitCertificateData): Uint8Array {
  const json = canonicalCertificateJson(data);
  const bytes = new Uint8Array(2 + json.length * 2);
  bytes[0] = 0xfe;
  bytes[1] = 0xff;
  for (let i = 0; i < json.length; i++) {
    const unit = json.charCodeAt(i);
    bytes[2 + 2 * i] = unit >> 8;
    bytes[3 + 2 * i] = unit & 0xff;
  }
  return bytes;
}

/** The body of indirect object `number 0 obj … endobj`, the last one written (an update supersedes). */
function objectBody(text: string, number: number): string | null {
  const pattern = new RegExp(`(?:^|[\\r\\n\\s])${number}\\s+0\\s+obj\\b([\\s\\S]*?)\\bendobj`, "g");
  let body: string | null = null;
  for (const match of text.matchAll(pattern)) body = match[1];
  return body;
}

function decodeTextString(hex: string): string | null {
  const clean = hex.replace(/\s+/g, "");
  if (clean.length % 4 !== 0 || !/^feff/i.test(clean)) return null;
  let out = "";
  for (let i = 4; i < clean.length; i += 4) out += String.fromCharCode(parseInt(clean.slice(i, i + 4), 16));
  return out;
}

function looksLikeCertificateData(value: unknown): value is PermitCertificateData {
  if (value === null || typeof value !== "object") return false;
  const data = value as Record<string, unknown>;
  return (
    typeof data.permitNumber === "string" &&
    typeof data.version === "number" &&
    typeof data.holderName === "string" &&
    typeof data.issuedAt === "string" &&
    Array.isArray(data.approvals) &&
    typeof data.permitType === "object" &&
    typeof data.municipality === "object"
  );
}

/**
 * The certificate data embedded in a PDF made by {@link renderPermitCertificate}, or null when the PDF is
 * not one of ours (no such entry, or an entry that is not certificate data). It reads the data; whether
 * the data matches the page and the ledger is for the caller to check (recompute the hash, look up the
 * PDF's SHA-256).
 */
export function readCertificateData(pdf: Uint8Array): PermitCertificateData | null {
  try {
    const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString("latin1");
    if (!text.startsWith("%PDF-")) return null;
    const infoRefs = [...text.matchAll(/\/Info\s+(\d+)\s+0\s+R/g)];
    if (infoRefs.length === 0) return null;
    const info = objectBody(text, Number(infoRefs[infoRefs.length - 1][1]));
    const entry = info?.match(new RegExp(`/${CERTIFICATE_INFO_KEY}\\s+(?:(\\d+)\\s+0\\s+R|<([0-9a-fA-F\\s]*)>)`));
    if (!entry) return null;
    const hex = entry[2] ?? objectBody(text, Number(entry[1]))?.match(/^\s*<([0-9a-fA-F\s]*)>\s*$/)?.[1];
    const json = hex === undefined ? null : decodeTextString(hex);
    if (json === null) return null;
    const data: unknown = JSON.parse(json);
    return looksLikeCertificateData(data) ? data : null;
  } catch {
    return null;
  }
}
