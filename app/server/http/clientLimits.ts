import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { AppError } from "../errors.js";
import { clientKeyOf, trustFunctionOf, type TrustFunction, type TrustProxy } from "./clientKey.js";

/**
 * What one client may send to the public writes per minute (uploads, applications, complaints, Open311
 * requests, confirmations, admins' relayed calls): requests, files and bytes, each counted on its own,
 * for the Express routes and the fast upload path alike (http/fastUpload.ts calls the same methods).
 *
 * A request is counted when it arrives, with the bytes its Content-Length declares: a client over a
 * limit is refused before its body is read (429 with Retry-After). Files are counted once the body is
 * parsed (countFiles), all of an upload's at once: an upload with more files than the client has left is
 * refused whole. A body without a Content-Length is counted as it streams in. Refused requests count
 * too: hammering a limit does not make it open sooner. Windows are fixed minutes per client, as
 * express-rate-limit's (which counts requests only, so it cannot be the one counter here).
 */
export interface ClientLimitSettings {
  /** Each per client and minute; 0: that kind is not limited. */
  requestsPerMinute: number;
  filesPerMinute: number;
  bytesPerMinute: number;
  /** TRUST_PROXY: whose X-Forwarded-For names the client (http/clientKey.ts). */
  trustProxy: TrustProxy;
}

export const NO_CLIENT_LIMITS: ClientLimitSettings = { requestsPerMinute: 0, filesPerMinute: 0, bytesPerMinute: 0, trustProxy: false };

const WINDOW_MS = 60_000;

interface Usage {
  resetAt: number;
  requests: number;
  files: number;
  bytes: number;
}

/** One kind limited: its name in the RateLimit headers, its quota a minute, and what a client has used of it. */
interface Quota {
  name: string;
  quota: number;
  unit?: string;
  used: (usage: Usage) => number;
}

/** The usage each request in progress was counted under: countFiles finds it from the request alone. */
const countedUnder = new WeakMap<IncomingMessage, { limits: ClientLimits; usage: Usage }>();

export class ClientLimits {
  readonly settings: ClientLimitSettings;
  /** What Express's `trust proxy` is set to, so that `req.ip` names the client this class counts. */
  readonly trust: TrustFunction;
  /** Whether any kind is limited: without, admit counts nothing. */
  readonly enabled: boolean;
  readonly #now: () => number;
  readonly #usage = new Map<string, Usage>();
  /** The kinds limited (settings do not change): read by every answer's RateLimit header. */
  readonly #quotas: Quota[];
  readonly #policy: string;
  #sweepAt = 0;

  constructor(settings: ClientLimitSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.trust = trustFunctionOf(settings.trustProxy);
    this.#now = now;
    const { requestsPerMinute, filesPerMinute, bytesPerMinute } = settings;
    this.#quotas = [
      ...(requestsPerMinute > 0 ? [{ name: `${requestsPerMinute}-in-1min`, quota: requestsPerMinute, used: (u: Usage) => u.requests }] : []),
      ...(filesPerMinute > 0 ? [{ name: `${filesPerMinute}-files-in-1min`, quota: filesPerMinute, used: (u: Usage) => u.files }] : []),
      ...(bytesPerMinute > 0 ? [{ name: `${bytesPerMinute}-bytes-in-1min`, quota: bytesPerMinute, unit: "content-bytes", used: (u: Usage) => u.bytes }] : []),
    ];
    this.enabled = this.#quotas.length > 0;
    this.#policy = this.#quotas
      .map(({ name, quota, unit }) => `"${name}"; q=${quota}; w=${WINDOW_MS / 1000}${unit ? `; qu="${unit}"` : ""}`)
      .join(", ");
  }

  /** Express's middleware for a public write: admit, or answer 429 through the app's error handler. */
  readonly writes: RequestHandler = (req, res, next) => {
    try {
      this.admit(req, res);
    } catch (error) {
      next(error);
      return;
    }
    next();
  };

  /**
   * Counts a request and the bytes it declares for its client; throws RATE_LIMITED or RATE_LIMITED_BYTES
   * (with Retry-After set on `res`) when the client is over a limit. Sets the RateLimit headers
   * (draft-ietf-httpapi-ratelimit-headers-08) either way.
   */
  admit(req: IncomingMessage, res: ServerResponse): void {
    if (!this.enabled) return;
    const now = this.#now();
    this.#sweep(now);
    const usage = this.#usageOf(clientKeyOf(req, this.trust), now);
    countedUnder.set(req, { limits: this, usage });
    usage.requests++;
    const { requestsPerMinute, bytesPerMinute } = this.settings;
    try {
      if (requestsPerMinute > 0 && usage.requests > requestsPerMinute) throw new AppError("RATE_LIMITED");
      const declared = Number(req.headers["content-length"]);
      if (Number.isSafeInteger(declared) && declared >= 0) {
        if (bytesPerMinute > 0 && usage.bytes + declared > bytesPerMinute) throw new AppError("RATE_LIMITED_BYTES");
        usage.bytes += declared;
      } else if (bytesPerMinute > 0 && req.headers["transfer-encoding"] !== undefined) {
        if (usage.bytes >= bytesPerMinute) throw new AppError("RATE_LIMITED_BYTES");
        req.on("data", (chunk: Buffer) => (usage.bytes += chunk.length));
      }
    } catch (error) {
      this.#refuse(res, usage, now);
      throw error;
    } finally {
      this.#headers(res, usage, now);
    }
  }

  /** Counts `count` files of an admitted request; throws RATE_LIMITED_FILES (nothing counted) when they are more than its client has left. */
  countFiles(req: IncomingMessage, res: ServerResponse, count: number): void {
    const counted = countedUnder.get(req);
    const cap = this.settings.filesPerMinute;
    if (!counted || cap === 0 || count === 0) return;
    const { usage } = counted;
    const now = this.#now();
    this.#roll(usage, now);
    if (usage.files + count > cap) {
      this.#refuse(res, usage, now);
      this.#headers(res, usage, now);
      throw new AppError("RATE_LIMITED_FILES", `This upload has ${count} file${count === 1 ? "" : "s"}; this client may send ${Math.max(cap - usage.files, 0)} more this minute (at most ${cap}). Nothing was accepted.`);
    }
    usage.files += count;
    this.#headers(res, usage, now);
  }

  #headers(res: ServerResponse, usage: Usage, now: number): void {
    if (res.headersSent) return;
    const seconds = secondsUntil(usage.resetAt, now);
    res.setHeader("RateLimit-Policy", this.#policy);
    res.setHeader(
      "RateLimit",
      this.#quotas
        .map(({ name, quota, used }) => `"${name}"; r=${Math.max(quota - used(usage), 0)}; t=${seconds}`)
        .join(", "),
    );
  }

  #refuse(res: ServerResponse, usage: Usage, now: number): void {
    if (!res.headersSent) res.setHeader("Retry-After", String(secondsUntil(usage.resetAt, now)));
  }

  #usageOf(key: string, now: number): Usage {
    let usage = this.#usage.get(key);
    if (!usage) {
      usage = { resetAt: now + WINDOW_MS, requests: 0, files: 0, bytes: 0 };
      this.#usage.set(key, usage);
    } else this.#roll(usage, now);
    return usage;
  }

  /** A client's next minute starts from nothing. */
  #roll(usage: Usage, now: number): void {
    if (now < usage.resetAt) return;
    usage.resetAt = now + WINDOW_MS;
    usage.requests = usage.files = usage.bytes = 0;
  }

  /** Once a minute, clients whose minute has passed are forgotten: the map holds the last minute's clients only. */
  #sweep(now: number): void {
    if (now < this.#sweepAt) return;
    this.#sweepAt = now + WINDOW_MS;
    for (const [key, usage] of this.#usage) if (usage.resetAt <= now) this.#usage.delete(key);
  }
}

/**
 * Express's middleware after a multipart parser (multer): counts the files it parsed against the
 * client's limit, under the usage the request was admitted with. A route not behind `writes` counts nothing.
 */
export const countFiles: RequestHandler = (req, res, next) => {
  const counted = countedUnder.get(req);
  if (!counted) return next();
  const files = Array.isArray(req.files) ? req.files.length : req.files ? Object.values(req.files).flat().length : req.file ? 1 : 0;
  try {
    counted.limits.countFiles(req, res, files);
  } catch (error) {
    next(error);
    return;
  }
  next();
};

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
