import { useI18n } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { PledgeWithWallet } from "../funds/PledgeWithWallet.js";

/** /funds/:id/pledge, loaded on demand: a resident pledges to a campaign from their own wallet. */
export default function FundPledgePage(props: { campaignId: number }) {
  const { t, lang } = useI18n();
  return (
    <div class="officer">
      <h1>{t("treasury.pledgePageTitle")}</h1>
      <p class="lead">{t("treasury.pledgePageIntro")}</p>
      <p>
        <a href={hrefFor(`/funds/${props.campaignId}`, lang)}>{t("treasury.toCampaign")}</a>
      </p>
      <PledgeWithWallet campaignId={props.campaignId} />
    </div>
  );
}
