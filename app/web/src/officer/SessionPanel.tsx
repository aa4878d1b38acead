import { useState } from "preact/hooks";
import { Message, Value } from "../components/Message.js";
import { RoleName } from "../components/RoleName.js";
import { useI18n } from "../i18n/index.js";
import type { LedgerSigner } from "../wallet/types.js";
import { officerApi, type OfficerSession } from "./api.js";
import { useMunicipalityNames } from "./municipalityNames.js";
import { signInWith } from "./signIn.js";
import type { Report } from "./status.js";

/**
 * Who is signed in, in which municipalities and with which roles; sign in with the chosen key, sign out.
 * `administers`: whether the account is an admin (its Administration tab), undefined until the chain says.
 */
export function SessionPanel(props: {
  signer: LedgerSigner | null;
  session: OfficerSession | null;
  administers: boolean | undefined;
  onSession: (session: OfficerSession | null) => void;
  report: Report;
}) {
  const { t } = useI18n();
  const { session, signer, report } = props;
  const [busy, setBusy] = useState(false);
  const municipalities = [...new Set(session?.roles.map((r) => r.municipalityId) ?? [])];
  const names = useMunicipalityNames(municipalities);

  async function signIn() {
    if (!signer) return;
    setBusy(true);
    report({ kind: "busy", key: "officer.signingIn" });
    try {
      props.onSession(await signInWith(signer));
      report(null);
    } catch (error) {
      report({ kind: "error", error });
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    try {
      await officerApi.signOut();
      props.onSession(null);
      report({ kind: "ok", key: "officer.signedOut" });
    } catch (error) {
      report({ kind: "error", error });
    }
  }

  return (
    <section class="officer-card" aria-labelledby="session-title">
      <h2 id="session-title">{t("officer.sessionTitle")}</h2>
      {!session && (
        <>
          {!signer && <p>{t("officer.needWallet")}</p>}
          <button type="button" disabled={!signer || busy} onClick={signIn}>
            {t("officer.signIn")}
          </button>
        </>
      )}
      {session && (
        <div data-testid="session">
          <p>
            <Message id="officer.signedInAs" values={{ address: <Value mono>{session.address}</Value> }} />
          </p>
          {session.roles.length === 0 && props.administers !== undefined && (
            <p class={props.administers ? "officer-hint" : "officer-warning"} data-testid="no-role" data-admin={String(props.administers)}>
              {props.administers ? t("officer.noRoleAdmin", { tab: t("admin.tab") }) : t("officer.noRole")}
            </p>
          )}
          {municipalities.map((id) => (
            <div key={id} data-testid="roles">
              <h3>
                <Message
                  id="officer.rolesIn"
                  values={{ municipality: names.has(id) ? <Value>{names.get(id)}</Value> : t("officer.municipalityNumber", { id }) }}
                />
              </h3>
              <ul class="officer-roles">
                {session.roles
                  .filter((r) => r.municipalityId === id)
                  .map((r) => (
                    <li key={r.role} data-role={r.role}>
                      <RoleName role={r.role} />
                    </li>
                  ))}
              </ul>
            </div>
          ))}
          {signer && signer.address.toLowerCase() !== session.address.toLowerCase() && <p class="officer-warning">{t("officer.otherAccount")}</p>}
          {!signer && <p class="officer-hint">{t("officer.unlockToSign")}</p>}
          <button type="button" onClick={signOut}>
            {t("officer.signOut")}
          </button>
        </div>
      )}
    </section>
  );
}
