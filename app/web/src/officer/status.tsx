import { CATALOGUES, useI18n, type I18n, type MessageKey } from "../i18n/index.js";

/**
 * The console's one status line (an aria-live region): what is being done, what was done, or what
 * failed, by the error's code (an API error or a wallet's) in the user's language.
 */
export type Status =
  | { kind: "busy" | "ok"; key: MessageKey; values?: Record<string, string | number> }
  // `area`: a section's catalogue area whose `<area>.error.<CODE>` says the error in its own words first.
  | { kind: "error"; error: unknown; area?: string }
  | null;
export type Report = (status: Status) => void;

export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "UNEXPECTED";
}

/** The code's sentence: the section's own (`<area>.error.CODE`) first, then the console's (`officer.error.CODE`). */
export function errorText(t: I18n["t"], error: unknown, area?: string): string {
  const key = [...(area ? [`${area}.error.${codeOf(error)}`] : []), `officer.error.${codeOf(error)}`].find((k) => k in CATALOGUES.th);
  return key ? t(key as MessageKey) : t("officer.errorOther");
}

/** A report whose errors are worded by `area`'s catalogue first (a console section's, see sections.ts). */
export function inArea(report: Report, area: string | undefined): Report {
  if (!area) return report;
  return (status) => report(status?.kind === "error" && !status.area ? { ...status, area } : status);
}

export function StatusLine(props: { status: Status }) {
  const { t } = useI18n();
  const status = props.status;
  return (
    <div class="officer-status" role="status" aria-live="polite" data-testid="officer-status" data-kind={status?.kind ?? "none"}>
      {status?.kind === "error" && (
        <p class="officer-status__error">
          <strong>{t("officer.errorTitle")}:</strong> {errorText(t, status.error, status.area)}{" "}
          <span class="officer-status__code">
            ({t("officer.errorCode", { code: codeOf(status.error) })})
          </span>
        </p>
      )}
      {status && status.kind !== "error" && <p class={`officer-status__${status.kind}`}>{t(status.key, status.values)}</p>}
    </div>
  );
}
