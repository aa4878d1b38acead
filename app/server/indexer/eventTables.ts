import type { DatabaseSync } from "node:sqlite";
import type { Log } from "ethers";
import type { LedgerDeployment } from "../chain/deploy.js";
import { EVENT_MODULES } from "./modules/index.js";
import type { BlockFacts, EventModule } from "./modules/types.js";

export type { BlockFacts } from "./modules/types.js";

/**
 * The index tables as a function of the contracts' events: each event, applied in chain order, updates
 * them through the event modules (modules/). Nothing else writes these tables, which is why they can be
 * dropped and rebuilt from the chain.
 */
export const INDEX_TABLES: readonly string[] = [...new Set(EVENT_MODULES.flatMap((module) => module.tables))];

export type IndexTable = string;

/** The event topics the index follows, over all modules. */
export function followedTopics(modules: readonly EventModule[] = EVENT_MODULES): string[] {
  return [...new Set(modules.flatMap((module) => module.events.map((name) => module.iface.getEvent(name)!.topicHash)))];
}

/** The contract addresses the index follows. */
export function followedAddresses(contracts: LedgerDeployment["contracts"], modules: readonly EventModule[] = EVENT_MODULES): string[] {
  return [...new Set(modules.map((module) => contracts[module.contract]))];
}

export class EventTables {
  readonly #db: DatabaseSync;
  /** Modules by lowercase contract address. */
  readonly #byAddress = new Map<string, EventModule[]>();

  constructor(db: DatabaseSync, contracts: LedgerDeployment["contracts"], modules: readonly EventModule[] = EVENT_MODULES) {
    this.#db = db;
    for (const module of modules) {
      const address = contracts[module.contract].toLowerCase();
      this.#byAddress.set(address, [...(this.#byAddress.get(address) ?? []), module]);
    }
  }

  /** Whether the log needs its block's facts (time, senders) to be applied. */
  needsBlockFacts(log: Log): boolean {
    return (this.#byAddress.get(log.address.toLowerCase()) ?? []).some((module) => module.needsBlockFacts);
  }

  /** Applies one log (the caller holds the write transaction and gives logs in chain order). */
  apply(log: Log, block: BlockFacts | undefined): void {
    for (const module of this.#byAddress.get(log.address.toLowerCase()) ?? []) {
      const event = module.iface.parseLog({ topics: [...log.topics], data: log.data });
      if (event && module.events.includes(event.name)) module.apply(this.#db, event, log, block);
    }
  }

  clear(): void {
    for (const table of INDEX_TABLES) this.#db.exec(`DELETE FROM ${table}`);
  }

  counts(): Record<IndexTable, number> {
    const counts: Record<IndexTable, number> = {};
    for (const table of INDEX_TABLES) {
      counts[table] = (this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return counts;
  }
}
