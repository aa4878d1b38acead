import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import {
  certificateDataHash,
  certificateQrPayload,
  type PermitCertificateData,
} from "./certificateData.js";
import { englishDate, englishDateTimeShort, thaiDate, thaiDateTimeShort } from "./certificateDates.js";
import { CERTIFICATE_INFO_KEY, certificateInfoValue } from "./embeddedData.js";
import { drawQrCode } from "./qrDrawing.js";
import { repairThaiToUnicode } from "./thaiToUnicode.js";

export { certificateDataHash, canonicalCertificateJson, certificateQrPayload } from "./certificateData.js";
export type { PermitCertificateData } from "./certificateData.js";
export { readCertificateData, CERTIFICATE_INFO_KEY } from "./embeddedData.js";

/**
 * The permit certificate as a PDF, Thai and English on one A4 page (more if the approvals run long).
 * Thai is set in Sarabun, embedded as a subset; pdfkit lays text out with fontkit, which applies the
 * font's GSUB and GPOS so tone marks and vowels sit where Thai readers expect them.
 *
 * The same data always gives the same bytes: the PDF's dates are the issue time and its file ID is
 * derived from them, so a certificate can be regenerated and compared with the anchored one.
 */
export interface RenderedPermitCertificate {
  pdf: Uint8Array;
  /** SHA-256 of the PDF bytes (0x-prefixed lowercase): what is anchored on-chain and what verify knows. */
  sha256: string;
  /** {@link certificateDataHash} of the data: the `h` of the QR code. */
  dataHash: string;
  /** What the QR code encodes. */
  qrPayload: string;
}

const require = createRequire(import.meta.url);
const SARABUN = require.resolve("@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf");
const SARABUN_BOLD = require.resolve("@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf");

const MARGIN = 48;
const INK = "#111111";
const MUTED = "#555555";
const RULE = "#999999";
const QR_SIZE = 120;

export async function renderPermitCertificate(
  data: PermitCertificateData,
  options: { verifyBaseUrl: string },
): Promise<RenderedPermitCertificate> {
  const dataHash = certificateDataHash(data);
  const qrPayload = certificateQrPayload(data, options.verifyBaseUrl);
  const issuedAt = new Date(data.issuedAt);
  if (Number.isNaN(issuedAt.getTime())) throw new RangeError(`issuedAt is not an ISO 8601 date: ${data.issuedAt}`);

  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    font: SARABUN,
    info: {
      Title: `ใบอนุญาต ${data.permitNumber} / Permit certificate ${data.permitNumber}`,
      Author: `${data.municipality.th} / ${data.municipality.en}`,
      Subject: `${data.permitType.th} / ${data.permitType.en}`,
      Creator: "Public-service ledger",
      Producer: "Public-service ledger (PDFKit)",
      CreationDate: issuedAt,
      ModDate: issuedAt,
      [CERTIFICATE_INFO_KEY]: certificateInfoValue(data),
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });

  drawCertificate(doc, data, options.verifyBaseUrl, dataHash, qrPayload);
  repairThaiToUnicode(doc);
  doc.end();
  await ended;

  const pdf = new Uint8Array(Buffer.concat(chunks));
  const sha256 = "0x" + createHash("sha256").update(pdf).digest("hex");
  return { pdf, sha256, dataHash, qrPayload };
}

/** `0x1234abcd…89ef0123`: enough of an address or a hash to find it, short enough for a table cell. */
function shortHex(hex: string, keep = 8): string {
  return hex.length <= 2 + 2 * keep ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

function drawCertificate(
  doc: PDFKit.PDFDocument,
  data: PermitCertificateData,
  verifyBaseUrl: string,
  dataHash: string,
  qrPayload: string,
): void {
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;

  // Heading: who issues it, then what it is.
  doc.fillColor(INK).font(SARABUN_BOLD).fontSize(15).text(data.municipality.th, left, MARGIN, { width, align: "center" });
  doc.font(SARABUN).fontSize(11).fillColor(MUTED).text(data.municipality.en, { width, align: "center" });
  doc.moveDown(0.6);
  doc.fillColor(INK).font(SARABUN_BOLD).fontSize(22).text("ใบอนุญาต", { width, align: "center" });
  doc.font(SARABUN_BOLD).fontSize(14).text("Permit Certificate", { width, align: "center" });
  doc.moveDown(0.4);
  rule(doc, doc.y);
  doc.y += 10;

  // The facts, one labelled row each: Thai label over English label, Thai value over English value.
  const version = `ฉบับที่ ${data.version} / version ${data.version}`;
  field(doc, "เลขที่ใบอนุญาต", "Permit number", [{ text: data.permitNumber, bold: true }, { text: version }]);
  field(doc, "ประเภทใบอนุญาต", "Permit type", [{ text: data.permitType.th }, { text: data.permitType.en }]);
  field(doc, "ผู้ได้รับอนุญาต", "Permit holder", [{ text: data.holderName, bold: true }]);
  field(doc, "ที่ดิน / พื้นที่", "Parcel / area", [{ text: data.parcel }]);
  const description = [data.description.th, data.description.en].filter((line): line is string => !!line);
  if (description.length > 0) field(doc, "รายละเอียด", "Description", description.map((text) => ({ text })));
  field(doc, "ออกให้เมื่อ", "Issued on", [{ text: thaiDate(data.issuedAt) }, { text: englishDate(data.issuedAt) }]);
  field(doc, "ใช้ได้ถึง", "Valid until", [
    { text: thaiDate(data.validUntil), bold: true },
    { text: englishDate(data.validUntil), bold: true },
  ]);
  if (data.previousCertificateSha256) {
    field(doc, "แทนฉบับก่อนหน้า", "Supersedes", [{ text: data.previousCertificateSha256, small: true }]);
  }

  doc.y += 6;
  drawApprovals(doc, data.approvals);
  drawVerification(doc, verifyBaseUrl, dataHash, qrPayload);
}

function rule(doc: PDFKit.PDFDocument, y: number): void {
  doc.save().moveTo(MARGIN, y).lineTo(doc.page.width - MARGIN, y).lineWidth(0.6).strokeColor(RULE).stroke().restore();
}

/** Start a new page when `height` points will not fit above the bottom margin. */
function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) {
    doc.addPage();
    doc.y = MARGIN;
  }
}

const LABEL_WIDTH = 150;
const VALUE_X = MARGIN + LABEL_WIDTH + 12;

function field(
  doc: PDFKit.PDFDocument,
  labelTh: string,
  labelEn: string,
  values: Array<{ text: string; bold?: boolean; small?: boolean }>,
): void {
  ensureRoom(doc, 40);
  const top = doc.y;
  const valueWidth = doc.page.width - MARGIN - VALUE_X;
  doc.fillColor(INK).font(SARABUN_BOLD).fontSize(10.5).text(labelTh, MARGIN, top, { width: LABEL_WIDTH });
  doc.fillColor(MUTED).font(SARABUN).fontSize(9).text(labelEn, MARGIN, doc.y, { width: LABEL_WIDTH });
  const labelBottom = doc.y;
  doc.y = top;
  for (const value of values) {
    doc
      .fillColor(INK)
      .font(value.bold ? SARABUN_BOLD : SARABUN)
      .fontSize(value.small ? 8.5 : 11)
      .text(value.text, VALUE_X, doc.y, { width: valueWidth });
  }
  doc.y = Math.max(labelBottom, doc.y) + 6;
}

/** The approval steps: role, officer, time, and the transaction that recorded each decision. */
const COLUMNS = [
  { th: "ลำดับ", en: "No.", width: 34 },
  { th: "ขั้นตอน", en: "Role", width: 96 },
  { th: "ผู้อนุมัติ", en: "Officer", width: 130 },
  { th: "วันเวลา", en: "Time", width: 110 },
  { th: "ธุรกรรม", en: "Transaction", width: 0 },
];

function drawApprovals(doc: PDFKit.PDFDocument, approvals: PermitCertificateData["approvals"]): void {
  const width = doc.page.width - 2 * MARGIN;
  const widths = COLUMNS.map((column) => column.width || width - COLUMNS.reduce((sum, c) => sum + c.width, 0));
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((sum, w) => sum + w, 0));

  ensureRoom(doc, 80);
  doc.fillColor(INK).font(SARABUN_BOLD).fontSize(12).text("ขั้นตอนการอนุมัติ / Approval steps", MARGIN, doc.y, { width });
  doc.y += 2;

  const row = (cells: Array<Array<{ text: string; bold?: boolean; muted?: boolean; size?: number }>>) => {
    ensureRoom(doc, 34);
    const top = doc.y;
    let bottom = top;
    cells.forEach((lines, i) => {
      doc.y = top + 4;
      for (const line of lines) {
        doc
          .fillColor(line.muted ? MUTED : INK)
          .font(line.bold ? SARABUN_BOLD : SARABUN)
          .fontSize(line.size ?? 9.5)
          .text(line.text, xs[i] + 3, doc.y, { width: widths[i] - 6 });
      }
      bottom = Math.max(bottom, doc.y);
    });
    doc.y = bottom + 3;
    rule(doc, doc.y);
  };

  rule(doc, doc.y);
  row(COLUMNS.map((column) => [{ text: column.th, bold: true }, { text: column.en, muted: true, size: 8.5 }]));
  approvals.forEach((approval, i) =>
    row([
      [{ text: String(i + 1) }],
      [{ text: approval.role }],
      [
        ...(approval.officerName ? [{ text: approval.officerName }] : []),
        { text: shortHex(approval.officer, 6), muted: true, size: 8 },
      ],
      [{ text: thaiDateTimeShort(approval.decidedAt) }, { text: englishDateTimeShort(approval.decidedAt), muted: true, size: 8 }],
      [{ text: shortHex(approval.txHash), size: 8 }],
    ]),
  );
  if (approvals.length === 0) row([[{ text: "—" }], [], [], [], []]);
}

/** The QR code and what a reader without a phone needs: the verify address and the data hash. */
function drawVerification(doc: PDFKit.PDFDocument, verifyBaseUrl: string, dataHash: string, qrPayload: string): void {
  doc.y += 14;
  ensureRoom(doc, QR_SIZE + 10);
  const top = doc.y;
  drawQrCode(doc, qrPayload, MARGIN, top, QR_SIZE);

  const textX = MARGIN + QR_SIZE + 16;
  const textWidth = doc.page.width - MARGIN - textX;
  doc.fillColor(INK).font(SARABUN_BOLD).fontSize(12).text("สแกนเพื่อตรวจสอบ / Scan to verify", textX, top + 8, { width: textWidth });
  doc.moveDown(0.3);
  doc.font(SARABUN).fontSize(9.5).text("ตรวจสอบออนไลน์ / Verify online:", { width: textWidth });
  doc.font(SARABUN).fontSize(9.5).fillColor(INK).text(verifyBaseUrl, { width: textWidth });
  doc.moveDown(0.3);
  doc.fillColor(MUTED).fontSize(8.5).text("รหัสข้อมูลใบอนุญาต / Certificate data hash:", { width: textWidth });
  doc.text(dataHash, { width: textWidth });
  doc.moveDown(0.3);
  doc.text(
    "ค่า SHA-256 ของไฟล์ PDF นี้บันทึกไว้บนบล็อกเชน / " +
      "The SHA-256 of this PDF file is recorded on the public ledger.",
    { width: textWidth },
  );
  doc.y = Math.max(doc.y, top + QR_SIZE);
}
