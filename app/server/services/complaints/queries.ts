import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { ZeroHash, decodeBytes32String, encodeBytes32String } from "ethers";
import { trailOf, type TrailEvent } from "../../indexer/modules/trail.js";
import { Towns } from "../towns.js";
import { STATUS_NAMES, categoryInfo } from "./catalogue.js";
import type { ComplaintRecord, DetailedStatus, StatusNote } from "../../../shared/complaintAnswers.js";

// Reading complaints: the public record from the index (`idx_complaints`), joined with what only this
// service knows (`complaint_filings`: the sealed bundle's CID, the Open311 token, the rounded location).

export interface ComplaintFilter {
  municipalityId: number;
  ids?: string[];
  statuses?: number[];
  categories?: string[];
  area?: string;
  /** Filing time bounds, unix seconds, inclusive. */
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

interface Row {
  complaint_id: string;
  municipality_id: number;
  category: string;
  area_code: string;
  content_hash: string;
  reporter_commitment: string;
  status: number;
  filed_at: number;
  due_at: number;
  updated_at: number;
  reopen_count: number;
  filed_tx: string;
  bundle_cid: string | null;
  token: string | null;
  lat: number | null;
  long: number | null;
}

const SELECT = `SELECT c.*, f.bundle_cid, f.token, f.lat, f.long FROM idx_complaints c LEFT JOIN complaint_filings f ON f.complaint_id = c.complaint_id`;
/** A complaint's public location: rounded to about 100 m, so that it points at a street, not at a house. */
export const publicCoordinate = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/** A complaint's row as its record: its category named as its town's profile names it. */
function record(towns: Towns, row: Row): ComplaintRecord {
  const info = categoryInfo(towns, row.municipality_id, row.category);
  return {
    complaintId: row.complaint_id,
    municipalityId: row.municipality_id,
    category: row.category,
    serviceCode: info.code,
    serviceName: info.name,
    area: areaName(row.area_code),
    status: row.status,
    detailedStatus: STATUS_NAMES[row.status],
    contentHash: row.content_hash,
    reporterCommitment: row.reporter_commitment,
    filedAt: row.filed_at,
    dueAt: row.due_at,
    updatedAt: row.updated_at,
    reopenCount: row.reopen_count,
    filedTx: row.filed_tx,
    bundleCid: row.bundle_cid,
    token: row.token,
    lat: publicCoordinate(row.lat),
    long: publicCoordinate(row.long),
  };
}

/** The on-chain areaCode of an area name (a geohash cell or a village), and back. */
export function areaCode(area: string): string {
  return area ? encodeBytes32String(area) : ZeroHash;
}

export function areaName(code: string): string {
  try {
    return code === ZeroHash ? "" : decodeBytes32String(code);
  } catch {
    return code;
  }
}

export class ComplaintQueries {
  readonly #towns: Towns;

  constructor(private readonly db: DatabaseSync) {
    this.#towns = Towns.of(db);
  }

  readonly #record = (row: Row) => record(this.#towns, row);

  get(complaintId: string): ComplaintRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE c.complaint_id = ?`).get(complaintId.toLowerCase()) as Row | undefined;
    return row ? this.#record(row) : null;
  }

  byCommitment(commitment: string): ComplaintRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE c.reporter_commitment = ? ORDER BY c.filed_at DESC LIMIT 1`).get(commitment) as Row | undefined;
    return row ? this.#record(row) : null;
  }

  byToken(token: string): ComplaintRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE f.token = ?`).get(token) as Row | undefined;
    return row ? this.#record(row) : null;
  }

  /** Complaints matching `filter`, newest filing first, and how many match without the page. */
  list(filter: ComplaintFilter): { complaints: ComplaintRecord[]; total: number } {
    const where = ["c.municipality_id = ?"];
    const params: SQLInputValue[] = [filter.municipalityId];
    const anyOf = (column: string, values: readonly SQLInputValue[] | undefined) => {
      if (!values) return;
      where.push(values.length ? `${column} IN (${values.map(() => "?").join(", ")})` : "0");
      params.push(...values);
    };
    anyOf("c.complaint_id", filter.ids?.map((id) => id.toLowerCase()));
    anyOf("c.status", filter.statuses);
    anyOf("c.category", filter.categories);
    if (filter.area !== undefined) {
      where.push("c.area_code = ?");
      params.push(areaCode(filter.area));
    }
    if (filter.from !== undefined) {
      where.push("c.filed_at >= ?");
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push("c.filed_at <= ?");
      params.push(filter.to);
    }
    const clause = where.join(" AND ");
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM idx_complaints c WHERE ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`${SELECT} WHERE ${clause} ORDER BY c.filed_at DESC, c.filed_block DESC, c.complaint_id LIMIT ? OFFSET ?`)
      .all(...params, filter.limit, filter.offset) as unknown as Row[];
    return { complaints: rows.map(this.#record), total };
  }

  /** Complaints still awaiting the municipality past their SLA deadline at `now` (chain time), most late first. */
  overdue(municipalityId: number, now: number): ComplaintRecord[] {
    const rows = this.db
      .prepare(`${SELECT} WHERE c.municipality_id = ? AND c.status IN (1, 2, 3, 6) AND c.due_at < ? ORDER BY c.due_at, c.complaint_id`)
      .all(municipalityId, now) as unknown as Row[];
    return rows.map(this.#record);
  }

  /** A municipality's categories as set on-chain, with their SLA. */
  categories(municipalityId: number): Array<{ category: string; slaSeconds: number; active: boolean }> {
    const rows = this.db
      .prepare("SELECT category, sla_seconds, active FROM idx_complaint_categories WHERE municipality_id = ? ORDER BY category")
      .all(municipalityId) as Array<{ category: string; sla_seconds: number; active: number }>;
    return rows.map((row) => ({ category: row.category, slaSeconds: row.sla_seconds, active: row.active === 1 }));
  }

  /** The status changes of a complaint, from its filing on, each with its transaction. */
  history(complaintId: string): StatusNote[] {
    return trailOf(this.db, "complaintLedger", complaintId.toLowerCase())
      .filter((event) => event.event === "ComplaintFiled" || event.event === "ComplaintStatusChanged")
      .map(statusNote);
  }
}


function statusNote(event: TrailEvent): StatusNote {
  const { args } = event;
  if (event.event === "ComplaintFiled") {
    return { status: "filed", previous: null, at: event.timestamp, actor: event.sender, dataHash: null, reasonCode: 0, txHash: event.txHash, blockNumber: event.blockNumber };
  }
  return {
    status: STATUS_NAMES[Number(args.status)],
    previous: STATUS_NAMES[Number(args.previous)],
    at: event.timestamp,
    actor: args.actor,
    dataHash: args.dataHash === ZeroHash ? null : args.dataHash,
    reasonCode: Number(args.reasonCode),
    txHash: event.txHash,
    blockNumber: event.blockNumber,
  };
}

export type { ComplaintRecord };
