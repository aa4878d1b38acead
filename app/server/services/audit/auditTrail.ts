import type { DatabaseSync } from "node:sqlite";
import type { JsonRpcProvider } from "ethers";
import { isoTime, roleNamesOf, SUBJECT_ARGUMENT, timeBound, type AuditEvent } from "../../../shared/trailEvents.js";
import type { LedgerDeployment } from "../../chain/deploy.js";
import { AppError } from "../../errors.js";
import { trailOf, trailOfMunicipality, type TrailEvent } from "../../indexer/modules/trail.js";
import { checkAgainstChain, type ChainCheck } from "./chainCheck.js";
import type { AuditSubject } from "./subjects.js";

export const AUDIT_EXPORT_FORMAT = "public-service-ledger/audit-export@1";

export interface SubjectTrail {
  kind: AuditSubject["kind"];
  subject: string;
  /** The permit number, for permits (from PermitApplied). */
  number?: string;
  municipalityId: number | null;
  events: AuditEvent[];
  checked?: ChainCheck;
}

export interface AuditExport {
  format: typeof AUDIT_EXPORT_FORMAT;
  municipalityId: number;
  /** The bounds asked for, as ISO instants (inclusive), or null for "from the start" / "up to now". */
  from: string | null;
  to: string | null;
  chainId: number;
  contracts: { permitRegistry: string; complaintLedger: string; civicFund: string };
  deploymentBlock: number;
  /** The last block the index had read when it answered: events after it are not in this export. */
  indexedBlock: number;
  count: number;
  events: AuditEvent[];
}

function auditEvent(event: TrailEvent): AuditEvent {
  const roleNames = roleNamesOf(event.args);
  return {
    contract: event.contract as AuditEvent["contract"],
    event: event.event,
    subject: event.subject,
    municipalityId: event.municipalityId,
    args: event.args,
    ...(roleNames ? { roleNames } : {}),
    txHash: event.txHash,
    blockNumber: event.blockNumber,
    logIndex: event.logIndex,
    timestamp: event.timestamp,
    time: isoTime(event.timestamp),
    sender: event.sender,
  };
}

/** The audit trails, read from the index (idx_events) and, when asked, checked against the chain. */
export class AuditTrailService {
  constructor(
    private readonly db: DatabaseSync,
    private readonly provider: JsonRpcProvider,
    private readonly deployment: LedgerDeployment,
  ) {}

  /** The last block the indexer has read (its cursor), or the block before the deployment. */
  indexedBlock(): number {
    const row = this.db.prepare("SELECT next_block FROM idx_cursor WHERE name = 'ledger'").get() as { next_block: number } | undefined;
    return (row?.next_block ?? this.deployment.deploymentBlock) - 1;
  }

  async trail(target: AuditSubject, options: { check: boolean }): Promise<SubjectTrail> {
    const subjectArgument = SUBJECT_ARGUMENT[target.contract];
    // A permit type shares the permit registry's subject column; only the subject's own events count.
    const events = trailOf(this.db, target.contract, target.subject)
      .filter((event) => subjectArgument in event.args)
      .map(auditEvent);
    const checked = options.check
      ? await checkAgainstChain(this.provider, this.deployment, target, events, this.indexedBlock())
      : undefined;
    if (events.length === 0 && !checked?.events.length) throw new AppError("AUDIT_TRAIL_NOT_FOUND");
    const applied = events.find((event) => event.event === "PermitApplied");
    return {
      kind: target.kind,
      subject: target.subject,
      ...(applied ? { number: String(applied.args.number) } : {}),
      municipalityId: events.find((event) => event.municipalityId !== null)?.municipalityId ?? null,
      events,
      ...(checked ? { checked } : {}),
    };
  }

  /** Every trail event of a municipality between two block times, in chain order. */
  exportTrail(municipalityId: number, range: { from?: string; to?: string }): AuditExport {
    const from = range.from === undefined ? undefined : timeBound(range.from, "from");
    const to = range.to === undefined ? undefined : timeBound(range.to, "to");
    if (from === null || to === null || (from !== undefined && to !== undefined && from > to)) throw new AppError("AUDIT_RANGE_INVALID");
    const events = trailOfMunicipality(this.db, municipalityId, { from, to }).map(auditEvent);
    const { permitRegistry, complaintLedger, civicFund } = this.deployment.contracts;
    return {
      format: AUDIT_EXPORT_FORMAT,
      municipalityId,
      from: from === undefined ? null : isoTime(from),
      to: to === undefined ? null : isoTime(to),
      chainId: this.deployment.chainId,
      contracts: { permitRegistry, complaintLedger, civicFund },
      deploymentBlock: this.deployment.deploymentBlock,
      indexedBlock: this.indexedBlock(),
      count: events.length,
      events,
    };
  }
}
