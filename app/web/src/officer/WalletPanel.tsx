import { useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import {
  browserWalletPresent,
  connectBrowserWallet,
  createKeystore,
  downloadKeystore,
  forgetKeystore,
  importKeystore,
  MIN_PASSPHRASE,
  storedKeystore,
  unlockKeystore,
  type LedgerSigner,
} from "../wallet/index.js";
import type { Report } from "./status.js";

function PassphraseField(props: { name: string; label?: MessageKey; fresh?: boolean }) {
  const { t } = useI18n();
  return (
    <label>
      {t(props.label ?? "officer.passphrase")}
      <input name={props.name} type="password" autocomplete={props.fresh ? "new-password" : "current-password"} required />
    </label>
  );
}

/**
 * Choosing the key the officer signs with: a browser wallet when one is present, or the keystore kept
 * in this browser (unlock, download, forget; create or import one when there is none or another is wanted).
 */
export function WalletPanel(props: { signer: LedgerSigner | null; onSigner: (signer: LedgerSigner | null) => void; report: Report }) {
  const { t } = useI18n();
  const [stored, setStored] = useState(storedKeystore);
  const [busy, setBusy] = useState(false);
  const { report } = props;

  /** Runs a keystore action with its scrypt progress in the status line. */
  async function run(action: (progress: (share: number) => void) => Promise<LedgerSigner>, done?: "officer.created" | "officer.imported") {
    setBusy(true);
    let shown = -1;
    const progress = (share: number) => {
      const percent = Math.floor(share * 10) * 10;
      if (percent !== shown) report({ kind: "busy", key: "officer.working", values: { percent: (shown = percent) } });
    };
    progress(0);
    try {
      const signer = await action(progress);
      setStored(storedKeystore());
      props.onSigner(signer);
      report(done ? { kind: "ok", key: done } : null);
    } catch (error) {
      report({ kind: "error", error });
    } finally {
      setBusy(false);
    }
  }

  if (props.signer) {
    return (
      <section class="officer-card" aria-labelledby="wallet-title">
        <h2 id="wallet-title">{t("officer.walletTitle")}</h2>
        <p data-testid="wallet-unlocked">
          <Message id="officer.walletUnlocked" values={{ address: <Value mono>{props.signer.address}</Value> }} /> ({t(props.signer.kind === "browser" ? "officer.walletKindBrowser" : "officer.walletKindKeystore")})
        </p>
        <div class="officer-actions">
          <button type="button" onClick={() => props.onSigner(null)}>
            {t("officer.walletLock")}
          </button>
          {props.signer.kind === "keystore" && stored && (
            <button type="button" onClick={() => downloadKeystore()}>
              {t("officer.export")}
            </button>
          )}
        </div>
      </section>
    );
  }

  return (
    <section class="officer-card" aria-labelledby="wallet-title">
      <h2 id="wallet-title">{t("officer.walletTitle")}</h2>
      {browserWalletPresent() && (
        <div class="officer-block">
          <p>{t("officer.walletBrowserHint")}</p>
          <button type="button" disabled={busy} onClick={() => run(() => connectBrowserWallet())}>
            {t("officer.walletBrowser")}
          </button>
        </div>
      )}
      {stored && (
        <form
          class="officer-block"
          data-testid="unlock-form"
          onSubmit={(event) => {
            event.preventDefault();
            const passphrase = new FormData(event.currentTarget).get("passphrase") as string;
            run((progress) => unlockKeystore(passphrase, progress));
          }}
        >
          <h3>{t("officer.keystoreStored")}</h3>
          <p>
            <Value mono>{stored.address}</Value>
          </p>
          <PassphraseField name="passphrase" />
          <div class="officer-actions">
            <button type="submit" disabled={busy}>
              {t("officer.unlock")}
            </button>
            <button type="button" onClick={() => downloadKeystore()}>
              {t("officer.export")}
            </button>
            <button
              type="button"
              class="officer-danger"
              onClick={() => {
                if (!confirm(t("officer.forgetConfirm"))) return;
                forgetKeystore();
                setStored(null);
              }}
            >
              {t("officer.forget")}
            </button>
          </div>
        </form>
      )}
      <details class="officer-block" open={!stored}>
        <summary>{t("officer.createTitle")}</summary>
        <form
          data-testid="create-form"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            run((progress) => createKeystore(form.get("passphrase") as string, form.get("again") as string, progress), "officer.created");
          }}
        >
          <p class="officer-hint">{t("officer.passphraseHint", { min: MIN_PASSPHRASE })}</p>
          <PassphraseField name="passphrase" fresh />
          <PassphraseField name="again" label="officer.passphraseAgain" fresh />
          <button type="submit" disabled={busy}>
            {t("officer.create")}
          </button>
        </form>
      </details>
      <details class="officer-block" open={!stored}>
        <summary>{t("officer.importTitle")}</summary>
        <form
          data-testid="import-form"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const file = form.get("file");
            const source = file instanceof File && file.size > 0 ? await file.text() : (form.get("text") as string);
            run((progress) => importKeystore(source, form.get("passphrase") as string, progress), "officer.imported");
          }}
        >
          <label>
            {t("officer.importFile")}
            <input name="file" type="file" accept="application/json,.json" />
          </label>
          <label>
            {t("officer.importText")}
            <textarea name="text" rows={3} spellcheck={false} autocomplete="off" />
          </label>
          <p class="officer-hint">{t("officer.importHint")}</p>
          <PassphraseField name="passphrase" />
          <button type="submit" disabled={busy}>
            {t("officer.import")}
          </button>
        </form>
      </details>
    </section>
  );
}
