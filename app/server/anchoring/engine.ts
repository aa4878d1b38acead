import type { DatabaseSync } from "node:sqlite";
import { ChainClient } from "../chain/client.js";
import type { LedgerDeployment } from "../chain/deploy.js";
import type { RelayerFeeConfig } from "../chain/relayerFeeConfig.js";
import { Indexer, type IndexerStatus } from "../indexer/indexer.js";
import { SqliteRevocations } from "../indexer/revocations.js";
import { openDatabase } from "../store/database.js";
import { AnchorBatchStore } from "./batchStore.js";
import type { AnchoringConfig } from "./config.js";
import { SqliteAnchorQueue } from "./queue.js";
import type { AnchorQueueStatus } from "./types.js";
import { AnchorWorker, type AnchorWorkerStatus } from "./worker.js";

/**
 * The anchoring engine assembled for the service: the database of the data folder, the durable queue
 * the API writes to, the chain client with the relayer key, the worker and the indexer, started and
 * stopped together. `main.ts` and tests assemble it the same way.
 */
export interface AnchoringEngineOptions {
  dataDir: string;
  rpcUrl: string;
  deployment: LedgerDeployment;
  /** The relayer's key: it must hold ANCHOR_SERVICE in every municipality it anchors for. */
  relayerPrivateKey: string;
  config: AnchoringConfig;
  /** When the relayer raises a stalled transaction, and the most it offers per gas (default: chain/relayerFeeConfig.ts). */
  relayerFees?: RelayerFeeConfig;
  /** On the embedded chain, `() => anvilChain.persistedBlock`: nothing is final beyond the saved state. */
  durableBlock?: () => bigint;
  log?: (message: string) => void;
}

/** What /api/health shows of anchoring. */
export interface AnchoringHealth {
  queue: AnchorQueueStatus;
  worker: AnchorWorkerStatus;
  indexer: IndexerStatus;
}

export interface AnchoringEngine {
  /** The data folder's database (queue and index), shared with the workflows. */
  db: DatabaseSync;
  /** The API's side: the `AnchorQueue` it accepts records into. */
  queue: SqliteAnchorQueue;
  chain: ChainClient;
  worker: AnchorWorker;
  indexer: Indexer;
  /** Revocations seen by the indexer, for verdicts. */
  revocations: SqliteRevocations;
  status(): AnchoringHealth;
  /** Stops the worker and the indexer after their current round, then closes the chain client and the database. */
  stop(): Promise<void>;
}

export function startAnchoringEngine(options: AnchoringEngineOptions): AnchoringEngine {
  const db = openDatabase(options.dataDir);
  const chain = new ChainClient({
    rpcUrl: options.rpcUrl,
    chainId: options.deployment.chainId,
    privateKey: options.relayerPrivateKey,
    deployment: options.deployment,
    fees: options.relayerFees,
    log: options.log,
  });
  const queue = new SqliteAnchorQueue(db);
  const worker = new AnchorWorker({
    batches: new AnchorBatchStore(db),
    chain,
    batchSize: options.config.batchSize,
    batchWindowMs: options.config.batchWindowMs,
    confirmations: options.config.confirmations,
    durableBlock: options.durableBlock,
    log: options.log,
  });
  const indexer = new Indexer({
    db,
    provider: chain.provider,
    deployment: options.deployment,
    confirmations: options.config.confirmations,
    blockRange: options.config.indexBlockRange,
    log: options.log,
  });
  worker.start();
  indexer.start();
  return {
    db,
    queue,
    chain,
    worker,
    indexer,
    revocations: new SqliteRevocations(db),
    status: () => ({ queue: queue.status(), worker: worker.status(), indexer: indexer.status() }),
    async stop() {
      await Promise.all([worker.stop(), indexer.stop()]);
      chain.destroy();
      db.close();
    },
  };
}
