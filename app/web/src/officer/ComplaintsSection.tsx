import { useEffect, useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { categoryText, isOpen, isOverdue, shortId, statusLabel } from "./complaintLabels.js";
import { ComplaintReview } from "./ComplaintReview.js";
import { ALL_STATUSES, CATEGORY_CODES, complaintsApi, OPEN_STATUSES, type ComplaintRecord } from "./complaintsApi.js";
import { useMunicipalityNames } from "./municipalityNames.js";
import type { SectionProps } from "./sections.js";

/** The municipality's open complaints first, the most urgent deadline first; then the rest, latest change first. */
function queueOrder(a: ComplaintRecord, b: ComplaintRecord): number {
  if (isOpen(a) !== isOpen(b)) return isOpen(a) ? -1 : 1;
  return isOpen(a) ? a.dueAt - b.dueAt : b.updatedAt - a.updatedAt;
}

/**
 * Complaints: the queue of the municipality where I am a complaint officer (filters by status and
 * category, overdue ones marked), and one complaint opened from it.
 */
export function ComplaintsSection(props: SectionProps) {
  const { t, date } = useI18n();
  const municipalities = [...new Set(props.session.roles.filter((r) => r.role === "COMPLAINT_OFFICER").map((r) => r.municipalityId))];
  const [municipalityId, setMunicipalityId] = useState(municipalities[0] ?? null);
  const names = useMunicipalityNames(municipalities);
  const [status, setStatus] = useState("open");
  const [category, setCategory] = useState("");
  const [queue, setQueue] = useState<ComplaintRecord[] | null>(null);
  const [now, setNow] = useState<number | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  async function load() {
    if (municipalityId === null) return;
    try {
      const statusFilter = status === "open" ? OPEN_STATUSES.join(",") : status;
      const [list, overdue] = await Promise.all([complaintsApi.list(municipalityId, { status: statusFilter, category }), complaintsApi.overdue(municipalityId)]);
      setQueue([...list.complaints].sort(queueOrder));
      setNow(overdue.now);
    } catch (error) {
      props.report({ kind: "error", error });
    }
  }
  useEffect(() => {
    load();
  }, [props.session.address, municipalityId, status, category]);

  if (municipalityId === null) return <p data-testid="complaints-no-role">{t("officerComplaints.noRole")}</p>;
  if (open) {
    return (
      <ComplaintReview
        {...props}
        complaintId={open}
        now={now}
        onBack={() => {
          setOpen(null);
          load();
        }}
      />
    );
  }

  return (
    <div class="complaints-queue">
      <div class="officer-heading">
        <h3 id="complaints-title">{t("officerComplaints.queueTitle")}</h3>
        <button type="button" onClick={load}>
          {t("officer.refresh")}
        </button>
      </div>
      <div class="complaints-filters">
        {municipalities.length > 1 && (
          <label>
            {t("officerComplaints.filterMunicipality")}
            <select value={municipalityId} onChange={(e) => setMunicipalityId(Number(e.currentTarget.value))} translate={false}>
              {municipalities.map((id) => (
                <option key={id} value={id}>
                  {names.get(id) || t("officer.municipalityNumber", { id })}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("officerComplaints.filterStatus")}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="open">{t("officerComplaints.filterOpen")}</option>
            <option value={ALL_STATUSES.join(",")}>{t("officerComplaints.filterAll")}</option>
            {ALL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(statusLabel(s))}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("officerComplaints.filterCategory")}
          <select value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{t("officerComplaints.filterAllCategories")}</option>
            {CATEGORY_CODES.map((code) => (
              <option key={code} value={code}>
                {t(`officerComplaints.category.${code}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {queue === null && <p>{t("loading")}</p>}
      {queue?.length === 0 && <p data-testid="complaints-empty">{t("officerComplaints.queueEmpty")}</p>}
      {queue && queue.length > 0 && (
        <div class="officer-table-wrap">
          <table class="officer-table" aria-labelledby="complaints-title" data-testid="complaints-queue">
            <thead>
              <tr>
                <th scope="col">{t("officerComplaints.colComplaint")}</th>
                <th scope="col">{t("officerComplaints.colCategory")}</th>
                <th scope="col">{t("officerComplaints.colStatus")}</th>
                <th scope="col">{t("officerComplaints.colFiled")}</th>
                <th scope="col">{t("officerComplaints.colDue")}</th>
              </tr>
            </thead>
            <tbody>
              {queue.map((c) => {
                const overdue = isOverdue(c, now);
                return (
                  <tr key={c.complaintId} data-complaint-id={c.complaintId} data-status={c.detailedStatus} data-overdue={overdue} class={overdue ? "complaints-overdue" : undefined}>
                    <td>
                      <button type="button" class="officer-link" onClick={() => setOpen(c.complaintId)} aria-label={t("officerComplaints.openComplaint", { id: shortId(c.complaintId) })}>
                        <Value mono>{shortId(c.complaintId)}</Value>
                      </button>
                    </td>
                    <td>{categoryText(t, c)}</td>
                    <td>{t(statusLabel(c.detailedStatus))}</td>
                    <td>{date(c.filedAt * 1000)}</td>
                    <td>
                      {isOpen(c) ? date(c.dueAt * 1000) : "—"}
                      {overdue && <strong class="complaints-badge"> {t("officerComplaints.overdue")}</strong>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
