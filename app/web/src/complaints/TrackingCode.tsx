import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import { hrefFor } from "../links.js";

/** Copies text: the Clipboard API where the page may use it, else a selected textarea and execCommand. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text;
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("copy refused");
}

/** The link to follow a complaint: the code goes in the #fragment, which the browser never sends to a server. */
export const trackHref = (code: string, lang: "th" | "en") => `${hrefFor("/complaints/track", lang)}#code=${encodeURIComponent(code)}`;

/** A tracking code shown once, large, with a copy button and the link to follow it. */
export function TrackingCode(props: { code: string; title: string; text: string; followLink?: boolean }) {
  const { t, lang } = useI18n();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <section class="panel tracking-code" aria-labelledby="tracking-code-title">
      <h2 id="tracking-code-title">{props.title}</h2>
      <p class="tracking-code__value" data-testid="tracking-code">
        <Value mono>{props.code}</Value>
      </p>
      <p>{props.text}</p>
      <p class="actions">
        <button type="button" onClick={() => copyText(props.code).then(() => setCopy("copied"), () => setCopy("failed"))}>
          {t("complaints.copy")}
        </button>
        {props.followLink && (
          <a class="button" href={trackHref(props.code, lang)}>
            {t("complaints.follow")}
          </a>
        )}
      </p>
      <p role="status" aria-live="polite" class="hint">
        {copy === "copied" && t("complaints.copied")}
        {copy === "failed" && t("complaints.copyFailed")}
      </p>
    </section>
  );
}
