import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useI18n, type MessageKey } from "../i18n/index.js";
import type { Report } from "../officer/status.js";
import { townDetail, townName, type TownSummary } from "../towns/townsApi.js";
import type { LedgerSigner } from "../wallet/types.js";
import { ApplyPanel } from "./ApplyPanel.js";
import { CategoriesEditor } from "./CategoriesEditor.js";
import { CompromiseKey } from "./CompromiseKey.js";
import { OfficersEditor } from "./OfficersEditor.js";
import { Open311Keys } from "./Open311Keys.js";
import { PermitTypesEditor } from "./PermitTypesEditor.js";
import { ProfileFile } from "./ProfileFile.js";
import { RolesEditor } from "./RolesEditor.js";
import { TownBasics } from "./TownBasics.js";
import { blankDraft, draftJson, type DraftChange, type TownDraft } from "./townDraft.js";
import type { TownProfile } from "../../../shared/townProfile.js";

function Part(props: { id: string; title: MessageKey; count?: number; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <details class="admin-part" data-testid={`part-${props.id}`}>
      <summary>
        {t(props.title)}
        {props.count !== undefined && ` (${props.count})`}
      </summary>
      {props.children}
    </details>
  );
}

/**
 * A municipality's admin edits the town file: it starts from the profile the town published last (or,
 * for a new town, from its code and name on the chain), changes stay in the console until applied (or
 * exported), and applying makes the chain and the published profile match the file.
 */
export function TownEditor(props: { town: TownSummary; signer: LedgerSigner | null; report: Report }) {
  const { t, lang } = useI18n();
  const { town } = props;
  const [published, setPublished] = useState<TownProfile | null>(null);
  const [draft, setDraft] = useState<TownDraft | null>(null);

  async function load() {
    try {
      const detail = await townDetail(town.id);
      setPublished(detail.profile);
      setDraft(detail.profile ?? blankDraft(detail));
    } catch (error) {
      props.report({ kind: "error", error });
    }
  }
  useEffect(() => {
    setDraft(null);
    void load();
  }, [town.id]);

  if (!draft) return <p>{t("loading")}</p>;
  const onChange: DraftChange = (change) => setDraft((current) => (current ? change(current) : current));
  const changed = published === null || draftJson(draft) !== draftJson(published);
  const definedTypes = published?.permitTypes.map((type) => type.code) ?? [];
  const definedCategories = published?.complaintCategories.map((category) => category.code) ?? [];
  return (
    <section class="admin-town" aria-labelledby={`town-${town.id}`} data-testid="town-editor" data-town={String(town.id)}>
      <h3 id={`town-${town.id}`}>
        {t("admin.townTitle")} <span translate={false}>{townName(town, lang)}</span>
      </h3>
      {published === null && <p class="officer-warning">{t("admin.noProfileYet")}</p>}
      <p class="hint" data-testid="draft-state" data-changed={String(changed)}>
        {t(changed ? "admin.draftChanged" : "admin.draftSame")}
      </p>
      <Part id="basics" title="admin.partBasics">
        <TownBasics draft={draft} onChange={onChange} />
      </Part>
      <Part id="officers" title="admin.partOfficers" count={draft.officers.length}>
        <OfficersEditor draft={draft} onChange={onChange} />
        <CompromiseKey municipalityId={town.id} officers={draft.officers} signer={props.signer} />
      </Part>
      <Part id="roles" title="admin.partRoles" count={draft.roles.length}>
        <RolesEditor draft={draft} onChange={onChange} />
      </Part>
      <Part id="permit-types" title="admin.partPermitTypes" count={draft.permitTypes.length}>
        <PermitTypesEditor draft={draft} onChange={onChange} definedCodes={definedTypes} />
      </Part>
      <Part id="categories" title="admin.partCategories" count={draft.complaintCategories.length}>
        <CategoriesEditor draft={draft} onChange={onChange} definedCodes={definedCategories} />
      </Part>
      <Part id="open311" title="admin.partOpen311" count={draft.open311.apiKeys.length}>
        <Open311Keys draft={draft} onChange={onChange} />
      </Part>
      <Part id="file" title="admin.partFile">
        <ProfileFile draft={draft} onImport={setDraft} />
      </Part>
      <ApplyPanel draft={draft} signer={props.signer} onApplied={load} />
    </section>
  );
}
