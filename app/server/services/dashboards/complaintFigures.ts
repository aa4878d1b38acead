import type { DatabaseSync } from "node:sqlite";
import { OPEN_STATUSES, STATUS_NAMES, categoryInfo } from "../complaints/catalogue.js";
import { Towns } from "../towns.js";
import { durationSummary } from "./statistics.js";

/**
 * Complaint figures from the index (idx_complaints, idx_events): how many in each status and category,
 * the SLA kept or missed, and how long a fix took. Only counts and durations: no text, no place, no
 * reporter. A complaint counts as fixed once it is resolved or confirmed; its resolution time runs from
 * its filing to its latest resolution (a reopened complaint is fixed when it is resolved again).
 */
interface ComplaintRow {
  complaint_id: string;
  category: string;
  status: number;
  filed_at: number;
  due_at: number;
  resolved_at: number | null;
}

const RESOLVED = 4;
const CONFIRMED = 5;
const isOpen = (status: number) => (OPEN_STATUSES as readonly number[]).includes(status);

/** A category as the town's profile names it. */
function categoryOf(towns: Towns, municipalityId: number, hash: string) {
  const info = categoryInfo(towns, municipalityId, hash);
  return { code: info.code, th: info.nameTh, en: info.name };
}

/**
 * The SLA of each complaint: met or missed once fixed (resolved by its due time or after), on track or
 * overdue while the municipality still owes work; closed without a fix (rejected, duplicate, not
 * responsible) counts in neither.
 */
function slaOf(row: ComplaintRow, now: number): "met" | "missed" | "onTrack" | "overdue" | null {
  if (row.status === RESOLVED || row.status === CONFIRMED) return row.resolved_at !== null && row.resolved_at <= row.due_at ? "met" : "missed";
  if (isOpen(row.status)) return now > row.due_at ? "overdue" : "onTrack";
  return null;
}

function summary(rows: ComplaintRow[], now: number) {
  const sla = { met: 0, missed: 0, onTrack: 0, overdue: 0 };
  for (const row of rows) {
    const kept = slaOf(row, now);
    if (kept) sla[kept] += 1;
  }
  const fixed = rows.filter((row) => (row.status === RESOLVED || row.status === CONFIRMED) && row.resolved_at !== null);
  return {
    total: rows.length,
    open: rows.filter((row) => isOpen(row.status)).length,
    sla,
    resolution: durationSummary(fixed.map((row) => row.resolved_at! - row.filed_at)),
  };
}

export function complaintFigures(db: DatabaseSync, municipalityId: number, now: number) {
  const rows = db
    .prepare(
      `SELECT c.complaint_id, c.category, c.status, c.filed_at, c.due_at,
         (SELECT max(e.timestamp) FROM idx_events e
           WHERE e.contract = 'complaintLedger' AND e.subject = c.complaint_id AND e.event = 'ComplaintStatusChanged'
             AND CAST(json_extract(e.args, '$.status') AS INTEGER) = ${RESOLVED}) AS resolved_at
       FROM idx_complaints c WHERE c.municipality_id = ?`,
    )
    .all(municipalityId) as unknown as ComplaintRow[];
  const towns = Towns.of(db);
  const byCategory = new Map<string, ComplaintRow[]>();
  for (const row of rows) byCategory.set(row.category, [...(byCategory.get(row.category) ?? []), row]);
  return {
    ...summary(rows, now),
    byStatus: STATUS_NAMES.slice(1).map((status, index) => ({ status, count: rows.filter((row) => row.status === index + 1).length })),
    byCategory: [...byCategory]
      .map(([hash, group]) => ({ category: categoryOf(towns, municipalityId, hash), ...summary(group, now) }))
      .sort((a, b) => b.total - a.total || a.category.code.localeCompare(b.category.code)),
  };
}
