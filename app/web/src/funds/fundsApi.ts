import { apiRequest } from "../apiRequest.js";

export type CampaignPhase = "Draft" | "Funding" | "Succeeded" | "Failed" | "Cancelled" | "Lapsed";

/** A campaign as GET /api/funds/campaigns answers it (services/funds/campaigns.ts); residents' pages and the treasury tab alike. */
export interface CampaignSummary {
  campaignId: number;
  municipalityId: number;
  token: { address: string; symbol: string | null; decimals: number | null };
  beneficiary: string;
  goal: string;
  deadline: number;
  deadlineAt: string;
  phase: CampaignPhase;
  /** Succeeded or Lapsed with a milestone unpaid: when it lapses (lapsed) and pledgers may take back what is unpaid. */
  releaseDeadline: number | null;
  releaseDeadlineAt: string | null;
  openedAt: string | null;
  pledged: string;
  released: string;
  escrowed: string;
  offchainTotal: string;
  progressPercent: number;
  progressWithOffchainPercent: number;
}

interface Happened {
  amount: string;
  txHash: string;
  blockNumber: number;
  at: string | null;
}

export interface CampaignDetail extends CampaignSummary {
  milestones: Array<{ index: number; amount: string; release: (Happened & { evidenceHash: string | null; evidence: { cid: string } }) | null }>;
  /** The CID follows from the SHA-256 (a public document is one IPFS block): any replica answers it. */
  rulesDocument: { sha256: string; cid: string };
  rulesHash: string | null;
  pledges: Array<Happened & { kind: "pledge" | "offchain-pledge"; pledger?: string; receiptHash?: string }>;
}

export const campaigns = () => apiRequest<{ campaigns: CampaignSummary[] }>("/api/funds/campaigns").then((answer) => answer.campaigns);
export const campaign = (id: number) => apiRequest<CampaignDetail>(`/api/funds/campaigns/${id}`);
export const receiptById = (receiptId: string) => apiRequest<unknown>(`/api/funds/receipts/${encodeURIComponent(receiptId)}`);

/** A public document's text, when it is short UTF-8 text (a rules document may also be a PDF: then null). */
export async function publicText(cid: string): Promise<string | null> {
  const response = await fetch(`/ipfs/${cid}`);
  if (!response.ok) return null;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > 20_000) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

/** An amount in the token's smallest unit, in the token's decimals, grouped as the reader's language groups numbers. */
export function formatAmount(units: string, token: { symbol: string | null; decimals: number | null } | undefined, lang: "th" | "en"): string {
  const decimals = token?.decimals ?? 0;
  const value = BigInt(units);
  const scale = 10n ** BigInt(decimals);
  const whole = new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-GB").format(value / scale);
  const fraction = decimals > 0 ? "." + (value % scale).toString().padStart(decimals, "0") : "";
  return `${whole}${fraction}${token?.symbol ? ` ${token.symbol}` : ""}`;
}

export const RECEIPT_ID = /^rcp_[0-9a-f]{32}$/;
