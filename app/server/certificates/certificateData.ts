import { createHash } from "node:crypto";

/**
 * What a permit certificate says, its canonical JSON and the hash of it (the `h` of the QR code). The
 * canonical JSON also travels inside the PDF, so a checker can take it out and recompute the hash
 * without trusting the page layout.
 */
export interface PermitCertificateData {
  /** e.g. "TH-50-MAEHIA/BLD/2026/000001". */
  permitNumber: string;
  /** 1, then 2 after an amendment, … */
  version: number;
  /** e.g. BUILDING, อนุญาตก่อสร้างอาคาร / Building permit. */
  permitType: { code: string; th: string; en: string };
  municipality: { id: number; code: string; th: string; en: string };
  /** Personal data: the PDF is stored encrypted, never in clear on IPFS. */
  holderName: string;
  /** Public: the parcel or area the permit covers. */
  parcel: string;
  description: { th?: string; en?: string };
  /** ISO 8601. */
  issuedAt: string;
  /** ISO 8601. */
  validUntil: string;
  approvals: Array<{ role: string; officer: string; officerName?: string; decidedAt: string; txHash: string }>;
  /** The SHA-256 of the certificate PDF this version supersedes. */
  previousCertificateSha256?: string;
}

/** Sort an object's keys at every depth; `undefined` members vanish exactly as JSON.stringify drops them. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortedKeys(member);
    }
    return sorted;
  }
  return value;
}

/** The canonical JSON of the data: keys sorted at every depth, no whitespace, UTF-8 when hashed. */
export function canonicalCertificateJson(data: PermitCertificateData): string {
  return JSON.stringify(sortedKeys(data));
}

/** SHA-256 (0x-prefixed lowercase hex) of the UTF-8 bytes of {@link canonicalCertificateJson}. */
export function certificateDataHash(data: PermitCertificateData): string {
  return "0x" + createHash("sha256").update(canonicalCertificateJson(data), "utf8").digest("hex");
}

/** What the QR code encodes: `${verifyBaseUrl}?permit=<permitNumber>&v=<version>&h=<dataHash>`. */
export function certificateQrPayload(data: PermitCertificateData, verifyBaseUrl: string): string {
  const query = `permit=${encodeURIComponent(data.permitNumber)}&v=${data.version}&h=${certificateDataHash(data)}`;
  return `${verifyBaseUrl}${verifyBaseUrl.includes("?") ? "&" : "?"}${query}`;
}
