import { useEffect, useState } from "preact/hooks";

/**
 * Plain URLs (/, /verify, /permits/:number) with the History API: the server answers index.html for
 * them (app/server/app.ts), so a link copied from the address bar or printed in a QR code opens the page.
 */
export type Route =
  | { page: "home" }
  | { page: "verify" }
  | { page: "permit"; number: string }
  | { page: "officer" }
  | { page: "dashboard" }
  | { page: "dashboard-mayor" }
  | { page: "complaint-new" }
  | { page: "complaint-track" }
  | { page: "funds" }
  | { page: "campaign"; id: number }
  | { page: "receipts" }
  | { page: "fund-pledge"; campaignId: number }
  | { page: "audit" }
  | { page: "not-found" };

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { page: "home" };
  if (path === "/verify") return { page: "verify" };
  if (path === "/officer") return { page: "officer" };
  if (path === "/dashboard") return { page: "dashboard" };
  if (path === "/dashboard/mayor") return { page: "dashboard-mayor" };
  if (path === "/audit") return { page: "audit" };
  const pledge = path.match(/^\/funds\/([1-9][0-9]{0,15})\/pledge$/);
  if (pledge) return { page: "fund-pledge", campaignId: Number(pledge[1]) };
  const permit = path.match(/^\/permits\/([^/]+)$/);
  if (permit) return { page: "permit", number: decodeURIComponent(permit[1]) };
  // Residents' complaints and funds (pages/complaints, pages/funds).
  if (path === "/complaints" || path === "/complaints/new") return { page: "complaint-new" };
  if (path === "/complaints/track") return { page: "complaint-track" };
  if (path === "/funds") return { page: "funds" };
  if (path === "/funds/receipts") return { page: "receipts" };
  const campaign = path.match(/^\/funds\/([1-9][0-9]{0,15})$/);
  if (campaign) return { page: "campaign", id: Number(campaign[1]) };
  return { page: "not-found" };
}

const listeners = new Set<() => void>();

/** Goes to `url` (same origin) without reloading; `replace` keeps the history entry. */
export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const listener of listeners) listener();
}

/** The current URL, re-rendering on navigation and on the browser's back and forward. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return url;
}

/** Clicks on same-origin links become navigations in place (not with a modifier key: new tab stays). */
export function interceptLinks(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element).closest?.("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || /^\/(api|ipfs|open311)\//.test(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
  if (!url.hash) scrollTo(0, 0);
}
