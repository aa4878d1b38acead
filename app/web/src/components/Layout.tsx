import type { ComponentChildren } from "preact";
import { LANG_NAMES, LANGS, useI18n, type Lang, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import type { Route } from "../router.js";

/**
 * The frame of every page: skip link, header with the navigation and the language switch, the main
 * landmark, the footer. NAV lists residents' pages first, then the officers'.
 */
const NAV: { page: Route["page"]; path: string; label: MessageKey }[] = [
  { page: "home", path: "/", label: "navHome" },
  { page: "verify", path: "/verify", label: "navVerify" },
  { page: "complaint-new", path: "/complaints/new", label: "complaints.nav" },
  { page: "funds", path: "/funds", label: "funds.nav" },
  { page: "dashboard", path: "/dashboard", label: "dashboards.nav" },
  { page: "audit", path: "/audit", label: "audit.nav" },
  { page: "officer", path: "/officer", label: "officer.nav" },
];

export function Layout(props: { route: Route; devKeys: boolean; onLang: (lang: Lang) => void; children: ComponentChildren }) {
  const { t, lang } = useI18n();
  return (
    <>
      <a class="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header class="site-header">
        <div class="site-header__inner">
          <a class="site-name" href={hrefFor("/", lang)}>
            {t("siteName")}
          </a>
          <nav aria-label={t("navLabel")}>
            <ul class="nav-list">
              {NAV.map((item) => (
                <li key={item.path}>
                  <a href={hrefFor(item.path, lang)} aria-current={props.route.page === item.page || (item.page === "dashboard" && props.route.page === "dashboard-mayor") ? "page" : undefined}>
                    {t(item.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="lang-switch" role="group" aria-label={t("languageLabel")}>
            {LANGS.map((option) => (
              <button type="button" key={option} lang={option} aria-pressed={option === lang} onClick={() => props.onLang(option)}>
                {LANG_NAMES[option]}
              </button>
            ))}
          </div>
        </div>
      </header>
      {props.devKeys && (
        <p class="dev-banner" role="note">
          {t("devKeysWarning")}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="site-footer">
        <p>{t("footerTrust")}</p>
      </footer>
    </>
  );
}
