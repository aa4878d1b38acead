import { ApiError, apiRequest } from "../apiRequest.js";
import type { MessageKey } from "../i18n/index.js";

/**
 * The dashboards' figures as GET /api/dashboards/:municipalityId[/mayor] gives them (documented in
 * app/server/services/dashboards/openapi.ts), and how the pages fetch and format them.
 */
export interface Localized {
  code: string;
  th: string;
  en: string;
}

export interface DecisionSummary {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
  withinStatute: number;
  withinStatuteShare: number | null;
}

export interface Durations {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}

export interface ComplaintSummary {
  total: number;
  open: number;
  sla: { met: number; missed: number; onTrack: number; overdue: number };
  resolution: Durations;
}

export interface Campaign {
  campaignId: number;
  phase: "Draft" | "Funding" | "Succeeded" | "Failed" | "Cancelled" | "Lapsed";
  token: { symbol: string | null; decimals: number | null };
  goal: string;
  pledged: string;
  offchainTotal: string;
  refunded: string;
  released: string;
  progressPercent: number;
  progressWithOffchainPercent: number;
  pledges: number;
  offchainPledges: number;
}

export interface Clock {
  number: string;
  type: Localized;
  awaitingRole: string | null;
  daysElapsed: number;
  daysLeft: number;
  nearLimit: boolean;
}

export interface DashboardFigures {
  municipality: { id: number; code: string; th: string; en: string };
  asOf: string;
  permits: {
    statuteDays: number;
    decided: DecisionSummary & { approved: number; rejected: number };
    byType: Array<DecisionSummary & { type: Localized }>;
    byMonth: Array<DecisionSummary & { month: string }>;
    open: { awaitingCompletion: number; underReview: number; nearLimit: number; beyondStatute: number; awaitingCertificate: number };
    clocks?: Clock[];
    stepTimes?: Array<Durations & { role: string }>;
  };
  complaints: ComplaintSummary & {
    byStatus: Array<{ status: string; count: number }>;
    byCategory: Array<Partial<ComplaintSummary> & { category: Localized; total: number }>;
  };
  funds: { campaigns: Campaign[]; totals: { campaigns: number; pledges: number; offchainPledges: number } };
}

export type DashboardLoad = { figures: DashboardFigures } | { error: MessageKey };

const ERROR_KEYS: Record<string, MessageKey> = {
  MUNICIPALITY_UNKNOWN: "dashboards.error.MUNICIPALITY_UNKNOWN",
  QUERY_INVALID: "dashboards.error.QUERY_INVALID",
};

/** The figures, or the message key of what went wrong (by the API's error code). */
export async function loadDashboard(municipalityId: string, mayor: boolean): Promise<DashboardLoad> {
  try {
    return { figures: await apiRequest<DashboardFigures>(`/api/dashboards/${encodeURIComponent(municipalityId)}${mayor ? "/mayor" : ""}`) };
  } catch (error) {
    return { error: (error instanceof ApiError && ERROR_KEYS[error.code]) || "errorApi" };
  }
}

export const localized = (value: { th: string; en: string }, lang: "th" | "en") => value[lang] || value.th;

export function numberFormat(lang: "th" | "en", fractionDigits = 1) {
  const format = new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-GB", { maximumFractionDigits: fractionDigits });
  return (value: number) => format.format(value);
}

/** A token amount in its smallest unit (decimal string) with the token's decimals: "2,000.00". */
export function tokenAmount(raw: string, decimals: number | null, lang: "th" | "en"): string {
  const places = decimals ?? 0;
  const value = BigInt(raw);
  const unit = 10n ** BigInt(places);
  const whole = new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-GB").format(value / unit);
  return places === 0 ? whole : `${whole}.${(value % unit).toString().padStart(places, "0")}`;
}

/** YYYY-MM as the month's name in the page's language (Thai in the Buddhist era). */
export function monthName(month: string, lang: "th" | "en"): string {
  const [year, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "th" ? "th-TH" : "en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(Date.UTC(year, m - 1, 15));
}
