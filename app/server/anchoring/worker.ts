import { setTimeout as sleep } from "node:timers/promises";
import type { ChainClient } from "../chain/client.js";
import { BatchAnchorContract } from "./batchAnchorContract.js";
import type { AnchorBatchStore, StoredBatch } from "./batchStore.js";

/**
 * The anchoring worker: turns queued records into Merkle batches, anchors each batch's root through
 * BatchAnchor from the relayer key, follows it to its block and to finality, and after a crash
 * reconciles what its database says it sent with what the chain holds.
 *
 * Exactly once, by construction: a batch's membership and root are stored before its transaction is
 * sent, the root depends only on that membership, and BatchAnchor refuses a root the municipality holds.
 * So the worker may always re-send a root the chain does not hold for the batch's municipality, and a
 * root it does hold is adopted, never sent again: roots are scoped by municipality on chain and only
 * the municipality's own anchoring keys write under its id, so a root held there is the worker's own.
 * A record belongs to one batch at a time.
 *
 * Finality. A batch is final when `confirmations` blocks were built on its block and, when
 * `durableBlock` is given, the chain's saved state covers its block. On the embedded anvil chain there
 * is one node and no reorganisation, so the default there is 0 confirmations (with automine, an idle
 * chain makes no new blocks, and waiting for one would hang "final" forever); but anvil loses the
 * blocks made since its last state dump when it is killed, so "final" there waits for the dump
 * (`AnvilChain.persistedBlock`). On a real network, confirmations > 0 guard against reorganisations,
 * and each batch's block hash is checked again before it is called final.
 */
export interface AnchorWorkerOptions {
  batches: AnchorBatchStore;
  chain: ChainClient;
  /** N: a batch closes at this many records (default 1,000). */
  batchSize?: number;
  /** T: …or when its oldest record has waited this long, in ms (default 1,000). */
  batchWindowMs?: number;
  /** Blocks to build on an anchor's block before its records are final (default 0). */
  confirmations?: number;
  /** The newest block that survives a crash of the chain node (the embedded chain's last dump). */
  durableBlock?: () => bigint | number | Promise<bigint | number>;
  /** Batches sent and not yet mined, at most (default 8). */
  maxInFlight?: number;
  /**
   * A sent transaction neither mined nor known to the node (nor followed by the chain client) after
   * this long is sent again (ms). One that waits in the node's pool is never sent again under a new
   * nonce: the chain client raises its fees at its own nonce.
   */
  resendAfterMs?: number;
  /** A batch the contract refuses, or an RPC failure, is tried again after this long (ms). */
  retryDelayMs?: number;
  /** Pause between rounds when there is nothing to send (ms). */
  idleDelayMs?: number;
  log?: (message: string) => void;
  now?: () => number;
}

export interface AnchorWorkerStatus {
  running: boolean;
  /** Whether the start-up reconciliation with the chain has run. */
  reconciled: boolean;
  lastError: string | null;
  /** Since when (ms since epoch) every round has failed; null while rounds succeed. /api/health reads it. */
  failingSince: number | null;
}

export class AnchorWorker {
  readonly #batches: AnchorBatchStore;
  readonly #chain: ChainClient;
  readonly #contract: BatchAnchorContract;
  readonly #options: Required<Omit<AnchorWorkerOptions, "durableBlock" | "log" | "batches" | "chain">>;
  readonly #durableBlock?: AnchorWorkerOptions["durableBlock"];
  readonly #log: (message: string) => void;
  #running?: Promise<void>;
  #stop = new AbortController();
  #reconciled = false;
  #lastError: string | null = null;
  #failingSince: number | null = null;

  constructor(options: AnchorWorkerOptions) {
    this.#batches = options.batches;
    this.#chain = options.chain;
    this.#contract = new BatchAnchorContract(options.chain);
    this.#durableBlock = options.durableBlock;
    this.#log = options.log ?? (() => {});
    this.#options = {
      batchSize: options.batchSize ?? 1000,
      batchWindowMs: options.batchWindowMs ?? 1000,
      confirmations: options.confirmations ?? 0,
      maxInFlight: options.maxInFlight ?? 8,
      resendAfterMs: options.resendAfterMs ?? 60_000,
      retryDelayMs: options.retryDelayMs ?? 5_000,
      idleDelayMs: options.idleDelayMs ?? 100,
      now: options.now ?? Date.now,
    };
    if (!Number.isInteger(this.#options.batchSize) || this.#options.batchSize < 1 || this.#options.batchSize > 2 ** 32 - 1) {
      throw new RangeError("batchSize must be a positive integer");
    }
  }

  start(): void {
    if (this.#running) return;
    this.#stop = new AbortController();
    this.#running = this.#loop();
  }

  /** Stops after the current round; what is in flight is found again by the next start. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    this.#running = undefined;
  }

  status(): AnchorWorkerStatus {
    return { running: this.#running !== undefined, reconciled: this.#reconciled, lastError: this.#lastError, failingSince: this.#failingSince };
  }

  async #loop(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      let busy = false;
      try {
        if (!this.#reconciled) {
          await this.reconcile();
          this.#reconciled = true;
        }
        busy = await this.#round();
        this.#lastError = null;
        this.#failingSince = null;
      } catch (error) {
        this.#lastError = (error as Error).message.split("\n")[0];
        this.#failingSince ??= this.#options.now();
        this.#log(`anchoring: ${this.#lastError}; trying again in ${this.#options.retryDelayMs} ms`);
        this.#chain.forgetNonce();
        await this.#pause(this.#options.retryDelayMs);
        continue;
      }
      if (!busy) await this.#pause(this.#options.idleDelayMs);
    }
  }

  async #pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#stop.signal }).catch(() => {});
  }

  /**
   * After a start (and so after any crash): every batch the database says was sent or mined is checked
   * against the chain. Held by the chain for its municipality → anchored (with the block the chain says);
   * not held and not waiting in the node's pool → unsent, so the normal round sends the same root again.
   */
  async reconcile(): Promise<void> {
    this.#chain.forgetNonce();
    const open = this.#batches.inStatus("submitted", "anchored");
    for (const batch of open) await this.#reconcileBatch(batch);
    if (open.length > 0) this.#log(`anchoring: reconciled ${open.length} batch(es) with the chain`);
  }

  /** One round: form batches, send what may be sent, follow receipts, finalize. True if it sent. */
  async #round(): Promise<boolean> {
    const now = this.#options.now();
    const inFlight = this.#batches.inStatus("submitted").length;
    const ready = this.#batches.inStatus("unsent").filter((batch) => batch.retryAt <= now);
    const room = Math.max(0, this.#options.maxInFlight - inFlight);
    if (room > ready.length) {
      ready.push(
        ...this.#batches.closeBatches({
          batchSize: this.#options.batchSize,
          windowMs: this.#options.batchWindowMs,
          maxBatches: room - ready.length,
          now,
        }),
      );
    }
    let sent = 0;
    for (const batch of ready.slice(0, room)) {
      if (this.#stop.signal.aborted) break;
      if (await this.#sendBatch(batch)) sent++;
    }
    await this.#followSubmitted();
    await this.#finalize();
    return sent > 0;
  }

  async #sendBatch(batch: StoredBatch): Promise<boolean> {
    const preflight = await this.#contract.preflight(batch.municipalityId, batch.root, batch.recordCount);
    if (preflight.kind === "root-exists") {
      // Sent before a crash and mined since: adopt the anchor the chain holds.
      await this.#reconcileBatch(batch);
      return false;
    }
    if (preflight.kind === "refused") {
      this.#batches.deferUnsent(batch.batchId, preflight.reason, this.#options.now() + this.#options.retryDelayMs);
      this.#log(`anchoring: batch ${batch.batchId} of municipality ${batch.municipalityId} refused by the contract: ${preflight.reason}`);
      return false;
    }
    try {
      await this.#contract.send(batch.municipalityId, batch.root, batch.recordCount, preflight.gasLimit, (tx) =>
        this.#batches.markSubmitted(batch.batchId, tx.hash, tx.nonce, this.#options.now()),
      );
      return true;
    } catch (error) {
      // Not broadcast, or not known to be: the next round asks the chain (preflight) before re-sending.
      const reason = (error as Error).message.split("\n")[0];
      this.#batches.markUnsent(batch.batchId, reason, this.#options.now() + this.#options.retryDelayMs);
      this.#log(`anchoring: sending batch ${batch.batchId} failed: ${reason}`);
      return false;
    }
  }

  async #followSubmitted(): Promise<void> {
    const submitted = this.#batches.inStatus("submitted");
    await Promise.all(
      submitted.map(async (batch) => {
        const receipt = await this.#chain.receipt(batch.txHash!);
        if (receipt?.status === 1) {
          const onChain = await this.#contract.lookup(batch.municipalityId, batch.root);
          if (onChain && onChain.blockNumber === receipt.blockNumber) {
            this.#batches.markAnchored(batch.batchId, {
              txHash: receipt.hash,
              blockNumber: receipt.blockNumber,
              blockHash: receipt.blockHash,
              anchoredAt: onChain.anchoredAt,
            });
            return;
          }
        }
        // Reverted (an earlier send of the same root landed first), or nothing yet for too long: ask the chain.
        const waited = this.#options.now() - (batch.submittedAt ?? 0);
        if (receipt || waited >= this.#options.resendAfterMs) await this.#reconcileBatch(batch);
      }),
    );
  }

  async #finalize(): Promise<void> {
    const anchored = this.#batches.inStatus("anchored");
    if (anchored.length === 0) return;
    const head = await this.#chain.blockNumber();
    const durable = this.#durableBlock ? Number(await this.#durableBlock()) : Number.POSITIVE_INFINITY;
    const hashes = new Map<number, string | null>();
    for (const batch of anchored) {
      const block = batch.blockNumber!;
      if (head < block + this.#options.confirmations || durable < block) continue;
      if (!hashes.has(block)) hashes.set(block, await this.#contract.blockHash(block));
      if (hashes.get(block) === batch.blockHash) {
        this.#batches.markFinal(batch.batchId);
      } else {
        // The block that held the anchor is no longer on the chain (a reorganisation, a lost block).
        await this.#reconcileBatch(batch);
      }
    }
  }

  /** Brings one batch's state in line with what the chain holds for its root in its municipality. */
  async #reconcileBatch(batch: StoredBatch): Promise<void> {
    const onChain = await this.#contract.lookup(batch.municipalityId, batch.root);
    if (onChain) {
      const receipt = batch.txHash ? await this.#chain.receipt(batch.txHash) : null;
      const landed =
        receipt?.status === 1 && receipt.blockNumber === onChain.blockNumber
          ? { txHash: receipt.hash, blockHash: receipt.blockHash }
          : await this.#contract.anchorTransaction(batch.municipalityId, batch.root, onChain.blockNumber);
      if (!landed) throw new Error(`the chain holds root ${batch.root} but no BatchAnchored event for it in block ${onChain.blockNumber}`);
      this.#batches.markAnchored(batch.batchId, { ...landed, blockNumber: onChain.blockNumber, anchoredAt: onChain.anchoredAt });
      return;
    }
    if (batch.status === "submitted" && batch.txHash && (await this.#chain.knowsTransaction(batch.txHash))) {
      const receipt = await this.#chain.receipt(batch.txHash);
      // Still waiting in the node's pool, or followed by the chain client: it stays at its nonce, raised
      // there if it stalls (chain/inFlight.ts); the same root under a new nonce would only queue behind
      // it. Mined and reverted: send again.
      if (!receipt) return;
    }
    this.#batches.markUnsent(batch.batchId, batch.status === "unsent" ? batch.lastError : "the chain does not hold the root");
    // Transactions the chain lost leave a gap in the relayer's nonces: read the next one afresh.
    this.#chain.forgetNonce();
  }
}
