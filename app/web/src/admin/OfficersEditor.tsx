import { formatEther, getAddress, isAddress } from "ethers";
import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { CheckField, TextField, removeAt, replaceAt, roleLabel } from "./fields.js";
import { LOW_GAS_WEI, useGasBalances } from "./gasBalances.js";
import { roleChoices, type DraftChange, type TownDraft } from "./townDraft.js";

type Officer = TownDraft["officers"][number];

/** An address as the profile keeps it (EIP-55), or the message key of why it is none, or taken. */
function addressProblem(draft: TownDraft, text: string): MessageKey | null {
  if (!isAddress(text.trim())) return "admin.addressInvalid";
  const address = getAddress(text.trim());
  return draft.officers.some((officer) => officer.address.toLowerCase() === address.toLowerCase()) ? "admin.addressTaken" : null;
}

/** The officer's gas: what the account holds of the chain's coin, and a warning when it runs low. */
function GasBalance(props: { wei: bigint | null | undefined }) {
  const { t } = useI18n();
  if (props.wei === undefined) return null;
  if (props.wei === null) return <p class="hint">{t("admin.gasUnknown")}</p>;
  const low = props.wei < LOW_GAS_WEI;
  return (
    <p class={low ? "officer-warning" : "hint"} data-testid="gas" data-low={String(low)}>
      {t("admin.gas")}: <Value>{formatEther(props.wei)}</Value>
      {low && <> · {t("admin.gasLow")}</>}
    </p>
  );
}

function RoleChecks(props: { draft: TownDraft; roles: string[]; onChange: (roles: string[]) => void }) {
  const i18n = useI18n();
  const choices = roleChoices(props.draft);
  const toggle = (code: string, on: boolean) =>
    props.onChange(on ? choices.filter((c) => c === code || props.roles.includes(c)) : props.roles.filter((c) => c !== code));
  return (
    <fieldset class="admin-roles">
      <legend>{i18n.t("admin.officerRoles")}</legend>
      {choices.map((code) => (
        <CheckField key={code} label={roleLabel(i18n, props.draft, code)} checked={props.roles.includes(code)} onChange={(on) => toggle(code, on)} />
      ))}
    </fieldset>
  );
}

/** One officer: name, roles, gas; replace a lost key (the same officer, a new address) or remove. */
function OfficerCard(props: { draft: TownDraft; officer: Officer; wei: bigint | null | undefined; onChange: (officer: Officer) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const { officer } = props;
  const [rotating, setRotating] = useState(false);
  const [replacement, setReplacement] = useState("");
  const [problem, setProblem] = useState<MessageKey | null>(null);

  function rotate(event: Event) {
    event.preventDefault();
    const why = addressProblem(props.draft, replacement);
    setProblem(why);
    if (why) return;
    props.onChange({ ...officer, address: getAddress(replacement.trim()) });
    setRotating(false);
    setReplacement("");
  }

  return (
    <li class="admin-card" data-testid="officer-card" data-address={officer.address}>
      <TextField label={t("admin.officerName")} value={officer.name} onChange={(name) => props.onChange({ ...officer, name })} />
      <p>
        {t("admin.address")}: <Value mono>{officer.address}</Value>
      </p>
      <GasBalance wei={props.wei} />
      <RoleChecks draft={props.draft} roles={officer.roles} onChange={(roles) => props.onChange({ ...officer, roles })} />
      {rotating ? (
        <form class="admin-inline" onSubmit={rotate}>
          <TextField label={t("admin.newAddress")} mono value={replacement} onChange={setReplacement} />
          <button type="submit">{t("admin.replaceKey")}</button>
          <button type="button" class="link-button" onClick={() => setRotating(false)}>
            {t("admin.cancel")}
          </button>
          {problem && <p class="field-error">{t(problem)}</p>}
          <p class="hint">{t("admin.rotateHint")}</p>
        </form>
      ) : (
        <p class="actions">
          <button type="button" class="button--secondary" onClick={() => setRotating(true)}>
            {t("admin.rotate")}
          </button>
          <button type="button" class="button--secondary" onClick={props.onRemove}>
            {t("admin.removeOfficer")}
          </button>
        </p>
      )}
    </li>
  );
}

/**
 * The town's officers as the file lists them: each one's name (published on the chain, shown by every
 * verifier), address and roles — ledger roles and the town's own — and the gas each account holds. A
 * lost keystore is a new address for the same officer: the plan grants the new key its roles first,
 * then revokes the old one's.
 */
export function OfficersEditor(props: { draft: TownDraft; onChange: DraftChange }) {
  const { t } = useI18n();
  const { draft, onChange } = props;
  const balances = useGasBalances(draft.officers.map((officer) => officer.address));
  const [name, setName] = useState("");
  const [address, setAddress] = useState("");
  const [roles, setRoles] = useState<string[]>([]);
  const [problem, setProblem] = useState<MessageKey | null>(null);

  const setOfficers = (change: (officers: Officer[]) => Officer[]) => onChange((d) => ({ ...d, officers: change(d.officers) }));

  function add(event: Event) {
    event.preventDefault();
    const why = !name.trim() ? "admin.nameMissing" : addressProblem(draft, address) ?? (roles.length === 0 ? "admin.rolesMissing" : null);
    setProblem(why);
    if (why) return;
    setOfficers((officers) => [...officers, { name: name.trim(), address: getAddress(address.trim()), roles }]);
    setName("");
    setAddress("");
    setRoles([]);
  }

  return (
    <div data-testid="officers-editor">
      {draft.officers.length === 0 && <p>{t("admin.noOfficers")}</p>}
      <ul class="admin-cards">
        {draft.officers.map((officer, index) => (
          <OfficerCard
            key={officer.address}
            draft={draft}
            officer={officer}
            wei={balances.get(officer.address.toLowerCase())}
            onChange={(next) => setOfficers((officers) => replaceAt(officers, index, () => next))}
            onRemove={() => setOfficers((officers) => removeAt(officers, index))}
          />
        ))}
      </ul>
      <form class="admin-card" data-testid="add-officer-form" onSubmit={add}>
        <h4>{t("admin.addOfficer")}</h4>
        <TextField label={t("admin.officerName")} value={name} onChange={setName} />
        <TextField label={t("admin.address")} mono value={address} onChange={setAddress} placeholder="0x…" />
        <RoleChecks draft={draft} roles={roles} onChange={setRoles} />
        <button type="submit">{t("admin.addOfficer")}</button>
        {problem && <p class="field-error">{t(problem)}</p>}
      </form>
    </div>
  );
}
