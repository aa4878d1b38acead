import { useEffect, useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { officerApi, type QueueItem } from "./api.js";
import { PermitReview } from "./PermitReview.js";
import type { SectionProps } from "./sections.js";
import { roleLabel } from "./SessionPanel.js";

const ACTION_LABEL: Record<QueueItem["action"], MessageKey> = {
  complete: "officer.actionComplete",
  decide: "officer.actionDecide",
  issue: "officer.actionIssue",
};

/** Permits: the queue of what waits for my roles, a permit opened by number, and one permit's review. */
export function PermitsSection(props: SectionProps) {
  const { t, date } = useI18n();
  const [queue, setQueue] = useState<QueueItem[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  async function load() {
    try {
      setQueue((await officerApi.queue()).permits);
    } catch (error) {
      props.report({ kind: "error", error });
    }
  }
  useEffect(() => {
    load();
  }, [props.session.address]);

  if (open) {
    return (
      <PermitReview
        {...props}
        number={open}
        onBack={() => {
          setOpen(null);
          load();
        }}
      />
    );
  }

  return (
    <div class="officer-permits">
      <div class="officer-heading">
        <h3 id="queue-title">{t("officer.queueTitle")}</h3>
        <button type="button" onClick={load}>
          {t("officer.refresh")}
        </button>
      </div>
      {queue === null && <p>{t("loading")}</p>}
      {queue?.length === 0 && <p data-testid="queue-empty">{t("officer.queueEmpty")}</p>}
      {queue && queue.length > 0 && (
        <div class="officer-table-wrap">
          <table class="officer-table" aria-labelledby="queue-title" data-testid="queue">
            <thead>
              <tr>
                <th scope="col">{t("officer.colNumber")}</th>
                <th scope="col">{t("officer.colType")}</th>
                <th scope="col">{t("officer.colAction")}</th>
                <th scope="col">{t("officer.colApplied")}</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((item) => (
                <tr key={item.number} data-number={item.number}>
                  <td>
                    <button type="button" class="officer-link" onClick={() => setOpen(item.number)} aria-label={t("officer.review", { number: item.number })}>
                      <Value mono>{item.number}</Value>
                    </button>
                  </td>
                  <td>
                    <Value>{item.type}</Value>
                  </td>
                  <td>{t(ACTION_LABEL[item.action], { role: item.role ? t(roleLabel(item.role)) : "" })}</td>
                  <td>{date(item.completedAt ?? item.appliedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="officer-open"
        onSubmit={(event) => {
          event.preventDefault();
          const number = String(new FormData(event.currentTarget).get("number") ?? "").trim();
          if (number) setOpen(number);
        }}
      >
        <label>
          {t("officer.openTitle")}
          <input name="number" autocomplete="off" spellcheck={false} placeholder="TH-50-MAEHIA/BLD/2026/000001" translate={false} />
        </label>
        <button type="submit">{t("officer.open")}</button>
      </form>
    </div>
  );
}
