import { Router } from "express";
import { AppError } from "../errors.js";
import { parseCid } from "../http/validation.js";
import { IpfsNotFoundError, type IpfsStore } from "../ipfs/types.js";

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` of a file of `size` bytes → [start, end] inclusive, or null. */
export function parseRange(header: string, size: number): [number, number] | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start: number;
  let end: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? [start, end] : null;
}

/**
 * A read-only gateway to the stored public documents. Content is addressed by its hash, so it never
 * changes under a CID: answers are cacheable forever.
 */
export function ipfsGatewayRoutes(deps: { ipfs: IpfsStore }): Router {
  const router = Router();
  router.get("/ipfs/:cid", async (req, res) => {
    const cid = parseCid(req.params.cid);
    let size: number;
    try {
      size = await deps.ipfs.size(cid);
    } catch (error) {
      if (error instanceof IpfsNotFoundError) throw new AppError("CONTENT_NOT_FOUND");
      throw error;
    }
    res.setHeader("Accept-Ranges", "bytes");
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("ETag", `"${cid}"`);
    res.setHeader("Content-Type", "application/octet-stream");
    res.setHeader("X-Content-Type-Options", "nosniff");
    let offset = 0;
    let length = size;
    const range = req.headers.range;
    if (range) {
      const bounds = parseRange(range, size);
      if (!bounds) {
        res.setHeader("Content-Range", `bytes */${size}`);
        throw new AppError("RANGE_NOT_SATISFIABLE");
      }
      [offset, length] = [bounds[0], bounds[1] - bounds[0] + 1];
      res.status(206).setHeader("Content-Range", `bytes ${bounds[0]}-${bounds[1]}/${size}`);
    }
    res.setHeader("Content-Length", String(length));
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    for await (const chunk of deps.ipfs.cat(cid, { offset, length })) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  });
  return router;
}
