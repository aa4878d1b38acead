import type { FunctionComponent } from "preact";
import { AdminSection } from "../admin/AdminSection.js";
import type { MessageKey } from "../i18n/index.js";
import type { LedgerSigner } from "../wallet/types.js";
import type { OfficerSession } from "./api.js";
import { ComplaintsSection } from "./ComplaintsSection.js";
import { IssueSection } from "./IssueSection.js";
import { OperationsSection } from "./OperationsSection.js";
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
 * here, with its own component, its label, and the catalogue area (`<area>.error.CODE`) that words its
 * errors before the console's own.
 */
export const SECTIONS: {
  id: string;
  label: MessageKey;
  area?: string;
  component: FunctionComponent<SectionProps>;
  /** Shown to admins (the Directory's owner, a municipality's admin) rather than to officers with a role. */
  forAdmins?: boolean;
}[] = [
  { id: "permits", label: "officer.tabPermits", component: PermitsSection },
  { id: "issue", label: "issueDocuments.tab", area: "issueDocuments", component: IssueSection },
  { id: "complaints", label: "officerComplaints.tab", area: "officerComplaints", component: ComplaintsSection },
  { id: "treasury", label: "treasury.tab", area: "treasury", component: TreasurySection },
  // Every signed-in officer sees how the service runs: its relayer's funds and the problems it reports.
  { id: "operations", label: "operations.tab", area: "operations", component: OperationsSection },
  // The national admin and municipalities' admins, who may hold no officer role at all.
  { id: "admin", label: "admin.tab", area: "admin", component: AdminSection, forAdmins: true },
];
