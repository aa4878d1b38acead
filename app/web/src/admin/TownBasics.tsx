import { useEffect, useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n } from "../i18n/index.js";
import { areaBounds, townAreaSchema } from "../../../shared/townProfile.js";
import { BilingualFields, TextField } from "./fields.js";
import type { DraftChange, TownDraft } from "./townDraft.js";

/**
 * The town's names (Thai and English, as every page shows them), its Open311 jurisdiction id and its map
 * area: a GeoJSON Polygon or MultiPolygon geometry (longitude first), pasted as the town's GIS exports it.
 */
export function TownBasics(props: { draft: TownDraft; onChange: DraftChange }) {
  const { t } = useI18n();
  const { draft, onChange } = props;
  const [areaText, setAreaText] = useState(() => (draft.area ? JSON.stringify(draft.area) : ""));
  const [areaError, setAreaError] = useState(false);
  useEffect(() => {
    setAreaText(draft.area ? JSON.stringify(draft.area) : "");
    setAreaError(false);
  }, [draft.area]);

  function takeArea(text: string) {
    setAreaText(text);
    let parsed;
    try {
      parsed = townAreaSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    setAreaError(!parsed?.success);
    if (parsed?.success) onChange((d) => ({ ...d, area: parsed.data }));
  }

  const bounds = draft.area ? areaBounds(draft.area) : null;
  return (
    <div data-testid="town-basics">
      <p>
        {t("admin.code")}: <Value mono>{draft.code}</Value>
      </p>
      <BilingualFields label={t("admin.townName")} value={draft.name} onChange={(name) => onChange((d) => ({ ...d, name }))} />
      <TextField
        label={t("admin.jurisdiction")}
        mono
        value={draft.open311.jurisdictionId}
        onChange={(jurisdictionId) => onChange((d) => ({ ...d, open311: { ...d.open311, jurisdictionId } }))}
      />
      <label class="admin-field">
        {t("admin.area")}
        <textarea class="mono" rows={4} spellcheck={false} aria-invalid={areaError} value={areaText} onChange={(e) => takeArea(e.currentTarget.value)} />
      </label>
      {areaError && <p class="field-error">{t("admin.areaInvalid")}</p>}
      <p class="hint" data-testid="area-bounds">
        {bounds ? (
          <>
            {t("admin.areaBounds")}{" "}
            <Value mono>
              {bounds.south}, {bounds.west} – {bounds.north}, {bounds.east}
            </Value>
          </>
        ) : (
          t("admin.areaMissing")
        )}
      </p>
    </div>
  );
}
