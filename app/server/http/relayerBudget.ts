import type { RequestHandler } from "express";
import { AppError } from "../errors.js";

/**
 * What anonymous requests may make the relayer pay: each permit application, complaint filing (web or
 * Open311) and resident's confirmation or reopening is a transaction the service sends and pays for.
 * At most `perHour` of them in any hour, across all clients (ANONYMOUS_TRANSACTIONS_PER_HOUR); past it,
 * such requests answer 503 RELAYER_BUDGET_EXHAUSTED with Retry-After (the time the oldest one leaves
 * the hour) and /api/health reports the problem. Officers' and admins' signed acts are not anonymous and
 * are not counted; neither are uploads, which carry an issuer's signature.
 *
 * A request holds a place while it runs and spends it when it succeeds (a 2xx or 3xx answer, or a client
 * that went away before its answer: the transaction may still be sent); a refused request gives its
 * place back. So the cap holds however many requests run at once, and invalid requests cost nothing.
 */
export interface RelayerBudgetStatus {
  perHour: number;
  /** Transactions of anonymous requests in the last hour, and those running now. */
  spentLastHour: number;
  running: number;
  /** When requests began to be refused, while they are (null: none refused since a place was free). */
  exhaustedSince: number | null;
  refusedSince: number;
  /** When a place frees, at the latest (ms since the epoch), while none is free. */
  freeAt: number | null;
}

const HOUR_MS = 3_600_000;
/** Retry-After while every place is held by requests that are still running. */
const RUNNING_RETRY_SECONDS = 10;

export class RelayerBudget {
  readonly perHour: number;
  readonly #now: () => number;
  /** When each counted transaction was spent, oldest first. */
  readonly #spent: number[] = [];
  #running = 0;
  #exhaustedSince: number | null = null;
  #refused = 0;

  /** `perHour` 0: no cap. */
  constructor(perHour: number, now: () => number = Date.now) {
    this.perHour = perHour;
    this.#now = now;
  }

  /** Express's middleware in front of a route whose success makes the relayer send a transaction. */
  readonly guard: RequestHandler = (_req, res, next) => {
    if (this.perHour === 0) return next();
    const now = this.#now();
    this.#forget(now);
    if (this.#spent.length + this.#running >= this.perHour) {
      this.#exhaustedSince ??= now;
      this.#refused++;
      res.setHeader("Retry-After", String(this.#retryAfterSeconds(now)));
      next(new AppError("RELAYER_BUDGET_EXHAUSTED"));
      return;
    }
    this.#exhaustedSince = null;
    this.#refused = 0;
    this.#running++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.#running--;
      if (res.statusCode < 400) this.#spent.push(this.#now());
    };
    res.once("finish", settle);
    res.once("close", settle);
    next();
  };

  status(): RelayerBudgetStatus {
    const now = this.#now();
    this.#forget(now);
    const full = this.perHour > 0 && this.#spent.length + this.#running >= this.perHour;
    if (!full) {
      this.#exhaustedSince = null;
      this.#refused = 0;
    }
    return {
      perHour: this.perHour,
      spentLastHour: this.#spent.length,
      running: this.#running,
      exhaustedSince: this.#exhaustedSince,
      refusedSince: this.#refused,
      freeAt: full ? now + this.#retryAfterSeconds(now) * 1000 : null,
    };
  }

  #forget(now: number): void {
    let passed = 0;
    while (passed < this.#spent.length && this.#spent[passed] <= now - HOUR_MS) passed++;
    if (passed > 0) this.#spent.splice(0, passed);
  }

  #retryAfterSeconds(now: number): number {
    // A place held by a running request frees when it ends, or is spent: asked again soon.
    if (this.#spent.length < this.perHour) return RUNNING_RETRY_SECONDS;
    return Math.max(1, Math.ceil((this.#spent[0] + HOUR_MS - now) / 1000));
  }
}
