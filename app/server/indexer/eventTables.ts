import type { DatabaseSync } from "node:sqlite";
import type { Interface, Log, LogDescription } from "ethers";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { Directory__factory } from "../../../types/ethers-contracts/factories/Directory__factory.js";

/**
 * The index tables as a function of the contracts' events: each event, applied in chain order, updates
 * them. Nothing else writes these tables, which is why they can be dropped and rebuilt from the chain.
 */
export const INDEX_TABLES = ["idx_batches", "idx_revocations", "idx_municipalities", "idx_role_changes", "idx_officer_roles"] as const;

export type IndexTable = (typeof INDEX_TABLES)[number];

/** What the indexer knows of a block besides its logs: its time, and who sent each transaction. */
export interface BlockFacts {
  timestamp: number;
  senders: Map<string, string>;
}

const batchAnchorInterface: Interface = BatchAnchor__factory.createInterface();
const directoryInterface: Interface = Directory__factory.createInterface();

/** The event topics the index follows, per contract. */
export const FOLLOWED_EVENTS = {
  batchAnchor: ["BatchAnchored", "RecordRevoked"],
  directory: [
    "MunicipalityAdded",
    "MunicipalitySuspended",
    "MunicipalityReinstated",
    "MunicipalityAdminChanged",
    "OfficerRoleGranted",
    "OfficerRoleRevoked",
  ],
} as const;

export function followedTopics(): string[] {
  return [
    ...FOLLOWED_EVENTS.batchAnchor.map((name) => batchAnchorInterface.getEvent(name)!.topicHash),
    ...FOLLOWED_EVENTS.directory.map((name) => directoryInterface.getEvent(name)!.topicHash),
  ];
}

export class EventTables {
  readonly #db: DatabaseSync;
  readonly #batchAnchor: string;
  readonly #directory: string;

  constructor(db: DatabaseSync, contracts: { batchAnchor: string; directory: string }) {
    this.#db = db;
    this.#batchAnchor = contracts.batchAnchor.toLowerCase();
    this.#directory = contracts.directory.toLowerCase();
  }

  /** Whether the log needs its block's facts (time, senders) to be applied. */
  needsBlockFacts(log: Log): boolean {
    return log.address.toLowerCase() === this.#batchAnchor;
  }

  /** Applies one log (the caller holds the write transaction and gives logs in chain order). */
  apply(log: Log, block: BlockFacts | undefined): void {
    const address = log.address.toLowerCase();
    const iface = address === this.#batchAnchor ? batchAnchorInterface : address === this.#directory ? directoryInterface : null;
    const event = iface?.parseLog({ topics: [...log.topics], data: log.data });
    if (!event) return;
    if (address === this.#batchAnchor) this.#applyBatchAnchor(event, log, block!);
    else this.#applyDirectory(event, log);
  }

  clear(): void {
    for (const table of INDEX_TABLES) this.#db.exec(`DELETE FROM ${table}`);
  }

  counts(): Record<IndexTable, number> {
    const counts = {} as Record<IndexTable, number>;
    for (const table of INDEX_TABLES) {
      counts[table] = (this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return counts;
  }

  #applyBatchAnchor(event: LogDescription, log: Log, block: BlockFacts): void {
    const { args } = event;
    if (event.name === "BatchAnchored") {
      this.#db
        .prepare(
          `INSERT OR IGNORE INTO idx_batches (root, municipality_id, record_count, block_number, log_index, tx_hash, sender, anchored_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          String(args.root),
          Number(args.municipalityId),
          Number(args.count),
          log.blockNumber,
          log.index,
          log.transactionHash,
          block.senders.get(log.transactionHash) ?? "",
          block.timestamp,
        );
    } else if (event.name === "RecordRevoked") {
      this.#db
        .prepare(
          `INSERT OR IGNORE INTO idx_revocations (root, leaf, reason_code, reason_hash, actor, block_number, log_index, tx_hash, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          String(args.root),
          String(args.leaf),
          Number(args.reasonCode),
          String(args.reasonHash),
          String(args.actor),
          log.blockNumber,
          log.index,
          log.transactionHash,
          block.timestamp,
        );
    }
  }

  #applyDirectory(event: LogDescription, log: Log): void {
    const { args } = event;
    const municipalityId = Number(args.municipalityId);
    switch (event.name) {
      case "MunicipalityAdded":
        this.#db
          .prepare(
            `INSERT OR IGNORE INTO idx_municipalities (municipality_id, code, name, admin, suspended, added_block)
             VALUES (?, ?, ?, ?, 0, ?)`,
          )
          .run(municipalityId, String(args.code), String(args.name), String(args.admin), log.blockNumber);
        break;
      case "MunicipalitySuspended":
      case "MunicipalityReinstated":
        this.#db
          .prepare("UPDATE idx_municipalities SET suspended = ? WHERE municipality_id = ?")
          .run(event.name === "MunicipalitySuspended" ? 1 : 0, municipalityId);
        break;
      case "MunicipalityAdminChanged":
        this.#db.prepare("UPDATE idx_municipalities SET admin = ? WHERE municipality_id = ?").run(String(args.newAdmin), municipalityId);
        break;
      case "OfficerRoleGranted":
      case "OfficerRoleRevoked": {
        const granted = event.name === "OfficerRoleGranted";
        const role = String(args.role);
        const account = String(args.account);
        this.#db
          .prepare(
            `INSERT OR IGNORE INTO idx_role_changes (block_number, log_index, municipality_id, role, account, granted, sender, tx_hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(log.blockNumber, log.index, municipalityId, role, account, granted ? 1 : 0, String(args.sender), log.transactionHash);
        if (granted) {
          this.#db
            .prepare("INSERT OR REPLACE INTO idx_officer_roles (municipality_id, role, account, granted_block) VALUES (?, ?, ?, ?)")
            .run(municipalityId, role, account, log.blockNumber);
        } else {
          this.#db
            .prepare("DELETE FROM idx_officer_roles WHERE municipality_id = ? AND role = ? AND account = ?")
            .run(municipalityId, role, account);
        }
        break;
      }
    }
  }
}
