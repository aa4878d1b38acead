import { useState } from "preact/hooks";
import { useI18n } from "../i18n/index.js";

/**
 * The certificate PDF names the applicant, so the service gives it only with the applicant's tracking
 * code (header `x-tracking-code`, never in the URL where logs and history would keep it). The file is
 * fetched and handed to the browser as a download.
 */
export function CertificateDownload(props: { number: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [state, setState] = useState<"idle" | "busy" | "wrong" | "failed">("idle");

  async function download(event: Event) {
    event.preventDefault();
    setState("busy");
    try {
      const response = await fetch(`/api/permits/${encodeURIComponent(props.number)}/certificate.pdf`, {
        headers: { "x-tracking-code": code.trim() },
      });
      if (response.status === 403 || response.status === 400) return setState("wrong");
      if (!response.ok) return setState("failed");
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: `${props.number}.pdf` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState("idle");
    } catch {
      setState("failed");
    }
  }

  return (
    <form class="certificate-download" onSubmit={download}>
      <h4>{t("certificateForApplicant")}</h4>
      <label>
        {t("trackingCodeLabel")}
        <input value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} autocomplete="off" required translate={false} />
      </label>
      <button type="submit" disabled={state === "busy"}>
        {t("certificateDownload")}
      </button>
      <p role="status" aria-live="polite" class={state === "wrong" || state === "failed" ? "error" : undefined}>
        {state === "busy" ? t("loading") : state === "wrong" ? t("trackingCodeWrong") : state === "failed" ? t("errorApi") : ""}
      </p>
    </form>
  );
}
