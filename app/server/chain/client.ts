import { JsonRpcProvider, Transaction, Wallet, isError, type TransactionReceipt, type TransactionRequest } from "ethers";
import { setTimeout as sleep } from "node:timers/promises";
import type { BatchAnchor } from "../../../types/ethers-contracts/BatchAnchor.js";
import type { Directory } from "../../../types/ethers-contracts/Directory.js";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { Directory__factory } from "../../../types/ethers-contracts/factories/Directory__factory.js";
import type { LedgerDeployment } from "./deploy.js";

/**
 * The service's connection to the chain: one JSON-RPC provider, the relayer key that pays for the
 * service's transactions, typed handles of the contracts, and the one place where the relayer's nonces
 * are handed out. Every transaction of the relayer goes through `send`, which signs and broadcasts one
 * at a time, so no two transactions ever carry the same nonce.
 */
export interface ChainClientOptions {
  rpcUrl: string;
  chainId: number;
  /** The relayer's key (ANCHOR_SERVICE in the municipalities it anchors for). */
  privateKey: string;
  deployment: LedgerDeployment;
  /** How often receipts are polled (ms). */
  pollingIntervalMs?: number;
}

/**
 * A provider for a JSON-RPC node. A static network, no response cache and one request per HTTP call:
 * against a local node ethers' defaults have answered stale block numbers and missed blocks.
 */
export function createProvider(rpcUrl: string, chainId: number, pollingIntervalMs = 100): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: pollingIntervalMs,
  });
}

export interface SentTransaction {
  hash: string;
  nonce: number;
}

/** What `send` signs: the destination, the call data and the gas limit (estimated by the caller). */
export interface OutgoingCall {
  to: string;
  data: string;
  gasLimit: bigint;
}

export class ChainClient {
  readonly provider: JsonRpcProvider;
  readonly relayer: Wallet;
  readonly chainId: number;
  readonly deployment: LedgerDeployment;
  /** BatchAnchor, with the relayer as the runner (calls and estimates come from its address). */
  readonly batchAnchor: BatchAnchor;
  readonly directory: Directory;
  readonly #pollingIntervalMs: number;
  /** The next nonce to use; undefined when it must be read from the chain first. */
  #nextNonce: number | undefined;
  #sending: Promise<unknown> = Promise.resolve();

  constructor(options: ChainClientOptions) {
    this.chainId = options.chainId;
    this.deployment = options.deployment;
    this.#pollingIntervalMs = options.pollingIntervalMs ?? 100;
    this.provider = createProvider(options.rpcUrl, options.chainId, this.#pollingIntervalMs);
    this.relayer = new Wallet(options.privateKey, this.provider);
    this.batchAnchor = BatchAnchor__factory.connect(options.deployment.contracts.batchAnchor, this.relayer);
    this.directory = Directory__factory.connect(options.deployment.contracts.directory, this.provider);
  }

  get relayerAddress(): string {
    return this.relayer.address;
  }

  async blockNumber(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /**
   * Signs `call` with the next nonce and broadcasts it. `beforeBroadcast` runs after signing, with the
   * transaction's hash, and before the node sees it: the caller records the hash durably there, so that
   * after a crash it knows what to look for. Sends are serialized; the nonce advances only when the
   * node accepted the transaction, and is read from the chain again after any doubt.
   */
  async send(call: OutgoingCall, beforeBroadcast?: (sent: SentTransaction) => void | Promise<void>): Promise<SentTransaction> {
    const result = this.#sending.then(() => this.#sendNow(call, beforeBroadcast));
    this.#sending = result.catch(() => {});
    return result;
  }

  /** The receipt, or null while the transaction is not mined (or unknown to the node). */
  async receipt(hash: string): Promise<TransactionReceipt | null> {
    return this.provider.getTransactionReceipt(hash);
  }

  /** Polls for the receipt until `timeoutMs` passes (then null): `tx.wait()` has missed blocks on anvil. */
  async waitForReceipt(hash: string, timeoutMs: number): Promise<TransactionReceipt | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.receipt(hash);
      if (receipt || Date.now() >= deadline) return receipt;
      await sleep(this.#pollingIntervalMs);
    }
  }

  /** Whether the node knows the transaction at all (mined or waiting in its pool). */
  async knowsTransaction(hash: string): Promise<boolean> {
    return (await this.provider.getTransaction(hash)) !== null;
  }

  /** Forgets the local nonce: the next send reads it from the chain (pending transactions included). */
  forgetNonce(): void {
    // In line with the sends, so that a send under way cannot write back the nonce it started from.
    this.#sending = this.#sending.then(() => {
      this.#nextNonce = undefined;
    });
  }

  destroy(): void {
    this.provider.destroy();
  }

  async #sendNow(call: OutgoingCall, beforeBroadcast?: (sent: SentTransaction) => void | Promise<void>): Promise<SentTransaction> {
    for (let attempt = 0; ; attempt++) {
      this.#nextNonce ??= await this.provider.getTransactionCount(this.relayer.address, "pending");
      const nonce = this.#nextNonce;
      const signed = await this.relayer.signTransaction(await this.#withFees({ ...call, nonce, chainId: this.chainId }));
      const sent = { hash: Transaction.from(signed).hash!, nonce };
      await beforeBroadcast?.(sent);
      try {
        await this.provider.broadcastTransaction(signed);
      } catch (error) {
        // The node may or may not have taken it (a timeout, a dropped connection): only the chain knows
        // which nonce comes next now.
        this.#nextNonce = undefined;
        // The very same signed transaction is in the node already (geth: "already known", anvil:
        // "transaction already imported"): it was sent.
        if (/already known|already imported/i.test(errorText(error))) {
          this.#nextNonce = nonce + 1;
          return sent;
        }
        // Someone else used this key's nonce (another process with the same key): once, with a fresh one.
        const nonceTaken =
          isError(error, "NONCE_EXPIRED") ||
          isError(error, "REPLACEMENT_UNDERPRICED") ||
          /nonce too low|replacement transaction underpriced/i.test(errorText(error));
        if (attempt === 0 && nonceTaken) continue;
        throw error;
      }
      this.#nextNonce = nonce + 1;
      return sent;
    }
  }

  async #withFees(request: TransactionRequest): Promise<TransactionRequest> {
    const fees = await this.provider.getFeeData();
    // EIP-1559 where the chain has a base fee; a legacy gas price on chains without (e.g. a free-gas
    // Besu QBFT network).
    if (fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null) {
      return { ...request, type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    }
    return { ...request, type: 0, gasPrice: fees.gasPrice ?? 0n };
  }
}

function errorText(error: unknown): string {
  const { message, info } = error as { message?: string; info?: unknown };
  return `${message ?? ""} ${JSON.stringify(info ?? "")}`;
}
