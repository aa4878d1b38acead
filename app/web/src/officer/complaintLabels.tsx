import { Value } from "../components/Message.js";
import type { I18n, MessageKey } from "../i18n/index.js";
import { CATEGORY_CODES, OPEN_STATUSES, type ComplaintRecord } from "./complaintsApi.js";

/** What the complaints section's queue and review both say about a complaint. */
export const statusLabel = (status: string) => `officerComplaints.status.${status}` as MessageKey;
export const isOpen = (complaint: ComplaintRecord) => (OPEN_STATUSES as readonly string[]).includes(complaint.detailedStatus);
/** Past its SLA on the chain's clock (`now`), while the municipality still owes work — as isOverdue says. */
export const isOverdue = (complaint: ComplaintRecord, now: number | null) => now !== null && isOpen(complaint) && complaint.dueAt < now;
export const shortId = (id: string) => `${id.slice(0, 10)}…`;

/** A category by its label in the user's language; one this page does not know by its code. */
export function categoryText(t: I18n["t"], complaint: ComplaintRecord) {
  const known = (CATEGORY_CODES as readonly string[]).includes(complaint.serviceCode);
  return known ? t(`officerComplaints.category.${complaint.serviceCode}` as MessageKey) : <Value>{complaint.serviceCode}</Value>;
}

