import { useEffect, useRef, useState } from "preact/hooks";
import { RpcFailedError } from "../../../../shared/verifyBundle.js";
import { errorText } from "../../apiRequest.js";
import { Message, Value } from "../../components/Message.js";
import { CheckList, type PlainCheck } from "../../components/VerdictPanel.js";
import { NotAReceiptError, checkReceipt, type ReceiptCheck } from "../../funds/checkReceipt.js";
import { RECEIPT_ID, campaign, formatAmount, receiptById, type CampaignSummary } from "../../funds/fundsApi.js";
import { forgetReceipt, keepReceipt, keptReceipts, type KeptReceipt } from "../../funds/receiptShelf.js";
import { CATALOGUES, useI18n, type MessageKey } from "../../i18n/index.js";
import { hrefFor } from "../../links.js";
import { navigate } from "../../router.js";

type State =
  | { kind: "idle" }
  | { kind: "working"; step: "funds.fetching" | "funds.checking" }
  | { kind: "result"; result: ReceiptCheck; fileName?: string }
  | { kind: "error"; text: string };

const VERDICT_MARK = { valid: "✓", pending: "…", invalid: "✗" } as const;
const VERDICT_CLASS = { valid: "valid", pending: "pending", invalid: "revoked" } as const;

/**
 * /funds/receipts — "my receipts" (kept in this browser), a look-up by receipt id, and the check of a
 * receipt file or of a QR link (/api/funds/receipts/<id> redirects a browser here with ?receipt=<id>).
 * Every check runs here against the chain, with app/shared/verifyReceipt.ts.
 */
export function ReceiptsPage(props: { url: URL }) {
  const i18n = useI18n();
  const { t, lang, date } = i18n;
  const [state, setState] = useState<State>({ kind: "idle" });
  const [kept, setKept] = useState<KeptReceipt[]>(() => keptReceipts());
  const [idText, setIdText] = useState("");
  const [idError, setIdError] = useState(false);
  const run = useRef(0);

  async function perform(load: () => Promise<{ json: unknown; fileName?: string }>) {
    const mine = ++run.current;
    const set = (next: State) => mine === run.current && setState(next);
    try {
      set({ kind: "working", step: "funds.fetching" });
      const { json, fileName } = await load();
      set({ kind: "working", step: "funds.checking" });
      const result = await checkReceipt(json);
      if (result.verdict !== "invalid") setKept(keepReceipt(result.receipt, result.verdict));
      set({ kind: "result", result, fileName });
    } catch (error) {
      console.error(error);
      if (error instanceof NotAReceiptError || error instanceof SyntaxError) set({ kind: "error", text: t("funds.notReceipt") });
      else if (error instanceof RpcFailedError) set({ kind: "error", text: t("funds.error.RPC") });
      else set({ kind: "error", text: errorText(i18n, "funds", error) });
    }
  }

  const linked = props.url.searchParams.get("receipt");
  useEffect(() => {
    if (!linked) return;
    setIdText(linked);
    const valid = RECEIPT_ID.test(linked);
    setIdError(!valid);
    if (valid) void perform(async () => ({ json: await receiptById(linked) }));
  }, [linked]);

  function lookUp(event: Event) {
    event.preventDefault();
    const id = idText.trim();
    const valid = RECEIPT_ID.test(id);
    setIdError(!valid);
    if (valid) navigate(hrefFor("/funds/receipts", lang, { receipt: id }));
  }

  function checkFile(file: File | undefined) {
    if (file) void perform(async () => ({ json: JSON.parse(await file.text()) as unknown, fileName: file.name }));
  }

  return (
    <>
      <h1>{t("funds.receiptsTitle")}</h1>
      <p class="lead">{t("funds.receiptsIntro")}</p>

      <section class="result" aria-labelledby={state.kind === "idle" ? undefined : "receipt-result-title"}>
        {state.kind !== "idle" && <h2 id="receipt-result-title">{t("funds.resultTitle")}</h2>}
        <div role="status" aria-live="polite" aria-atomic="true" aria-busy={state.kind === "working"} data-testid="receipt-verdict">
          {state.kind === "working" && <p class="working">{t(state.step)}</p>}
          {state.kind === "error" && <p class="error">{state.text}</p>}
          {state.kind === "result" && (
            <div class={`verdict verdict--${VERDICT_CLASS[state.result.verdict]}`} data-verdict={state.result.verdict}>
              <p class="verdict__word">
                <span aria-hidden="true" class="verdict__mark">
                  {VERDICT_MARK[state.result.verdict]}
                </span>{" "}
                {t(`funds.verdict.${state.result.verdict}` as MessageKey)}
              </p>
              <p class="verdict__text">{t(`funds.verdictText.${state.result.verdict}` as MessageKey)}</p>
            </div>
          )}
        </div>
        {state.kind === "result" && <ReceiptDetails result={state.result} fileName={state.fileName} />}
      </section>

      <div class="verify-inputs">
        <section class="panel" aria-labelledby="receipt-file-title">
          <h2 id="receipt-file-title">{t("funds.fileTitle")}</h2>
          <p class="hint">{t("funds.fileHint")}</p>
          <label class="button">
            {t("funds.pickFile")}
            <input
              type="file"
              class="visually-hidden"
              accept="application/json,.json"
              data-testid="receipt-file"
              onChange={(event) => {
                const input = event.currentTarget;
                checkFile(input.files?.[0]);
                input.value = "";
              }}
            />
          </label>
        </section>

        <section class="panel" aria-labelledby="receipt-id-title">
          <h2 id="receipt-id-title">{t("funds.lookupTitle")}</h2>
          <form onSubmit={lookUp} noValidate>
            <label for="receipt-id-input">{t("funds.receiptIdLabel")}</label>
            <div class="field-row">
              <input
                id="receipt-id-input"
                class="mono"
                autocomplete="off"
                spellcheck={false}
                value={idText}
                aria-invalid={idError}
                aria-describedby={idError ? "receipt-id-error" : undefined}
                onInput={(event) => setIdText(event.currentTarget.value)}
              />
              <button type="submit">{t("funds.check")}</button>
            </div>
            {idError && (
              <p id="receipt-id-error" class="field-error">
                {t("funds.receiptIdInvalid")}
              </p>
            )}
          </form>
          <p class="hint">{t("funds.qrHint")}</p>
        </section>
      </div>

      <section class="panel" aria-labelledby="kept-title">
        <h2 id="kept-title">{t("funds.savedTitle")}</h2>
        {kept.length === 0 ? (
          <p>{t("funds.savedNone")}</p>
        ) : (
          <ul class="kept-receipts" data-testid="kept-receipts">
            {kept.map((item) => (
              <li key={item.receipt.receiptId}>
                <Value mono>{item.receipt.receiptId}</Value> · {t(`funds.kind.${item.receipt.kind}` as MessageKey)} ·{" "}
                {t("funds.campaignName", { id: item.receipt.campaignId })} · {t("funds.lastChecked", { date: date(item.checkedAt) })}
                <br />
                <a href={hrefFor("/funds/receipts", lang, { receipt: item.receipt.receiptId })}>{t("funds.checkAgain")}</a>{" "}
                <button type="button" class="link-button" onClick={() => setKept(forgetReceipt(item.receipt.receiptId))}>
                  {t("funds.forget")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** A check's name in the reader's words; the anchor's checks are the proof bundle's, named as on the Verify page. */
function checkLabel(name: string, t: ReturnType<typeof useI18n>["t"], lang: "th" | "en"): string {
  const anchor = name.match(/^anchor:(.+)$/);
  if (anchor) {
    const raw = `raw.${anchor[1]}`;
    return t("funds.check.anchor", { name: raw in CATALOGUES[lang] ? t(raw as MessageKey) : anchor[1] });
  }
  const key = `funds.check.${name}`;
  return key in CATALOGUES[lang] ? t(key as MessageKey) : name;
}

function ReceiptDetails(props: { result: ReceiptCheck; fileName?: string }) {
  const { t, lang } = useI18n();
  const { receipt, checks } = props.result;
  // undefined while the campaign (hence its token's decimals) loads: a raw amount in the token's smallest
  // units would read a hundred times too large; null when it could not be read (then the raw amount it is).
  const [summary, setSummary] = useState<CampaignSummary | null | undefined>(undefined);
  useEffect(() => {
    campaign(Number(receipt.campaignId)).then(setSummary, () => setSummary(null));
  }, [receipt.campaignId]);
  const plain: PlainCheck[] = checks.map((check) => ({ ok: check.ok, text: checkLabel(check.name, t, lang) }));
  const trusted = props.result.verdict !== "invalid";
  const file = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(receipt, null, 2))}`;
  return (
    <section class="panel" aria-labelledby="receipt-checks-title">
      <dl class="facts">
        {props.fileName && (
          <>
            <dt>{t("funds.fileTitle")}</dt>
            <dd>
              <Value>{props.fileName}</Value>
            </dd>
          </>
        )}
        <dt>{t("funds.receiptId")}</dt>
        <dd>
          <Value mono>{receipt.receiptId}</Value>
        </dd>
        <dt>{t("funds.kindLabel")}</dt>
        <dd>{t(`funds.kind.${receipt.kind}` as MessageKey)}</dd>
        <dt>{t("funds.campaign")}</dt>
        <dd>
          <a href={hrefFor(`/funds/${receipt.campaignId}`, lang)}>{t("funds.campaignName", { id: receipt.campaignId })}</a>
        </dd>
        <dt>{t("funds.amount")}</dt>
        <dd data-testid="receipt-amount">
          <Value>{summary === undefined ? "…" : formatAmount(receipt.amount, summary?.token, lang)}</Value>
        </dd>
      </dl>
      <h3 id="receipt-checks-title">{t("funds.checksTitle")}</h3>
      <CheckList checks={plain} />
      <details class="technical">
        <summary>{t("technicalTitle")}</summary>
        <p>
          <Message id="checkedAgainst" values={{ url: <Value mono>{props.result.rpcUrl}</Value>, chainId: <Value>{props.result.chainId}</Value> }} />
        </p>
        <ul class="raw-checks">
          {checks.map((check) => (
            <li key={check.name} data-check={check.name} data-ok={String(check.ok)}>
              <span aria-hidden="true">{check.ok ? "✓ " : "✗ "}</span>
              <span class="visually-hidden">{t(check.ok ? "passed" : "failed")}: </span>
              <code lang="en" translate={false} class="raw-detail">
                {check.name}: {check.detail}
              </code>
            </li>
          ))}
        </ul>
      </details>
      {trusted && (
        <p class="receipt-qr">
          <img src={`/api/funds/receipts/${receipt.receiptId}/qr?format=svg`} alt={t("funds.qrAlt")} width={160} height={160} />
          <br />
          <a href={file} download={`${receipt.receiptId}.json`}>
            {t("funds.download")}
          </a>
        </p>
      )}
    </section>
  );
}
