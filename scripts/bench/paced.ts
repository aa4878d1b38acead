import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { LoadResult } from "./load.js";

/**
 * A read endpoint at a set rate: GET requests sent on an even schedule (`rate` per second) over
 * `connections` keep-alive connections, each request's latency counted from the moment the schedule
 * meant to send it. A stall of the service (or of this client) therefore counts for every request it
 * held back, not only for those in flight.
 *
 * This is how a latency goal at a rate ("5,000 verifies/s with p99 ≤ 20 ms") is measured. autocannon
 * is a closed loop: each connection sends its next request when the last is answered, so at its
 * saturation the mean latency is simply connections / throughput. Its own rate option does not pace
 * either: each connection sends its quota for the second as fast as it can, then waits for the next.
 *
 * The client is raw sockets, as autocannon's is: Node's http client costs about twice as much CPU per
 * request, which on a 2-core machine is taken from the service it measures. It runs in a process of
 * its own (`startPacedClient`): in the benchmark's process, whose heap holds every document and result
 * of the earlier phases, its own garbage collection paused the clock for 5–13 ms about once a second,
 * and those pauses were counted as the service's latency.
 */
export interface PacedResult extends LoadResult {
  /** The rate asked for; `requestsPerSecond` is what was answered, over the time from first send to last answer. */
  rate: number;
  connections: number;
}

type PacedOptions = { connections: number; rate: number; seconds: number };

async function pacedLoad(baseUrl: string, paths: string[], options: PacedOptions): Promise<PacedResult> {
  const url = new URL(baseUrl);
  const requestBytes = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`, "latin1");
  const total = Math.round(options.rate * options.seconds);
  const latencies = new Float64Array(total);
  let non2xx = 0;
  let answered = 0;
  let lastAnswerAt = 0;
  let start = 0;
  const intendedAt = (i: number) => start + (i * 1000) / options.rate;

  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });

  /** Requests due but not sent: every connection was waiting for an answer. Oldest first. */
  const waiting: number[] = [];
  const idle: Connection[] = [];

  class Connection {
    readonly socket: Socket;
    #request = -1;
    #buffered: Buffer = Buffer.alloc(0);

    constructor(onOpen: () => void) {
      this.socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true }, onOpen);
      this.socket.on("data", (chunk: Buffer) => this.#read(chunk));
      this.socket.on("error", (error) => fail(error));
      this.socket.on("close", () => {
        if (answered < total) fail(new Error("the service closed a connection during the paced load"));
      });
    }

    send(i: number): void {
      this.#request = i;
      this.socket.write(requestBytes(paths[i % paths.length]));
    }

    #read(chunk: Buffer): void {
      this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
      const headerEnd = this.#buffered.indexOf("\r\n\r\n");
      if (headerEnd === -1) return;
      const head = this.#buffered.toString("latin1", 0, headerEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1]);
      if (!Number.isSafeInteger(length)) {
        fail(new Error(`an answer without Content-Length: ${head.split("\r\n")[0]}`));
        return;
      }
      if (this.#buffered.length < headerEnd + 4 + length) return;
      this.#buffered = this.#buffered.subarray(headerEnd + 4 + length);
      const status = Number(head.slice(9, 12));
      if (status < 200 || status >= 300) non2xx++;
      lastAnswerAt = performance.now();
      latencies[this.#request] = lastAnswerAt - intendedAt(this.#request);
      if (++answered === total) finish();
      const next = waiting.shift();
      if (next === undefined) idle.push(this);
      else this.send(next);
    }
  }

  // Every connection is opened before the schedule starts.
  const connections = await Promise.all(
    Array.from({ length: options.connections }, () => new Promise<Connection>((resolve) => {
      const connection: Connection = new Connection(() => resolve(connection));
    })),
  );
  idle.push(...connections);

  start = performance.now();
  let sent = 0;
  const sendDue = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000) + 1);
    for (; sent < due; sent++) {
      // The connection idle the longest takes it, so the load is spread over all of them.
      const connection = idle.shift();
      if (connection) connection.send(sent);
      else waiting.push(sent);
    }
    if (sent < total) setTimeout(sendDue, 1);
  };
  sendDue();
  try {
    // A connection error or a malformed answer ends the run: a benchmark that lost requests has no figure.
    await done;
  } finally {
    for (const connection of connections) connection.socket.destroy();
  }

  const sorted = latencies.sort();
  const quantile = (q: number) => sorted[Math.min(total - 1, Math.floor(total * q))];
  const seconds = (lastAnswerAt - start) / 1000;
  return {
    rate: options.rate,
    connections: options.connections,
    requestsPerSecond: total / seconds,
    requests: total,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    maxMs: sorted[total - 1],
    non2xx,
    errors: 0,
    seconds,
  };
}

type PacedJob = { baseUrl: string; paths: string[]; options: PacedOptions };
type PacedReply = { result: PacedResult } | { error: string };

export interface PacedClient {
  /** The client's process, so its CPU use can be counted with the benchmark's. */
  pid: number;
  run(baseUrl: string, paths: string[], options: PacedOptions): Promise<PacedResult>;
  close(): Promise<void>;
}

/** The paced client in a process of its own: this file run as a child, making one load at a time. */
export async function startPacedClient(): Promise<PacedClient> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    void exited.then(() => reject(new Error("the paced client exited before it was ready")));
  });
  return {
    pid: child.pid!,
    run: (baseUrl, paths, options) =>
      new Promise<PacedResult>((resolve, reject) => {
        void exited.then(() => reject(new Error("the paced client exited during its load")));
        child.once("message", (reply: PacedReply) => ("result" in reply ? resolve(reply.result) : reject(new Error(reply.error))));
        child.send({ baseUrl, paths, options } satisfies PacedJob);
      }),
    close: async () => {
      child.disconnect();
      await exited;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.on("message", (job: PacedJob) => {
    pacedLoad(job.baseUrl, job.paths, job.options).then(
      (result) => process.send!({ result } satisfies PacedReply),
      (error: Error) => process.send!({ error: error.message } satisfies PacedReply),
    );
  });
  process.once("disconnect", () => process.exit(0));
  process.send!("ready");
}
