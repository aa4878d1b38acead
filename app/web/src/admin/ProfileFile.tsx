import { useState } from "preact/hooks";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { checkDraft, draftJson, type TownDraft } from "./townDraft.js";

/**
 * The whole town file: downloaded as it stands in the console (to keep, review or apply with
 * `ledger town apply`), or read from a file (a town's file prepared elsewhere), which replaces what is
 * in the console once it is a valid profile of this town.
 */
export function ProfileFile(props: { draft: TownDraft; onImport: (draft: TownDraft) => void }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<{ key: MessageKey; details: string[] } | null>(null);
  const [imported, setImported] = useState(false);

  function exportFile() {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([draftJson(props.draft)], { type: "application/json" }));
    link.download = `${props.draft.code.toLowerCase()}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  }

  async function importFile(file: File | undefined) {
    setImported(false);
    setProblem(null);
    if (!file) return;
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      return setProblem({ key: "admin.fileNotJson", details: [] });
    }
    const checked = checkDraft(json as TownDraft);
    if (!checked.profile) return setProblem({ key: "admin.fileInvalid", details: checked.problems });
    if (checked.profile.code !== props.draft.code) return setProblem({ key: "admin.fileOtherTown", details: [checked.profile.code] });
    props.onImport(checked.profile);
    setImported(true);
  }

  return (
    <div data-testid="profile-file">
      <p class="actions">
        <button type="button" class="button--secondary" onClick={exportFile}>
          {t("admin.exportFile")}
        </button>
      </p>
      <label class="button button--secondary">
        {t("admin.importFile")}
        <input type="file" accept="application/json,.json" class="visually-hidden" onChange={(e) => void importFile(e.currentTarget.files?.[0])} />
      </label>
      <div role="status" aria-live="polite">
        {imported && <p>{t("admin.fileImported")}</p>}
        {problem && (
          <div class="error">
            <p>{t(problem.key)}</p>
            {problem.details.length > 0 && (
              <ul translate={false}>
                {problem.details.map((detail) => (
                  <li key={detail}>{detail}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
