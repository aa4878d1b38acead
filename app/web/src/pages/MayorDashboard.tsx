import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { BarChart } from "../dashboards/Charts.js";
import { localized, numberFormat, tokenAmount, type DashboardFigures } from "../dashboards/figures.js";
import { ComplaintSection, DashboardFrame, FundSection, PermitSection } from "../dashboards/sections.js";

/**
 * /dashboard/mayor — the residents' figures and where work waits: every permit under review against
 * its 45 days, the time each approval role takes, overdue complaints by kind, money per campaign.
 * Aggregates and permit numbers only: the same public figures in more detail.
 */
function roleLabel(t: (key: MessageKey) => string, role: string | null): string {
  if (!role) return "–";
  const key = `role.${role}` as MessageKey;
  const word = t(key);
  return word === key ? role : word;
}

function PermitDetail(props: { figures: DashboardFigures }) {
  const { t, lang } = useI18n();
  const num = numberFormat(lang);
  const { clocks = [], stepTimes = [], statuteDays } = props.figures.permits;
  const days = (value: number | null) => (value === null ? "–" : t("dashboards.days", { days: num(value) }));
  return (
    <section class="panel dashboard-section" aria-labelledby="clocks-heading" data-testid="mayor-permits">
      <h2 id="clocks-heading">{t("dashboards.mayorClocks")}</h2>
      {clocks.length === 0 ? (
        <p class="hint">{t("dashboards.none")}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table" data-testid="clocks">
            <thead>
              <tr>
                <th scope="col">{t("dashboards.clockNumber")}</th>
                <th scope="col">{t("dashboards.clockType")}</th>
                <th scope="col">{t("dashboards.clockAwaiting")}</th>
                <th scope="col">{t("dashboards.clockElapsed")}</th>
                <th scope="col">{t("dashboards.clockLeft")}</th>
              </tr>
            </thead>
            <tbody>
              {clocks.map((clock) => (
                <tr key={clock.number} class={clock.nearLimit ? "row--near" : undefined} data-near={String(clock.nearLimit)}>
                  <th scope="row">
                    <a href={hrefFor(`/permits/${encodeURIComponent(clock.number)}`, lang)} translate={false}>
                      {clock.number}
                    </a>
                  </th>
                  <td>{localized(clock.type, lang)}</td>
                  <td>{roleLabel(t, clock.awaitingRole)}</td>
                  <td>{days(clock.daysElapsed)}</td>
                  <td>
                    {days(clock.daysLeft)}
                    {clock.nearLimit && <strong class="badge"> {t("dashboards.clockNear")}</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <BarChart
        testId="step-times"
        title={t("dashboards.mayorSteps")}
        marker={{ value: statuteDays, label: t("dashboards.statuteLine", { statute: statuteDays }), text: days(statuteDays) }}
        rows={stepTimes.map((step) => ({
          label: `${roleLabel(t, step.role)} (${t("dashboards.stepCount", { count: num(step.count) })})`,
          value: step.medianDays ?? 0,
          text: days(step.medianDays),
        }))}
      />
    </section>
  );
}

function ComplaintDetail(props: { figures: DashboardFigures }) {
  const { t, lang } = useI18n();
  const num = numberFormat(lang);
  const categories = props.figures.complaints.byCategory;
  return (
    <section class="panel dashboard-section" aria-labelledby="overdue-heading" data-testid="mayor-complaints">
      <h2 id="overdue-heading">{t("dashboards.mayorOverdue")}</h2>
      <BarChart
        testId="overdue-by-category"
        title={t("dashboards.mayorOverdue")}
        rows={categories.map((category) => ({
          label: localized(category.category, lang),
          value: category.sla?.overdue ?? 0,
          text: num(category.sla?.overdue ?? 0),
          tone: (category.sla?.overdue ?? 0) > 0 ? "bad" : undefined,
        }))}
      />
      <div class="table-scroll">
        <table class="data-table">
          <caption>{t("dashboards.mayorCategories")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboards.complaintsByCategory")}</th>
              <th scope="col">{t("dashboards.complaintsTotal")}</th>
              <th scope="col">{t("dashboards.categoryOpen")}</th>
              <th scope="col">{t("dashboards.sla.overdue")}</th>
              <th scope="col">{t("dashboards.sla.met")}</th>
              <th scope="col">{t("dashboards.categoryMedian")}</th>
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => (
              <tr key={category.category.code}>
                <th scope="row">{localized(category.category, lang)}</th>
                <td>{num(category.total)}</td>
                <td>{num(category.open ?? 0)}</td>
                <td>{num(category.sla?.overdue ?? 0)}</td>
                <td>{num(category.sla?.met ?? 0)}</td>
                <td>{category.resolution?.medianDays == null ? "–" : t("dashboards.days", { days: num(category.resolution.medianDays) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FundDetail(props: { figures: DashboardFigures }) {
  const { t, lang } = useI18n();
  const campaigns = props.figures.funds.campaigns;
  if (campaigns.length === 0) return null;
  return (
    <section class="panel dashboard-section" aria-labelledby="mayor-funds-heading">
      <h2 id="mayor-funds-heading">{t("dashboards.mayorFunds")}</h2>
      <div class="table-scroll">
        <table class="data-table" data-testid="campaigns">
          <thead>
            <tr>
              <th scope="col">{t("dashboards.item")}</th>
              <th scope="col">{t("dashboards.fundsPhase")}</th>
              <th scope="col">{t("dashboards.fundsGoal")}</th>
              <th scope="col">{t("dashboards.fundsPledged")}</th>
              <th scope="col">{t("dashboards.fundsOffchain")}</th>
              <th scope="col">{t("dashboards.fundsReleased")}</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => {
              const amount = (raw: string) => tokenAmount(raw, c.token.decimals, lang);
              return (
                <tr key={c.campaignId}>
                  <th scope="row">{t("dashboards.campaign", { id: c.campaignId })}</th>
                  <td>{t(`dashboards.phase.${c.phase}` as MessageKey)}</td>
                  <td>{amount(c.goal)}</td>
                  <td>{amount(c.pledged)}</td>
                  <td>{amount(c.offchainTotal)}</td>
                  <td>{amount(c.released)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function MayorDashboardPage(props: { url: URL }) {
  return (
    <DashboardFrame url={props.url} mayor>
      {(figures) => (
        <>
          <PermitSection figures={figures} />
          <PermitDetail figures={figures} />
          <ComplaintSection figures={figures} />
          <ComplaintDetail figures={figures} />
          <FundSection figures={figures} />
          <FundDetail figures={figures} />
        </>
      )}
    </DashboardFrame>
  );
}
