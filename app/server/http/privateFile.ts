import type { Response } from "express";

/** Media types passed on as the uploader named them: none a browser would run on this origin. */
const HARMLESS = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/;

/**
 * Sends an opened sealed file (a permit's document, a complaint's evidence or photo) to the one person
 * allowed to read it: never cached, always a download, and with the uploader's media type only when it
 * is harmless (never HTML on our origin), so nothing uploaded can run as our site.
 */
export function sendPrivateFile(res: Response, file: { bytes: Uint8Array; filename: string | null; mediaType: string | null; sha256: string }): void {
  const filename = (file.filename ?? `${file.sha256.replace(/^0x/, "").slice(0, 12)}.bin`).replace(/[^\w.\- ]/g, "_");
  res
    .set("cache-control", "no-store")
    .set("x-content-type-options", "nosniff")
    .set("content-disposition", `attachment; filename="${filename}"`)
    .type(file.mediaType && HARMLESS.test(file.mediaType) ? file.mediaType : "application/octet-stream")
    .send(Buffer.from(file.bytes));
}
