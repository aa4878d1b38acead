import { parseCampaignRules } from "../../../../shared/campaignRules.js";
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../apiRequest.js";
import { Message, Value } from "../../components/Message.js";
import { campaign as fetchCampaign, formatAmount, publicText, type CampaignDetail } from "../../funds/fundsApi.js";
import { CampaignProgress } from "../../funds/ProgressBar.js";
import { useI18n } from "../../i18n/index.js";
import { hrefFor } from "../../links.js";
import { townList, townName, type TownSummary } from "../../towns/townsApi.js";
import { chainOf } from "../../verify/ledgerApi.js";
import { phaseKey } from "./Campaigns.js";

/**
 * /funds/:id — one campaign: its rules (the public document on IPFS, and the hash frozen when it
 * opened), progress, milestones with their payments, the pledges (no personal data) and how to pledge.
 */
export function CampaignPage(props: { id: number }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const [detail, setDetail] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rules, setRules] = useState<string | null>(null);
  const [fundAddress, setFundAddress] = useState<string | null>(null);
  const [towns, setTowns] = useState<TownSummary[]>([]);
  useEffect(() => {
    townList().then(setTowns, () => {});
  }, []);

  useEffect(() => {
    setDetail(null);
    setError(null);
    setRules(null);
    fetchCampaign(props.id).then(
      (answer) => {
        setDetail(answer);
        publicText(answer.rulesDocument.cid).then(setRules, () => {});
      },
      (e) => setError(errorText(i18n, "funds", e)),
    );
    chainOf().then((chain) => setFundAddress(chain.contracts.civicFund ?? null), () => {});
  }, [props.id]);

  // Campaigns made in the officer console carry their title in the rules document (app/shared/campaignRules.ts).
  const title = rules === null ? null : (parseCampaignRules(rules)?.title ?? null);
  const money = (units: string) => <Value>{formatAmount(units, detail?.token, lang)}</Value>;
  const town = towns.find((each) => each.id === detail?.municipalityId);
  return (
    <>
      <p>
        <a href={hrefFor("/funds", lang, town ? { town: String(town.id) } : {})}>← {t("funds.backToList")}</a>
      </p>
      <h1>{title ? <span translate={false}>{title}</span> : t("funds.campaignName", { id: props.id })}</h1>
      <div role="status" aria-live="polite">
        {!detail && !error && <p>{t("funds.loading")}</p>}
        {error && <p class="error">{error}</p>}
      </div>
      {detail && (
        <>
          <section class="panel">
            <CampaignProgress campaign={detail} />
            <dl class="facts">
              {town && (
                <>
                  <dt>{t("towns.label")}</dt>
                  <dd data-testid="campaign-town">
                    <Value>{townName(town, lang)}</Value>
                  </dd>
                </>
              )}
              <dt>{t("funds.statusLabel")}</dt>
              <dd data-phase={detail.phase}>{t(phaseKey(detail.phase))}</dd>
              <dt>{t("funds.goal")}</dt>
              <dd>{money(detail.goal)}</dd>
              <dt>{t("funds.deadline")}</dt>
              <dd>{date(detail.deadline * 1000)}</dd>
              {detail.releaseDeadline !== null && (
                <>
                  <dt>{t("funds.releaseDeadline")}</dt>
                  <dd data-testid="release-deadline">
                    {date(detail.releaseDeadline * 1000)}
                    <br />
                    <span class="hint">{t("funds.releaseDeadlineHint")}</span>
                  </dd>
                </>
              )}
              <dt>{t("funds.escrowed")}</dt>
              <dd>{money(detail.escrowed)}</dd>
              <dt>{t("funds.beneficiary")}</dt>
              <dd>
                <Value mono>{detail.beneficiary}</Value>
              </dd>
            </dl>
          </section>

          <section class="panel" aria-labelledby="rules-title">
            <h2 id="rules-title">{t("funds.descriptionTitle")}</h2>
            {rules !== null && (
              <pre class="rules-text" translate={false} data-testid="rules-text">
                {rules}
              </pre>
            )}
            <dl class="facts">
              <dt>{t("funds.rulesDocument")}</dt>
              <dd>
                <a href={`/ipfs/${detail.rulesDocument.cid}`}>{t("funds.rulesOpen")}</a>
              </dd>
              <dt>{t("funds.rulesDocumentHash")}</dt>
              <dd>
                <Value mono>{detail.rulesDocument.sha256}</Value>
              </dd>
              <dt>{t("funds.rulesHash")}</dt>
              <dd data-testid="rules-hash">{detail.rulesHash ? <Value mono>{detail.rulesHash}</Value> : t("funds.notOpened")}</dd>
            </dl>
          </section>

          <section class="panel" aria-labelledby="milestones-title">
            <h2 id="milestones-title">{t("funds.milestonesTitle")}</h2>
            <ol class="milestones">
              {detail.milestones.map((m) => (
                <li key={m.index}>
                  <strong>{t("funds.milestone", { n: m.index + 1 })}</strong> · {money(m.amount)} ·{" "}
                  {m.release ? (
                    <>
                      {t("funds.milestonePaid", { date: m.release.at ? date(m.release.at) : "—" })}
                      {" "}
                      · <a href={`/ipfs/${m.release.evidence.cid}`}>{t("funds.milestoneEvidence")}</a>
                    </>
                  ) : (
                    t("funds.milestoneUnpaid")
                  )}
                </li>
              ))}
            </ol>
          </section>

          <section class="panel" aria-labelledby="pledges-title">
            <h2 id="pledges-title">{t("funds.pledgesTitle")}</h2>
            <p data-testid="pledges-total">
              <Message id="funds.pledgesTotal" values={{ onchain: money(detail.pledged), offchain: money(detail.offchainTotal), count: <Value>{detail.pledges.length}</Value> }} />
            </p>
            {detail.pledges.length === 0 ? (
              <p>{t("funds.pledgesNone")}</p>
            ) : (
              <ul class="pledges">
                {detail.pledges.map((p) => (
                  <li key={p.txHash + (p.receiptHash ?? p.pledger)}>
                    {money(p.amount)} · {t(p.kind === "pledge" ? "funds.pledgeWallet" : "funds.pledgeCash")} · {p.at ? date(p.at) : ""}
                    <br />
                    <span class="hint">
                      {t("funds.transaction")} <Value mono>{p.txHash}</Value>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="panel" aria-labelledby="how-title">
            <h2 id="how-title">{t("funds.howTitle")}</h2>
            {detail.phase === "Funding" ? (
              <>
                <p>
                  <a class="button" href={hrefFor(`/funds/${props.id}/pledge`, lang)}>
                    {t("funds.pledgeWithWallet")}
                  </a>
                </p>
                <p>{t("funds.howCash")}</p>
                <p>
                  <Message
                    id="funds.howWallet"
                    values={{ symbol: <Value>{detail.token.symbol ?? detail.token.address}</Value>, contract: <Value mono>{fundAddress ?? "—"}</Value> }}
                  />
                </p>
              </>
            ) : (
              <p>{t(detail.phase === "Lapsed" ? "funds.howLapsed" : "funds.howClosed")}</p>
            )}
            <p>
              <a href={hrefFor("/funds/receipts", lang)}>{t("funds.receiptsLink")}</a>
            </p>
          </section>
        </>
      )}
    </>
  );
}
