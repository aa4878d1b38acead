import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { ROLE_NAMES } from "../../../shared/roles.js";
import { BilingualFields, TextField, removeAt, replaceAt } from "./fields.js";
import { newCodeProblem, type DraftChange, type TownDraft } from "./townDraft.js";

/**
 * The town's own roles (beyond the ledger's: e.g. SAFETY_OFFICER for a signboard's approval), each with
 * its Thai and English name. The chain knows a role by the keccak256 of its code alone, so the code is
 * fixed once officers hold it; the names are the town's to change.
 */
export function RolesEditor(props: { draft: TownDraft; onChange: DraftChange }) {
  const { t } = useI18n();
  const { draft, onChange } = props;
  const [code, setCode] = useState("");
  const [label, setLabel] = useState({ th: "", en: "" });
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const setRoles = (change: (roles: TownDraft["roles"]) => TownDraft["roles"]) => onChange((d) => ({ ...d, roles: change(d.roles) }));

  function add(event: Event) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    const why: MessageKey | null =
      newCodeProblem(wanted, [...ROLE_NAMES, ...draft.roles.map((role) => role.code)]) ?? (!label.th.trim() || !label.en.trim() ? "admin.namesMissing" : null);
    setProblem(why);
    if (why) return;
    setRoles((roles) => [...roles, { code: wanted, label: { th: label.th.trim(), en: label.en.trim() } }]);
    setCode("");
    setLabel({ th: "", en: "" });
  }

  return (
    <div data-testid="roles-editor">
      {draft.roles.length === 0 && <p>{t("admin.noRoles")}</p>}
      <ul class="admin-cards">
        {draft.roles.map((role, index) => (
          <li key={role.code} class="admin-card" data-testid="role-card" data-code={role.code}>
            <p>
              {t("admin.code")}: <Value mono>{role.code}</Value>
            </p>
            <BilingualFields label={t("admin.roleName")} value={role.label} onChange={(next) => setRoles((roles) => replaceAt(roles, index, (r) => ({ ...r, label: next })))} />
            <button type="button" class="button--secondary" onClick={() => setRoles((roles) => removeAt(roles, index))}>
              {t("admin.remove")}
            </button>
          </li>
        ))}
      </ul>
      <form class="admin-card" data-testid="add-role-form" onSubmit={add}>
        <h4>{t("admin.addRole")}</h4>
        <TextField label={t("admin.roleCode")} mono value={code} onChange={setCode} placeholder="SAFETY_OFFICER" />
        <BilingualFields label={t("admin.roleName")} value={label} onChange={setLabel} />
        <p class="hint">{t("admin.codeHint")}</p>
        <button type="submit">{t("admin.addRole")}</button>
        {problem && <p class="field-error">{t(problem)}</p>}
      </form>
    </div>
  );
}
