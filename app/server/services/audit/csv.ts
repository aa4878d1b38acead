import type { AuditEvent } from "../../../shared/trailEvents.js";

/** The columns of the CSV export, in order; args and roleNames are JSON in one cell each. */
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
] as const;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

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
    event.municipalityId === null ? "" : String(event.municipalityId),
    event.sender,
    JSON.stringify(event.args),
    event.roleNames ? JSON.stringify(event.roleNames) : "",
  ];
}

/** The events as CSV text with a header row, CRLF line ends (RFC 4180). */
export function auditCsv(events: readonly AuditEvent[]): string {
  return [CSV_COLUMNS as readonly string[], ...events.map(row)].map((cells) => cells.map(field).join(",") + "\r\n").join("");
}
