import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../apiRequest.js";
import { TownPicker } from "../../components/TownPicker.js";
import { campaigns, type CampaignSummary } from "../../funds/fundsApi.js";
import { CampaignProgress } from "../../funds/ProgressBar.js";
import { useI18n, type MessageKey } from "../../i18n/index.js";
import { hrefFor } from "../../links.js";
import { useChosenTown } from "../../towns/chosenTown.js";

export const phaseKey = (phase: string) => `funds.phase.${phase}` as MessageKey;

/** /funds — the chosen town's campaigns, newest first, each with its progress, deadline and phase. */
export function CampaignsPage(props: { url: URL }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const choice = useChosenTown(props.url);
  const [all, setList] = useState<CampaignSummary[] | null>(null);
  const list = all && choice.townId !== null ? all.filter((c) => c.municipalityId === choice.townId) : all;
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    campaigns().then(setList, (e) => setError(errorText(i18n, "funds", e)));
  }, []);
  return (
    <>
      <h1>{t("funds.listTitle")}</h1>
      <p class="lead">{t("funds.listIntro")}</p>
      <p>
        <a href={hrefFor("/funds/receipts", lang)}>{t("funds.receiptsLink")}</a>
      </p>
      <TownPicker choice={choice} />
      <div role="status" aria-live="polite">
        {!list && !error && <p>{t("funds.loading")}</p>}
        {error && <p class="error">{error}</p>}
        {list?.length === 0 && <p>{t("funds.none")}</p>}
      </div>
      {list && list.length > 0 && (
        <ul class="campaign-list">
          {list.map((c) => (
            <li key={c.campaignId} class="panel" data-campaign={String(c.campaignId)}>
              <h2>
                <a href={hrefFor(`/funds/${c.campaignId}`, lang)}>{t("funds.campaignName", { id: c.campaignId })}</a>
              </h2>
              <CampaignProgress campaign={c} />
              <dl class="facts">
                <dt>{t("funds.statusLabel")}</dt>
                <dd data-phase={c.phase}>{t(phaseKey(c.phase))}</dd>
                <dt>{t("funds.deadline")}</dt>
                <dd>{date(c.deadline * 1000)}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
