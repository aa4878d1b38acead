import type { AuditEvent } from "../../../shared/trailEvents.js";

/**
 * The columns of the CSV export, in order: one per field of the JSON export's events (docs/audit.md), the
 * structured ones (args, roleNames, records) as JSON in one cell each, the reason as its code and its
 * label in each language. A field that says nothing of an event is an empty cell.
 */
export const CSV_COLUMNS = [
  "block_number",
  "log_index",
  "time",
  "timestamp",
  "tx_hash",
  "contract",
  "event",
  "subject",
  "municipality_id",
  "sender",
  "args",
  "role_names",
  "permit_number",
  "actor",
  "actor_name",
  "actor_role",
  "decision",
  "reason_code",
  "reason_th",
  "reason_en",
  "reason_words",
  "account_name",
  "records",
] as const;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const text = (value: string | number | null) => (value === null ? "" : String(value));

function row(event: AuditEvent): string[] {
  return [
    String(event.blockNumber),
    String(event.logIndex),
    event.time,
    String(event.timestamp),
    event.txHash,
    event.contract,
    event.event,
    event.subject,
    text(event.municipalityId),
    event.sender,
    JSON.stringify(event.args),
    event.roleNames ? JSON.stringify(event.roleNames) : "",
    text(event.number),
    text(event.actor),
    text(event.actorName),
    text(event.actorRole),
    text(event.decision),
    text(event.reason?.code ?? null),
    text(event.reason?.th ?? null),
    text(event.reason?.en ?? null),
    text(event.reasonWords),
    text(event.accountName),
    event.records ? JSON.stringify(event.records) : "",
  ];
}

/**
 * The events as CSV text with a header row, CRLF line ends (RFC 4180), after a UTF-8 byte order mark:
 * without it, spreadsheets on Windows read officers' Thai names as the wrong characters.
 */
export function auditCsv(events: readonly AuditEvent[]): string {
  return "\uFEFF" + [CSV_COLUMNS as readonly string[], ...events.map(row)].map((cells) => cells.map(field).join(",") + "\r\n").join("");
}
