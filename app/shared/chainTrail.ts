// Reads the audit trail from an RPC node alone: eth_getLogs over the ledger's contracts, decoded with
// the trail's event fragments, plus each block's time, hash and transaction senders, and the words of
// each event from the chain's own facts (trailWords.ts). The audit API's `?check=chain` and `ledger audit`
// both read the chain through this file.
import { toBeHex, zeroPadValue, type JsonRpcProvider, type Log } from "ethers";
import {
  eventArguments,
  eventSubject,
  isoTime,
  roleNamesOf,
  TRAIL_CONTRACTS,
  TRAIL_INTERFACES,
  type AuditEvent,
  type TrailContract,
} from "./trailEvents.js";
import { factsFromEvents, trailWords, type TrailFacts } from "./trailWords.js";

/** One event as the chain holds it, before its block was read. */
export interface ChainEvent {
  contract: TrailContract;
  event: string;
  subject: string;
  args: Record<string, unknown>;
  txHash: string;
  blockNumber: number;
  logIndex: number;
}

export interface TrailQuery {
  /** Addresses of the contracts to read. */
  contracts: Partial<Record<TrailContract, string>>;
  fromBlock: number;
  toBlock: number;
  /** Only logs whose first topic is this (a subject as a 32-byte word). */
  subjectTopic?: string;
  /** Only logs matching these topics (eth_getLogs' filter; instead of `subjectTopic`). */
  topics?: Array<string | string[] | null>;
  /** Blocks per eth_getLogs request (RPC nodes cap the range; default 2,000 as the indexer). */
  blockRange?: number;
}

/** Every trail event in the block range, decoded, in chain order. Logs of unknown events are skipped. */
export async function readTrailLogs(provider: JsonRpcProvider, query: TrailQuery): Promise<ChainEvent[]> {
  const contractOf = new Map<string, TrailContract>();
  for (const contract of TRAIL_CONTRACTS) {
    const address = query.contracts[contract];
    if (address) contractOf.set(address.toLowerCase(), contract);
  }
  const range = query.blockRange ?? 2000;
  const logs: Log[] = [];
  for (let from = query.fromBlock; from <= query.toBlock; from += range) {
    const to = Math.min(query.toBlock, from + range - 1);
    const topics = query.topics ?? (query.subjectTopic ? [null, query.subjectTopic] : []);
    logs.push(...(await provider.getLogs({ address: [...contractOf.keys()], topics, fromBlock: from, toBlock: to })));
  }
  const events: ChainEvent[] = [];
  for (const log of logs) {
    if (log.removed) continue;
    const contract = contractOf.get(log.address.toLowerCase());
    if (!contract) continue;
    const decoded = TRAIL_INTERFACES[contract].parseLog(log);
    if (!decoded) continue;
    const args = eventArguments(decoded);
    events.push({
      contract,
      event: decoded.name,
      subject: eventSubject(args),
      args,
      txHash: log.transactionHash,
      blockNumber: log.blockNumber,
      logIndex: log.index,
    });
  }
  return events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/**
 * The municipality of each event as the indexer assigns it: the event's own `municipalityId`, else the
 * one named by an earlier event of the same contract and subject (a permit's PermitApplied, a
 * complaint's ComplaintFiled, a campaign's CampaignCreated). Needs the trail from the deployment block.
 */
export function municipalitiesOf(events: readonly ChainEvent[]): Array<number | null> {
  const bySubject = new Map<string, number>();
  return events.map((event) => {
    const key = `${event.contract}:${event.subject}`;
    if (event.args.municipalityId !== undefined) {
      const id = Number(event.args.municipalityId);
      if (!bySubject.has(key)) bySubject.set(key, id);
      return id;
    }
    return bySubject.get(key) ?? null;
  });
}

export interface BlockFacts {
  hash: string;
  timestamp: number;
  senders: Map<string, string>;
}

/** Time, hash and transaction senders of each block, read once per block. */
export async function readBlockFacts(provider: JsonRpcProvider, blockNumbers: Iterable<number>): Promise<Map<number, BlockFacts>> {
  const facts = new Map<number, BlockFacts>();
  for (const number of new Set(blockNumbers)) {
    const block = await provider.getBlock(number, true);
    if (!block) throw new Error(`block ${number} is not on the chain`);
    facts.set(number, {
      hash: block.hash!,
      timestamp: block.timestamp,
      senders: new Map(block.prefetchedTransactions.map((tx) => [tx.hash.toLowerCase(), tx.from])),
    });
  }
  return facts;
}

/** A chain event completed with its block's facts and its words into the shape the audit API answers. */
export function auditEventOf(event: ChainEvent, municipalityId: number | null, block: BlockFacts, facts: TrailFacts): AuditEvent {
  const roleNames = roleNamesOf(event.args);
  const sender = block.senders.get(event.txHash.toLowerCase()) ?? "";
  return {
    contract: event.contract,
    event: event.event,
    subject: event.subject,
    municipalityId,
    args: event.args,
    ...(roleNames ? { roleNames } : {}),
    txHash: event.txHash,
    blockNumber: event.blockNumber,
    logIndex: event.logIndex,
    timestamp: block.timestamp,
    time: isoTime(block.timestamp),
    sender,
    ...trailWords({ ...event, municipalityId, sender }, facts),
    records: null,
    reasonWords: null,
  };
}

const municipalityTopic = (municipalityId: number) => zeroPadValue(toBeHex(municipalityId), 32);

/**
 * The chain's facts about a municipality that the words of its events need (trailWords.ts): its officers'
 * names, its admins and its permit types, read by their event topics (cheap next to reading everything).
 */
export async function readMunicipalityFacts(
  provider: JsonRpcProvider,
  contracts: { directory: string; permitRegistry: string },
  municipalityId: number,
  range: { fromBlock: number; toBlock: number },
): Promise<ChainEvent[]> {
  const directory = TRAIL_INTERFACES.directory;
  const topic = (name: string) => directory.getEvent(name)!.topicHash;
  const [names, types] = await Promise.all([
    readTrailLogs(provider, {
      contracts: { directory: contracts.directory },
      ...range,
      topics: [[topic("OfficerNamed"), topic("MunicipalityAdded"), topic("MunicipalityAdminChanged")], municipalityTopic(municipalityId)],
    }),
    readTrailLogs(provider, {
      contracts: { permitRegistry: contracts.permitRegistry },
      ...range,
      topics: [TRAIL_INTERFACES.permitRegistry.getEvent("PermitTypeDefined")!.topicHash, municipalityTopic(municipalityId)],
    }),
  ]);
  return [...names, ...types].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** Where the ledger is: its chain, the block its events start from, and its contracts. */
export interface TrailDeployment {
  chainId: number;
  deploymentBlock: number;
  contracts: Record<TrailContract, string>;
}

/**
 * A municipality's trail from the chain alone, with its words: every event of the ledger's contracts from
 * the deployment block to `toBlock` (an event that names no municipality, such as a step, belongs to that
 * of its permit, complaint, campaign or batch, hence the whole history), then each block's time and
 * senders, kept to the municipality, the block times `from`…`to` and, if given, one permit. Also answers
 * the chain's facts, for checking what the API adds to the events (trailRecords.ts).
 */
export async function rebuildMunicipalityTrail(
  provider: JsonRpcProvider,
  deployment: TrailDeployment,
  options: { municipalityId: number; toBlock: number; from?: number; to?: number; permitId?: string },
): Promise<{ events: AuditEvent[]; facts: TrailFacts }> {
  const logs = await readTrailLogs(provider, { contracts: deployment.contracts, fromBlock: deployment.deploymentBlock, toBlock: options.toBlock });
  const municipalities = municipalitiesOf(logs);
  const facts = factsFromEvents(logs);
  const permitId = options.permitId?.toLowerCase();
  const ours = logs.filter(
    (log, i) => municipalities[i] === options.municipalityId && (permitId === undefined || (log.contract === "permitRegistry" && String(log.args.permitId).toLowerCase() === permitId)),
  );
  const blocks = await readBlockFacts(provider, ours.map((log) => log.blockNumber));
  const events = ours
    .map((log) => auditEventOf(log, options.municipalityId, blocks.get(log.blockNumber)!, facts))
    .filter((event) => event.timestamp >= (options.from ?? 0) && event.timestamp <= (options.to ?? Number.MAX_SAFE_INTEGER));
  return { events, facts };
}
