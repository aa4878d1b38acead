import { spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { open, rename } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { EngineError } from "../errors.js";

const gunzipAsync = promisify(gunzip);

/**
 * The embedded chain: an anvil process (npm `@foundry-rs/anvil`) on a free loopback port, whose state
 * lives in the data folder and survives restarts and crashes.
 *
 * anvil's own `--state` dump has been seen to leave a 0-byte file when killed mid-write, which it then
 * refuses to load. So this class persists the state itself: `anvil_dumpState` → temp file → rename,
 * with the previous good dump kept as `state.prev.json`, once a second while blocks are being made
 * and once more on a clean stop.
 */
export interface AnvilOptions {
  /** Folder for `state.json` and `state.prev.json`. */
  stateDir: string;
  chainId: number;
  /** How often the state is dumped while the chain moves; a crash loses at most this much. */
  persistIntervalMs?: number;
  /**
   * Ports anvil must not take though they are free now: the service's own HTTP port, which it binds
   * only after the chain is up (a free port picked by a test for it is as free as any other).
   */
  reservedPorts?: number[];
  log?: (message: string) => void;
}

const require = createRequire(import.meta.url);

/** The platform package of `@foundry-rs/anvil` that holds the native binary for this machine. */
export function anvilBinaryPath(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    return join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  } catch {
    throw new EngineError("chain", `anvil has no binary for ${process.platform}/${process.arch} (npm package ${pkg} is missing)`);
  }
}

/** A free TCP port on the loopback interface, none of `reserved`. */
export async function freeLoopbackPort(reserved: readonly number[] = []): Promise<number> {
  for (;;) {
    const port = await anyFreeLoopbackPort();
    if (!reserved.includes(port)) return port;
  }
}

function anyFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Writes and flushes to the disk, so that a power cut cannot leave a renamed but empty file. On libuv's
 * threads: a dump grows with the chain (megabytes), and the API's thread must not wait for its fsync.
 */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const file = await open(path, "w");
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** A JSON object's first and last characters, as a cheap check of a dump that gzip's CRC already vouches for. */
function looksLikeJsonObject(json: Buffer): boolean {
  const text = json.toString("latin1", 0, Math.min(json.length, 16)).trimStart();
  const tail = json.toString("latin1", Math.max(0, json.length - 16)).trimEnd();
  return text.startsWith("{") && tail.endsWith("}");
}

export class AnvilChain {
  readonly #options: Required<Omit<AnvilOptions, "log">> & Pick<AnvilOptions, "log">;
  #child?: ChildProcess;
  #url = "";
  #timer?: NodeJS.Timeout;
  #lastPersistedBlock = -1n;
  #persisting?: Promise<void>;
  #exited?: Promise<void>;

  constructor(options: AnvilOptions) {
    this.#options = { persistIntervalMs: 1000, reservedPorts: [], ...options };
  }

  get url(): string {
    return this.#url;
  }

  get statePath(): string {
    return join(this.#options.stateDir, "state.json");
  }

  async start(): Promise<void> {
    mkdirSync(this.#options.stateDir, { recursive: true });
    const port = await freeLoopbackPort(this.#options.reservedPorts);
    // 20 funded development accounts: the demo officers of devAccounts.ts and spares for tests.
    const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(this.#options.chainId), "--accounts", "20"];
    await this.#reapStale();
    const state = this.#loadableState();
    if (state) args.push("--load-state", state);
    // Its own process group: Ctrl-C in a terminal must reach only us, so that we can save the state
    // before we stop anvil ourselves. The pid file lets the next start reap it after a kill -9 of ours.
    this.#child = spawn(anvilBinaryPath(), args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    this.#url = `http://127.0.0.1:${port}`;
    writeFileSync(this.#pidPath, JSON.stringify({ pid: this.#child.pid, url: this.#url }));
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    this.#child.stdout!.on("data", keep);
    this.#child.stderr!.on("data", keep);
    this.#exited = new Promise((resolve) => this.#child!.once("exit", () => resolve()));
    await this.#waitReady(() => output);
    this.#lastPersistedBlock = await this.blockNumber();
    this.#timer = setInterval(() => void this.persist().catch(() => {}), this.#options.persistIntervalMs);
    this.#timer.unref();
  }

  /**
   * The newest block the state file holds. Blocks after it exist only in the running anvil and are
   * lost if it is killed: the anchoring worker calls nothing final beyond it.
   */
  get persistedBlock(): bigint {
    return this.#lastPersistedBlock;
  }

  async rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const response = await fetch(this.#url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }

  async blockNumber(): Promise<bigint> {
    return BigInt(await this.rpc<string>("eth_blockNumber"));
  }

  /** Dumps the state if the chain moved since the last dump (or always, with `force`). */
  async persist(force = false): Promise<void> {
    // A dump already under way may predate what the caller just wrote: a forced one waits and dumps again.
    while (this.#persisting) {
      if (!force) return this.#persisting;
      await this.#persisting.catch(() => {});
    }
    this.#persisting = (async () => {
      const block = await this.blockNumber();
      if (!force && block === this.#lastPersistedBlock) return;
      // anvil_dumpState answers gzip-compressed JSON; the file holds the JSON itself, which
      // `--load-state` reads. Unzipped off the API's thread: gzip's CRC refuses a cut or garbled answer,
      // where parsing megabytes of JSON here held every request for tens of milliseconds a second.
      const gzipped = Buffer.from((await this.rpc<string>("anvil_dumpState")).replace(/^0x/, ""), "hex");
      const json = await gunzipAsync(gzipped);
      if (!looksLikeJsonObject(json)) throw new Error("anvil_dumpState did not answer a JSON object");
      const tmp = `${this.statePath}.tmp`;
      await writeDurably(tmp, json);
      if (existsSync(this.statePath) && statSync(this.statePath).size > 0) {
        await rename(this.statePath, join(this.#options.stateDir, "state.prev.json"));
      }
      await rename(tmp, this.statePath);
      this.#lastPersistedBlock = block;
    })().finally(() => {
      this.#persisting = undefined;
    });
    return this.#persisting;
  }

  /** Final dump, then stops the process. A failed final dump loses at most the last interval. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    if (!this.#child || this.#child.exitCode !== null) return;
    try {
      await this.persist(true);
    } catch (error) {
      this.#options.log?.(`chain: the final state dump failed (${(error as Error).message}); the last periodic dump stays`);
    } finally {
      this.#child.kill("SIGTERM");
      await Promise.race([this.#exited, sleep(5000)]);
      if (this.#child.exitCode === null) this.#child.kill("SIGKILL");
      rmSync(this.#pidPath, { force: true });
    }
  }

  get #pidPath(): string {
    return join(this.#options.stateDir, "anvil.pid");
  }

  /**
   * An anvil left running by a start of ours that was killed (kill -9) before it could stop it: its
   * state is saved first, so that not even the last second before the crash is lost, then it is stopped.
   */
  async #reapStale(): Promise<void> {
    if (!existsSync(this.#pidPath)) return;
    const stale = JSON.parse(readFileSync(this.#pidPath, "utf8")) as { pid: number; url: string };
    rmSync(this.#pidPath, { force: true });
    let alive = false;
    try {
      // Only if that pid still runs the anvil binary: after a reboot the number may be someone else's.
      alive = readFileSync(`/proc/${stale.pid}/cmdline`, "utf8").includes("anvil");
    } catch {
      return; // gone already, or no /proc on this system
    }
    if (!alive) return;
    this.#url = stale.url;
    try {
      await this.persist(true);
      this.#options.log?.(`chain: saved the state of the anvil left running by the previous start (pid ${stale.pid})`);
    } catch {
      // It does not answer: the last periodic dump stays.
    }
    process.kill(stale.pid, "SIGKILL");
  }

  /** The newest dump anvil can load: `state.json`, else the previous good one. */
  #loadableState(): string | undefined {
    for (const name of ["state.json", "state.prev.json"]) {
      const path = join(this.#options.stateDir, name);
      if (!existsSync(path) || statSync(path).size === 0) continue;
      try {
        JSON.parse(readFileSync(path, "utf8"));
        return path;
      } catch {
        this.#options.log?.(`chain: ${name} is unreadable, trying the previous dump`);
      }
    }
    return undefined;
  }

  async #waitReady(output: () => string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.#child!.exitCode !== null) {
        throw new EngineError("chain", `anvil exited at start (code ${this.#child!.exitCode}): ${output().trim().split("\n").pop()}`);
      }
      try {
        await this.rpc("eth_chainId");
        return;
      } catch {
        await sleep(100);
      }
    }
    this.#child!.kill("SIGKILL");
    throw new EngineError("chain", "anvil did not answer within 30 s");
  }
}
