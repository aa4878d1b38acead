import { CATALOGUES, useI18n, type I18n, type MessageKey } from "../i18n/index.js";
import { Value } from "./Message.js";

/**
 * An officer role in words, in one place for every page: the catalogue's `role.<NAME>` for a role the
 * app knows, else the label a town gave its own role (the API's `roleLabel`), else the role as the
 * chain names it (an unknown role id), shown as data — never a catalogue key, and never an English role
 * id standing in as a label.
 */
export function roleWord(t: I18n["t"], role: string): string | null {
  const key = `role.${role.toUpperCase()}`;
  return key in CATALOGUES.th ? t(key as MessageKey) : null;
}

export function RoleName(props: { role: string; label?: { th: string; en: string } | null }) {
  const { t, lang } = useI18n();
  const word = roleWord(t, props.role) ?? props.label?.[lang];
  return word ? <>{word}</> : <Value mono={props.role.startsWith("0x")}>{props.role}</Value>;
}
