import { inflateSync } from "node:zlib";
import { createRequire } from "node:module";
import { createCanvas } from "@napi-rs/canvas";
import jsQRModule from "jsqr";
import { getDocument, type PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";

// jsqr is CommonJS: its module object is what node16 resolution types the default import as.
const jsQR = jsQRModule.default;

/** The little of fontkit (pdfkit's own font engine, untyped) these tests use. */
export interface FontFile {
  postscriptName: string;
  numGlyphs: number;
  glyphsForString(text: string): Array<{ id: number }>;
  layout(text: string): { glyphs: Array<{ id: number; name: string }> };
  getGlyph(id: number): { name: string; advanceWidth: number; path: { toSVG(): string } };
}
const fontkit = createRequire(import.meta.url)("fontkit") as {
  create(data: Buffer): FontFile;
  openSync(path: string): FontFile;
};
export const openFontFile = (path: string): FontFile => fontkit.openSync(path);

/**
 * Reading a certificate the way a checker would, with engines that know nothing of how it was made:
 * pdf.js parses the PDF, extracts its text and metadata and renders its pages to pixels (on
 * @napi-rs/canvas), jsQR reads the QR code from those pixels, fontkit opens the embedded font files.
 */
export async function openPdf(pdf: Uint8Array): Promise<PDFDocumentProxy> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  return getDocument({ data: pdf.slice(), verbosity: 0 }).promise;
}

/** Release pdf.js's worker-side state for the document. */
export async function closePdf(doc: PDFDocumentProxy): Promise<void> {
  await doc.loadingTask.destroy();
}

/** Every page's text as pdf.js extracts it, pieces joined, lines separated by "\n". */
export async function extractText(pdf: Uint8Array): Promise<string> {
  const doc = await openPdf(pdf);
  try {
    let text = "";
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const item of content.items) {
        if ("str" in item) text += item.str + (item.hasEOL ? "\n" : "");
      }
      text += "\n";
    }
    return text;
  } finally {
    await closePdf(doc);
  }
}

/** The QR code on page `pageNumber`, read back from the rendered page (null if none is found). */
export async function decodeQrOnPage(pdf: Uint8Array, pageNumber: number, scale = 2): Promise<string | null> {
  const doc = await openPdf(pdf);
  try {
    const page = await doc.getPage(pageNumber);
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(new Uint8ClampedArray(pixels.data), canvas.width, canvas.height)?.data ?? null;
  } finally {
    await closePdf(doc);
  }
}

/** The body of the last `n 0 obj … endobj` in the file, as latin1 text. */
function objectText(text: string, n: number): string {
  const matches = [...text.matchAll(new RegExp(`(?:^|\\s)${n} 0 obj([\\s\\S]*?)endobj`, "g"))];
  if (matches.length === 0) throw new Error(`object ${n} not found`);
  return matches[matches.length - 1][1];
}

/**
 * The TrueType fonts embedded in the PDF (FontFile2 streams), opened with fontkit, with the BaseFont
 * name of the descriptor that embeds each.
 */
export function embeddedTrueTypeFonts(pdf: Uint8Array): Array<{ baseFont: string; bytes: number; font: FontFile }> {
  const buffer = Buffer.from(pdf);
  const text = buffer.toString("latin1");
  const fonts: Array<{ baseFont: string; bytes: number; font: FontFile }> = [];
  for (const descriptor of text.matchAll(/\/FontName\s+\/([^\s/]+)[\s\S]*?\/FontFile2\s+(\d+)\s+0\s+R/g)) {
    const body = objectText(text, Number(descriptor[2]));
    const streamStart = text.indexOf("stream", text.indexOf(body)) + "stream".length;
    const dataStart = streamStart + (text[streamStart] === "\r" ? 2 : 1);
    const length = Number(body.match(/\/Length\s+(\d+)/)![1]);
    let data = buffer.subarray(dataStart, dataStart + length);
    if (/\/Filter\s+\/FlateDecode/.test(body)) data = inflateSync(data);
    fonts.push({ baseFont: descriptor[1], bytes: data.length, font: fontkit.create(data) });
  }
  return fonts;
}
