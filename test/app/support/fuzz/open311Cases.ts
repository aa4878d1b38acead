import type { RawRequest } from "../rawHttp.js";
import type { FuzzCase, FuzzTargets } from "./cases.js";
import { BAD_ESCAPES, HOSTILE_TEXTS, hostileJson, type SeededRandom } from "./random.js";

/**
 * Malformed requests to the Open311 GeoReport v2 routes (app/server/routes/open311.ts), as .json and .xml
 * and as extensions it does not serve: every resource with bad jurisdictions, keys, codes and ids, the
 * request list with bad dates, statuses and pages, and POST requests.json/.xml with bad locations,
 * attributes and sizes, form-encoded (as most 311 clients send) or JSON, malformed in either. Some
 * filings are well-formed and are accepted: the fuzz looks for each of them afterwards.
 */
const BASE = "/open311/v2";
const RESOURCES = ["discovery", "services", "services/ROAD", "requests", "requests/ID", "tokens/TOKEN"] as const;

export function open311Cases(targets: FuzzTargets, random: SeededRandom, count: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) cases.push(random.chance(0.55) ? filing(targets, random) : read(targets, random));
  return cases;
}

function format(random: SeededRandom): string {
  return random.chance(0.85) ? random.pick(["json", "xml"]) : random.pick(["", "JSON", "html", "json.xml", "xml%00", "%zz", "txt"]);
}

/** A value for one of Open311's fields: mostly as a client would send it, sometimes hostile. */
function field(good: string, random: SeededRandom, spoil: boolean): string | undefined {
  if (!spoil) return good;
  if (random.chance(0.15)) return undefined;
  return random.pick(HOSTILE_TEXTS);
}

function read(targets: FuzzTargets, random: SeededRandom): FuzzCase {
  const resource = random.pick(RESOURCES)
    .replace("ID", random.chance(0.6) ? targets.complaintId : encodeURIComponent(random.pick(HOSTILE_TEXTS)) || "x")
    .replace("TOKEN", random.chance(0.3) ? random.word(24) : encodeURIComponent(random.pick(HOSTILE_TEXTS)) || "y")
    .replace("ROAD", random.chance(0.6) ? "ROAD" : encodeURIComponent(random.pick(HOSTILE_TEXTS)) || "z");
  const query: Array<[string, string]> = [];
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) query.push([name, random.chance(0.1) ? random.pick(BAD_ESCAPES) : encodeURIComponent(value)]);
  };
  put("jurisdiction_id", field(targets.jurisdiction, random, random.chance(0.3)));
  if (resource === "requests") {
    put("start_date", field("2024-01-01T00:00:00+07:00", random, random.chance(0.4)));
    put("end_date", field("2030-01-01T00:00:00Z", random, random.chance(0.3)));
    put("status", field(random.pick(["open", "closed", "open,closed"]), random, random.chance(0.3)));
    put("service_code", field("ROAD,WASTE", random, random.chance(0.2)));
    put("page", field("1", random, random.chance(0.3)));
    put("page_size", field("50", random, random.chance(0.3)));
    if (random.chance(0.3)) put("service_request_id", random.chance(0.5) ? `${targets.complaintId},${random.pick(HOSTILE_TEXTS)}` : random.pick(HOSTILE_TEXTS));
    if (random.chance(0.3)) put("extensions", random.pick(["true", "false", "1", ""]));
  }
  const request: RawRequest = { method: random.chance(0.9) ? "GET" : random.pick(["PUT", "DELETE", "PATCH"]), target: `${BASE}/${resource}.${format(random)}${query.length ? `?${query.map(([n, v]) => `${n}=${v}`).join("&")}` : ""}`, headers: [] };
  return { family: "open311: reads", request };
}

function filing(targets: FuzzTargets, random: SeededRandom): FuzzCase {
  // About one filing in six is spoiled nowhere and should be accepted.
  const spoil = () => random.chance(0.14);
  const fields: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    if (value !== undefined) fields[name] = value;
  };
  put("jurisdiction_id", field(targets.jurisdiction, random, spoil()));
  put("api_key", field(targets.apiKey, random, spoil()));
  put("service_code", field(random.pick(["ROAD", "WASTE", "STREET_LIGHT"]), random, spoil()));
  put("lat", field(String(18.7 + random.next() * 0.06), random, spoil()));
  put("long", field(String(98.93 + random.next() * 0.05), random, spoil()));
  put("address_string", field("Soi 3, Mae Hia", random, spoil()));
  put("description", field(random.pick(["Pothole", "ถนนเป็นหลุม", "x".repeat(3000)]), random, spoil()));
  put("attribute[hazard]", field(random.pick(["high", "low", ""]), random, spoil()));
  if (random.chance(0.5)) put("attribute[village]", field("3", random, spoil()));
  if (random.chance(0.3)) put("email", field("somchai@example.org", random, spoil()));
  if (random.chance(0.2)) put("phone", field("+66 81 234 5678", random, spoil()));
  if (random.chance(0.1)) put(random.pick(["attribute", "attribute[]", "attribute[hazard][x]", "media_url", "device_id", "first_name"]), random.pick(HOSTILE_TEXTS));
  const ext = format(random);
  const target = `${BASE}/${random.chance(0.92) ? "requests" : random.pick(["services", "discovery", "tokens/x", "requests/x"])}.${ext}`;
  const asJson = random.chance(0.3);
  const request: RawRequest = asJson ? jsonFiling(target, fields, random) : formFiling(target, fields, random);
  return { family: "open311: filings", request };
}

function formFiling(target: string, fields: Record<string, unknown>, random: SeededRandom): RawRequest {
  let body = Object.entries(fields).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`).join("&");
  let contentType = "application/x-www-form-urlencoded";
  switch (random.int(12)) {
    case 0:
      body += `&note=${random.pick(BAD_ESCAPES)}`;
      break;
    case 1:
      body += Array.from({ length: 1001 + random.int(500) }, (_, i) => `&p${i}=1`).join("");
      break;
    case 2:
      contentType += `; charset=${random.pick(["latin1", "utf-16", "x-klingon", "utf-8"])}`;
      break;
    case 3:
      body += `&pad=${"a".repeat(1_100_000)}`;
      break;
    case 4:
      contentType = random.pick(["text/plain", "multipart/form-data; boundary=zz", "application/x-www-form-urlencoded; charset"]);
      break;
  }
  return { method: "POST", target, headers: [["Content-Type", contentType]], body: Buffer.from(body, "utf8") };
}

function jsonFiling(target: string, fields: Record<string, unknown>, random: SeededRandom): RawRequest {
  const object: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const attribute = /^attribute\[(\w+)\]$/.exec(name);
    if (attribute) ((object.attribute ??= {}) as Record<string, unknown>)[attribute[1]] = value;
    else object[name] = value;
  }
  let text = JSON.stringify(object);
  switch (random.int(8)) {
    case 0:
      text = random.pick(["{", "", '{"jurisdiction_id":}', "[]", "null", '"text"']);
      break;
    case 1:
      object[random.pick(Object.keys(object).concat("lat"))] = hostileJson(random);
      text = JSON.stringify(object);
      break;
    case 2:
      text = JSON.stringify({ ...object, attribute: hostileJson(random) });
      break;
  }
  return { method: "POST", target, headers: [["Content-Type", "application/json"]], body: Buffer.from(text, "utf8") };
}
