import { Worker } from "node:worker_threads";
import { AppError, type ErrorCode } from "../errors.js";
import type { AnswerKind, AnswerSource, ReadAnswer } from "./verification.js";

/**
 * First reads of verification answers on a thread of their own (answerWorker.ts). A first read —
 * the record's rows, its proof bundle, the JSON — costs several times what sending a kept answer does
 * (about 100 µs against 30 in the service under load); made on the main thread, a stream of new hashes
 * (a day's permits being checked, a bulk audit) holds up every other request behind it. The worker has
 * its own read-only connection to the same database, so it sees every commit the main thread made
 * before it asked.
 *
 * Requests of one turn of the event loop go over in one message, their answers come back in one.
 * Until the worker says it is ready, and if it ever fails, `available` is false and the service reads
 * on the main thread as before: a broken worker costs speed, never an answer.
 */
export interface AnswerWorkerData {
  /** The data folder whose ledger database the worker reads. */
  dataDir: string;
  chainId: number;
  batchAnchor: string;
  permitRegistry: string;
}

export interface AnswerRequest {
  id: number;
  kind: AnswerKind;
  sha256: string;
}

export type AnswerReply =
  | { id: number; body: ArrayBuffer; keep: boolean }
  /** code: an AppError's (a client's mistake, answered as such); null: anything else. */
  | { id: number; error: { code: ErrorCode | null; message: string } };

export class WorkerAnswerReader implements AnswerSource {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (answer: ReadAnswer) => void; reject: (error: Error) => void }>();
  #outbox: AnswerRequest[] = [];
  #nextId = 0;
  #ready = false;
  #stopped = false;

  constructor(data: AnswerWorkerData, log: (message: string) => void) {
    // The worker loads its TypeScript through tsx, as `npm start` does, whatever loaded this module
    // (a test runner may have registered its own loader on this thread only).
    this.#worker = new Worker(new URL("./answerWorker.ts", import.meta.url), {
      workerData: data,
      execArgv: ["--disable-warning=ExperimentalWarning", "--import", "tsx"],
    });
    this.#worker.on("message", (message: "ready" | AnswerReply[]) => {
      if (message === "ready") {
        this.#ready = true;
        return;
      }
      for (const reply of message) this.#settle(reply);
    });
    this.#worker.on("error", (error) => {
      log(`verification reads: the worker failed (${error.message}); reading on the main thread`);
      this.#fail(error);
    });
    this.#worker.on("exit", (code) => {
      if (!this.#stopped) this.#fail(new Error(`the verification worker exited (code ${code})`));
    });
  }

  get available(): boolean {
    return this.#ready && !this.#stopped;
  }

  read(kind: AnswerKind, sha256: string): Promise<ReadAnswer> {
    const id = this.#nextId++;
    if (this.#outbox.length === 0) setImmediate(() => this.#flush());
    this.#outbox.push({ id, kind, sha256 });
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  async close(): Promise<void> {
    this.#stopped = true;
    this.#fail(new Error("the service is stopping"));
    await this.#worker.terminate();
  }

  #flush(): void {
    const requests = this.#outbox;
    this.#outbox = [];
    if (this.available) this.#worker.postMessage(requests);
    else for (const { id } of requests) this.#pending.get(id)?.reject(new Error("the verification worker is not running"));
  }

  #settle(reply: AnswerReply): void {
    const waiter = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (!waiter) return;
    if ("body" in reply) waiter.resolve({ body: Buffer.from(reply.body), keep: reply.keep });
    else waiter.reject(reply.error.code ? new AppError(reply.error.code, reply.error.message) : new Error(reply.error.message));
  }

  #fail(error: Error): void {
    this.#ready = false;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}
