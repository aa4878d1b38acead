import { useEffect, useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import type { SectionProps } from "../officer/sections.js";
import { formatAmount } from "./amounts.js";
import { fundsApi, rulesOf, type CampaignSummary } from "./api.js";
import { CampaignForm } from "./CampaignForm.js";
import { CampaignManage, phaseLabel } from "./CampaignManage.js";

/** A campaign's title from its rules document, or "campaign N" when the document has none. */
function CampaignTitle(props: { campaignId: number }) {
  const { t } = useI18n();
  const [title, setTitle] = useState<string | null>(null);
  useEffect(() => {
    fundsApi
      .campaign(props.campaignId)
      .then((detail) => rulesOf(detail.rulesDocument))
      .then((rules) => setTitle(rules?.title ?? null), () => {});
  }, [props.campaignId]);
  return title ? <Value>{title}</Value> : <>{t("treasury.campaignNumber", { id: props.campaignId })}</>;
}

/**
 * Treasury (the TREASURER's tab): my municipalities' campaigns and their phases, a new campaign, and
 * one campaign's actions. Every action is a transaction the treasurer signs with their own key.
 */
export function TreasurySection(props: SectionProps) {
  const { t, date } = useI18n();
  const municipalities = [...new Set(props.session.roles.filter((r) => r.role === "TREASURER").map((r) => r.municipalityId))];
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  async function load() {
    try {
      const lists = await Promise.all(municipalities.map((id) => fundsApi.campaigns(id)));
      setCampaigns(lists.flatMap((list) => list.campaigns).sort((a, b) => b.campaignId - a.campaignId));
    } catch (error) {
      props.report({ kind: "error", error });
    }
  }
  useEffect(() => {
    load();
  }, [props.session.address]);

  if (municipalities.length === 0) return <p data-testid="not-treasurer">{t("treasury.notTreasurer")}</p>;
  if (open !== null) {
    return (
      <CampaignManage
        {...props}
        campaignId={open}
        onBack={() => {
          setOpen(null);
          load();
        }}
      />
    );
  }

  return (
    <div class="treasury">
      <div class="officer-heading">
        <h3 id="campaigns-title">{t("treasury.campaignsTitle")}</h3>
        <button type="button" onClick={load}>
          {t("officer.refresh")}
        </button>
      </div>
      {campaigns === null && <p>{t("loading")}</p>}
      {campaigns?.length === 0 && <p>{t("treasury.campaignsEmpty")}</p>}
      {campaigns && campaigns.length > 0 && (
        <div class="officer-table-wrap">
          <table class="officer-table" aria-labelledby="campaigns-title" data-testid="campaigns">
            <thead>
              <tr>
                <th scope="col">{t("treasury.colCampaign")}</th>
                <th scope="col">{t("treasury.colState")}</th>
                <th scope="col">{t("treasury.colRaised")}</th>
                <th scope="col">{t("treasury.colDeadline")}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.campaignId} data-campaign-id={c.campaignId} data-phase={c.phase}>
                  <td>
                    <button type="button" class="officer-link" onClick={() => setOpen(c.campaignId)}>
                      <CampaignTitle campaignId={c.campaignId} />
                    </button>
                  </td>
                  <td>{t(phaseLabel(c.phase))}</td>
                  <td>
                    <Value>{formatAmount(c.pledged, c.token)}</Value> / <Value>{formatAmount(c.goal, c.token)}</Value>
                  </td>
                  <td>{date(c.deadlineAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details class="officer-block treasury-new">
        <summary>{t("treasury.newTitle")}</summary>
        <CampaignForm {...props} municipalities={municipalities} onCreated={setOpen} />
      </details>
    </div>
  );
}
