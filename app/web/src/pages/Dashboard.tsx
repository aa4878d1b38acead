import { ComplaintSection, DashboardFrame, FundSection, PermitSection } from "../dashboards/sections.js";

/** /dashboard — the residents' dashboard: plain figures of permits, complaints and funds, from the index. */
export function DashboardPage(props: { url: URL }) {
  return (
    <DashboardFrame url={props.url} mayor={false}>
      {(figures) => (
        <>
          <PermitSection figures={figures} />
          <ComplaintSection figures={figures} />
          <FundSection figures={figures} />
        </>
      )}
    </DashboardFrame>
  );
}
