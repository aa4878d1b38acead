import { useEffect, useState } from "preact/hooks";
import type { CampaignRules } from "../../../shared/campaignRules.js";
import { SINGLE_BLOCK_MAX_BYTES } from "../../../shared/singleBlock.js";
import { ApiError } from "../apiRequest.js";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import type { SectionProps } from "../officer/sections.js";
import { ActionStatus } from "../officer/status.js";
import { useAction } from "../officer/useAction.js";
import { formatAmount, toUnits } from "./amounts.js";
import { fundsApi, rulesOf, type CampaignDetail, type Receipt } from "./api.js";
import { ReceiptHandout } from "./ReceiptHandout.js";
import { signAndSubmit } from "./signAndSubmit.js";

export const phaseLabel = (phase: string) => `treasury.phase.${phase}` as MessageKey;

/**
 * One campaign as its treasurer runs it: terms and totals, then what its phase allows — open (the rules
 * are frozen on chain), cancel with a public reason, record a cash or bank pledge and hand over its
 * receipt, release the next milestone against a public evidence file.
 */
export function CampaignManage(props: SectionProps & { campaignId: number; onBack: () => void }) {
  const { t, date, lang } = useI18n();
  const { signer, session, report, campaignId } = props;
  const [campaign, setCampaign] = useState<CampaignDetail | null>(null);
  const [rules, setRules] = useState<CampaignRules | null>(null);
  const [handout, setHandout] = useState<{ receipt: Receipt; payerSalt: string } | null>(null);
  const canSign = signer !== null && signer.address.toLowerCase() === session.address.toLowerCase();

  async function load() {
    try {
      const detail = await fundsApi.campaign(campaignId);
      // Both at once: the title does not flicker from "campaign N" to its name.
      setRules(await rulesOf(detail.rulesDocument));
      setCampaign(detail);
    } catch (error) {
      report({ kind: "error", error });
      props.onBack();
    }
  }
  useEffect(() => {
    load();
  }, [campaignId]);

  const { busy, act, show, statusAt } = useAction(load);

  if (!campaign) return <p>{t("loading")}</p>;
  const amount = (units: string) => <Value>{formatAmount(units, campaign.token)}</Value>;
  const nextMilestone = campaign.milestones.find((m) => m.release === null);
  const phase = campaign.phase;
  const goalReached = BigInt(campaign.pledged) >= BigInt(campaign.goal);

  return (
    <article class="treasury-campaign" aria-labelledby="campaign-title" data-testid="campaign" data-phase={phase} data-campaign-id={campaign.campaignId}>
      <button type="button" class="officer-link" onClick={props.onBack}>
        ← {t("treasury.back")}
      </button>
      <h3 id="campaign-title">
        {rules ? <Value>{rules.title}</Value> : t("treasury.campaignNumber", { id: campaign.campaignId })}
      </h3>
      {rules && (
        <p>
          <Value>{rules.description}</Value>
        </p>
      )}
      <dl class="officer-fields">
        <dt>{t("treasury.colState")}</dt>
        <dd data-testid="campaign-phase">{t(phaseLabel(phase))}</dd>
        <dt>{t("treasury.goal")}</dt>
        <dd>{amount(campaign.goal)}</dd>
        <dt>{t("treasury.pledgedOnchain")}</dt>
        <dd data-testid="campaign-pledged">
          {amount(campaign.pledged)} ({campaign.progressPercent}%)
        </dd>
        <dt>{t("treasury.pledgedOffchain")}</dt>
        <dd data-testid="campaign-offchain">{amount(campaign.offchainTotal)}</dd>
        <dt>{t("treasury.fieldDeadline")}</dt>
        <dd>{date(campaign.deadlineAt)}</dd>
        {campaign.releaseDeadlineAt && (
          <>
            <dt>{t("treasury.releaseDeadline")}</dt>
            <dd data-testid="campaign-release-deadline">
              {date(campaign.releaseDeadlineAt)}
              <br />
              <span class="officer-hint">{t("treasury.releaseDeadlineHint")}</span>
            </dd>
          </>
        )}
        <dt>{t("treasury.fieldBeneficiary")}</dt>
        <dd>
          <Value mono>{campaign.beneficiary}</Value>
        </dd>
        <dt>{t("treasury.rulesDocument")}</dt>
        <dd>
          <a href={`/ipfs/${campaign.rulesDocument.cid}`} translate={false}>
            {campaign.rulesDocument.sha256}
          </a>
        </dd>
        <dt>{t("treasury.rulesHash")}</dt>
        <dd>{campaign.rulesHash ? <Value mono>{campaign.rulesHash}</Value> : t("treasury.rulesNotFrozen")}</dd>
      </dl>

      <h4>{t("treasury.milestonesTitle")}</h4>
      <ol class="treasury-milestone-list" data-testid="milestones">
        {campaign.milestones.map((m) => (
          <li key={m.index} data-released={m.release ? "yes" : "no"}>
            {amount(m.amount)}
            {rules?.milestones[m.index] && (
              <>
                {" "}
                · <Value>{rules.milestones[m.index].description}</Value>
              </>
            )}{" "}
            · {m.release ? t("treasury.milestoneReleased", { date: m.release.at ? date(m.release.at) : "—" }) : t("treasury.milestoneWaiting")}
          </li>
        ))}
      </ol>
      {phase === "Funding" && (
        <p>
          <a href={hrefFor(`/funds/${campaign.campaignId}/pledge`, lang)}>{t("treasury.pledgePageLink")}</a>
        </p>
      )}

      <section class="officer-decide" aria-labelledby="campaign-actions-title">
        <h4 id="campaign-actions-title">{t("treasury.actionsTitle")}</h4>
        {!canSign && <p class="officer-warning">{t("officer.unlockToSign")}</p>}
        {(phase === "Failed" || phase === "Cancelled" || phase === "Lapsed") && <p>{t("treasury.nothingToDo")}</p>}

        {phase === "Draft" && (
          <div class="officer-block">
            <p class="officer-hint">{t("treasury.openHint")}</p>
            <button
              type="button"
              disabled={busy || !canSign}
              onClick={() =>
                act(
                  "open",
                  (progress) => signAndSubmit(signer!, progress, () => fundsApi.prepareOpen(campaignId), (signed) => fundsApi.open(campaignId, signed)),
                  { kind: "ok", key: "treasury.doneOpened" },
                )
              }
            >
              {t("treasury.open")}
            </button>
          </div>
        )}
        <ActionStatus status={statusAt("open")} />

        {phase === "Funding" && (
          <form
            class="officer-block treasury-form"
            data-testid="offchain-form"
            onSubmit={(event) => {
              event.preventDefault();
              const form = new FormData(event.currentTarget);
              const formElement = event.currentTarget;
              act("offchain", async (progress) => {
                const pledge = {
                  amount: toUnits(String(form.get("amount")), campaign.token.decimals ?? 0),
                  method: form.get("method") as "cash" | "bank-transfer",
                  paidOn: String(form.get("paidOn")),
                  payerName: String(form.get("payerName")).trim(),
                };
                const { prepared, result } = await signAndSubmit(
                  signer!,
                  progress,
                  () => fundsApi.prepareOffchain(campaignId, pledge),
                  (signed) => fundsApi.recordOffchain(campaignId, signed),
                );
                setHandout({ receipt: result, payerSalt: prepared.payerSalt });
                formElement.reset();
              }, { kind: "ok", key: "treasury.doneOffchain" });
            }}
          >
            <h5>{t("treasury.offchainTitle")}</h5>
            <p class="officer-hint">{t("treasury.offchainHint")}</p>
            <label>
              {t("treasury.amountIn", { symbol: campaign.token.symbol ?? "" })}
              <input name="amount" inputMode="decimal" required autocomplete="off" />
            </label>
            <label>
              {t("treasury.method")}
              <select name="method">
                <option value="cash">{t("treasury.methodCash")}</option>
                <option value="bank-transfer">{t("treasury.methodBank")}</option>
              </select>
            </label>
            <label>
              {t("treasury.paidOn")}
              <input name="paidOn" type="date" required />
            </label>
            <label>
              {t("treasury.payerName")}
              <input name="payerName" required maxLength={200} autocomplete="off" />
            </label>
            <p class="officer-hint">{t("treasury.payerNameHint")}</p>
            <button type="submit" disabled={busy || !canSign}>
              {t("treasury.recordOffchain")}
            </button>
            <ActionStatus status={statusAt("offchain")} />
          </form>
        )}
        {handout && <ReceiptHandout receipt={handout.receipt} payerSalt={handout.payerSalt} token={campaign.token} report={report} />}

        {phase === "Succeeded" && nextMilestone && (
          <form
            class="officer-block treasury-form"
            data-testid="release-form"
            onSubmit={(event) => {
              event.preventDefault();
              const upload = new FormData(event.currentTarget);
              // The API refuses evidence over one IPFS block (its CID must follow from its hash): say so before the upload.
              const file = upload.get("file");
              if (file instanceof File && file.size > SINGLE_BLOCK_MAX_BYTES) {
                return show("release", { kind: "error", error: new ApiError("FUNDS_DOCUMENT_TOO_LARGE", 413, file.name) });
              }
              act(
                "release",
                (progress) =>
                  signAndSubmit(
                    signer!,
                    progress,
                    () => fundsApi.prepareRelease(campaignId, nextMilestone.index, upload),
                    (signed) => fundsApi.release(campaignId, nextMilestone.index, signed),
                  ),
                { kind: "ok", key: "treasury.doneReleased", values: { n: nextMilestone.index + 1 } },
              );
            }}
          >
            <h5>{t("treasury.releaseTitle", { n: nextMilestone.index + 1 })}</h5>
            <p class="officer-warning">{t("treasury.evidencePublic")}</p>
            <label>
              {t("treasury.evidenceFile")}
              <input name="file" type="file" required />
            </label>
            <p class="officer-hint">{t("treasury.evidenceLimit")}</p>
            <button type="submit" disabled={busy || !canSign}>
              {t("treasury.release", { n: nextMilestone.index + 1 })}
            </button>
          </form>
        )}
        {/* After its block: the release that was the last leaves no form to stand under. */}
        <ActionStatus status={statusAt("release")} />

        {/* CivicFund refuses to cancel a campaign whose pledges reached its goal (CivicFundGoalReached). */}
        {phase === "Funding" && goalReached && <p data-testid="cancel-refused">{t("treasury.goalReachedNoCancel")}</p>}
        {(phase === "Draft" || (phase === "Funding" && !goalReached)) && (
          <form
            class="officer-revoke"
            data-testid="cancel-form"
            onSubmit={(event) => {
              event.preventDefault();
              const reason = String(new FormData(event.currentTarget).get("reason") ?? "");
              act(
                "cancel",
                (progress) => signAndSubmit(signer!, progress, () => fundsApi.prepareCancel(campaignId, reason), (signed) => fundsApi.cancel(campaignId, signed)),
                { kind: "ok", key: "treasury.doneCancelled" },
              );
            }}
          >
            <h5>{t("treasury.cancelTitle")}</h5>
            <label>
              {t("treasury.cancelReason")}
              <textarea name="reason" rows={3} required maxLength={5000} />
            </label>
            <p class="officer-hint">{t("treasury.cancelHint")}</p>
            <button type="submit" class="officer-danger" disabled={busy || !canSign}>
              {t("treasury.cancel")}
            </button>
          </form>
        )}
        <ActionStatus status={statusAt("cancel")} />
      </section>
    </article>
  );
}
