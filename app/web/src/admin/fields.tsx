import { CATALOGUES, useI18n, type I18n, type MessageKey } from "../i18n/index.js";
import type { TownDraft } from "./townDraft.js";

/** A text box with its label around it (so the label names it for screen readers and tests alike). */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  mono?: boolean;
  placeholder?: string;
  pattern?: string;
  disabled?: boolean;
  required?: boolean;
}) {
  return (
    <label class="admin-field">
      {props.label}
      <input
        class={props.mono ? "mono" : undefined}
        value={props.value}
        placeholder={props.placeholder}
        pattern={props.pattern}
        disabled={props.disabled}
        required={props.required}
        spellcheck={props.mono ? false : undefined}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
    </label>
  );
}

export function NumberField(props: { label: string; value: number; onChange: (value: number) => void; min?: number; step?: number; disabled?: boolean }) {
  return (
    <label class="admin-field">
      {props.label}
      <input
        type="number"
        value={String(props.value)}
        min={props.min}
        step={props.step ?? 1}
        disabled={props.disabled}
        onInput={(e) => props.onChange(e.currentTarget.valueAsNumber)}
      />
    </label>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  return (
    <label class="admin-check">
      <input type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      {props.label}
    </label>
  );
}

/** A Thai and an English text, as the profile keeps every name: "<label> (Thai)", "<label> (English)". */
export function BilingualFields(props: { label: string; value: { th: string; en: string }; onChange: (value: { th: string; en: string }) => void; long?: boolean }) {
  const { t } = useI18n();
  const { value } = props;
  const field = (lang: "th" | "en", key: MessageKey) =>
    props.long ? (
      <label class="admin-field">
        {t(key, { label: props.label })}
        <textarea rows={2} value={value[lang]} onInput={(e) => props.onChange({ ...value, [lang]: e.currentTarget.value })} />
      </label>
    ) : (
      <TextField label={t(key, { label: props.label })} value={value[lang]} onChange={(text) => props.onChange({ ...value, [lang]: text })} />
    );
  return (
    <div class="admin-pair">
      {field("th", "admin.inThai")}
      {field("en", "admin.inEnglish")}
    </div>
  );
}

/** A role in the reader's words: the app's own name for a ledger role, the town's for its own, else its code. */
export function roleLabel(i18n: I18n, draft: TownDraft, code: string): string {
  const key = `role.${code}`;
  if (key in CATALOGUES.th) return i18n.t(key as MessageKey);
  const own = draft.roles.find((role) => role.code === code)?.label;
  return own ? own[i18n.lang] || own.en : code;
}

/** Each item of a list replaced by `change` at `index`. */
export const replaceAt = <T,>(items: T[], index: number, change: (item: T) => T): T[] => items.map((item, i) => (i === index ? change(item) : item));
export const removeAt = <T,>(items: T[], index: number): T[] => items.filter((_, i) => i !== index);
