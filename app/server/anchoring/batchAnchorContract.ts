import { isError, toBeHex, zeroPadValue } from "ethers";
import type { ChainClient, SentTransaction } from "../chain/client.js";

/**
 * What the anchoring worker asks BatchAnchor, in the worker's terms: can this root be anchored now,
 * send it, and what does the chain hold for a root. Roots are scoped by municipality on chain, so every
 * question names the municipality too. The chain's answer about a root is the truth the worker
 * reconciles its database with.
 */
export type AnchorPreflight =
  | { kind: "ready"; gasLimit: bigint }
  /**
   * The municipality has anchored the root already (BatchAnchorRootExists): only its own keys can, so
   * this is the worker's own earlier transaction, landed.
   */
  | { kind: "root-exists" }
  /** The contract refuses, e.g. DirectoryMunicipalitySuspended or DirectoryUnauthorizedAccount. */
  | { kind: "refused"; reason: string };

export interface OnChainBatch {
  municipalityId: number;
  count: number;
  /** Block timestamp (s). */
  anchoredAt: number;
  blockNumber: number;
}

export interface AnchorTransaction {
  txHash: string;
  blockHash: string;
}

export class BatchAnchorContract {
  readonly #chain: ChainClient;

  constructor(chain: ChainClient) {
    this.#chain = chain;
  }

  get address(): string {
    return this.#chain.deployment.contracts.batchAnchor;
  }

  /**
   * Estimates `anchor` from the relayer: the estimate is the gas limit, and a revert says why the
   * transaction would fail before any gas or nonce is spent on it.
   */
  async preflight(municipalityId: number, root: string, count: number): Promise<AnchorPreflight> {
    try {
      const estimate = await this.#chain.batchAnchor.anchor.estimateGas(municipalityId, root, count);
      // The first anchor of a key takes BatchAnchor's slow path; a margin covers a state change between.
      return { kind: "ready", gasLimit: (estimate * 12n) / 10n + 10_000n };
    } catch (error) {
      if (!isError(error, "CALL_EXCEPTION")) throw error;
      const revert = error.revert ?? (error.data ? this.#chain.batchAnchor.interface.parseError(error.data) : null);
      if (revert?.name === "BatchAnchorRootExists") {
        return { kind: "root-exists" };
      }
      const reason = revert ? `${revert.name}(${revert.args.map(String).join(", ")})` : error.shortMessage;
      return { kind: "refused", reason };
    }
  }

  /** Signs and broadcasts `anchor(municipalityId, root, count)` through the client's nonce keeper. */
  async send(
    municipalityId: number,
    root: string,
    count: number,
    gasLimit: bigint,
    beforeBroadcast: (sent: SentTransaction) => void,
  ): Promise<SentTransaction> {
    const { to, data } = await this.#chain.batchAnchor.anchor.populateTransaction(municipalityId, root, count);
    return this.#chain.send({ to, data, gasLimit }, beforeBroadcast);
  }

  /** The anchor of `root` for `municipalityId` as the chain holds it now, or null. */
  async lookup(municipalityId: number, root: string): Promise<OnChainBatch | null> {
    const batch = await this.#chain.batchAnchor.batch(municipalityId, root);
    if (batch.count === 0n) return null;
    return {
      municipalityId: Number(batch.municipalityId),
      count: Number(batch.count),
      anchoredAt: Number(batch.anchoredAt),
      blockNumber: Number(batch.blockNumber),
    };
  }

  /** The transaction that anchored `root` for `municipalityId` in `blockNumber`, from its BatchAnchored event. */
  async anchorTransaction(municipalityId: number, root: string, blockNumber: number): Promise<AnchorTransaction | null> {
    const topic = this.#chain.batchAnchor.interface.getEvent("BatchAnchored").topicHash;
    const logs = await this.#chain.provider.getLogs({
      address: this.address,
      topics: [topic, root, zeroPadValue(toBeHex(municipalityId), 32)],
      fromBlock: blockNumber,
      toBlock: blockNumber,
    });
    const log = logs.find((entry) => !entry.removed);
    return log ? { txHash: log.transactionHash, blockHash: log.blockHash } : null;
  }

  /** The hash of block `blockNumber` on the chain now (null when the chain is not that long). */
  async blockHash(blockNumber: number): Promise<string | null> {
    return (await this.#chain.provider.getBlock(blockNumber))?.hash ?? null;
  }
}
