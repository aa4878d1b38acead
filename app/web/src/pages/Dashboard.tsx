import { useI18n } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import { ComplaintSection, DashboardStatus, FundSection, PermitSection, useDashboard } from "../dashboards/sections.js";
import { municipalityOfUrl } from "../dashboards/figures.js";

/** /dashboard — the residents' dashboard: plain figures of permits, complaints and funds, from the index. */
export function DashboardPage(props: { url: URL }) {
  const { t, lang } = useI18n();
  const municipalityId = municipalityOfUrl(props.url);
  const load = useDashboard(municipalityId, false);
  const figures = load && "figures" in load ? load.figures : null;
  return (
    <>
      <h1>
        {t("dashboards.title")}
        {figures && (
          <>
            {" · "}
            <span translate={false}>{figures.municipality[lang]}</span>
          </>
        )}
      </h1>
      <p class="lead">{t("dashboards.lead")}</p>
      <DashboardStatus load={load} />
      {figures && (
        <>
          <PermitSection figures={figures} />
          <ComplaintSection figures={figures} />
          <FundSection figures={figures} />
          <p>
            <a href={hrefFor("/dashboard/mayor", lang, { municipality: municipalityId })}>{t("dashboards.toMayor")}</a>
          </p>
        </>
      )}
    </>
  );
}
