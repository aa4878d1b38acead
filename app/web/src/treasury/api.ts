import { sha256 } from "ethers";
import { parseCampaignRules, type CampaignRules } from "../../../shared/campaignRules.js";
import { api } from "../officer/api.js";
import type { OfficerTransactionInput, UnsignedTransaction } from "../wallet/types.js";

/**
 * Civic funds' side of the API (docs/funds.md) for the treasury tab and the resident's pledge. The
 * treasurer's actions are pairs: `…/transaction` answers the unsigned call, the treasurer's own key
 * signs it, the route without `/transaction` takes `{signedTransaction}` or `{txHash}`.
 */
export type { CampaignDetail, CampaignPhase, CampaignSummary } from "../funds/fundsApi.js";
import type { CampaignDetail, CampaignSummary } from "../funds/fundsApi.js";

export interface Receipt {
  receiptId: string;
  kind: "pledge" | "refund" | "offchain-pledge";
  campaignId: string;
  amount: string;
  verifyUrl: string;
  txHash?: string;
  recordTxHash?: string;
  proof: unknown;
}

export interface PreparedOffchainPledge {
  receiptHash: string;
  document: string;
  payerSalt: string;
  transaction: UnsignedTransaction;
}

type Prepared = { transaction: UnsignedTransaction };

const campaignPath = (id: number) => `/api/funds/campaigns/${id}`;

export const fundsApi = {
  campaigns: (municipalityId: number) => api<{ campaigns: CampaignSummary[] }>("GET", `/api/funds/campaigns?municipality=${municipalityId}`),
  campaign: (id: number) => api<CampaignDetail>("GET", campaignPath(id)),

  prepareCreate: (form: FormData) => api<Prepared>("POST", "/api/funds/campaigns/transaction", form),
  create: (signed: OfficerTransactionInput) => api<CampaignDetail>("POST", "/api/funds/campaigns", signed),
  prepareOpen: (id: number) => api<Prepared>("POST", `${campaignPath(id)}/open/transaction`),
  open: (id: number, signed: OfficerTransactionInput) => api<CampaignDetail>("POST", `${campaignPath(id)}/open`, signed),
  prepareCancel: (id: number, reason: string) => api<Prepared>("POST", `${campaignPath(id)}/cancel/transaction`, { reason }),
  cancel: (id: number, signed: OfficerTransactionInput) => api<CampaignDetail>("POST", `${campaignPath(id)}/cancel`, signed),
  prepareRelease: (id: number, index: number, form: FormData) => api<Prepared>("POST", `${campaignPath(id)}/milestones/${index}/transaction`, form),
  release: (id: number, index: number, signed: OfficerTransactionInput) => api<CampaignDetail>("POST", `${campaignPath(id)}/milestones/${index}`, signed),
  prepareOffchain: (id: number, pledge: { amount: string; method: "cash" | "bank-transfer"; paidOn: string; payerName: string }) =>
    api<PreparedOffchainPledge>("POST", `${campaignPath(id)}/offchain-pledges/transaction`, pledge),
  recordOffchain: (id: number, signed: OfficerTransactionInput) => api<Receipt>("POST", `${campaignPath(id)}/offchain-pledges`, signed),

  pledgeTransactions: (id: number, amount: string) =>
    api<{ chainId: number; approve: { to: string; data: string }; pledge: { to: string; data: string } }>("GET", `${campaignPath(id)}/pledge-transactions?amount=${amount}`),
  pledged: (id: number, txHash: string) => api<Receipt>("POST", `${campaignPath(id)}/pledges`, { txHash }),
  receipt: (receiptId: string) => api<Receipt>("GET", `/api/funds/receipts/${encodeURIComponent(receiptId)}`),
};

const rulesCache = new Map<string, Promise<CampaignRules | null>>();

/**
 * A campaign's rules document from the service's IPFS gateway, checked against the hash the chain holds,
 * read as the console writes it (../../../shared/campaignRules.ts); null when absent or another kind.
 */
export function rulesOf(document: { sha256: string; cid: string }): Promise<CampaignRules | null> {
  let rules = rulesCache.get(document.cid);
  if (!rules) {
    rules = fetch(`/ipfs/${document.cid}`)
      .then(async (response) => {
        if (!response.ok) return null;
        const bytes = new Uint8Array(await response.arrayBuffer());
        return sha256(bytes) === document.sha256.toLowerCase() ? parseCampaignRules(new TextDecoder().decode(bytes)) : null;
      })
      .catch(() => null);
    rulesCache.set(document.cid, rules);
  }
  return rules;
}

/** The embedded chain's demo token (THBT), the default `token` of a campaign; null on another chain. */
export async function demoTokenOf(): Promise<string | null> {
  const health = await api<{ chain?: { demoToken?: string } }>("GET", "/api/health").catch(() => null);
  return health?.chain?.demoToken ?? null;
}
