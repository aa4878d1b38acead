import { gzipSync } from "node:zlib";
import type { RawRequest } from "../rawHttp.js";
import type { FuzzCase, FuzzTargets } from "./cases.js";
import { flawedUpload, MULTIPART_FLAWS } from "./multipart.js";
import { BAD_ESCAPES, type SeededRandom } from "./random.js";

/**
 * Abuse below the routes' own checks, sent to a spread of routes: Content-Types and charsets the body
 * parsers may not read, Content-Encodings that are unknown or whose bytes do not decompress (or
 * decompress past the limit), multipart bodies broken in their framing or part headers on every
 * multipart route, malformed and oversized cookies, bad percent-escapes in paths and queries, request
 * lines and headers of any length, bodies that disagree with their framing, and methods from HEAD and
 * OPTIONS to ones no server knows.
 */
const FAMILIES = ["content type", "charset", "content encoding", "multipart", "cookie", "escape", "size", "framing", "method"] as const;

export function transportCases(targets: FuzzTargets, random: SeededRandom, count: number): FuzzCase[] {
  const make: Record<(typeof FAMILIES)[number], () => RawRequest> = {
    "content type": () => jsonWrite(targets, random, { contentType: random.pick(CONTENT_TYPES) }),
    charset: () => charset(targets, random),
    "content encoding": () => encoded(targets, random),
    multipart: () => multipart(targets, random),
    cookie: () => cookie(targets, random),
    escape: () => escape(targets, random),
    size: () => size(targets, random),
    framing: () => framing(targets, random),
    method: () => method(targets, random),
  };
  return Array.from({ length: count }, (_, i) => {
    const family = FAMILIES[i % FAMILIES.length];
    return { family: `transport: ${family}`, request: make[family]() };
  });
}

/** A permit application the demo town takes (its applicant is made up). */
export const PERMIT_APPLICATION = JSON.stringify({
  municipalityId: 1,
  type: "BUILDING",
  parcel: "Title deed 4711, Mae Hia",
  description: { th: "โรงรถ", en: "Carport" },
  applicant: { name: "Fuzz Applicant", nationalId: "1-5099-00999-99-9", phone: "081-000-0000", address: "1 Soi Fuzz, Mae Hia" },
});

const CONTENT_TYPES = [
  "",
  "application/json",
  "APPLICATION/JSON",
  "application/json;;",
  "application/json; boundary=x",
  "application/*",
  "*/*",
  "application/vnd.api+json",
  "text/json",
  "a/b/c",
  "json",
  "application/json\t",
  `application/${"j".repeat(3000)}`,
  "application/x-www-form-urlencoded",
  "text/plain; charset=utf-8",
  "application/xml",
  "multipart/form-data",
  "multipart/mixed; boundary=abc",
];

/** Routes that read a JSON (or form) body, with a body each accepts the shape of. */
function jsonRoute(targets: FuzzTargets, random: SeededRandom): { path: string; body: unknown; cookie?: boolean } {
  return random.pick([
    { path: "/api/complaints", body: { municipalityId: 1, service_code: "ROAD", lat: 18.74, long: 98.96, description: "transport fuzz", attribute: { hazard: "low" } } },
    { path: "/api/auth/sign-in", body: { message: "x", signature: "0x" } },
    { path: "/api/funds/receipts/verify", body: { receipt: {} } },
    { path: "/open311/v2/requests.json", body: { jurisdiction_id: targets.jurisdiction, api_key: targets.apiKey, service_code: "ROAD" } },
    { path: "/open311/v2/requests.xml", body: { jurisdiction_id: targets.jurisdiction } },
    { path: `/api/permits/${encodeURIComponent(targets.permitNumber)}/complete`, body: { nonce: "1", deadline: "1", signature: "0x" }, cookie: true },
    { path: "/api/complaints/track/confirm", body: {} },
    { path: "/api/municipalities/plan", body: { municipalityId: 1 } },
  ]);
}

function jsonWrite(targets: FuzzTargets, random: SeededRandom, options: { contentType?: string; body?: Buffer; headers?: Array<[string, string]> }): RawRequest {
  const route = jsonRoute(targets, random);
  const headers: Array<[string, string]> = [...(options.headers ?? [])];
  if (options.contentType !== "") headers.push(["Content-Type", options.contentType ?? "application/json"]);
  if (route.cookie) headers.push(["Cookie", random.pick(targets.officerCookies)]);
  if (route.path.startsWith("/api/complaints/track")) headers.push(["x-tracking-code", targets.trackingCode]);
  return { method: "POST", target: route.path, headers, body: options.body ?? Buffer.from(JSON.stringify(route.body)) };
}

function charset(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const name = random.pick(["utf-8", "UTF-8", "utf8", "latin1", "iso-8859-1", "utf-16le", "utf-16", "", '"utf-8"', "utf-32", "ascii", "koi8-r", "x-klingon", "utf-8; charset=latin1"]);
  const type = random.pick(["application/json", "application/x-www-form-urlencoded", "text/plain"]);
  const request = jsonWrite(targets, random, { contentType: `${type}; charset=${name}` });
  if (name.startsWith("utf-16") && request.body) request.body = Buffer.from(request.body.toString("utf8"), "utf16le");
  return request;
}

function encoded(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const json = Buffer.from(JSON.stringify({ municipalityId: 1, service_code: "ROAD" }));
  const garbage = Buffer.from(Array.from({ length: 1 + random.int(200) }, () => random.int(256)));
  const [encoding, body] = random.pick<[string, Buffer]>([
    ["gzip", gzipSync(json)],
    ["gzip", garbage],
    ["gzip", gzipSync(json).subarray(0, 12)],
    ["deflate", garbage],
    ["br", garbage],
    ["zstd", garbage],
    ["identity", json],
    ["x-gzip", gzipSync(json)],
    ["GZIP", gzipSync(json)],
    ["gzip, gzip", gzipSync(gzipSync(json))],
    ["compress", json],
    ["unknown", json],
    ["", json],
    // A small body that inflates past every body limit.
    ["gzip", gzipSync(Buffer.alloc(3 * 1024 * 1024, 0x20))],
  ]);
  if (random.chance(0.25)) {
    // The same encodings on an upload route that Express answers (the fast path leaves encoded bodies to it).
    const upload = flawedUpload("none", random.pick(targets.signedUploads), random.int(2 ** 31));
    return { method: "POST", target: random.pick(["/api/documents", "/api/verify", "/api/documents/batch"]), headers: [["Content-Type", upload.contentType], ["Content-Encoding", encoding]], body: random.chance(0.5) ? gzipSync(upload.body) : upload.body };
  }
  return jsonWrite(targets, random, { body, headers: [["Content-Encoding", encoding]] });
}

function multipart(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const upload = random.pick(targets.signedUploads);
  const route = random.pick([
    { path: "/api/documents/batch" },
    { path: "/api/verify" },
    { path: "/api/permits", fields: [["application", PERMIT_APPLICATION]] as Array<[string, string]> },
    { path: `/api/permits/${encodeURIComponent(targets.permitNumber)}/documents`, cookie: true },
    { path: "/api/complaints", fileField: "photo", fields: [["municipalityId", "1"], ["service_code", "ROAD"], ["lat", "18.74"], ["long", "98.96"]] as Array<[string, string]> },
    { path: `/api/complaints/${targets.complaintId}/resolve`, cookie: true },
    { path: "/api/funds/campaigns/transaction", cookie: true },
  ]);
  const { contentType, body } = flawedUpload(random.pick(MULTIPART_FLAWS), { ...upload, fileField: route.fileField, fields: route.fields }, random.int(2 ** 31));
  const headers: Array<[string, string]> = [["Content-Type", contentType]];
  if (route.cookie) headers.push(["Cookie", random.pick(targets.officerCookies)]);
  return { method: "POST", target: route.path, headers, body };
}

function cookie(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const value = random.pick([
    "ledger_session=%E0%A4%A",
    "ledger_session=%zz",
    "ledger_session=%",
    "ledger_session=",
    "ledger_session",
    "=;=;",
    ";;;;",
    `${random.pick(targets.officerCookies)}; ledger_session=%zz`,
    "ledger_session=%zz; ledger_session=ok",
    'ledger_session="quoted value"',
    `ledger_session=${"A".repeat(9000)}`,
    `ledger_session=${"B".repeat(20_000)}`,
    Array.from({ length: 1500 }, (_, i) => `c${i}=${i}`).join("; "),
    "ledger_session=caf\u00e9",
    "__proto__=1; constructor=2",
  ]);
  const target = random.pick([
    "/api/auth/session",
    `/api/permits/${encodeURIComponent(targets.permitNumber)}/private`,
    `/api/complaints?municipality=${targets.municipalityId}`,
    "/api/auth/sign-out",
    "/api/permits/queue",
    `/api/complaints/${targets.complaintId}`,
    "/api/health",
  ]);
  return { method: target === "/api/auth/sign-out" ? "POST" : "GET", target, headers: [["Cookie", value]] };
}

function escape(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const bad = random.pick(BAD_ESCAPES);
  const target = random
    .pick([
      "/api/permits/BAD",
      "/api/verify?sha256=BAD",
      "/api/verify/?sha256=BAD",
      "/api/proofs/BAD",
      "/ipfs/BAD",
      "/api/records/BAD",
      "/open311/v2/requests/BAD.json",
      "/open311/v2/BAD.xml",
      "/open311/v2/requests.json?jurisdiction_id=BAD",
      "/BAD",
      "/api/BAD/x",
      "/api/complaints/track?x=BAD",
      "/api/audit/export?municipality=BAD&format=csv",
      "/api/complaints/form?BAD=1",
      "/api/dashboards/BAD",
      "/api/funds/campaigns/BAD",
      "/api/municipalities/BAD",
      "/api/documents/BAD/revocation",
    ])
    .replace("BAD", bad);
  const post = target.includes("revocation");
  return { method: post ? "POST" : "GET", target, headers: post ? [["Content-Type", "application/json"]] : [], body: post ? Buffer.from("{}") : undefined };
}

function size(targets: FuzzTargets, random: SeededRandom): RawRequest {
  switch (random.int(7)) {
    case 0:
      return { method: "GET", target: `/api/permits/${"9".repeat(random.pick([2_000, 8_000, 20_000]))}`, headers: [] };
    case 1:
      return { method: "GET", target: `/api/verify?sha256=0x${"a".repeat(64)}&${Array.from({ length: random.pick([500, 1_500, 3_000]), }, (_, i) => `q${i}=${i}`).join("&")}`, headers: [] };
    case 2:
      return { method: "GET", target: "/api/health", headers: [["X-Long", "v".repeat(random.pick([4_000, 12_000, 20_000]))]] };
    case 3:
      return { method: "GET", target: "/api/municipalities", headers: Array.from({ length: random.pick([100, 1_000, 2_500]) }, (_, i) => [`X-H${i}`, "1"] as [string, string]) };
    case 4:
      return { method: "GET", target: `/api/complaints/track`, headers: [["x-tracking-code", "T".repeat(random.pick([17, 5_000, 15_000]))]] };
    case 5:
      return jsonWrite(targets, random, { body: Buffer.from(JSON.stringify({ pad: "p".repeat(random.pick([900_000, 1_100_000, 3_000_000])) })) });
    default:
      return { method: "GET", target: `/open311/v2/requests.json?jurisdiction_id=${targets.jurisdiction}&service_request_id=${Array.from({ length: 2_000 }, () => `0x${random.hex(64)}`).join(",")}`, headers: [] };
  }
}

function framing(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const body = Buffer.from(JSON.stringify({ municipalityId: 1, service_code: "ROAD" }));
  const json: Array<[string, string]> = [["Content-Type", "application/json"]];
  switch (random.int(11)) {
    case 9:
      return { method: "GET", target: random.pick(["/api/health", "/open311/v2/discovery.json"]), headers: [], withoutHost: true };
    case 10:
      return { method: "GET", target: "/api/municipalities", headers: [], version: random.pick(["HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "HTTPS/1.1", ""]) };
    case 0:
      return { method: "POST", target: "/api/complaints", headers: [...json, ["Content-Length", String(body.length - 5)]], body };
    case 1:
      return { method: "POST", target: "/api/complaints", headers: [...json, ["Content-Length", "abc"]], body };
    case 2:
      return { method: "POST", target: "/api/complaints", headers: [...json, ["Content-Length", String(body.length)], ["Content-Length", String(body.length + 1)]], body };
    case 3:
      return { method: "POST", target: "/api/complaints", headers: [...json, ["Transfer-Encoding", "chunked"]], body: Buffer.from(`${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`) };
    case 4:
      return { method: "POST", target: "/api/complaints", headers: [...json, ["Transfer-Encoding", "chunked"]], body: Buffer.from("zz\r\nnot a chunk\r\n0\r\n\r\n") };
    case 5:
      return { method: "GET", target: random.pick(["http://evil.example/api/health", "*", "api/health", "//api//health", "/api/health#frag", "/api/./health/../health"]), headers: [] };
    case 6:
      return { method: "GET", target: "/api/health", headers: [["Host", random.pick(["", "evil.example", "a".repeat(5000), "[::1", "localhost:99999"])]] };
    case 7:
      return { method: "GET", target: `/api/verify?sha256=0x${"a".repeat(64)}`, headers: [["If-None-Match", random.pick(["*", '"x"', "W/", ""])], ["Range", random.pick(["bytes=0-0", "bytes=x", "bytes=-1", "bytes=99999999999-"])]] };
    default:
      return { method: "GET", target: `/ipfs/${targets.knownCid}`, headers: [["Range", random.pick(["bytes=0-0", "bytes=abc", "bytes=5-1", "bytes=-0", "bytes=0-1,2-3,4-5", `bytes=${"9".repeat(30)}-`, "items=0-1"])]] };
  }
}

function method(targets: FuzzTargets, random: SeededRandom): RawRequest {
  const target = random.pick([
    "/api/health",
    `/api/verify?sha256=${targets.knownSha256}`,
    `/api/proofs/${targets.knownSha256}`,
    "/api/documents",
    "/api/complaints",
    "/open311/v2/requests.json",
    "/open311/v2/discovery.xml",
    `/ipfs/${targets.knownCid}`,
    "/openapi.json",
    "/",
  ]);
  const verb = random.pick(["HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "PATCH", "PROPFIND", "PURGE", "LINK", "MKCOL", "SEARCH", "QUERY", "FOO", "GETT", "get", "M-SEARCH", "CONNECT"]);
  if (verb === "CONNECT") return { method: verb, target: random.pick(["localhost:443", "evil.example:25", target]), headers: [] };
  return { method: verb, target, headers: verb === "OPTIONS" ? [["Access-Control-Request-Method", "POST"], ["Origin", "http://evil.example"]] : [] };
}
