// Reads the audit trail from an RPC node alone: eth_getLogs over the workflow contracts, decoded with
// the trail's event fragments, plus each block's time, hash and transaction senders. The audit API's
// `?check=chain` and `ledger audit` both read the chain through this file.
import type { JsonRpcProvider, Log } from "ethers";
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
    const topics = query.subjectTopic ? [null, query.subjectTopic] : [];
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

/** A chain event completed with its block's facts into the shape the audit API answers. */
export function auditEventOf(event: ChainEvent, municipalityId: number | null, block: BlockFacts): AuditEvent {
  const roleNames = roleNamesOf(event.args);
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
    sender: block.senders.get(event.txHash.toLowerCase()) ?? "",
  };
}
