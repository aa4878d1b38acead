import { useState } from "preact/hooks";
import { Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import type { Report } from "../officer/status.js";
import { formatAmount } from "./amounts.js";
import { fundsApi, type Receipt } from "./api.js";

const KIND_LABEL: Record<Receipt["kind"], MessageKey> = {
  pledge: "treasury.kindPledge",
  refund: "treasury.kindRefund",
  "offchain-pledge": "treasury.kindOffchain",
};

/**
 * A pledge receipt to hand to the resident: its JSON to download (asked again at the click, so a
 * receipt whose batch was anchored since carries its Merkle proof), the QR code of its address and the
 * address itself. `payerSalt` (off-chain pledges only) is shown once, for the payer's paper receipt.
 */
export function ReceiptHandout(props: { receipt: Receipt; token: { decimals: number | null; symbol: string | null }; payerSalt?: string; report: Report }) {
  const { t } = useI18n();
  const { receipt } = props;
  const [busy, setBusy] = useState(false);
  const qr = `/api/funds/receipts/${encodeURIComponent(receipt.receiptId)}/qr?format=svg`;

  async function download() {
    setBusy(true);
    try {
      const fresh = await fundsApi.receipt(receipt.receiptId);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([JSON.stringify(fresh, null, 2)], { type: "application/json" }));
      link.download = `${receipt.receiptId}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    } catch (error) {
      props.report({ kind: "error", error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="treasury-receipt" aria-labelledby="receipt-title" data-testid="receipt" data-receipt-id={receipt.receiptId}>
      <h4 id="receipt-title">{t("treasury.receiptTitle")}</h4>
      <div class="treasury-receipt__body">
        <dl class="officer-fields">
          <dt>{t("treasury.receiptId")}</dt>
          <dd>
            <Value mono>{receipt.receiptId}</Value>
          </dd>
          <dt>{t("treasury.receiptKind")}</dt>
          <dd>{t(KIND_LABEL[receipt.kind])}</dd>
          <dt>{t("treasury.amount")}</dt>
          <dd>
            <Value>{formatAmount(receipt.amount, props.token)}</Value>
          </dd>
          <dt>{t("treasury.receiptTx")}</dt>
          <dd>
            <Value mono>{receipt.txHash ?? receipt.recordTxHash}</Value>
          </dd>
          {props.payerSalt && (
            <>
              <dt>{t("treasury.payerSalt")}</dt>
              <dd data-testid="payer-salt">
                <Value mono>{props.payerSalt}</Value>
              </dd>
            </>
          )}
        </dl>
        <img class="treasury-receipt__qr" src={qr} width={160} height={160} alt={t("treasury.receiptQrAlt")} />
      </div>
      {props.payerSalt && <p class="officer-hint">{t("treasury.payerSaltHint")}</p>}
      {receipt.kind === "offchain-pledge" && receipt.proof === null && <p class="officer-hint">{t("treasury.receiptAnchoring")}</p>}
      <div class="officer-actions">
        <button type="button" disabled={busy} onClick={download}>
          {t("treasury.receiptDownload")}
        </button>
        <a href={receipt.verifyUrl} data-testid="receipt-link" target="_blank" rel="noopener">
          {t("treasury.receiptLink")}
        </a>
      </div>
    </section>
  );
}
