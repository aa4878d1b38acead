import type { ComponentChild } from "preact";
import { CATALOGUES, useI18n, type MessageKey } from "../i18n/index.js";

/** Data shown inside a sentence (a name from the chain, a hash): not a label, never translated. */
export function Value(props: { children: ComponentChild; mono?: boolean }) {
  return (
    <span class={props.mono ? "value value--mono" : "value"} translate={false}>
      {props.children}
    </span>
  );
}

/** A catalogue message whose {placeholders} are elements (links, values) rather than plain text. */
export function Message(props: { id: MessageKey; values: Record<string, ComponentChild> }) {
  const { lang } = useI18n();
  const parts = CATALOGUES[lang][props.id].split(/\{(\w+)\}/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? (props.values[part] ?? `{${part}}`) : part))}</>;
}
