import "@fontsource/sarabun/400.css";
import "@fontsource/sarabun/700.css";
import "./styles.css";
import { render } from "preact";
import { lazy, Suspense } from "preact/compat";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Layout } from "./components/Layout.js";
import { I18nContext, i18nFor, initialLang, rememberLang, type Lang, type MessageKey } from "./i18n/index.js";
import { HomePage } from "./pages/Home.js";
import { NotFoundPage } from "./pages/NotFound.js";
import { PermitPage } from "./pages/Permit.js";
import { VerifyPage } from "./pages/Verify.js";
import { interceptLinks, navigate, routeOf, useLocation } from "./router.js";
import { chainOf } from "./verify/ledgerApi.js";

// Pages with heavy code of their own (ethers' Wallet and scrypt) come in their own chunks, on demand.
const OfficerPage = lazy(() => import("./pages/Officer.js"));
const FundPledgePage = lazy(() => import("./pages/FundPledge.js"));

const PAGE_TITLE: Record<string, MessageKey> = { home: "navHome", verify: "navVerify", permit: "permitTitle", "not-found": "notFoundTitle", officer: "officer.title", "fund-pledge": "treasury.pledgePageTitle" };

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
        {route.page === "not-found" && <NotFoundPage />}
        <Suspense fallback={<p>{i18n.t("loading")}</p>}>{route.page === "officer" && <OfficerPage />}</Suspense>
        <Suspense fallback={<p>{i18n.t("loading")}</p>}>{route.page === "fund-pledge" && <FundPledgePage campaignId={route.campaignId} />}</Suspense>
      </Layout>
    </I18nContext.Provider>
  );
}

document.addEventListener("click", interceptLinks);
render(<App />, document.getElementById("app")!);
