import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { BilingualFields, CheckField, NumberField, TextField, removeAt, replaceAt, roleLabel } from "./fields.js";
import { newCodeProblem, roleChoices, type DraftChange, type TownDraft } from "./townDraft.js";

type PermitType = TownDraft["permitTypes"][number];
const ABBREVIATION = /^[A-Z0-9]{1,6}$/;

/** The approval chain: one role per step, in order (1 to 16 steps). */
function ApprovalSteps(props: { draft: TownDraft; roles: string[]; onChange: (roles: string[]) => void; fixed?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const choices = roleChoices(props.draft);
  return (
    <fieldset class="admin-steps" disabled={props.fixed}>
      <legend>{t("admin.approvalRoles")}</legend>
      <ol>
        {props.roles.map((role, index) => (
          <li key={index}>
            <label class="admin-field">
              {t("admin.step", { n: index + 1 })}
              <select value={role} onChange={(e) => props.onChange(replaceAt(props.roles, index, () => e.currentTarget.value))}>
                {choices.map((code) => (
                  <option key={code} value={code}>
                    {roleLabel(i18n, props.draft, code)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="link-button" onClick={() => props.onChange(removeAt(props.roles, index))}>
              {t("admin.removeStep", { n: index + 1 })}
            </button>
          </li>
        ))}
      </ol>
      {props.roles.length < 16 && (
        <button type="button" class="button--secondary" onClick={() => props.onChange([...props.roles, choices[0]])}>
          {t("admin.addStep")}
        </button>
      )}
    </fieldset>
  );
}

/**
 * Permit types: labels and abbreviation (the short code in permit numbers), the approval chain and how
 * long a certificate is valid — both fixed on the chain once the type is defined, so that no permit's
 * chain changes under it (a new chain is a new type; the old one is retired) — and retirement.
 */
export function PermitTypesEditor(props: { draft: TownDraft; onChange: DraftChange; definedCodes: string[] }) {
  const { t } = useI18n();
  const { draft, onChange } = props;
  const [code, setCode] = useState("");
  const [abbreviation, setAbbreviation] = useState("");
  const [label, setLabel] = useState({ th: "", en: "" });
  const [steps, setSteps] = useState<string[]>([]);
  const [validityDays, setValidityDays] = useState(365);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const setTypes = (change: (types: PermitType[]) => PermitType[]) => onChange((d) => ({ ...d, permitTypes: change(d.permitTypes) }));

  function add(event: Event) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    const short = abbreviation.trim().toUpperCase();
    // The first problem, in the order of the form's fields.
    const why: MessageKey | null =
      newCodeProblem(wanted, draft.permitTypes.map((type) => type.code)) ??
      (!ABBREVIATION.test(short) || draft.permitTypes.some((type) => type.abbreviation === short) ? "admin.abbreviationInvalid" : null) ??
      (!label.th.trim() || !label.en.trim() ? "admin.namesMissing" : null) ??
      (steps.length === 0 ? "admin.stepsMissing" : null) ??
      (!Number.isInteger(validityDays) || validityDays < 0 ? "admin.validityInvalid" : null);
    setProblem(why);
    if (why) return;
    setTypes((types) => [...types, { code: wanted, abbreviation: short, label: { th: label.th.trim(), en: label.en.trim() }, approvalRoles: steps, validityDays, retired: false }]);
    setCode("");
    setAbbreviation("");
    setLabel({ th: "", en: "" });
    setSteps([]);
  }

  return (
    <div data-testid="permit-types-editor">
      {draft.permitTypes.length === 0 && <p>{t("admin.noPermitTypes")}</p>}
      <ul class="admin-cards">
        {draft.permitTypes.map((type, index) => {
          const fixed = props.definedCodes.includes(type.code);
          const update = (change: (type: PermitType) => PermitType) => setTypes((types) => replaceAt(types, index, change));
          return (
            <li key={type.code} class="admin-card" data-testid="permit-type-card" data-code={type.code} data-retired={String(type.retired)}>
              <p>
                {t("admin.code")}: <Value mono>{type.code}</Value>
              </p>
              <TextField label={t("admin.abbreviation")} mono value={type.abbreviation} onChange={(text) => update((p) => ({ ...p, abbreviation: text.toUpperCase() }))} />
              <BilingualFields label={t("admin.permitLabel")} value={type.label} onChange={(next) => update((p) => ({ ...p, label: next }))} />
              <ApprovalSteps draft={draft} roles={type.approvalRoles} fixed={fixed} onChange={(roles) => update((p) => ({ ...p, approvalRoles: roles }))} />
              <NumberField label={t("admin.validityDays")} min={0} value={type.validityDays} disabled={fixed} onChange={(days) => update((p) => ({ ...p, validityDays: days }))} />
              {fixed && <p class="hint">{t("admin.permitTypeFixed")}</p>}
              <CheckField label={t("admin.retired")} checked={type.retired} onChange={(retired) => update((p) => ({ ...p, retired }))} />
              {!fixed && (
                <button type="button" class="button--secondary" onClick={() => setTypes((types) => removeAt(types, index))}>
                  {t("admin.remove")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form class="admin-card" data-testid="add-permit-type-form" onSubmit={add}>
        <h4>{t("admin.addPermitType")}</h4>
        <TextField label={t("admin.permitCode")} mono value={code} onChange={setCode} placeholder="SIGNBOARD" />
        <TextField label={t("admin.abbreviation")} mono value={abbreviation} onChange={setAbbreviation} placeholder="SGN" />
        <BilingualFields label={t("admin.permitLabel")} value={label} onChange={setLabel} />
        <ApprovalSteps draft={draft} roles={steps} onChange={setSteps} />
        <NumberField label={t("admin.validityDays")} min={0} value={validityDays} onChange={setValidityDays} />
        <p class="hint">{t("admin.validityHint")}</p>
        <button type="submit">{t("admin.addPermitType")}</button>
        {problem && <p class="field-error">{t(problem)}</p>}
      </form>
    </div>
  );
}
