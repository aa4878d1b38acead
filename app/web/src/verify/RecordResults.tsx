import { Message, Value } from "../components/Message.js";
import { CheckList, MunicipalityName, RawChecks, type PlainCheck } from "../components/VerdictPanel.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { hrefFor } from "../links.js";
import type { ComplaintCheck, ReceiptCheck } from "./checkRecords.js";

/** A pledge receipt checked on the chain (verifyPledgeReceipt): what it says, then every check. */
export function ReceiptResult(props: { result: ReceiptCheck }) {
  const { t, lang } = useI18n();
  const { receipt, verification } = props.result;
  return (
    <section class="panel" data-testid="receipt-result">
      <h3>{t("verifier.receiptTitle")}</h3>
      <p>
        <Message
          id="verifier.receiptFacts"
          values={{ id: <Value mono>{receipt.receiptId}</Value>, campaign: <Value>{receipt.campaignId}</Value>, amount: <Value>{receipt.amount}</Value> }}
        />{" "}
        <a href={hrefFor("/funds/receipts", lang, { receipt: receipt.receiptId })}>{t("verifier.receiptOpen")}</a>
      </p>
      <RawChecks checks={verification.checks} rpcUrl={props.result.rpcUrl} chainId={props.result.chainId} />
    </section>
  );
}

/** A complaint checked on the chain (verifyComplaintRecord): its status, its history with who acted, the file's match. */
export function ComplaintResult(props: { result: ComplaintCheck }) {
  const { t, date } = useI18n();
  const { verification } = props.result;
  const complaint = verification.complaint;
  const recordCheck = verification.checks.find((check) => check.name === "record-matches-chain");
  const plain: PlainCheck[] = recordCheck ? [{ name: "record", ok: recordCheck.ok, text: t(recordCheck.ok ? "verifier.recordMatches" : "verifier.recordDiffers") }] : [];
  const statusWord = (status: string) => t(`complaints.status.${status}` as MessageKey);
  return (
    <section class="panel" data-testid="complaint-result">
      <h3>
        {t("verifier.complaintTitle")} <Value mono>{props.result.complaintId}</Value>
      </h3>
      {complaint && (
        <p>
          <Message
            id="verifier.complaintFacts"
            values={{
              municipality: <MunicipalityName municipality={{ id: complaint.municipalityId, name: complaint.municipalityName }} id={complaint.municipalityId} />,
              status: statusWord(complaint.status),
              due: date(complaint.dueAt * 1000),
            }}
          />
          {complaint.overdue && <> {t("verifier.complaintOverdue")}</>}
        </p>
      )}
      {plain.length > 0 && <CheckList checks={plain} />}
      {verification.history.length > 0 && (
        <>
          <h4>{t("verifier.historyTitle")}</h4>
          <ol class="timeline">
            {verification.history.map((step) => (
              <li key={step.txHash + step.status} data-status={step.status} data-authorised={step.authorised === undefined ? undefined : String(step.authorised)}>
                <p class="timeline__what">
                  {statusWord(step.status)}
                  {step.by === "officer" && (
                    <>
                      {" "}
                      {t("verifier.historyBy")} {step.actorName && <Value>{step.actorName}</Value>} <Value mono>{step.actor}</Value> ({t("role.COMPLAINT_OFFICER")})
                      {step.authorised === false && <strong class="error"> {t("verifier.historyUnauthorised")}</strong>}
                    </>
                  )}
                  {step.by === "reporter" && <> {t("verifier.historyBy")} {t("verifier.historyReporter")}</>}
                </p>
                <p class="timeline__when">{date(step.at * 1000)}</p>
                <p class="timeline__tx">
                  {t("stepTx")}{" "}
                  <code translate={false} title={step.txHash}>
                    {`${step.txHash.slice(0, 10)}…${step.txHash.slice(-6)}`}
                  </code>
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
      <RawChecks
        checks={verification.checks}
        rpcUrl={props.result.rpcUrl}
        chainId={props.result.chainId}
        label={(name) => t(`verifier.complaint.${name}` as MessageKey)}
      />
    </section>
  );
}
