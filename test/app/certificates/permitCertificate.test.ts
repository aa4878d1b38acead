import { expect } from "chai";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { englishDate, thaiDate, thaiDateTimeShort } from "../../../app/server/certificates/certificateDates.js";
import {
  CERTIFICATE_INFO_KEY,
  canonicalCertificateJson,
  certificateDataHash,
  readCertificateData,
  renderPermitCertificate,
  type PermitCertificateData,
} from "../../../app/server/certificates/permitCertificate.js";
import { closePdf, decodeQrOnPage, embeddedTrueTypeFonts, extractText, openFontFile, openPdf } from "./pdfInspection.js";

/**
 * The permit certificate PDF, checked with engines that did not make it: pdf.js parses, extracts and
 * renders it, jsQR reads the QR code off the rendered page, fontkit opens the embedded fonts.
 */
const VERIFY_URL = "https://ledger.maehia.go.th/verify";
const SARABUN = createRequire(import.meta.url).resolve("@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf");

function certificate(): PermitCertificateData {
  return {
    permitNumber: "MH-BLD-2026-0001",
    version: 1,
    permitType: { code: "BUILDING", th: "อนุญาตก่อสร้างอาคาร", en: "Building permit" },
    municipality: { id: 1, code: "MAEHIA", th: "เทศบาลเมืองแม่เหียะ", en: "Mae Hia Town Municipality" },
    holderName: "นางสาวปั้นทิพย์ ที่ดีเลิศ",
    parcel: "โฉนดเลขที่ 12345 ตำบลแม่เหียะ",
    description: { th: "อาคารพักอาศัย 2 ชั้น หลังคาปั้นหยา", en: "Two-storey house, 180 m² floor area" },
    issuedAt: "2026-11-21T07:05:00.000Z",
    validUntil: "2027-11-21T07:05:00.000Z",
    approvals: [
      {
        role: "ENGINEER",
        officer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        officerName: "นายวิชัย ช่างดี",
        decidedAt: "2026-11-21T06:10:00.000Z",
        txHash: "0x" + "ab".repeat(32),
      },
      {
        role: "MAYOR",
        officer: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
        decidedAt: "2026-11-21T07:05:00.000Z",
        txHash: "0x" + "cd".repeat(32),
      },
    ],
  };
}

/** The same data with every object's keys inserted in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, member]) => [key, reversedKeys(member)]),
    ) as T;
  }
  return value;
}

const sha256Hex = (bytes: Uint8Array | string) => "0x" + createHash("sha256").update(bytes).digest("hex");

describe("permit certificate PDF (app/server/certificates)", function () {
  this.timeout(60_000);
  let rendered: Awaited<ReturnType<typeof renderPermitCertificate>>;
  let text: string;
  before(async () => {
    rendered = await renderPermitCertificate(certificate(), { verifyBaseUrl: VERIFY_URL });
    text = await extractText(rendered.pdf);
  });

  describe("data hash", () => {
    it("is the SHA-256 of the canonical JSON: keys sorted at every depth, no whitespace", () => {
      const json = canonicalCertificateJson(certificate());
      expect(json).to.match(/^\{"approvals":\[\{"decidedAt":/);
      expect(json).to.include('"municipality":{"code":"MAEHIA","en":"Mae Hia Town Municipality","id":1,"th":');
      expect(json).not.to.match(/[\n\t]|": |, "/);
      expect(certificateDataHash(certificate())).to.equal(sha256Hex(Buffer.from(json, "utf8")));
      expect(certificateDataHash(certificate())).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("does not depend on key order, nor on optional members left undefined", () => {
      const data = certificate();
      expect(certificateDataHash(reversedKeys(data))).to.equal(certificateDataHash(data));
      const withUndefined = { ...data, previousCertificateSha256: undefined, description: { ...data.description, th: data.description.th } };
      expect(certificateDataHash(withUndefined)).to.equal(certificateDataHash(data));
    });

    it("changes with any fact, including the version and the order of approvals", () => {
      const base = certificateDataHash(certificate());
      const changed = [
        { ...certificate(), version: 2 },
        { ...certificate(), holderName: "นางสาวปั้นทิพย์ ที่ดีเลิศ " },
        { ...certificate(), approvals: [...certificate().approvals].reverse() },
        { ...certificate(), previousCertificateSha256: "0x" + "11".repeat(32) },
      ].map(certificateDataHash);
      expect(new Set([base, ...changed]).size).to.equal(changed.length + 1);
    });
  });

  describe("rendering", () => {
    it("gives byte-identical PDFs for the same data, whatever the key order, dated at the issue time", async () => {
      const again = await renderPermitCertificate(reversedKeys(certificate()), { verifyBaseUrl: VERIFY_URL });
      expect(Buffer.from(again.pdf).equals(Buffer.from(rendered.pdf))).to.equal(true);
      expect(again.sha256).to.equal(rendered.sha256);
      expect(rendered.sha256).to.equal(sha256Hex(rendered.pdf));
      expect(rendered.dataHash).to.equal(certificateDataHash(certificate()));

      const doc = await openPdf(rendered.pdf);
      const { info } = (await doc.getMetadata()) as { info: Record<string, unknown> };
      await closePdf(doc);
      expect(info.CreationDate).to.equal("D:20261121070500Z");
      expect(info.ModDate).to.equal("D:20261121070500Z");
    });

    it("gives a different PDF for a new version of the permit", async () => {
      const amended = await renderPermitCertificate(
        { ...certificate(), version: 2, previousCertificateSha256: rendered.sha256 },
        { verifyBaseUrl: VERIFY_URL },
      );
      expect(amended.sha256).not.to.equal(rendered.sha256);
      expect(amended.qrPayload).to.include("&v=2&");
      expect(await extractText(amended.pdf)).to.include(rendered.sha256);
    });

    it("prints the QR code so that it reads back, from the rendered page, as the verify URL", async () => {
      const permit = "MH-BLD/2026 0001&x";
      const data = { ...certificate(), permitNumber: permit };
      const { pdf, qrPayload, dataHash } = await renderPermitCertificate(data, { verifyBaseUrl: VERIFY_URL });
      expect(qrPayload).to.equal(`${VERIFY_URL}?permit=${encodeURIComponent(permit)}&v=1&h=${dataHash}`);

      const decoded = await decodeQrOnPage(pdf, 1);
      expect(decoded).to.equal(qrPayload);
      const url = new URL(decoded!);
      expect(`${url.origin}${url.pathname}`).to.equal(VERIFY_URL);
      expect(url.searchParams.get("permit")).to.equal(permit);
      expect(url.searchParams.get("v")).to.equal("1");
      expect(url.searchParams.get("h")).to.equal(certificateDataHash(data));
    });

    it("embeds Sarabun regular and bold as subsets, shaped: Thai marks use the font's substitute glyphs", async () => {
      const fonts = embeddedTrueTypeFonts(rendered.pdf);
      expect(fonts.map((f) => f.baseFont.replace(/^[A-Z]{6}\+/, "")).sort()).to.deep.equal(["Sarabun-Bold", "Sarabun-Regular"]);
      for (const { baseFont } of fonts) expect(baseFont).to.match(/^[A-Z]{6}\+Sarabun-/);

      const original = openFontFile(SARABUN);
      const regular = fonts.find((f) => f.baseFont.endsWith("+Sarabun-Regular"))!.font;
      expect(regular.numGlyphs).to.be.greaterThan(30).and.lessThan(original.numGlyphs / 4);

      // In "ที่" the tone mark sits above SARA II (its ".small" form); in "ปั้" SARA AI HAN AKAT dodges
      // the ascender of ป (".narrow"). Only GSUB makes these glyphs: they are in the subset only if the
      // text was shaped, and plain cmap glyphs would stack the marks on top of each other.
      const outlines = new Set(Array.from({ length: regular.numGlyphs }, (_, id) => regular.getGlyph(id).path.toSVG()));
      const shaped = [...original.layout("ที่").glyphs, ...original.layout("ปั้").glyphs];
      const substitutes = shaped.filter((glyph) => /\.(small|narrow)$/.test(glyph.name));
      expect(substitutes.map((glyph) => glyph.name)).to.include.members(["uni0E48.small", "uni0E31.narrow"]);
      for (const glyph of substitutes) {
        expect(outlines.has(original.getGlyph(glyph.id).path.toSVG()), glyph.name).to.equal(true);
      }
    });

    it("carries the Thai and English text, holder and permit number included, as extractable text", () => {
      const data = certificate();
      const expected = [
        data.municipality.th,
        data.municipality.en,
        "ใบอนุญาต",
        "Permit Certificate",
        data.permitNumber,
        "ฉบับที่ 1 / version 1",
        data.permitType.th,
        data.permitType.en,
        data.holderName,
        data.parcel,
        data.description.th!,
        data.description.en!,
        "21 พฤศจิกายน 2569",
        "21 November 2026",
        "21 พฤศจิกายน 2570",
        "ขั้นตอนการอนุมัติ / Approval steps",
        "ENGINEER",
        "นายวิชัย ช่างดี",
        "MAYOR",
        "21 พ.ย. 2569 13:10 น.",
        "สแกนเพื่อตรวจสอบ / Scan to verify",
        VERIFY_URL,
        rendered.dataHash,
      ];
      // SARA AM (ำ) is drawn as NIKHAHIT + SARA AA and extracts as that pair, its NFKC form.
      const normalized = text.normalize("NFKC");
      for (const line of expected) expect(normalized, line).to.include(line.normalize("NFKC"));
      expect(text).not.to.include("ตำา");
    });

    it("keeps SARA AA in the extracted text when the first one the font drew came out of a SARA AM", async () => {
      // "ตำบลน้ำบ่อหลวง" has no SARA AA of its own: the bold font's first า is the half of an ำ.
      const data = { ...certificate(), municipality: { ...certificate().municipality, th: "ตำบลน้ำบ่อหลวง" } };
      const extracted = await extractText((await renderPermitCertificate(data, { verifyBaseUrl: VERIFY_URL })).pdf);
      expect(extracted).to.include("ใบอนุญาต");
      expect(extracted.normalize("NFKC")).to.include("ตำบลน้ำบ่อหลวง".normalize("NFKC"));
    });

    it("flows a long list of approvals onto a second page and keeps the QR code whole", async () => {
      const step = certificate().approvals[0];
      const data = { ...certificate(), approvals: Array.from({ length: 16 }, (_, i) => ({ ...step, role: `STEP_${i + 1}` })) };
      const { pdf, qrPayload } = await renderPermitCertificate(data, { verifyBaseUrl: VERIFY_URL });
      const doc = await openPdf(pdf);
      const pages = doc.numPages;
      await closePdf(doc);
      expect(pages).to.equal(2);
      const extracted = await extractText(pdf);
      for (let i = 1; i <= 16; i++) expect(extracted).to.include(`STEP_${i}`);
      expect(await decodeQrOnPage(pdf, pages)).to.equal(qrPayload);
    });
  });

  describe("embedded data", () => {
    it("round-trips: readCertificateData gives back the data, whose hash is the QR's", () => {
      const read = readCertificateData(rendered.pdf);
      expect(read).to.deep.equal(certificate());
      expect(certificateDataHash(read!)).to.equal(new URL(rendered.qrPayload).searchParams.get("h"));
    });

    it("is visible to any PDF reader as a document property holding the canonical JSON", async () => {
      const doc = await openPdf(rendered.pdf);
      const { info } = (await doc.getMetadata()) as { info: { Custom?: Map<string, string> } };
      await closePdf(doc);
      expect(info.Custom?.get(CERTIFICATE_INFO_KEY)).to.equal(canonicalCertificateJson(certificate()));
    });

    it("gives null for PDFs that are not ledger certificates, and for what is not a PDF", async () => {
      const other = new PDFDocument({ info: { Title: "Some other document", CreationDate: new Date(0) } });
      const chunks: Buffer[] = [];
      other.on("data", (chunk: Buffer) => chunks.push(chunk));
      const ended = new Promise((resolve) => other.on("end", resolve));
      other.text("Not a permit certificate.");
      other.end();
      await ended;
      expect(readCertificateData(new Uint8Array(Buffer.concat(chunks)))).to.equal(null);
      expect(readCertificateData(new Uint8Array())).to.equal(null);
      expect(readCertificateData(new TextEncoder().encode("plain text, not a PDF"))).to.equal(null);
      // Our key holding something that is not certificate data.
      const forged = Buffer.from(rendered.pdf).toString("latin1").replace(/(\/LedgerPermitCertificate\s+)(\d+)/, "$1999");
      expect(readCertificateData(new Uint8Array(Buffer.from(forged, "latin1")))).to.equal(null);
    });
  });

  describe("dates", () => {
    it("prints Thai dates in the Buddhist era and English dates in the common era, in Bangkok time", () => {
      expect(thaiDate("2026-11-21T07:05:00Z")).to.equal("21 พฤศจิกายน 2569");
      expect(englishDate("2026-11-21T07:05:00Z")).to.equal("21 November 2026");
      // 18:00 UTC on New Year's Eve is already 1 January in Thailand (UTC+7).
      expect(thaiDate("2026-12-31T18:00:00Z")).to.equal("1 มกราคม 2570");
      expect(thaiDateTimeShort("2026-11-21T06:10:00Z")).to.equal("21 พ.ย. 2569 13:10 น.");
      expect(() => thaiDate("not a date")).to.throw(RangeError);
    });
  });
});
