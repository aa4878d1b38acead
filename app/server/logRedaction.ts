import type { SerializedError, SerializedRequest, SerializedResponse } from "pino";

/**
 * What a log line may say, at any level: no cookie or set-cookie (officers' sessions), no
 * x-tracking-code (a resident's only credential), no authorization, no api_key, no body, and no query
 * value that could be one of those or a person's datum (Open311 takes every field in the query string
 * too). Request lines keep the method, the path, the query's names with the values of a few known
 * public parameters, the status and the time; the docs promise that tracking codes are stored nowhere,
 * and a log is somewhere. docs/operator-guide.md says what operators will and will not find.
 */

/** Query parameters whose values are public (hashes, ids, filters, formats): kept in the log. */
const PUBLIC_QUERY_NAMES = new Set([
  "sha256", "cid", "permit", "v", "h", "lang", "town", "format", "extensions", "check",
  "municipality", "municipalityId", "jurisdiction_id", "service_code", "service_request_id", "status", "category",
  "area", "page", "pageSize", "page_size", "from", "to", "start_date", "end_date", "outcome", "duplicateOf",
  "reasonHash", "reasonCode", "noteHash", "evidenceHash", "amount",
]);
const NAME_SHAPE = /^[A-Za-z_][\w.[\]-]{0,40}$/;
const REDACTED = "[redacted]";

/**
 * The request URL as a log line may show it: the path, and per query parameter its value if the name is
 * a public one, else `name=[redacted]` (or `[redacted]` alone when even the name looks like data).
 */
export function loggedUrl(url: string | undefined): string {
  if (!url) return "";
  const query = url.indexOf("?");
  if (query < 0) return url;
  const params = url
    .slice(query + 1)
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const name = equals < 0 ? pair : pair.slice(0, equals);
      if (PUBLIC_QUERY_NAMES.has(name)) return pair;
      return NAME_SHAPE.test(name) ? `${name}=${REDACTED}` : REDACTED;
    });
  return `${url.slice(0, query)}?${params.join("&")}`;
}

/**
 * A chain node's or an IPFS node's address as a log line or a public answer may show it: scheme, host
 * and port. Hosted RPC providers put their API key in the path (…/v3/KEY) and some nodes take
 * user:password@ — both stay out.
 */
export function urlForLog(url: string | undefined): string {
  if (!url) return "";
  try {
    const parsed = new URL(url);
    const rest = parsed.pathname !== "/" || parsed.search !== "" ? "/…" : "";
    return `${parsed.protocol}//${parsed.host}${rest}`;
  } catch {
    return REDACTED;
  }
}

/**
 * pino serializers for the service's logger and pino-http: a request is its id, method and loggedUrl (no
 * headers, no remote address: a person's IP address is personal data); a response is its status (no
 * set-cookie); an error is its type, code, message and stack, never the other fields libraries attach
 * to errors (body-parser's `body`, a failed call's request).
 */
export const LOG_SERIALIZERS = {
  req: (req: SerializedRequest | { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: loggedUrl(req.url) }),
  res: (res: SerializedResponse | { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: (err: SerializedError | Error) => {
    const error = err as { type?: string; name?: string; code?: unknown; message?: string; stack?: string };
    return { type: error.type ?? error.name, code: error.code, message: error.message, stack: error.stack };
  },
};
