import { setTimeout as sleep } from "node:timers/promises";
import { Transaction, type JsonRpcProvider, type TransactionReceipt, type TransactionRequest, type TransactionResponse, type Wallet } from "ethers";
import { offeredMaximum, readFeeMarket, replacementFees, type FeeMarket, type OfferedFees } from "./feeMarket.js";
import { alreadyKnown, nonceTooLow } from "./nodeAnswers.js";

/** A signed transaction of the relayer: its hash and nonce. */
export interface SentTransaction {
  hash: string;
  nonce: number;
}

/** Runs after signing and before the node sees the transaction: the caller records its hash there. */
export type BeforeBroadcast = (sent: SentTransaction) => void | Promise<void>;

/** A transaction the relayer broadcast, as `InFlightTransactions.add` takes it. */
export interface Broadcast {
  nonce: number;
  /** What was signed, fees included. */
  request: TransactionRequest;
  fees: OfferedFees;
  signed: string;
  hash: string;
  beforeBroadcast?: BeforeBroadcast;
}

/** A nonce in flight, as health and tests see it. */
export interface InFlightView {
  nonce: number;
  /** The hash the node holds now (the last one it accepted). */
  hash: string;
  /** Every hash signed at this nonce, oldest first. */
  hashes: string[];
  /** What the last accepted one offers per gas at most (maxFeePerGas, or the legacy gas price). */
  feePerGas: bigint;
  /** Since when it stalls with fees the ceiling lets go no higher (ms since epoch). */
  atCeilingSince: number | null;
}

/** Why the relayer's transactions wait: the ceiling (RELAYER_MAX_FEE_GWEI) is below what the chain asks. */
export interface FeeCeilingStatus {
  since: number;
  ceilingWei: bigint;
  /** The chain's base fee when last read; null on a chain without one. */
  baseFeePerGas: bigint | null;
  /** Nonces that stall at the ceiling. */
  nonces: number[];
  /** Whether the last send was refused before broadcast, the base fee being above the ceiling. */
  sendsRefused: boolean;
}

export interface InFlightOptions {
  provider: JsonRpcProvider;
  signer: Wallet;
  /** Neither mined nor raised for this long while the chain builds blocks: raised (ms). */
  replaceAfterMs: number;
  /** The most the relayer offers per gas (wei). */
  maxFeePerGasWei: bigint;
  log?: (message: string) => void;
  now?: () => number;
}

interface Followed {
  nonce: number;
  /** The call as first signed, fees aside: every replacement signs the same call at the same nonce. */
  request: TransactionRequest;
  fees: OfferedFees;
  signed: string;
  hash: string;
  hashes: string[];
  beforeBroadcast?: BeforeBroadcast;
  broadcastAt: number;
  /** The chain's head when it was first seen waiting after its last broadcast. */
  headSeen: number | null;
  atCeilingSince: number | null;
  settled: boolean;
}

/** Hashes of settled nonces remembered for callers still asking about them. */
const REMEMBERED_HASHES = 10_000;

/**
 * The relayer's transactions sent and not yet mined, by nonce: the one place that knows what belongs at
 * each of the relayer's nonces, so that none is left empty and none filled twice by this process.
 *  - One the chain builds blocks without for `replaceAfterMs` is signed again at its nonce with higher
 *    fees (feeMarket.ts), up to the ceiling; at the ceiling it waits and `ceiling()` says so
 *    (/api/health: RELAYER_FEE_CEILING). While the chain builds no block at all, nothing is raised: no
 *    fee would help.
 *  - One the node no longer knows after as long (dropped from its pool, a node restarted without its
 *    pool, the gap that then holds back every later nonce) is sent again as it was signed, or raised if
 *    the node refuses it at its old fees.
 * Every hash signed at a nonce belongs to one family: asked about any of them, `receipt` answers the
 * receipt of whichever was mined, so a caller that recorded an older hash sees its call mined. The
 * caller's `beforeBroadcast` runs again before each replacement, to record the new hash durably.
 * A transaction the relayer sent before this process started is followed from when a caller asks about
 * it (`knows`), with what the node holds of it.
 */
export class InFlightTransactions {
  readonly #options: Required<InFlightOptions>;
  readonly #active = new Map<number, Followed>();
  readonly #byHash = new Map<string, Followed>();
  readonly #checkEveryMs: number;
  #loop?: Promise<void>;
  #stopped = false;
  #refusedSince: number | null = null;
  #lastBaseFee: bigint | null = null;

  constructor(options: InFlightOptions) {
    this.#options = { ...options, log: options.log ?? (() => {}), now: options.now ?? Date.now };
    this.#checkEveryMs = Math.min(1000, Math.max(50, Math.floor(options.replaceAfterMs / 4)));
  }

  /** Follows a transaction the node just accepted; a send that succeeds ends a refusal at the ceiling. */
  add(sent: Broadcast): void {
    this.#refusedSince = null;
    this.#follow(sent);
  }

  #follow(sent: Broadcast): void {
    const followed: Followed = {
      ...sent,
      hashes: [sent.hash],
      broadcastAt: this.#options.now(),
      headSeen: null,
      atCeilingSince: null,
      settled: false,
    };
    this.#active.set(sent.nonce, followed);
    this.#remember(sent.hash, followed);
    this.#ensureLoop();
  }

  /** A send refused before broadcast: the chain's base fee is above the ceiling. */
  refusedAtCeiling(baseFeePerGas: bigint): void {
    this.#refusedSince ??= this.#options.now();
    this.#lastBaseFee = baseFeePerGas;
  }

  /** The nonce after the highest one followed (0 when none is): a gap below it is filled here, not by a new send. */
  nextNonce(): number {
    let next = 0;
    for (const nonce of this.#active.keys()) next = Math.max(next, nonce + 1);
    return next;
  }

  /** The receipt of whichever transaction of `hash`'s nonce was mined (of those this process signed), or null. */
  async receipt(hash: string): Promise<TransactionReceipt | null> {
    const followed = this.#byHash.get(hash.toLowerCase());
    if (!followed) return this.#options.provider.getTransactionReceipt(hash);
    // Newest first: the last one accepted is the likeliest to be the one mined.
    for (const candidate of [...followed.hashes].reverse()) {
      const receipt = await this.#options.provider.getTransactionReceipt(candidate);
      if (receipt) return receipt;
    }
    return null;
  }

  /**
   * Whether the transaction, or one of its nonce, is mined or waits in the node's pool, or is one this
   * process still follows (it sends it again if the node lost it). A relayer's transaction waiting in
   * the pool that this process did not send (before a restart) is followed from now on.
   */
  async knows(hash: string): Promise<boolean> {
    const { provider, signer } = this.#options;
    const followed = this.#byHash.get(hash.toLowerCase());
    if (followed) {
      if (!followed.settled) return true;
      for (const candidate of followed.hashes) if (await provider.getTransaction(candidate)) return true;
      return false;
    }
    const tx = await provider.getTransaction(hash);
    if (!tx) return false;
    if (tx.blockNumber === null && tx.from.toLowerCase() === signer.address.toLowerCase() && !this.#active.has(tx.nonce)) this.#adopt(tx);
    return true;
  }

  /** The nonces in flight, lowest first. */
  list(): InFlightView[] {
    return [...this.#active.values()]
      .sort((a, b) => a.nonce - b.nonce)
      .map((f) => ({ nonce: f.nonce, hash: f.hash, hashes: [...f.hashes], feePerGas: offeredMaximum(f.fees), atCeilingSince: f.atCeilingSince }));
  }

  /** Null unless the ceiling holds the relayer's transactions back (stalled at it, or sends refused). */
  ceiling(): FeeCeilingStatus | null {
    const stalled = [...this.#active.values()].filter((f) => f.atCeilingSince !== null);
    if (stalled.length === 0 && this.#refusedSince === null) return null;
    const since = Math.min(...stalled.map((f) => f.atCeilingSince!), this.#refusedSince ?? Number.POSITIVE_INFINITY);
    return {
      since,
      ceilingWei: this.#options.maxFeePerGasWei,
      baseFeePerGas: this.#lastBaseFee,
      nonces: stalled.map((f) => f.nonce).sort((a, b) => a - b),
      sendsRefused: this.#refusedSince !== null,
    };
  }

  /** Stops looking after the transactions (the client is closing). */
  stop(): void {
    this.#stopped = true;
  }

  #ensureLoop(): void {
    if (this.#loop || this.#stopped) return;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    for (;;) {
      // Checked and cleared with no wait in between, so that an `add` never finds a loop about to end.
      if (this.#stopped || this.#active.size === 0) {
        this.#loop = undefined;
        return;
      }
      await sleep(this.#checkEveryMs, undefined, { ref: false });
      if (this.#stopped) continue;
      try {
        await this.tend();
      } catch (error) {
        this.#options.log(`relayer transactions: ${(error as Error).message.split("\n")[0]}`);
      }
    }
  }

  /** One look at every nonce in flight: settles the mined ones, raises the stalled, re-sends the lost. */
  async tend(): Promise<void> {
    const { provider, signer, replaceAfterMs } = this.#options;
    const [mined, head] = await Promise.all([provider.getTransactionCount(signer.address, "latest"), provider.getBlockNumber()]);
    for (const followed of [...this.#active.values()]) {
      // Mined: ours, or (another process with the same key) someone else's; callers ask the chain which.
      if (followed.nonce < mined) this.#settle(followed);
    }
    let market: FeeMarket | undefined;
    let gapFilled = false;
    for (const followed of [...this.#active.values()].sort((a, b) => a.nonce - b.nonce)) {
      if (this.#stopped) return;
      followed.headSeen ??= head;
      if (this.#options.now() - followed.broadcastAt < replaceAfterMs) continue;
      const tx = await provider.getTransaction(followed.hash);
      if (tx && tx.blockNumber !== null) continue; // mined since the count was read
      if (tx && head <= followed.headSeen) continue; // the chain stands still: no fee would help
      if (tx && gapFilled) {
        // Held back by the gap just filled below it, not by its fees: it gets its blocks first.
        followed.headSeen = head;
        continue;
      }
      market ??= await readFeeMarket(provider);
      this.#lastBaseFee = market.baseFeePerGas;
      if (!tx && (await this.#sendAgain(followed, head))) {
        gapFilled = true;
        continue;
      }
      await this.#raise(followed, market, head);
    }
  }

  /** Broadcasts the last accepted signature again (the node lost it); false if the node wants more now. */
  async #sendAgain(followed: Followed, head: number): Promise<boolean> {
    try {
      await this.#options.provider.broadcastTransaction(followed.signed);
    } catch (error) {
      if (nonceTooLow(error)) return true; // mined meanwhile: settled next round
      if (!alreadyKnown(error)) return false;
    }
    this.#options.log(`relayer transactions: nonce ${followed.nonce} was lost by the node; sent again (${followed.hash})`);
    followed.broadcastAt = this.#options.now();
    followed.headSeen = head;
    return true;
  }

  /** Signs the same call at the same nonce with raised fees, records it through the caller, broadcasts it. */
  async #raise(followed: Followed, market: FeeMarket, head: number): Promise<void> {
    const { provider, signer, maxFeePerGasWei, log } = this.#options;
    const now = this.#options.now();
    // Whatever comes of it, the next look at this nonce is `replaceAfterMs` from now.
    followed.broadcastAt = now;
    const replacement = replacementFees(followed.fees, market, maxFeePerGasWei);
    if (replacement.kind === "unchanged") return;
    if (replacement.kind === "at-ceiling") {
      if (followed.atCeilingSince === null) {
        log(`relayer transactions: nonce ${followed.nonce} stalls at the fee ceiling (${offeredMaximum(followed.fees)} wei per gas offered, at most ${maxFeePerGasWei}; base fee ${market.baseFeePerGas ?? "none"})`);
      }
      followed.atCeilingSince ??= now;
      return;
    }
    const signed = await signer.signTransaction({ ...withoutFees(followed.request), ...replacement.fees });
    const hash = Transaction.from(signed).hash!;
    followed.hashes.push(hash);
    this.#remember(hash, followed);
    try {
      await followed.beforeBroadcast?.({ hash, nonce: followed.nonce });
    } catch (error) {
      log(`relayer transactions: nonce ${followed.nonce} not raised, its hash could not be recorded: ${(error as Error).message.split("\n")[0]}`);
      return;
    }
    try {
      await provider.broadcastTransaction(signed);
    } catch (error) {
      if (!nonceTooLow(error)) log(`relayer transactions: the node refused the replacement at nonce ${followed.nonce}: ${(error as Error).message.split("\n")[0]}`);
      return;
    }
    log(`relayer transactions: nonce ${followed.nonce} raised to ${offeredMaximum(replacement.fees)} wei per gas (was ${offeredMaximum(followed.fees)}): ${hash}`);
    Object.assign(followed, { fees: replacement.fees, signed, hash, headSeen: head, atCeilingSince: null });
  }

  /** A relayer's transaction waiting in the pool, signed before this process started. */
  #adopt(tx: TransactionResponse): void {
    let signed: Transaction;
    try {
      signed = Transaction.from(tx);
    } catch {
      return; // a kind of transaction this client does not sign: left to the node
    }
    const fees: OfferedFees =
      tx.type === 2 ? { type: 2, maxFeePerGas: tx.maxFeePerGas!, maxPriorityFeePerGas: tx.maxPriorityFeePerGas! } : { type: 0, gasPrice: tx.gasPrice };
    const request: TransactionRequest = { to: tx.to, data: tx.data, value: tx.value, gasLimit: tx.gasLimit, nonce: tx.nonce, chainId: tx.chainId, ...fees };
    this.#follow({ nonce: tx.nonce, request, fees, signed: signed.serialized, hash: tx.hash });
  }

  #settle(followed: Followed): void {
    followed.settled = true;
    this.#active.delete(followed.nonce);
    // The chain took a transaction of the relayer's: a refusal at the ceiling is over too.
    this.#refusedSince = null;
  }

  #remember(hash: string, followed: Followed): void {
    this.#byHash.set(hash.toLowerCase(), followed);
    for (const [oldest, entry] of this.#byHash) {
      if (this.#byHash.size <= REMEMBERED_HASHES) break;
      if (entry.settled) this.#byHash.delete(oldest);
    }
  }
}

function withoutFees(request: TransactionRequest): TransactionRequest {
  const { maxFeePerGas: _max, maxPriorityFeePerGas: _tip, gasPrice: _price, type: _type, ...call } = request;
  return call;
}
