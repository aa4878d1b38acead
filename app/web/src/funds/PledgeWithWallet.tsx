import { useEffect, useState } from "preact/hooks";
import type { CampaignRules } from "../../../shared/campaignRules.js";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { ActionStatus, inArea, SectionArea, StatusLine, type Status } from "../officer/status.js";
import { useAction } from "../officer/useAction.js";
import { WalletPanel } from "../officer/WalletPanel.js";
import { formatAmount, toUnits } from "../treasury/amounts.js";
import { fundsApi, rulesOf, type CampaignDetail, type Receipt } from "../treasury/api.js";
import { ReceiptHandout } from "../treasury/ReceiptHandout.js";
import type { LedgerSigner } from "../wallet/types.js";
import { pledgeFromWallet, type PledgeStep } from "./pledgeFromWallet.js";

const STEP_LABEL: Record<PledgeStep, MessageKey> = {
  approving: "treasury.busyApproving",
  pledging: "treasury.busyPledging",
  receipt: "treasury.busyReceipt",
};

/**
 * A resident's pledge to one campaign from their own wallet (a browser wallet, or a key kept encrypted
 * in this browser): the amount, the token's approval and the pledge signed by the resident, then the
 * receipt to keep. Load it lazily (it brings ethers' Wallet): `lazy(() => import("…/PledgeWithWallet.js"))`.
 */
export function PledgeWithWallet(props: { campaignId: number }) {
  const { t } = useI18n();
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [rules, setRules] = useState<CampaignRules | null>(null);
  const [signer, setSigner] = useState<LedgerSigner | null>(null);
  const [status, setStatus] = useState<Status>(null);
  // Errors in the treasury's words first (BALANCE_LOW, AMOUNT_INVALID, …), then the console's.
  const report = inArea(setStatus, "treasury");
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  async function load() {
    try {
      const detail = await fundsApi.campaign(props.campaignId);
      // Both at once: the title does not flicker from "campaign N" to its name.
      setRules(await rulesOf(detail.rulesDocument));
      setCampaign(detail);
    } catch (error) {
      report({ kind: "error", error });
    }
  }
  useEffect(() => {
    load();
  }, [props.campaignId]);

  const { busy, act, statusAt } = useAction(load);

  const pledge = (typed: string) =>
    act(
      "pledge",
      async (progress) => {
        const amount = toUnits(typed, campaign!.token.decimals ?? 0);
        setReceipt(await pledgeFromWallet(signer!, campaign!.campaignId, amount, (step) => progress({ kind: "busy", key: STEP_LABEL[step] })));
      },
      { kind: "ok", key: "treasury.donePledged" },
    );

  return (
    <div class="pledge-wallet" data-testid="pledge-wallet">
      <StatusLine status={status} />
      {campaign && (
        <section class="officer-card" aria-labelledby="pledge-campaign-title">
          <h2 id="pledge-campaign-title">{rules ? <Value>{rules.title}</Value> : t("treasury.campaignNumber", { id: campaign.campaignId })}</h2>
          <p data-testid="pledge-raised">
            {t("treasury.raisedOf", { raised: formatAmount(campaign.pledged, campaign.token), goal: formatAmount(campaign.goal, campaign.token) })}
          </p>
          {campaign.phase !== "Funding" && <p class="officer-warning">{t("treasury.notFunding")}</p>}
        </section>
      )}
      <div class="officer-grid">
        <WalletPanel signer={signer} onSigner={setSigner} report={report} />
        {campaign?.phase === "Funding" && (
          <form
            class="officer-card treasury-form"
            data-testid="pledge-form"
            onSubmit={(event) => {
              event.preventDefault();
              pledge(String(new FormData(event.currentTarget).get("amount")));
            }}
          >
            <h2>{t("treasury.pledgeTitle")}</h2>
            <p class="officer-hint">{t("treasury.pledgeHint")}</p>
            <label>
              {t("treasury.amountIn", { symbol: campaign.token.symbol ?? "" })}
              <input name="amount" inputMode="decimal" required autocomplete="off" />
            </label>
            {!signer && <p class="officer-hint">{t("treasury.pledgeNeedsWallet")}</p>}
            <button type="submit" disabled={busy || !signer}>
              {t("treasury.pledge")}
            </button>
            {/* Errors in the treasury's words first (BALANCE_LOW, AMOUNT_INVALID, …), then the console's. */}
            <SectionArea.Provider value="treasury">
              <ActionStatus status={statusAt("pledge")} />
            </SectionArea.Provider>
          </form>
        )}
      </div>
      {receipt && campaign && <ReceiptHandout receipt={receipt} token={campaign.token} report={report} />}
    </div>
  );
}

export default PledgeWithWallet;
