import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en } from "./en.js";
import { th } from "./th.js";

/** Thai defines the keys; English is typed as Messages, so both catalogues have exactly the same ones. */
export type Messages = { [K in keyof typeof th]: string };
export type MessageKey = keyof Messages;
export type Lang = "th" | "en";

export const LANGS: readonly Lang[] = ["th", "en"];
export const CATALOGUES: Record<Lang, Messages> = { th, en };
/** Each language's name in itself, for the switch. */
export const LANG_NAMES: Record<Lang, string> = { th: "ไทย", en: "English" };

const COOKIE = "lang";

export const isLang = (value: unknown): value is Lang => value === "th" || value === "en";

/** The language of this visit: ?lang= first (a shared link), then the cookie, then Thai. */
export function initialLang(location: Location, cookie: string): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (isLang(fromUrl)) return fromUrl;
  const fromCookie = cookie.match(/(?:^|;\s*)lang=(th|en)\b/)?.[1];
  return isLang(fromCookie) ? fromCookie : "th";
}

export function rememberLang(lang: Lang): void {
  document.cookie = `${COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = lang;
}

/** A message with its {placeholders} filled in. */
export function format(message: string, values: Record<string, string | number> = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export interface I18n {
  lang: Lang;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** Dates in Bangkok time; Thai in the Buddhist era, as Thai documents are dated. */
  date: (value: Date | string | number) => string;
}

export function i18nFor(lang: Lang): I18n {
  const messages = CATALOGUES[lang];
  const dates = new Intl.DateTimeFormat(lang === "th" ? "th-TH" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Asia/Bangkok",
  });
  return {
    lang,
    t: (key, values) => format(messages[key] ?? key, values),
    date: (value) => {
      const date = value instanceof Date ? value : new Date(value);
      return Number.isNaN(date.getTime()) ? String(value) : dates.format(date);
    },
  };
}

export const I18nContext = createContext<I18n>(i18nFor("th"));
export const useI18n = () => useContext(I18nContext);
