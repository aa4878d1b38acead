/**
 * Open311 GeoReport v2 XML: the same values as the JSON answers, with the spec's element names — a
 * list is a wrapper element holding one element per item (`<services><service>…`, `<service_requests>
 * <request>…`, `<attributes><attribute>…`, `<errors><error>…`). Null and missing values are empty
 * elements, booleans are `true`/`false`.
 */
const ITEM_NAMES: Record<string, string> = {
  services: "service",
  service_requests: "request",
  attributes: "attribute",
  values: "value",
  notes: "note",
  endpoints: "endpoint",
  formats: "format",
  errors: "error",
};

export function toOpen311Xml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value)}`;
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? "item";
    return `<${name}>${value.map((entry) => element(item, entry)).join("")}</${name}>`;
  }
  if (typeof value === "object") {
    const children = Object.entries(value as Record<string, unknown>).map(([key, child]) => element(key, child));
    return `<${name}>${children.join("")}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}
