import { useEffect, useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { RoleName } from "../components/RoleName.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { officerApi, type QueueItem } from "./api.js";
import { CounterIntake } from "./CounterIntake.js";
import { PermitReview } from "./PermitReview.js";
import type { SectionProps } from "./sections.js";

const ACTION_LABEL: Record<QueueItem["action"], MessageKey> = {
  complete: "officer.actionComplete",
  decide: "officer.actionDecide",
  issue: "officer.actionIssue",
};

/**
 * Permits: the queue of what waits for my roles, a permit opened by number, one permit's review, and —
 * for a permit officer — an application taken at the counter.
 */
export function PermitsSection(props: SectionProps) {
  const { t, date } = useI18n();
  const [queue, setQueue] = useState<QueueItem[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [intake, setIntake] = useState(false);
  const intakeIn = [...new Set(props.session.roles.filter((r) => r.role === "PERMIT_OFFICER").map((r) => r.municipalityId))];

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
      {intakeIn.length > 0 && (
        <div class="officer-block">
          <button type="button" aria-expanded={intake} onClick={() => setIntake((shown) => !shown)}>
            {t("officer.intakeStart")}
          </button>
          {intake && (
            <CounterIntake
              {...props}
              municipalities={intakeIn}
              onOpen={(number) => {
                setIntake(false);
                setOpen(number);
              }}
            />
          )}
        </div>
      )}
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
                  <td>
                    <Message id={ACTION_LABEL[item.action]} values={{ role: item.role ? <RoleName role={item.role} /> : "" }} />
                  </td>
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
