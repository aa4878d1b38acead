import type { OfficerTransactionInput, UnsignedTransaction } from "../wallet/types.js";
import { api } from "./api.js";
import type { Attachment, ComplaintContent, ComplaintDetails, ComplaintRecord, DetailedStatus, StatusNote } from "../../../shared/complaintAnswers.js";

/**
 * The complaint officer's side of the API (docs/complaints.md, "Officers"): the municipality's
 * complaints, one complaint with its unsealed content, and the officer's own transactions — the API
 * hands out the call to sign, the officer's key signs it, the API checks and relays it.
 */
export type ComplaintStatus = Exclude<DetailedStatus, "none">;

/** The statuses in which the municipality still owes work: the SLA clock runs (the contract's _OPEN). */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ["filed", "acknowledged", "in_progress", "reopened"];
export const ALL_STATUSES: readonly ComplaintStatus[] = [...OPEN_STATUSES, "resolved", "confirmed", "rejected", "duplicate", "not_responsible"];
/** The demo categories (app/server/services/complaints/catalogue.ts); others show by their code. */
export const CATEGORY_CODES = ["ROAD", "STREET_LIGHT", "WASTE", "DRAINAGE", "NOISE"] as const;
export const CLOSE_OUTCOMES = ["rejected", "duplicate", "not_responsible"] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export type { Attachment, ComplaintContent, ComplaintDetails, ComplaintRecord, StatusNote };

export type ComplaintAction = "acknowledge" | "start" | "resolve" | "close";

const complaintPath = (id: string) => `/api/complaints/${encodeURIComponent(id)}`;

export const complaintsApi = {
  list: (municipalityId: number, filter: { status?: string; category?: string }) => {
    const query = new URLSearchParams({ municipality: String(municipalityId), pageSize: "500" });
    if (filter.status) query.set("status", filter.status);
    if (filter.category) query.set("category", filter.category);
    return api<{ complaints: ComplaintRecord[]; total: number }>("GET", `/api/complaints?${query}`);
  },
  /** Open complaints past their SLA, on the chain's clock (public). */
  overdue: (municipalityId: number) => api<{ now: number; complaints: ComplaintRecord[] }>("GET", `/api/complaints/overdue?municipality=${municipalityId}`),
  details: (id: string) => api<ComplaintDetails>("GET", complaintPath(id)),
  attachmentUrl: (id: string, sha256: string) => `${complaintPath(id)}/attachments/${sha256}`,
  call: (id: string, action: ComplaintAction, query: Record<string, string> = {}) =>
    api<UnsignedTransaction>("GET", `${complaintPath(id)}/actions/${action}/call?${new URLSearchParams(query)}`),
  /** Relays the officer's transaction; resolve carries the evidence file, sealed by the API. */
  perform: (id: string, action: ComplaintAction, input: OfficerTransactionInput, evidence?: File) => {
    const path = `${complaintPath(id)}/${action}`;
    if (!evidence) return api<{ txHash: string; details: ComplaintDetails }>("POST", path, input);
    const form = new FormData();
    for (const [name, value] of Object.entries(input)) form.append(name, value);
    form.append("file", evidence, evidence.name);
    return api<{ txHash: string; details: ComplaintDetails }>("POST", path, form);
  },
};

