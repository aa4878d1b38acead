import type { RawRequest } from "../rawHttp.js";
import type { FuzzCase, FuzzTargets } from "./cases.js";
import { flawedUpload, MULTIPART_FLAWS } from "./multipart.js";
import { BAD_ESCAPES, deeplyNested, HOSTILE_TEXTS, hostileJson, type SeededRandom } from "./random.js";

/**
 * Malformed requests for every operation of /openapi.json: each case gives one or two parameters a
 * hostile value (wrong type, empty, huge, a bad enum value, a bad percent-escape), leaves out a required
 * one, or sends a body of the wrong shape, with every other value one the route accepts, so the case
 * reaches the check it aims at. Each path is also asked with methods it does not declare. Routes the
 * document does not list (sign-in, towns, document revocations) are added as operations of their own.
 */
interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: { enum?: string[]; type?: string };
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  enum?: unknown[];
  pattern?: string;
  items?: Schema;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ["get", "post", "put", "delete", "patch"] as const;

/** The routes /openapi.json leaves out, with the shapes of their bodies. */
const UNLISTED: Record<string, Record<string, Operation>> = {
  "/api/auth/nonce": { get: {} },
  "/api/auth/sign-in": { post: jsonBody({ required: ["message", "signature"], properties: { message: { type: "string" }, signature: { type: "string" } } }) },
  "/api/auth/session": { get: {} },
  "/api/auth/sign-out": { post: {} },
  "/api/municipalities": { get: {} },
  "/api/municipalities/{id}": { get: { parameters: [{ name: "id", in: "path", required: true }] } },
  "/api/municipalities/{id}/profile": { put: { parameters: [{ name: "id", in: "path", required: true }], requestBody: { content: { "application/json": { schema: { type: "object" } } } } } },
  "/api/municipalities/plan": { post: jsonBody({ properties: { municipalityId: { type: "integer" }, profile: { type: "object" } } }) },
  "/api/municipalities/admin-transactions": { post: jsonBody({ required: ["signedTransaction"], properties: { signedTransaction: { type: "string" } } }) },
  "/api/documents/{sha256}/revocation": {
    post: { parameters: [{ name: "sha256", in: "path", required: true }], ...jsonBody({ properties: { reason: { type: "string" }, signature: { type: "string" }, deadline: { type: "integer" } } }) },
  },
};

function jsonBody(schema: Schema): Operation {
  return { requestBody: { content: { "application/json": { schema: { type: "object", ...schema } } } } };
}

export function openApiCases(document: OpenApiDocument, targets: FuzzTargets, random: SeededRandom, perOperation: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const paths = { ...document.paths, ...UNLISTED };
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method as (typeof METHODS)[number])) continue;
      for (let i = 0; i < perOperation; i++) cases.push(operationCase(path, method.toUpperCase(), operation, targets, random));
    }
    // Methods the path does not declare: 404 (or 405) in the error shape, never a 5xx.
    const others = METHODS.filter((method) => !(method in operations));
    for (const method of [random.pick(others), random.pick(others)]) {
      if (!method) continue;
      cases.push({ family: "openapi: undeclared method", request: { method: method.toUpperCase(), target: fillPath(path, {}, targets, random), headers: [], body: method === "get" ? undefined : Buffer.from("{}") } });
    }
  }
  return cases;
}

function operationCase(path: string, method: string, operation: Operation, targets: FuzzTargets, random: SeededRandom): FuzzCase {
  const parameters = [...(operation.parameters ?? []), ...undeclaredPathParameters(path, operation)];
  // Which parameter (or the body) this case spoils; the others keep values the route accepts.
  const spoilable = parameters.length + (operation.requestBody || method !== "GET" ? 1 : 0);
  const spoiled = random.int(Math.max(spoilable, 1));
  const alsoSpoiled = random.chance(0.2) ? random.int(Math.max(spoilable, 1)) : -1;
  const values: Record<string, string | undefined> = {};
  const query: Array<[string, string]> = [];
  const headers: Array<[string, string]> = [];
  parameters.forEach((parameter, index) => {
    const bad = index === spoiled || index === alsoSpoiled;
    const value = bad ? hostileParameter(random) : encodeURIComponent(goodValue(parameter.name, path, targets, random, parameter.schema?.enum));
    if (parameter.in === "path") values[parameter.name] = value;
    else if (parameter.in === "query") {
      if (bad && random.chance(0.2)) return; // a required one left out
      if (!bad && !parameter.required && random.chance(0.5)) return;
      query.push([parameter.name, value ?? ""]);
      if (bad && random.chance(0.15)) query.push([parameter.name, value ?? ""]); // given twice: an array to the route
    } else if (parameter.in === "header") {
      if (value !== undefined) headers.push([parameter.name, bad ? headerSafe(decodeOrKeep(value)) : decodeOrKeep(value)]);
    }
  });
  if (random.chance(0.1)) query.push([random.pick(["extra", "a[b]", "__proto__", "x"]), random.pick(["1", "%zz", ""])]);
  // Behind the sign-in most checks are reached only with a session; signing out would end it for all.
  if (random.chance(0.6) && path !== "/api/auth/sign-out") headers.push(["Cookie", random.pick(targets.officerCookies)]);
  const bodySpoiled = spoiled === parameters.length || alsoSpoiled === parameters.length;
  const body = bodyOf(method, operation, bodySpoiled, targets, random);
  const request: RawRequest = {
    method,
    target: `${fillPath(path, values, targets, random)}${query.length ? `?${query.map(([n, v]) => `${n}=${v}`).join("&")}` : ""}`,
    headers: [...headers, ...(body ? [["Content-Type", body.contentType] as [string, string]] : [])],
    body: body?.bytes,
  };
  return { family: `openapi: ${bodySpoiled ? "body" : "parameters"}`, request };
}

/** Path parameters the document does not declare (a milestone's `index`). */
function undeclaredPathParameters(path: string, operation: Operation): Parameter[] {
  const declared = new Set((operation.parameters ?? []).map((parameter) => parameter.name));
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).filter((name) => !declared.has(name)).map((name) => ({ name, in: "path" as const, required: true }));
}

function fillPath(path: string, values: Record<string, string | undefined>, targets: FuzzTargets, random: SeededRandom): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? encodeURIComponent(goodValue(name, path, targets, random)));
}

/** A value the route accepts for a parameter called `name` on `path`. */
function goodValue(name: string, path: string, targets: FuzzTargets, random: SeededRandom, choices?: string[]): string {
  if (choices?.length) return random.pick(choices);
  switch (name) {
    case "municipality":
    case "municipalityId":
      return targets.municipalityId;
    case "sha256":
    case "noteHash":
      return random.chance(0.5) ? targets.knownSha256 : `0x${random.hex(64)}`;
    case "recordId":
      return `rec_${random.word(16)}`;
    case "cid":
      return targets.knownCid;
    case "number":
      return targets.permitNumber;
    case "receiptId":
      return `0x${random.hex(64)}`;
    case "format":
      return path.startsWith("/open311") ? random.pick(["json", "xml"]) : random.pick(["csv", "json"]);
    case "service_code":
      return "ROAD";
    case "service_request_id":
      return targets.complaintId;
    case "jurisdiction_id":
      return targets.jurisdiction;
    case "token":
      return random.word(20);
    case "action":
      return random.pick(["acknowledge", "start", "resolve", "close"]);
    case "index":
      return "0";
    case "x-tracking-code":
      return targets.trackingCode;
    case "check":
    case "extensions":
      return "true";
    case "from":
    case "start_date":
      return "2024-01-01";
    case "to":
    case "end_date":
      return "2030-01-01";
    case "decision":
      return random.pick(["approve", "reject"]);
    case "page":
      return "1";
    case "page_size":
    case "pageSize":
      return "20";
    case "status":
      return "open";
    case "id":
      if (path.includes("/permits")) return targets.permitNumber;
      if (path.includes("/complaints")) return targets.complaintId;
      if (path.includes("/funds")) return targets.campaignId;
      return targets.municipalityId;
    default:
      return random.word(8);
  }
}

/** A hostile value as it goes into a URL: mostly encoded, sometimes a raw bad escape or huge. */
function hostileParameter(random: SeededRandom): string | undefined {
  const roll = random.next();
  if (roll < 0.15) return random.pick(BAD_ESCAPES);
  if (roll < 0.2) return `${random.pick(["abc", "0x12", ""])}${random.pick(BAD_ESCAPES)}`;
  if (roll < 0.25) return "9".repeat(1000 + random.int(6000));
  return encodeURIComponent(random.pick(HOSTILE_TEXTS));
}

function decodeOrKeep(value: string | undefined): string {
  try {
    return decodeURIComponent(value ?? "");
  } catch {
    return value ?? "";
  }
}

/** A header value: no line breaks or NULs (Node's client and server refuse those outright). */
function headerSafe(value: string): string {
  return value.replace(/[\r\n\u0000]/g, "").replace(/[^\t\x20-\x7e\x80-\xff]/g, "?");
}

function bodyOf(method: string, operation: Operation, spoiled: boolean, targets: FuzzTargets, random: SeededRandom): { contentType: string; bytes: Buffer } | null {
  const content = operation.requestBody?.content ?? {};
  if (content["multipart/form-data"]) {
    const upload = random.pick(targets.signedUploads);
    const flaw = spoiled ? random.pick(MULTIPART_FLAWS) : "none";
    const { contentType, body } = flawedUpload(flaw, { file: upload.file, issuance: upload.issuance }, random.int(2 ** 31));
    return { contentType, bytes: body };
  }
  const schema = content["application/json"]?.schema ?? content["application/x-www-form-urlencoded"]?.schema;
  if (!schema && method === "GET") return null;
  const good = schema ? sample(schema, random) : {};
  if (!spoiled) return { contentType: "application/json", bytes: Buffer.from(JSON.stringify(good)) };
  switch (random.int(9)) {
    case 0:
      return { contentType: "application/json", bytes: Buffer.from(random.pick(["{", "", "nul", '{"a":1,}', "[1,2", "\u00ff\u00fe", '{"a":"\\uZZZZ"}', "1".repeat(400)]), "latin1") };
    case 1:
      return { contentType: "application/json", bytes: Buffer.from(JSON.stringify(random.pick([[], "text", 1, null, true, [good]]))) };
    case 2: {
      const object = { ...(good as Record<string, unknown>) };
      const required = schema?.required ?? Object.keys(object);
      if (required.length) delete object[random.pick(required)];
      return { contentType: "application/json", bytes: Buffer.from(JSON.stringify(object)) };
    }
    case 3: {
      const object = { ...(good as Record<string, unknown>) };
      const keys = Object.keys(object);
      object[keys.length ? random.pick(keys) : "x"] = hostileJson(random);
      return { contentType: "application/json", bytes: Buffer.from(JSON.stringify(object)) };
    }
    case 4:
      return { contentType: "application/json", bytes: Buffer.from(deeplyNested(random.pick([1_000, 20_000, 200_000]))) };
    case 5:
      return { contentType: "application/json", bytes: Buffer.from(JSON.stringify({ ...(good as object), padding: "z".repeat(random.pick([900_000, 1_100_000])) })) };
    case 6:
      return { contentType: "application/json", bytes: Buffer.from(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(good).slice(1)}`) };
    case 7:
      return { contentType: random.pick(["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]), bytes: Buffer.from(JSON.stringify(good)) };
    default:
      return { contentType: "application/json", bytes: Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])))) };
  }
}

/** A value of `schema`'s shape, as far as the document says it. */
function sample(schema: Schema, random: SeededRandom): unknown {
  if (schema.oneOf) return sample(random.pick(schema.oneOf), random);
  if (schema.enum) return random.pick(schema.enum);
  switch (schema.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = schema.properties?.[name] ? sample(schema.properties[name], random) : "x";
      for (const [name, property] of Object.entries(schema.properties ?? {})) if (!(name in out) && random.chance(0.5)) out[name] = sample(property, random);
      return out;
    }
    case "integer":
    case "number":
      return random.int(100);
    case "boolean":
      return random.chance(0.5);
    case "array":
      return schema.items ? [sample(schema.items, random)] : [];
    default:
      return schema.pattern?.startsWith("^0x[0-9a-f]{64}") ? `0x${random.hex(64)}` : random.word(12);
  }
}
