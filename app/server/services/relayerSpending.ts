/**
 * How fast the relayer spends, from its own balance as the service reads it (at most every few seconds,
 * whenever /api/health is asked): every fall of the balance between two readings is gas the relayer
 * paid — for anchoring batches and for every call it relays (applications, complaints, approvals) — and
 * a rise is a top-up, which is not spending and is left out. The rate is what fell over the last
 * `windowMs` (24 hours) divided by the time the readings cover, counted as at least `minSpanMs` (an
 * hour), so that a burst just after a start does not pass for the daily rate. Readings are kept in
 * memory: after a restart the estimate rebuilds from the readings since.
 *
 * Why the balance and not receipts: it counts every transaction the key paid for, whoever sent it
 * (the anchoring worker, a relayed call, or another process with the same key), on any node, without
 * an archive of old states or a scan of blocks.
 */
export interface SpendingOptions {
  windowMs?: number;
  minSpanMs?: number;
  /** A reading equal to the last one is kept only when the last is older than this (ms). */
  idleSampleMs?: number;
  /** At most this many readings are kept. */
  maxSamples?: number;
}

export interface SpendingEstimate {
  /** What the balance fell by in the window (wei). */
  spentWei: bigint;
  /** The hours the readings cover (at most the window). */
  hours: number;
  /** Spent per day at that pace (wei), or null when nothing was spent. */
  perDayWei: bigint | null;
  /** The balance divided by the daily spending, or null when nothing was spent. */
  daysLeft: number | null;
}

interface Sample {
  at: number;
  balance: bigint;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export class RelayerSpending {
  readonly #samples: Sample[] = [];
  readonly #windowMs: number;
  readonly #minSpanMs: number;
  readonly #idleSampleMs: number;
  readonly #maxSamples: number;

  constructor(options: SpendingOptions = {}) {
    this.#windowMs = options.windowMs ?? DAY_MS;
    this.#minSpanMs = options.minSpanMs ?? HOUR_MS;
    this.#idleSampleMs = options.idleSampleMs ?? 5 * 60_000;
    this.#maxSamples = options.maxSamples ?? 20_000;
  }

  /** Keeps a reading of the balance taken at `at` (ms since epoch). */
  record(balance: bigint, at: number): void {
    const last = this.#samples.at(-1);
    if (last && at < last.at) return;
    if (last && last.balance === balance && at - last.at < this.#idleSampleMs) return;
    this.#samples.push({ at, balance });
    this.#prune(at);
  }

  /** The spending over the window up to `now`, and the days the latest balance lasts at that pace. */
  estimate(now: number): SpendingEstimate {
    this.#prune(now);
    const samples = this.#samples;
    if (samples.length === 0) return { spentWei: 0n, hours: 0, perDayWei: null, daysLeft: null };
    const start = Math.max(samples[0].at, now - this.#windowMs);
    let spentWei = 0n;
    for (let i = 1; i < samples.length; i++) {
      const fall = samples[i - 1].balance - samples[i].balance;
      if (fall > 0n) spentWei += fall;
    }
    const spanMs = Math.max(0, now - start);
    const hours = Math.round((spanMs / HOUR_MS) * 100) / 100;
    if (spentWei === 0n) return { spentWei, hours, perDayWei: null, daysLeft: null };
    const perDayWei = (spentWei * BigInt(DAY_MS)) / BigInt(Math.max(spanMs, this.#minSpanMs));
    const balance = samples.at(-1)!.balance;
    // In thousandths of a day: the division is done in bigint, the result is small enough for a number.
    const daysLeft = perDayWei === 0n ? null : Number((balance * 1000n) / perDayWei) / 1000;
    return { spentWei, hours, perDayWei, daysLeft };
  }

  /**
   * Drops readings older than the window, but keeps the newest of them as the window's first, moved to
   * its start: what fell after it fell within the window (or close enough to it).
   */
  #prune(now: number): void {
    const windowStart = now - this.#windowMs;
    let old = 0;
    while (old < this.#samples.length && this.#samples[old].at < windowStart) old++;
    if (old > 0) {
      const baseline = this.#samples[old - 1];
      this.#samples.splice(0, old, { at: windowStart, balance: baseline.balance });
    }
    if (this.#samples.length > this.#maxSamples) this.#samples.splice(0, this.#samples.length - this.#maxSamples);
  }
}
