/**
 * Makes the Thai text of the PDF come back out as text (copy, search, screen readers).
 *
 * Sarabun's `ccmp` splits SARA AM (ำ, U+0E33) into NIKHAHIT (ํ) + SARA AA (า) so tone marks can sit
 * between them (น้ำ). fontkit then tags the nikhahit glyph with U+0E33 and the sara aa glyph with no
 * code point at all, and pdfkit writes each glyph's first tags into the ToUnicode map. So "ตำบล" would
 * extract as "ตำาบล", and if the first sara aa of the document came from a SARA AM, every า would
 * vanish from the extracted text. Here, before the fonts are written, a glyph tagged with nothing or with
 * SARA AM is mapped from the font's own cmap (nikhahit → U+0E4D, sara aa → U+0E32), and a ligature
 * holding SARA AM (tone mark + nikhahit) gets U+0E4D in its place. Extracted text then equals the
 * NFKC form of what was written (ำ decomposes to ํ + า under NFKC), which looks the same and which
 * search tools normalise to.
 *
 * This reaches into pdfkit's embedded-font objects (`_fontFamilies`, `unicode`, `subset.glyphs`); the
 * certificate tests extract the text with pdf.js and fail if a pdfkit update changes them.
 */
const SARA_AM = 0x0e33;
const NIKHAHIT = 0x0e4d;
const THAI_FIRST = 0x0e01;
const THAI_LAST = 0x0e5b;

interface EmbeddedFontInternals {
  unicode?: number[][];
  subset?: { glyphs: number[] };
  font?: { glyphForCodePoint(codePoint: number): { id: number } };
}

/** The Thai code points the font's cmap maps to glyph `id` (SARA AM's pieces are Thai characters). */
function thaiCodePointsOf(fontFile: NonNullable<EmbeddedFontInternals["font"]>, id: number): number[] {
  const found: number[] = [];
  for (let codePoint = THAI_FIRST; codePoint <= THAI_LAST; codePoint++) {
    if (codePoint !== SARA_AM && fontFile.glyphForCodePoint(codePoint).id === id) found.push(codePoint);
  }
  return found;
}

export function repairThaiToUnicode(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, EmbeddedFontInternals> })._fontFamilies ?? {};
  for (const font of Object.values(families)) {
    const { unicode, subset, font: fontFile } = font;
    if (!unicode || !subset || !fontFile) continue;
    unicode.forEach((codePoints, gid) => {
      if (codePoints.length > 0 && !codePoints.includes(SARA_AM)) return;
      const fromCmap = thaiCodePointsOf(fontFile, subset.glyphs[gid]);
      unicode[gid] =
        fromCmap.length > 0 ? fromCmap : codePoints.map((codePoint) => (codePoint === SARA_AM ? NIKHAHIT : codePoint));
    });
  }
}
