import { useI18n } from "../i18n/index.js";
import type { TownChoice } from "../towns/chosenTown.js";
import { townName } from "../towns/townsApi.js";

/**
 * Which town the page is about, in the reader's language: a choice among the towns this ledger serves
 * (GET /api/municipalities), or just the town's name when it serves one. Nothing while the towns load
 * or when the service does not answer (a static copy of the verifier still works without it).
 */
export function TownPicker(props: { choice: TownChoice }) {
  const { t, lang } = useI18n();
  const { towns, town, choose } = props.choice;
  if (!towns || towns.length === 0 || (!town && towns.length === 1)) return null;
  const suspended = town?.suspended && <p class="officer-warning" data-testid="town-suspended">{t("towns.suspendedNote")}</p>;
  if (town && towns.length === 1) {
    return (
      <div class="town-picker">
        <p data-testid="town-name" data-town={String(town.id)}>
          {t("towns.label")}: <strong translate={false}>{townName(town, lang)}</strong>
        </p>
        {suspended}
      </div>
    );
  }
  return (
    <div class="town-picker">
      <label for="town-picker">{t("towns.label")}</label>
      <select id="town-picker" data-testid="town-picker" data-town={town ? String(town.id) : ""} value={town ? String(town.id) : ""} onChange={(e) => choose(Number(e.currentTarget.value))}>
        {!town && <option value="">{t("towns.choose")}</option>}
        {towns.map((each) => (
          <option key={each.id} value={String(each.id)} translate={false}>
            {townName(each, lang)}
            {each.suspended ? ` (${t("towns.suspended")})` : ""}
          </option>
        ))}
      </select>
      {suspended}
    </div>
  );
}
