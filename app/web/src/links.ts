import type { Lang } from "./i18n/index.js";

/** An internal link that keeps the language in the URL, so a copied link opens in the same language. */
export function hrefFor(path: string, lang: Lang, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params);
  query.set("lang", lang);
  return `${path}?${query}`;
}
