import { setTimeout as sleep } from "node:timers/promises";

/**
 * A round of work done again and again, `intervalMs` apart, from start() until stop(), which waits for
 * the round under way: the indexer following the chain, the complaint filings' queue. A round that
 * throws is reported to `onError` and the next one comes all the same.
 */
export class PollingLoop {
  readonly #round: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (error: Error) => void;
  #running?: Promise<void>;
  #stop = new AbortController();

  constructor(round: () => Promise<void>, intervalMs: number, onError: (error: Error) => void) {
    this.#round = round;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Whether stop() was called: a long round checks it between its steps. */
  get stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  start(): void {
    if (this.#running) return;
    this.#stop = new AbortController();
    this.#running = (async () => {
      while (!this.#stop.signal.aborted) {
        try {
          await this.#round();
        } catch (error) {
          this.#onError(error as Error);
        }
        await sleep(this.#intervalMs, undefined, { signal: this.#stop.signal }).catch(() => {});
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    this.#running = undefined;
  }
}
