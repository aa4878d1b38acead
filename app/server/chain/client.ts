import { JsonRpcProvider, Transaction, Wallet, type TransactionReceipt, type TransactionRequest } from "ethers";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../errors.js";
import type { BatchAnchor } from "../../../types/ethers-contracts/BatchAnchor.js";
import type { Directory } from "../../../types/ethers-contracts/Directory.js";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { Directory__factory } from "../../../types/ethers-contracts/factories/Directory__factory.js";
import type { LedgerDeployment } from "./deploy.js";
import { ceilingBelowBaseFee, firstFees, inGwei, readFeeMarket } from "./feeMarket.js";
import { InFlightTransactions, type BeforeBroadcast, type FeeCeilingStatus, type InFlightView, type SentTransaction } from "./inFlight.js";
import { alreadyKnown, nonceTooLow, replacementUnderpriced } from "./nodeAnswers.js";
import { DEFAULT_RELAYER_FEES, type RelayerFeeConfig } from "./relayerFeeConfig.js";

export type { SentTransaction } from "./inFlight.js";

/**
 * The service's connection to the chain: one JSON-RPC provider, the relayer key that pays for the
 * service's transactions, typed handles of the contracts, and the one place where the relayer's nonces
 * are handed out. Every transaction of the relayer goes through `send`, which signs and broadcasts one
 * at a time, so no two transactions ever carry the same nonce; what is sent is followed until it is
 * mined (inFlight.ts): raised at its nonce when it stalls, sent again when the node loses it.
 */
export interface ChainClientOptions {
  rpcUrl: string;
  chainId: number;
  /** The relayer's key (ANCHOR_SERVICE in the municipalities it anchors for). */
  privateKey: string;
  deployment: LedgerDeployment;
  /** How often receipts are polled (ms). */
  pollingIntervalMs?: number;
  /** When a stalled transaction is raised, and the most the relayer offers per gas (relayerFeeConfig.ts). */
  fees?: RelayerFeeConfig;
  log?: (message: string) => void;
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
  readonly #maxFeePerGasWei: bigint;
  readonly #inFlight: InFlightTransactions;
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
    const fees = options.fees ?? DEFAULT_RELAYER_FEES;
    this.#maxFeePerGasWei = fees.maxFeePerGasWei;
    this.#inFlight = new InFlightTransactions({
      provider: this.provider,
      signer: this.relayer,
      replaceAfterMs: fees.replaceAfterMs,
      maxFeePerGasWei: fees.maxFeePerGasWei,
      log: options.log,
    });
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
   * after a crash it knows what to look for — and again before each replacement at the same nonce (a
   * stalled transaction raised), with the new hash. Sends are serialized; the nonce advances only when
   * the node accepted the transaction, and is read from the chain again after any doubt. With the
   * chain's base fee above the ceiling nothing is signed: 503 RELAYER_FEE_CEILING.
   */
  async send(call: OutgoingCall, beforeBroadcast?: BeforeBroadcast): Promise<SentTransaction> {
    const result = this.#sending.then(() => this.#sendNow(call, beforeBroadcast));
    this.#sending = result.catch(() => {});
    return result;
  }

  /**
   * The receipt, or null while the transaction is not mined (or unknown to the node). For a relayer's
   * transaction that was replaced at its nonce, the receipt of whichever one was mined (its `hash` says
   * which): a caller holding an older hash sees its call mined.
   */
  async receipt(hash: string): Promise<TransactionReceipt | null> {
    return this.#inFlight.receipt(hash);
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

  /**
   * Whether the transaction is alive: the node knows it or a replacement of it (mined or waiting in its
   * pool), or this client follows its nonce and sends it again if the node lost it. A relayer's
   * transaction waiting in the pool that this client did not send (before a restart) is followed from
   * now on, raised if it stalls.
   */
  async knowsTransaction(hash: string): Promise<boolean> {
    return this.#inFlight.knows(hash);
  }

  /** The relayer's transactions sent and not yet mined, by nonce. */
  inFlight(): InFlightView[] {
    return this.#inFlight.list();
  }

  /** Null unless the fee ceiling holds the relayer's transactions back (/api/health: RELAYER_FEE_CEILING). */
  feeCeiling(): FeeCeilingStatus | null {
    return this.#inFlight.ceiling();
  }

  /**
   * Forgets the local nonce: the next send reads it from the chain (pending transactions included), and
   * takes none this client still follows (a gap there is filled with what belongs in it).
   */
  forgetNonce(): void {
    // In line with the sends, so that a send under way cannot write back the nonce it started from.
    this.#sending = this.#sending.then(() => {
      this.#nextNonce = undefined;
    });
  }

  destroy(): void {
    this.#inFlight.stop();
    this.provider.destroy();
  }

  async #sendNow(call: OutgoingCall, beforeBroadcast?: BeforeBroadcast): Promise<SentTransaction> {
    for (let attempt = 0; ; attempt++) {
      this.#nextNonce ??= Math.max(await this.provider.getTransactionCount(this.relayer.address, "pending"), this.#inFlight.nextNonce());
      const nonce = this.#nextNonce;
      const market = await readFeeMarket(this.provider);
      if (ceilingBelowBaseFee(market, this.#maxFeePerGasWei)) {
        this.#inFlight.refusedAtCeiling(market.baseFeePerGas!);
        throw new AppError(
          "RELAYER_FEE_CEILING",
          `The chain's base fee (${inGwei(market.baseFeePerGas!)} gwei) is above what the relayer may offer ` +
            `(RELAYER_MAX_FEE_GWEI = ${inGwei(this.#maxFeePerGasWei)}): nothing was sent. Try again when fees fall.`,
        );
      }
      const fees = firstFees(market, this.#maxFeePerGasWei);
      const request: TransactionRequest = { ...call, nonce, chainId: this.chainId, ...fees };
      const signed = await this.relayer.signTransaction(request);
      const sent = { hash: Transaction.from(signed).hash!, nonce };
      await beforeBroadcast?.(sent);
      try {
        await this.provider.broadcastTransaction(signed);
      } catch (error) {
        // Unless the very same signed transaction is in the node already (it was sent, then):
        if (!alreadyKnown(error)) {
          // The node may or may not have taken it (a timeout, a dropped connection): only the chain knows
          // which nonce comes next now.
          this.#nextNonce = undefined;
          // Someone else used this key's nonce (another process with the same key): once, with a fresh one.
          if (attempt === 0 && (nonceTooLow(error) || replacementUnderpriced(error))) continue;
          throw error;
        }
      }
      this.#nextNonce = nonce + 1;
      this.#inFlight.add({ nonce, request, fees, signed, hash: sent.hash, beforeBroadcast });
      return sent;
    }
  }
}
