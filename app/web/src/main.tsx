import "@fontsource/sarabun/400.css";
import "@fontsource/sarabun/700.css";
import "./styles.css";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Layout } from "./components/Layout.js";
import { lazyPage } from "./components/LazyPage.js";
import { I18nContext, i18nFor, initialLang, rememberLang, type Lang, type MessageKey } from "./i18n/index.js";
import { HomePage } from "./pages/Home.js";
import { NotFoundPage } from "./pages/NotFound.js";
import { PermitPage } from "./pages/Permit.js";
import { VerifyPage } from "./pages/Verify.js";
import { interceptLinks, navigate, routeOf, useLocation } from "./router.js";
import { chainOf } from "./verify/ledgerApi.js";

// Pages beyond Verify are chunks of their own, loaded when first opened (the officer console carries
// ethers' Wallet and scrypt), so the Verify page's script stays small.
const OfficerPage = lazyPage(() => import("./pages/Officer.js").then((m) => m.default));
const DashboardPage = lazyPage(() => import("./pages/Dashboard.js").then((m) => m.DashboardPage));
const MayorDashboardPage = lazyPage(() => import("./pages/MayorDashboard.js").then((m) => m.MayorDashboardPage));
const ComplaintPages = lazyPage(() => import("./pages/complaints/index.js").then((m) => m.default));
const FundPledgePage = lazyPage(() => import("./pages/FundPledge.js").then((m) => m.default));
const FundPages = lazyPage(() => import("./pages/funds/index.js").then((m) => m.default));
const AuditPage = lazyPage(() => import("./pages/Audit.js").then((m) => m.AuditPage));

const PAGE_TITLE: Record<string, MessageKey> = {
  home: "navHome",
  verify: "navVerify",
  permit: "permitTitle",
  "not-found": "notFoundTitle",
  officer: "officer.title",
  dashboard: "dashboards.title",
  "dashboard-mayor": "dashboards.mayorTitle",
  "complaint-new": "complaints.newTitle",
  "complaint-track": "complaints.trackTitle",
  funds: "funds.listTitle",
  campaign: "funds.nav",
  receipts: "funds.receiptsTitle",
  "fund-pledge": "treasury.pledgePageTitle",
  audit: "audit.title",
};

function App() {
  const url = useLocation();
  const [lang, setLang] = useState<Lang>(() => initialLang(location, document.cookie));
  const [devKeys, setDevKeys] = useState(false);
  const i18n = useMemo(() => i18nFor(lang), [lang]);
  const route = routeOf(url.pathname);

  // A link with ?lang= (shared, or the back button) wins over what was chosen before.
  const linked = url.searchParams.get("lang");
  useEffect(() => {
    if ((linked === "th" || linked === "en") && linked !== lang) setLang(linked);
  }, [linked]);
  useEffect(() => rememberLang(lang), [lang]);
  useEffect(() => {
    document.title = `${i18n.t(PAGE_TITLE[route.page])} · ${i18n.t("siteName")}`;
  }, [i18n, route.page]);
  useEffect(() => {
    chainOf().then((chain) => setDevKeys(chain.devKeys), () => {});
  }, []);

  function switchLang(next: Lang) {
    setLang(next);
    const target = new URL(location.href);
    target.searchParams.set("lang", next);
    navigate(target.pathname + target.search + target.hash, true);
  }

  return (
    <I18nContext.Provider value={i18n}>
      <Layout route={route} devKeys={devKeys} onLang={switchLang}>
        {route.page === "home" && <HomePage />}
        {route.page === "verify" && <VerifyPage url={url} />}
        {route.page === "permit" && <PermitPage number={route.number} />}
        {route.page === "dashboard" && <DashboardPage url={url} />}
        {route.page === "dashboard-mayor" && <MayorDashboardPage url={url} />}
        {route.page === "not-found" && <NotFoundPage />}
        {route.page === "officer" && <OfficerPage />}
        {route.page.startsWith("complaint-") && <ComplaintPages route={route} url={url} />}
        {["funds", "campaign", "receipts"].includes(route.page) && <FundPages route={route} url={url} />}
        {route.page === "fund-pledge" && <FundPledgePage campaignId={route.campaignId} />}
        {route.page === "audit" && <AuditPage url={url} />}
      </Layout>
    </I18nContext.Provider>
  );
}

document.addEventListener("click", interceptLinks);
render(<App />, document.getElementById("app")!);
