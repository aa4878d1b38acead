import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { TownPicker } from "../components/TownPicker.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { useChosenTown } from "../towns/chosenTown.js";
import { BarChart, Figures, ProgressBar } from "./Charts.js";
import { loadDashboard, localized, monthName, numberFormat, tokenAmount, type DashboardFigures, type DashboardLoad } from "./figures.js";

/** The dashboards' figures for the page's municipality, reloaded when it changes (none while it is not known). */
function useDashboard(municipalityId: number | null, mayor: boolean): DashboardLoad | null {
  const [load, setLoad] = useState<DashboardLoad | null>(null);
  useEffect(() => {
    let current = true;
    setLoad(null);
    if (municipalityId === null) return;
    loadDashboard(String(municipalityId), mayor).then((answer) => current && setLoad(answer));
    return () => {
      current = false;
    };
  }, [municipalityId, mayor]);
  return load;
}

/**
 * The frame of both dashboards: the title with the municipality's name, the town picker (?town=), the
 * loading or error state in a live region, the sections once the figures are in, and a link to the
 * other dashboard of the same town.
 */
export function DashboardFrame(props: { url: URL; mayor: boolean; children: (figures: DashboardFigures) => ComponentChildren }) {
  const { t, lang } = useI18n();
  const choice = useChosenTown(props.url);
  const municipalityId = choice.townId;
  const loaded = useDashboard(municipalityId, props.mayor);
  const load: DashboardLoad | null = municipalityId === null && choice.failed ? { error: "errorApi" } : loaded;
  const figures = load && "figures" in load ? load.figures : null;
  return (
    <>
      <h1>
        {t(props.mayor ? "dashboards.mayorTitle" : "dashboards.title")}
        {figures && (
          <>
            {" · "}
            <span translate={false}>{figures.municipality[lang]}</span>
          </>
        )}
      </h1>
      <p class="lead">{t("dashboards.lead")}</p>
      <TownPicker choice={choice} />
      <DashboardStatus load={load} />
      {figures && (
        <>
          {props.children(figures)}
          <p>
            <a href={hrefFor(props.mayor ? "/dashboard" : "/dashboard/mayor", lang, { town: String(municipalityId) })}>
              {t(props.mayor ? "dashboards.toResident" : "dashboards.toMayor")}
            </a>
          </p>
        </>
      )}
    </>
  );
}

/** Loading and error states in a live region, then the figures. */
function DashboardStatus(props: { load: DashboardLoad | null }) {
  const { t, date } = useI18n();
  const { load } = props;
  return (
    <div role="status" aria-live="polite" aria-busy={load === null} data-testid="dashboard-status">
      {load === null && <p>{t("loading")}</p>}
      {load && "error" in load && <p class="error">{t(load.error)}</p>}
      {load && "figures" in load && <p class="hint">{t("dashboards.asOf", { time: date(load.figures.asOf) })}</p>}
    </div>
  );
}

function useFormat() {
  const { t, lang } = useI18n();
  const num = numberFormat(lang);
  const days = (value: number | null) => (value === null ? "–" : t("dashboards.days", { days: num(value) }));
  const percent = (share: number | null) => (share === null ? "–" : t("dashboards.percent", { percent: num(share * 100) }));
  return { t, lang, num, days, percent };
}

/** How fast permits are decided: headline figures, the share within the statute, by month and by type. */
export function PermitSection(props: { figures: DashboardFigures }) {
  const { t, lang, num, days, percent } = useFormat();
  const { permits } = props.figures;
  const statute = permits.statuteDays;
  const { decided, open } = permits;
  return (
    <section class="panel dashboard-section" aria-labelledby="permits-heading" data-testid="permits">
      <h2 id="permits-heading">{t("dashboards.permitsTitle")}</h2>
      <Figures
        items={[
          { label: t("dashboards.permitsDecided"), value: num(decided.count), testId: "permits-decided" },
          { label: t("dashboards.permitsMedian"), value: days(decided.medianDays), testId: "permits-median" },
          { label: t("dashboards.permitsP90"), value: days(decided.p90Days) },
          { label: t("dashboards.permitsWithin", { statute }), value: percent(decided.withinStatuteShare), testId: "permits-within" },
        ]}
      />
      <ProgressBar
        label={t("dashboards.permitsWithin", { statute })}
        percent={(decided.withinStatuteShare ?? 0) * 100}
        text={t("dashboards.permitsWithinBar", { within: num(decided.withinStatute), count: num(decided.count), statute })}
      />
      <BarChart
        testId="permits-by-month"
        title={t("dashboards.permitsByMonth", { statute })}
        marker={{ value: statute, label: t("dashboards.statuteLine", { statute }), text: days(statute) }}
        rows={permits.byMonth.map((month) => ({
          label: monthName(month.month, lang),
          value: month.medianDays ?? 0,
          text: days(month.medianDays),
          tone: month.withinStatute === month.count ? "good" : "bad",
        }))}
      />
      <BarChart
        title={t("dashboards.permitsByType")}
        rows={permits.byType.map((type) => ({
          label: localized(type.type, lang),
          value: (type.withinStatuteShare ?? 0) * 100,
          text: percent(type.withinStatuteShare),
          tone: "good",
        }))}
      />
      <BarChart
        testId="permits-open"
        title={t("dashboards.permitsOpen")}
        rows={(
          [
            ["dashboards.openAwaitingCompletion", open.awaitingCompletion, undefined],
            ["dashboards.openUnderReview", open.underReview, undefined],
            ["dashboards.openNearLimit", open.nearLimit, "warn"],
            ["dashboards.openBeyond", open.beyondStatute, "bad"],
            ["dashboards.openAwaitingCertificate", open.awaitingCertificate, undefined],
          ] as const
        ).map(([key, value, tone]) => ({ label: t(key as MessageKey, { statute }), value, text: num(value), tone }))}
      />
    </section>
  );
}

const SLA_TONES = { met: "good", missed: "bad", onTrack: undefined, overdue: "bad" } as const;

/** Complaints fixed: headline figures, by status, against the SLA, by kind of problem. */
export function ComplaintSection(props: { figures: DashboardFigures }) {
  const { t, lang, num, days } = useFormat();
  const { complaints } = props.figures;
  return (
    <section class="panel dashboard-section" aria-labelledby="complaints-heading" data-testid="complaints">
      <h2 id="complaints-heading">{t("dashboards.complaintsTitle")}</h2>
      <Figures
        items={[
          { label: t("dashboards.complaintsTotal"), value: num(complaints.total), testId: "complaints-total" },
          { label: t("dashboards.complaintsOpen"), value: num(complaints.open) },
          { label: t("dashboards.complaintsMedian"), value: days(complaints.resolution.medianDays) },
        ]}
      />
      <BarChart
        testId="complaints-by-status"
        title={t("dashboards.complaintsByStatus")}
        rows={complaints.byStatus
          .filter((status) => status.count > 0)
          .map((status) => ({ label: t(`dashboards.status.${status.status}` as MessageKey), value: status.count, text: num(status.count) }))}
      />
      <BarChart
        testId="complaints-sla"
        title={t("dashboards.slaTitle")}
        rows={(["met", "missed", "onTrack", "overdue"] as const).map((kept) => ({
          label: t(`dashboards.sla.${kept}`),
          value: complaints.sla[kept],
          text: num(complaints.sla[kept]),
          tone: SLA_TONES[kept],
        }))}
      />
      <BarChart
        title={t("dashboards.complaintsByCategory")}
        rows={complaints.byCategory.map((category) => ({ label: localized(category.category, lang), value: category.total, text: num(category.total) }))}
      />
    </section>
  );
}

/** Funds raised: one progress bar per campaign against its goal, with the number of pledges. */
export function FundSection(props: { figures: DashboardFigures }) {
  const { t, lang, num } = useFormat();
  const { funds } = props.figures;
  return (
    <section class="panel dashboard-section" aria-labelledby="funds-heading" data-testid="funds">
      <h2 id="funds-heading">{t("dashboards.fundsTitle")}</h2>
      <Figures items={[{ label: t("dashboards.fundsPledges"), value: num(funds.totals.pledges + funds.totals.offchainPledges), testId: "funds-pledges" }]} />
      {funds.campaigns.length === 0 && <p class="hint">{t("dashboards.none")}</p>}
      {funds.campaigns.map((campaign) => {
        const amount = (raw: string) => `${tokenAmount(raw, campaign.token.decimals, lang)} ${campaign.token.symbol ?? ""}`.trim();
        return (
          <div class="campaign" key={campaign.campaignId} data-testid="campaign">
            <ProgressBar
              label={`${t("dashboards.campaign", { id: campaign.campaignId })} · ${t(`dashboards.phase.${campaign.phase}` as MessageKey)}`}
              percent={campaign.progressPercent}
              text={t("dashboards.campaignRaised", { raised: amount(campaign.pledged), goal: amount(campaign.goal), percent: num(campaign.progressPercent) })}
            />
            <p class="hint">{t("dashboards.campaignPledges", { pledges: num(campaign.pledges), offchain: num(campaign.offchainPledges) })}</p>
          </div>
        );
      })}
    </section>
  );
}
