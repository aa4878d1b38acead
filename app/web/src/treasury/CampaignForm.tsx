import { useState } from "preact/hooks";
import { campaignRulesText } from "../../../shared/campaignRules.js";
import { SINGLE_BLOCK_MAX_BYTES } from "../../../shared/singleBlock.js";
import { ApiError } from "../apiRequest.js";
import { useI18n } from "../i18n/index.js";
import { useMunicipalityNames } from "../officer/municipalityNames.js";
import type { SectionProps } from "../officer/sections.js";
import { ActionStatus } from "../officer/status.js";
import { useAction } from "../officer/useAction.js";
import { chainOf } from "../verify/ledgerApi.js";
import { fetchRpc } from "../verify/rpc.js";
import { formatAmount, toUnits, tokenDecimals } from "./amounts.js";
import { demoTokenOf, fundsApi } from "./api.js";
import { signAndSubmit } from "./signAndSubmit.js";

interface MilestoneRow {
  key: number;
  amount: string;
  description: string;
}

/**
 * A new campaign: its words (title, description, what each milestone pays for) become the public rules
 * document (../../../shared/campaignRules.ts), whose SHA-256 the treasurer's signed createCampaign puts
 * on chain with the terms. The goal is the milestones' sum, so the two cannot disagree.
 */
export function CampaignForm(props: SectionProps & { municipalities: number[]; onCreated: (campaignId: number) => void }) {
  const { t } = useI18n();
  const { signer } = props;
  const [rows, setRows] = useState<MilestoneRow[]>([{ key: 0, amount: "", description: "" }]);
  const { busy, act, statusAt } = useAction();
  const names = useMunicipalityNames(props.municipalities);
  const canSign = signer !== null && signer.address.toLowerCase() === props.session.address.toLowerCase();

  const edit = (key: number, change: Partial<MilestoneRow>) => setRows(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  let goalShown = "—";
  try {
    const sum = rows.reduce((total, row) => total + BigInt(toUnits(row.amount, 2)), 0n);
    goalShown = formatAmount(sum.toString(), { decimals: 2, symbol: null });
  } catch {
    // an amount still being typed
  }

  const create = (form: FormData) =>
    act(
      "create",
      async (progress) => {
      const chain = await chainOf();
      const rpc = fetchRpc(chain.rpcUrl);
      const typedToken = String(form.get("token") ?? "").trim();
      const token = typedToken || (await demoTokenOf());
      const decimals = token ? await tokenDecimals(rpc, token) : 0;
      const milestones = rows.map((row) => ({ amount: toUnits(row.amount, decimals), description: row.description.trim() }));
      const goal = milestones.reduce((total, m) => total + BigInt(m.amount), 0n).toString();
      const deadline = Math.floor(new Date(String(form.get("deadline"))).getTime() / 1000);
      const rules = campaignRulesText({ title: String(form.get("title")).trim(), description: String(form.get("description")).trim(), milestones });
      // The API refuses a public document over one IPFS block (its CID must follow from its hash): say so first.
      if (new TextEncoder().encode(rules).length > SINGLE_BLOCK_MAX_BYTES) throw new ApiError("FUNDS_DOCUMENT_TOO_LARGE", 413);

      const upload = new FormData();
      upload.append("file", new Blob([rules], { type: "application/json" }), "campaign-rules.json");
      upload.append("municipalityId", String(form.get("municipalityId") ?? props.municipalities[0]));
      upload.append("beneficiary", String(form.get("beneficiary")).trim());
      upload.append("goal", goal);
      upload.append("deadline", String(Number.isFinite(deadline) ? deadline : 0));
      upload.append("milestones", milestones.map((m) => m.amount).join(","));
      if (typedToken) upload.append("token", typedToken);

      const { result } = await signAndSubmit(signer!, progress, () => fundsApi.prepareCreate(upload), fundsApi.create);
      props.onCreated(result.campaignId);
      return result;
      },
      (result) => ({ kind: "ok", key: "treasury.doneCreated", values: { id: result.campaignId } }),
    );

  return (
    <form
      class="officer-block treasury-form"
      data-testid="campaign-form"
      onSubmit={(event) => {
        event.preventDefault();
        create(new FormData(event.currentTarget));
      }}
    >
      {props.municipalities.length > 1 && (
        <label>
          {t("treasury.municipality")}
          <select name="municipalityId" translate={false}>
            {props.municipalities.map((id) => (
              <option key={id} value={id}>
                {names.get(id) ?? t("officer.municipalityNumber", { id })}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t("treasury.fieldTitle")}
        <input name="title" required maxLength={200} />
      </label>
      <label>
        {t("treasury.fieldDescription")}
        <textarea name="description" rows={4} required maxLength={5000} />
      </label>
      <label>
        {t("treasury.fieldBeneficiary")}
        <input name="beneficiary" required pattern="0x[0-9a-fA-F]{40}" placeholder="0x…" spellcheck={false} autocomplete="off" translate={false} />
      </label>
      <p class="officer-hint">{t("treasury.beneficiaryHint")}</p>
      <label>
        {t("treasury.fieldDeadline")}
        <input name="deadline" type="datetime-local" required />
      </label>
      <fieldset class="treasury-milestones">
        <legend>{t("treasury.milestonesTitle")}</legend>
        <p class="officer-hint">{t("treasury.milestonesHint")}</p>
        <ol>
          {rows.map((row, index) => (
            <li key={row.key} data-testid="milestone-row">
              <label>
                {t("treasury.milestoneAmount", { n: index + 1 })}
                <input inputMode="decimal" required value={row.amount} onInput={(e) => edit(row.key, { amount: e.currentTarget.value })} autocomplete="off" />
              </label>
              <label>
                {t("treasury.milestoneDescription", { n: index + 1 })}
                <input required maxLength={500} value={row.description} onInput={(e) => edit(row.key, { description: e.currentTarget.value })} />
              </label>
              {rows.length > 1 && (
                <button type="button" class="officer-link" onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                  {t("treasury.milestoneRemove", { n: index + 1 })}
                </button>
              )}
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => setRows([...rows, { key: Math.max(...rows.map((r) => r.key)) + 1, amount: "", description: "" }])}>
          {t("treasury.milestoneAdd")}
        </button>
        <p data-testid="goal">
          {t("treasury.goalIsSum")} <strong>{goalShown}</strong>
        </p>
      </fieldset>
      <details>
        <summary>{t("treasury.tokenTitle")}</summary>
        <label>
          {t("treasury.fieldToken")}
          <input name="token" pattern="0x[0-9a-fA-F]{40}" placeholder="0x…" spellcheck={false} autocomplete="off" translate={false} />
        </label>
        <p class="officer-hint">{t("treasury.tokenHint")}</p>
      </details>
      <p class="officer-hint">{t("treasury.rulesPublic")}</p>
      {!canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
      <button type="submit" disabled={busy || !canSign}>
        {t("treasury.create")}
      </button>
      <ActionStatus status={statusAt("create")} />
    </form>
  );
}
