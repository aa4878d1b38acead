import type { FunctionComponent } from "preact";
import type { MessageKey } from "../i18n/index.js";
import type { LedgerSigner } from "../wallet/types.js";
import type { OfficerSession } from "./api.js";
import { ComplaintsSection } from "./ComplaintsSection.js";
import { PermitsSection } from "./PermitsSection.js";
import { TreasurySection } from "../treasury/TreasurySection.js";
import type { Report } from "./status.js";

/** What each section of the console gets: the unlocked key (null while locked), the session, the status line. */
export interface SectionProps {
  signer: LedgerSigner | null;
  session: OfficerSession;
  report: Report;
}

/**
 * The console's tabs, one entry per section. A workflow's console (complaints, treasury) adds its entry
 * here, with its own component and its label in its area's catalogue.
 */
export const SECTIONS: { id: string; label: MessageKey; component: FunctionComponent<SectionProps> }[] = [
  { id: "permits", label: "officer.tabPermits", component: PermitsSection },
  { id: "complaints", label: "officerComplaints.tab", component: ComplaintsSection },
  { id: "treasury", label: "treasury.tab", component: TreasurySection },
];
