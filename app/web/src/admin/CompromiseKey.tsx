import { getAddress, isAddress } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { ActionStatus } from "../officer/status.js";
import { useAction } from "../officer/useAction.js";
import type { LedgerSigner } from "../wallet/types.js";
import { TextField } from "./fields.js";
import { compromisedSince, markKeyCompromised } from "./keyCompromise.js";
import type { TownDraft } from "./townDraft.js";

/** The choice of a key not in the town file (e.g. one already replaced), typed in. */
const OTHER = "other";
/** Bangkok has no daylight saving: the time field is Thai time, as every date the console shows. */
const BANGKOK_MS = 7 * 60 * 60 * 1000;
/** A clock a little ahead of the chain's is not "the future". */
const CLOCK_SLACK_S = 60;

/** `ms` as the time field's value in Bangkok time, "YYYY-MM-DDTHH:mm:ss". */
const bangkokField = (ms: number) => new Date(ms + BANGKOK_MS).toISOString().slice(0, 19);

/** The time field's Bangkok time in seconds since 1970, or null. */
function fieldSeconds(text: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?/.exec(text);
  const ms = match ? Date.parse(`${match[1]}${match[2] ?? ":00"}+07:00`) : NaN;
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/**
 * Marks an officer's key compromised from a time on (a lost laptop, a stolen phone): the admin picks an
 * officer of the file or types any address (a key already replaced is no longer in the file), gives the
 * time from which the key is not trusted — now, unless changed — confirms, and signs with their own key.
 * Verifiers then refuse whatever the key signed that was anchored from that time on. The key keeps its
 * roles until the file no longer gives them (replace or remove the officer, then apply).
 */
export function CompromiseKey(props: { municipalityId: number; officers: TownDraft["officers"]; signer: LedgerSigner | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { signer, municipalityId } = props;
  const [choice, setChoice] = useState("");
  const [typed, setTyped] = useState("");
  const [since, setSince] = useState(() => bangkokField(Date.now()));
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [confirming, setConfirming] = useState<{ account: string; since: number } | null>(null);
  // The chosen key's mark on the chain: undefined while unknown, null when there is none.
  const [current, setCurrent] = useState<number | null | undefined>(undefined);
  const { busy, act, statusAt } = useAction();

  const text = choice === OTHER ? typed.trim() : choice;
  const account = isAddress(text) ? getAddress(text) : null;
  const nameOf = (address: string) => props.officers.find((officer) => officer.address.toLowerCase() === address.toLowerCase())?.name;

  useEffect(() => {
    setCurrent(undefined);
    if (!account) return;
    let stale = false;
    compromisedSince(municipalityId, account).then(
      (mark) => stale || setCurrent(mark),
      () => undefined,
    );
    return () => {
      stale = true;
    };
  }, [account, municipalityId]);

  function review(event: Event) {
    event.preventDefault();
    const seconds = fieldSeconds(since);
    const why: MessageKey | null = !account
      ? choice === OTHER ? "admin.addressInvalid" : "admin.compromiseChoose"
      : seconds === null
        ? "admin.compromiseTimeInvalid"
        : seconds > Date.now() / 1000 + CLOCK_SLACK_S
          ? "admin.compromiseFuture"
          : null;
    setProblem(why);
    if (!why) setConfirming({ account: account!, since: seconds! });
  }

  function confirm() {
    if (!signer || !confirming) return;
    const chosen = confirming;
    void act(
      "compromise",
      async (progress) => {
        progress({ kind: "busy", key: "officer.busySigning" });
        const marked = await markKeyCompromised(signer, municipalityId, chosen.account, chosen.since);
        setConfirming(null);
        setCurrent(marked.since);
        return marked;
      },
      (marked) => ({ kind: "ok", key: "admin.compromiseMarked", values: { account: chosen.account, time: i18n.date(marked.since * 1000) } }),
    );
  }

  const who = (address: string) => (nameOf(address) ? `${address} (${nameOf(address)})` : address);
  return (
    <form class="admin-card" data-testid="compromise-form" onSubmit={review}>
      <h4>{t("admin.compromiseTitle")}</h4>
      <p class="hint">{t("admin.compromiseHint")}</p>
      <label class="admin-field">
        {t("admin.compromiseKey")}
        <select
          value={choice}
          onChange={(e) => {
            setChoice(e.currentTarget.value);
            setConfirming(null);
          }}
        >
          <option value="">{t("admin.compromiseChoose")}</option>
          {props.officers.map((officer) => (
            <option key={officer.address} value={officer.address} translate={false}>
              {officer.name} · {officer.address}
            </option>
          ))}
          <option value={OTHER}>{t("admin.compromiseOther")}</option>
        </select>
      </label>
      {choice === OTHER && <TextField label={t("admin.address")} mono value={typed} onChange={(value) => {
            setTyped(value);
            setConfirming(null);
          }} placeholder="0x…" />}
      {current != null && (
        <p class="officer-warning" data-testid="compromise-current" data-since={String(current)}>
          {t("admin.compromiseCurrent", { time: i18n.date(current * 1000) })}
        </p>
      )}
      <label class="admin-field">
        {t("admin.compromiseSince")}
        <input type="datetime-local" step="1" value={since} onInput={(e) => {
            setSince(e.currentTarget.value);
            setConfirming(null);
          }} />
      </label>
      {confirming ? (
        <div class="officer-warning" data-testid="compromise-confirm">
          <p>{t("admin.compromiseConfirm", { who: who(confirming.account), time: i18n.date(confirming.since * 1000) })}</p>
          <p class="actions">
            <button type="button" disabled={busy || !signer} onClick={confirm}>
              {t("admin.compromiseSign")}
            </button>
            <button type="button" class="link-button" onClick={() => setConfirming(null)}>
              {t("admin.cancel")}
            </button>
          </p>
        </div>
      ) : (
        <button type="submit" class="button--secondary" disabled={busy}>
          {t("admin.compromise")}
        </button>
      )}
      {problem && <p class="field-error">{t(problem)}</p>}
      <ActionStatus status={statusAt("compromise")} />
    </form>
  );
}
