import { useState } from "preact/hooks";
import { useI18n } from "../i18n/index.js";
import type { SectionProps } from "../officer/sections.js";
import { townName } from "../towns/townsApi.js";
import { useAdminRights } from "./adminRights.js";
import { NationalAdmin } from "./NationalAdmin.js";
import { TownEditor } from "./TownEditor.js";

/**
 * Administration (the console's tab for the signed-in account when it is the national admin or a
 * municipality's admin): the national admin's register of municipalities, and the town file of each
 * municipality this account administers. Every change is the admin's own signature; the service only
 * plans and relays.
 */
export function AdminSection(props: SectionProps) {
  const { t, lang } = useI18n();
  const rights = useAdminRights(props.session.address);
  const [chosen, setChosen] = useState<number | null>(null);
  const town = rights.towns.find((each) => each.id === chosen) ?? rights.towns[0] ?? null;
  const otherKey = props.signer && props.signer.address.toLowerCase() !== props.session.address.toLowerCase();
  return (
    <div class="admin" data-testid="admin-section">
      {!props.signer && <p class="officer-hint">{t("admin.unlockToApply")}</p>}
      {otherKey && <p class="officer-warning">{t("officer.otherAccount")}</p>}
      {rights.national && <NationalAdmin towns={rights.all} signer={props.signer} onChanged={rights.reload} />}
      {rights.towns.length > 1 && (
        <label class="admin-field">
          {t("admin.chooseTown")}
          <select value={town ? String(town.id) : ""} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
            {rights.towns.map((each) => (
              <option key={each.id} value={String(each.id)} translate={false}>
                {townName(each, lang)}
              </option>
            ))}
          </select>
        </label>
      )}
      {town && <TownEditor key={town.id} town={town} signer={props.signer} report={props.report} />}
      {!rights.national && rights.towns.length === 0 && <p>{t("admin.noRights")}</p>}
    </div>
  );
}
