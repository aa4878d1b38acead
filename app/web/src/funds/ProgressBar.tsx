import { Message, Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import { formatAmount, type CampaignSummary } from "./fundsApi.js";

/** Raised against the goal: a native <progress> (read by screen readers) and the numbers in words. */
export function CampaignProgress(props: { campaign: CampaignSummary }) {
  const { t, lang } = useI18n();
  const c = props.campaign;
  const money = (units: string) => <Value>{formatAmount(units, c.token, lang)}</Value>;
  return (
    <div class="campaign-progress" data-testid="campaign-progress" data-percent={String(c.progressPercent)}>
      <progress max={100} value={Math.min(c.progressPercent, 100)} aria-label={t("funds.progressLabel", { id: c.campaignId })}>
        {c.progressPercent}%
      </progress>
      <p>
        <strong data-testid="campaign-percent">{c.progressPercent}%</strong> · <Message id="funds.raised" values={{ raised: money(c.pledged), goal: money(c.goal) }} />
      </p>
      {BigInt(c.offchainTotal) > 0n && (
        <p class="hint">
          <Message id="funds.offchainNote" values={{ amount: money(c.offchainTotal) }} />
        </p>
      )}
    </div>
  );
}
