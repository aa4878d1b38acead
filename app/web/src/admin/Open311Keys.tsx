import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import { TextField, removeAt } from "./fields.js";
import { newOpen311Key } from "./open311Key.js";
import type { DraftChange, TownDraft } from "./townDraft.js";

/**
 * The town's Open311 api keys: the profile lists each one's label, SHA-256 and creation time, never the
 * key. A new key is made here, in the browser, and shown once to the admin, who hands it to the client
 * (FixMyStreet, a LINE bot); it works once the file is applied. Revoking removes it from the file.
 */
export function Open311Keys(props: { draft: TownDraft; onChange: DraftChange }) {
  const { t, date } = useI18n();
  const { draft, onChange } = props;
  const [label, setLabel] = useState("");
  const [missing, setMissing] = useState(false);
  const [shown, setShown] = useState<{ label: string; key: string } | null>(null);
  const keys = draft.open311.apiKeys;
  const setKeys = (change: (keys: TownDraft["open311"]["apiKeys"]) => TownDraft["open311"]["apiKeys"]) =>
    onChange((d) => ({ ...d, open311: { ...d.open311, apiKeys: change(d.open311.apiKeys) } }));

  function create(event: Event) {
    event.preventDefault();
    setMissing(!label.trim());
    if (!label.trim()) return;
    const made = newOpen311Key();
    setKeys((current) => [...current, { label: label.trim(), sha256: made.sha256, createdAt: new Date().toISOString() }]);
    setShown({ label: label.trim(), key: made.key });
    setLabel("");
  }

  return (
    <div data-testid="open311-keys">
      <p>
        {t("admin.jurisdiction")}: <Value mono>{draft.open311.jurisdictionId}</Value>
      </p>
      {keys.length === 0 ? (
        <p>{t("admin.noKeys")}</p>
      ) : (
        <ul class="admin-cards">
          {keys.map((key, index) => (
            <li key={key.sha256} class="admin-card" data-testid="api-key" data-sha256={key.sha256}>
              <strong translate={false}>{key.label}</strong>
              <p class="hint">
                {t("admin.keyCreated", { time: date(key.createdAt) })} · {t("admin.keyHash")} <Value mono>{`${key.sha256.slice(0, 18)}…`}</Value>
              </p>
              <button type="button" class="button--secondary" onClick={() => setKeys((current) => removeAt(current, index))}>
                {t("admin.revokeKey")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {shown && (
        <div class="admin-card admin-secret" role="alert" data-testid="new-api-key">
          <p>
            <strong>{t("admin.keyShownOnce", { label: shown.label })}</strong>
          </p>
          <p>
            <Value mono>{shown.key}</Value>
          </p>
          <p class="hint">{t("admin.keyApplyHint")}</p>
          <button type="button" class="link-button" onClick={() => setShown(null)}>
            {t("admin.keyNoted")}
          </button>
        </div>
      )}
      <form class="admin-card" data-testid="add-key-form" onSubmit={create}>
        <TextField label={t("admin.keyLabel")} value={label} onChange={setLabel} placeholder="FixMyStreet" />
        <button type="submit">{t("admin.createKey")}</button>
        {missing && <p class="field-error">{t("admin.keyLabelMissing")}</p>}
      </form>
    </div>
  );
}
