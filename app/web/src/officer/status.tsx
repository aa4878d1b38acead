import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { CATALOGUES, useI18n, type I18n, type MessageKey } from "../i18n/index.js";

/**
 * Status lines (aria-live regions): what is being done, what was done, or what failed, by the error's
 * code (an API error or a wallet's) in the user's language. The console's line at the top speaks for
 * the key and the session; an action's own line (ActionStatus, see useAction.ts) stands next to the
 * button that started it.
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

/** The catalogue area of the console section being shown (sections.ts), for the errors of its actions. */
export const SectionArea = createContext<string | undefined>(undefined);

/** A report whose errors are worded by `area`'s catalogue first (a console section's, see sections.ts). */
export function inArea(report: Report, area: string | undefined): Report {
  if (!area) return report;
  return (status) => report(status?.kind === "error" && !status.area ? { ...status, area } : status);
}

function StatusText(props: { status: Status }) {
  const { t } = useI18n();
  const area = useContext(SectionArea);
  const status = props.status;
  if (status?.kind === "error") {
    return (
      <p class="officer-status__error">
        <strong>{t("officer.errorTitle")}:</strong> {errorText(t, status.error, status.area ?? area)}{" "}
        <span class="officer-status__code">({t("officer.errorCode", { code: codeOf(status.error) })})</span>
      </p>
    );
  }
  return status ? <p class={`officer-status__${status.kind}`}>{t(status.key, status.values)}</p> : null;
}

/** The console's line at the top of the page. */
export function StatusLine(props: { status: Status }) {
  return (
    <div class="officer-status" role="status" aria-live="polite" data-testid="officer-status" data-kind={props.status?.kind ?? "none"}>
      <StatusText status={props.status} />
    </div>
  );
}

/** An action's progress and result, right under the button that started it. */
export function ActionStatus(props: { status: Status }) {
  return (
    <div class="officer-status officer-status--action" role="status" aria-live="polite" data-testid="action-status" data-kind={props.status?.kind ?? "none"}>
      <StatusText status={props.status} />
    </div>
  );
}
