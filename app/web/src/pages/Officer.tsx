import { useEffect, useState } from "preact/hooks";
import { useAdminRights } from "../admin/adminRights.js";
import { useI18n } from "../i18n/index.js";
import { officerApi, type OfficerSession } from "../officer/api.js";
import { SECTIONS } from "../officer/sections.js";
import { SessionPanel } from "../officer/SessionPanel.js";
import { inArea, SectionArea, StatusLine, type Status } from "../officer/status.js";
import { WalletPanel } from "../officer/WalletPanel.js";
import type { LedgerSigner } from "../wallet/types.js";

/**
 * The officer console (/officer), loaded on demand: the key (browser wallet or in-browser keystore),
 * the SIWE session, and one tab per workflow section (./officer/sections.ts). The unlocked key lives
 * only in this component's state: leaving the page or reloading locks it again. The status line at the
 * top speaks for the key and the session; a section's actions show theirs next to their buttons.
 */
export default function OfficerPage() {
  const { t } = useI18n();
  const [signer, setSigner] = useState<LedgerSigner | null>(null);
  const [session, setSession] = useState<OfficerSession | null | undefined>(undefined);
  const [status, setStatus] = useState<Status>(null);
  const [tab, setTab] = useState(SECTIONS[0].id);

  useEffect(() => {
    officerApi.session().then(setSession, (error) => {
      setSession(null);
      setStatus({ kind: "error", error });
    });
  }, []);

  // Officers see the sections of their work; admins (who may hold no role) the administration.
  const admin = useAdminRights(session?.address);
  const shown = session ? SECTIONS.filter((s) => (s.forAdmins ? admin.any : session.roles.length > 0)) : [];
  const section = shown.find((s) => s.id === tab) ?? shown[0];
  const canAct = session && section;

  return (
    <div class="officer">
      <h1>{t("officer.title")}</h1>
      <p class="lead">{t("officer.intro")}</p>
      <StatusLine status={status} />
      <div class="officer-grid">
        <WalletPanel signer={signer} onSigner={setSigner} report={setStatus} />
        {session !== undefined && <SessionPanel signer={signer} session={session} administers={admin.known ? admin.any : undefined} onSession={setSession} report={setStatus} />}
      </div>
      {canAct && (
        <section class="officer-card officer-console" aria-label={t("officer.sections")}>
          <div role="tablist" class="officer-tabs" aria-label={t("officer.sections")}>
            {shown.map((s) => (
              <button
                key={s.id}
                type="button"
                role="tab"
                id={`tab-${s.id}`}
                aria-selected={s.id === section.id}
                aria-controls={`panel-${s.id}`}
                tabIndex={s.id === section.id ? 0 : -1}
                onClick={() => setTab(s.id)}
              >
                {t(s.label)}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${section.id}`} aria-labelledby={`tab-${section.id}`}>
            <SectionArea.Provider value={section.area}>
              <section.component signer={signer} session={session} report={inArea(setStatus, section.area)} />
            </SectionArea.Provider>
          </div>
        </section>
      )}
    </div>
  );
}
