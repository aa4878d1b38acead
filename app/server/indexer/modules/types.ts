import type { DatabaseSync } from "node:sqlite";
import type { Interface, Log, LogDescription } from "ethers";
import type { LedgerDeployment } from "../../chain/deploy.js";

/** What the indexer knows of a block besides its logs: its time, and who sent each transaction. */
export interface BlockFacts {
  timestamp: number;
  senders: Map<string, string>;
}

export type LedgerContract = keyof LedgerDeployment["contracts"];

/**
 * One slice of the index: the events of one contract it follows and the tables it derives from them.
 * Several modules may follow the same contract; each gets every followed log of it, in chain order,
 * inside the indexer's write transaction. A module writes only its own tables, which are nothing but a
 * function of the events, so they can be dropped and rebuilt from the chain.
 */
export interface EventModule {
  readonly contract: LedgerContract;
  readonly iface: Interface;
  readonly events: readonly string[];
  readonly tables: readonly string[];
  /** Whether `apply` needs the block's time and transaction senders. */
  readonly needsBlockFacts: boolean;
  apply(db: DatabaseSync, event: LogDescription, log: Log, block: BlockFacts | undefined): void;
}
