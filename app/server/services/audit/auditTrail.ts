import type { DatabaseSync } from "node:sqlite";
import { id, type JsonRpcProvider } from "ethers";
import { rebuildMunicipalityTrail } from "../../../shared/chainTrail.js";
import { checkAnnotations } from "../../../shared/trailRecords.js";
import {
  compareTrails,
  isoTime,
  roleNamesOf,
  SUBJECT_ARGUMENT,
  timeBound,
  type AuditEvent,
  type TrailDifference,
} from "../../../shared/trailEvents.js";
import { trailWords } from "../../../shared/trailWords.js";
import type { LedgerDeployment } from "../../chain/deploy.js";
import { AppError } from "../../errors.js";
import { trailOf, trailOfMunicipality, type TrailEvent } from "../../indexer/modules/trail.js";
import { ServiceAnnotations } from "./annotations.js";
import { checkAgainstChain, type ChainCheck } from "./chainCheck.js";
import type { AuditSubject } from "./subjects.js";
import { SqliteTrailFacts } from "./trailFacts.js";
import { CURSOR } from "../../indexer/indexer.js";

export const AUDIT_EXPORT_FORMAT = "public-service-ledger/audit-export@2";

export interface SubjectTrail {
  kind: AuditSubject["kind"];
  subject: string;
  /** The permit number, for permits (from PermitApplied). */
  number?: string;
  municipalityId: number | null;
  events: AuditEvent[];
  checked?: ChainCheck;
}

/** A municipality's trail checked against the chain as a whole (`?check=chain` on the export). */
export interface ExportCheck {
  against: "chain";
  chainId: number;
  fromBlock: number;
  toBlock: number;
  ok: boolean;
  /** How many events the chain holds for the same municipality, dates and permit. */
  chainEvents: number;
  differences: TrailDifference[];
}

export interface AuditExport {
  format: typeof AUDIT_EXPORT_FORMAT;
  municipalityId: number;
  /** The bounds asked for, as ISO instants (inclusive), or null for "from the start" / "up to now". */
  from: string | null;
  to: string | null;
  /** The permit number the export is limited to, or null for every event of the municipality. */
  permit: string | null;
  chainId: number;
  contracts: LedgerDeployment["contracts"];
  deploymentBlock: number;
  /** The last block the index had read when it answered: events after it are not in this export. */
  indexedBlock: number;
  count: number;
  events: AuditEvent[];
  checked?: ExportCheck;
}

/** The audit trails, read from the index (idx_events) and, when asked, checked against the chain. */
export class AuditTrailService {
  readonly #facts: SqliteTrailFacts;
  readonly #annotations: ServiceAnnotations;

  constructor(private readonly db: DatabaseSync, private readonly provider: JsonRpcProvider, private readonly deployment: LedgerDeployment) {
    this.#facts = new SqliteTrailFacts(db);
    this.#annotations = new ServiceAnnotations(db, this.#facts);
  }

  /** The last block the indexer has read (its cursor), or the block before the deployment. */
  indexedBlock(): number {
    const row = this.db.prepare("SELECT next_block FROM idx_cursor WHERE name = ?").get(CURSOR) as { next_block: number } | undefined;
    return (row?.next_block ?? this.deployment.deploymentBlock) - 1;
  }

  /** An indexed event with its words (from the index's facts of the chain) and the service's annotations. */
  #auditEvent(event: TrailEvent): AuditEvent {
    const roleNames = roleNamesOf(event.args);
    return {
      contract: event.contract,
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
      ...trailWords(event, this.#facts),
      ...this.#annotations.of(event),
    };
  }

  async trail(target: AuditSubject, options: { check: boolean }): Promise<SubjectTrail> {
    const subjectArgument = SUBJECT_ARGUMENT[target.contract];
    // The indexed block is read with the events: the check reads the chain up to it and no further.
    const indexedBlock = this.indexedBlock();
    // A permit type shares the permit registry's subject column; only the subject's own events count.
    const events = trailOf(this.db, target.contract, target.subject)
      .filter((event) => subjectArgument in event.args)
      .map((event) => this.#auditEvent(event));
    const checked = options.check ? await checkAgainstChain(this.provider, this.deployment, target, events, indexedBlock) : undefined;
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

  /**
   * Every trail event of a municipality between two block times, in chain order, or only those of one
   * permit (by its number); with `check`, the same rebuilt from the chain alone and compared.
   */
  async exportTrail(
    municipalityId: number,
    range: { from?: string; to?: string; permit?: string },
    options: { check: boolean } = { check: false }
  ): Promise<AuditExport> {
    const from = range.from === undefined ? undefined : timeBound(range.from, "from");
    const to = range.to === undefined ? undefined : timeBound(range.to, "to");
    if (from === null || to === null || (from !== undefined && to !== undefined && from > to)) throw new AppError("AUDIT_RANGE_INVALID");
    const permitId = range.permit === undefined ? undefined : id(range.permit);
    const indexedBlock = this.indexedBlock();
    const events = trailOfMunicipality(this.db, municipalityId, { from, to })
      .filter((event) => permitId === undefined || (event.contract === "permitRegistry" && event.args.permitId === permitId))
      .map((event) => this.#auditEvent(event));
    const { chainId, contracts, deploymentBlock } = this.deployment;
    return {
      format: AUDIT_EXPORT_FORMAT,
      municipalityId,
      from: from === undefined ? null : isoTime(from),
      to: to === undefined ? null : isoTime(to),
      permit: range.permit ?? null,
      chainId,
      contracts: { ...contracts },
      deploymentBlock,
      indexedBlock,
      count: events.length,
      events,
      ...(options.check ? { checked: await this.#checkExport(events, { municipalityId, from, to, permitId, indexedBlock }) } : {}),
    };
  }

  /** The export's events against the same rebuilt from this service's RPC node (what `ledger audit` does elsewhere). */
  async #checkExport(
    events: AuditEvent[],
    options: { municipalityId: number; from?: number; to?: number; permitId?: string; indexedBlock: number }
  ): Promise<ExportCheck> {
    const { chainId, contracts, deploymentBlock } = this.deployment;
    const chain = await rebuildMunicipalityTrail(
      this.provider,
      { chainId, contracts, deploymentBlock },
      { ...options, toBlock: options.indexedBlock }
    );
    const context = { chainId, batchAnchor: contracts.batchAnchor, facts: chain.facts };
    const differences = compareTrails(events, chain.events, (row) => checkAnnotations(row, context));
    return {
      against: "chain",
      chainId,
      fromBlock: deploymentBlock,
      toBlock: options.indexedBlock,
      ok: differences.length === 0,
      chainEvents: chain.events.length,
      differences,
    };
  }
}
