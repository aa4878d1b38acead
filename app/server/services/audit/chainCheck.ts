import type { JsonRpcProvider } from "ethers";
import { auditEventOf, municipalitiesOf, readBlockFacts, readMunicipalityFacts, readTrailLogs } from "../../../shared/chainTrail.js";
import { factsFromEvents } from "../../../shared/trailWords.js";
import { compareTrails, SUBJECT_ARGUMENT, type AuditEvent, type TrailDifference } from "../../../shared/trailEvents.js";
import type { LedgerDeployment } from "../../chain/deploy.js";
import type { AuditSubject } from "./subjects.js";

export type EventCheckStatus = "match" | "mismatch" | "missing-in-api" | "missing-on-chain";

/** The verdict on one event of a trail, re-read from the chain. */
export interface EventCheck {
  blockNumber: number;
  logIndex: number;
  txHash: string;
  event: string;
  status: EventCheckStatus;
  /** The chain's hash of the block, so a reader can look the event up anywhere; null if not on the chain. */
  blockHash: string | null;
  fields?: Array<{ field: string; api: unknown; chain: unknown }>;
}

export interface ChainCheck {
  against: "chain";
  chainId: number;
  contract: string;
  /** The blocks read: from the deployment to the last block the index has read. */
  fromBlock: number;
  toBlock: number;
  ok: boolean;
  events: EventCheck[];
}

const STATUS: Record<TrailDifference["kind"], EventCheckStatus> = {
  "field-differs": "mismatch",
  "missing-in-api": "missing-in-api",
  "missing-on-chain": "missing-on-chain",
};

/**
 * Re-reads one subject's events from the chain (eth_getLogs filtered by its topic, then each block's
 * time, hash and senders) and compares them with what the index answered, event by event: the events
 * and their words, which are derived here from the chain's own facts about the municipality (its
 * officers' names, admins and permit types, read by their topics).
 */
export async function checkAgainstChain(
  provider: JsonRpcProvider,
  deployment: LedgerDeployment,
  target: AuditSubject,
  indexed: readonly AuditEvent[],
  indexedBlock: number,
): Promise<ChainCheck> {
  const address = deployment.contracts[target.contract];
  const logs = await readTrailLogs(provider, {
    contracts: { [target.contract]: address },
    fromBlock: deployment.deploymentBlock,
    toBlock: indexedBlock,
    subjectTopic: target.topic,
  });
  // The topic filter also matches another event whose first topic happens to be the same word.
  const subjectLogs = logs.filter((log) => String(log.args[SUBJECT_ARGUMENT[target.contract]]) === target.subject);
  const municipalities = municipalitiesOf(subjectLogs);
  const municipalityId = municipalities.find((m) => m !== null) ?? null;
  const context =
    municipalityId === null
      ? []
      : await readMunicipalityFacts(provider, deployment.contracts, municipalityId, { fromBlock: deployment.deploymentBlock, toBlock: indexedBlock });
  const facts = factsFromEvents([...context, ...subjectLogs].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex));
  const blocks = await readBlockFacts(provider, [...subjectLogs, ...indexed].map((e) => e.blockNumber).filter((n) => n <= indexedBlock));
  const chainEvents = subjectLogs.map((log, i) => auditEventOf(log, municipalities[i], blocks.get(log.blockNumber)!, facts));

  const differences = new Map(compareTrails(indexed, chainEvents).map((d) => [`${d.blockNumber}:${d.logIndex}`, d]));
  const positions = new Map<string, AuditEvent>();
  for (const event of [...indexed, ...chainEvents]) positions.set(`${event.blockNumber}:${event.logIndex}`, event);
  const events = [...positions.entries()]
    .map(([position, event]): EventCheck => {
      const difference = differences.get(position);
      const onChain = difference?.kind !== "missing-on-chain";
      return {
        blockNumber: event.blockNumber,
        logIndex: event.logIndex,
        txHash: difference?.txHash ?? event.txHash,
        event: difference?.event ?? event.event,
        status: difference ? STATUS[difference.kind] : "match",
        blockHash: onChain ? (blocks.get(event.blockNumber)?.hash ?? null) : null,
        ...(difference?.kind === "field-differs" ? { fields: difference.fields } : {}),
      };
    })
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  return {
    against: "chain",
    chainId: deployment.chainId,
    contract: address,
    fromBlock: deployment.deploymentBlock,
    toBlock: indexedBlock,
    ok: differences.size === 0,
    events,
  };
}
