// The rules document of a campaign as the officer console writes it: the words a pledge is made under
// (title, description, what each milestone pays for). The chain holds only its SHA-256
// (`rulesDocumentHash`, frozen into `rulesHash` when the campaign opens); the document itself is public,
// on IPFS (GET /ipfs/<cid>, the CID in the campaign's `rulesDocument`). A campaign may have any other
// document as its rules (a PDF): then there is no title to show, and readers say "campaign N".

export const CAMPAIGN_RULES_FORMAT = "public-service-ledger/campaign-rules@1";

export interface CampaignRules {
  format: typeof CAMPAIGN_RULES_FORMAT;
  title: string;
  description: string;
  /** The same amounts as the on-chain milestones (token's smallest unit, decimal text), in order. */
  milestones: { amount: string; description: string }[];
}

/** The document's exact text, as uploaded (its SHA-256 is what the chain holds). */
export function campaignRulesText(rules: Omit<CampaignRules, "format">): string {
  return JSON.stringify({ format: CAMPAIGN_RULES_FORMAT, title: rules.title, description: rules.description, milestones: rules.milestones }, null, 2);
}

/** The rules read from a document's text, or null when it is not this format (a PDF, another JSON). */
export function parseCampaignRules(text: string): CampaignRules | null {
  try {
    const parsed = JSON.parse(text) as Partial<CampaignRules>;
    if (parsed?.format !== CAMPAIGN_RULES_FORMAT || typeof parsed.title !== "string" || typeof parsed.description !== "string") return null;
    const milestones = Array.isArray(parsed.milestones)
      ? parsed.milestones.filter((m) => m && typeof m.amount === "string" && typeof m.description === "string")
      : [];
    return { format: CAMPAIGN_RULES_FORMAT, title: parsed.title, description: parsed.description, milestones };
  } catch {
    return null;
  }
}
