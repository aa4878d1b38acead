import QRCode from "qrcode";

/**
 * The QR code drawn as vector squares in the PDF: sharp at any print size, and the same bytes every time
 * (no raster image, no encoder settings to drift). Level M survives a crease or a stain on paper.
 */
const QUIET_ZONE_MODULES = 4;

/** Draw `payload` as a QR code whose outer square (quiet zone included) is `size` points wide at (x, y). */
export function drawQrCode(doc: PDFKit.PDFDocument, payload: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: "M" });
  const count = modules.size;
  const unit = size / (count + 2 * QUIET_ZONE_MODULES);
  const origin = QUIET_ZONE_MODULES * unit;
  doc.save();
  doc.rect(x, y, size, size).fill("#ffffff");
  for (let row = 0; row < count; row++) {
    // One rectangle per run of dark modules in a row: fewer path operators, the same picture.
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      doc.rect(x + origin + start * unit, y + origin + row * unit, (col - start) * unit, unit);
    }
  }
  doc.fill("#000000");
  doc.restore();
}
