import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { JsonRpcProvider, makeError, type TransactionReceipt } from "ethers";

/**
 * The ledger service as `npm start` runs it (app/server/main.ts in a child process, real engines),
 * for tests that talk to it over HTTP and RPC like any client.
 */
export interface RunningService {
  child: ChildProcess;
  dataDir: string;
  /** http://127.0.0.1:PORT */
  url: string;
  rpcUrl: string;
  output(): string;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** kill -9, as a crash. */
  kill(): Promise<void>;
}

/**
 * Hardhat's parallel mode loads every test file in its main process as well as in a worker, and no hook
 * runs there: the folders a suite makes as it is declared stay empty in that process, and go at its exit.
 * A folder with anything in it (a failed test's) is left alone.
 */
const madeFolders = new Set<string>();

export function tempDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  if (madeFolders.size === 0) process.once("exit", removeEmptyFolders);
  madeFolders.add(dir);
  return dir;
}

function removeEmptyFolders(): void {
  for (const dir of madeFolders) {
    try {
      rmdirSync(dir);
    } catch {
      // gone already, or not empty
    }
  }
}

/**
 * A free TCP port below the kernel's ephemeral range (Linux: 32768-60999). A service binds its PORT
 * seconds after the test chose it (its chain and IPFS start first) while other test files run beside it:
 * a port of the ephemeral range could meanwhile become one end of any connection opened on this machine,
 * or the port that another anvil was given for port 0. Below that range only another choice like this
 * one could take it, and a random one of 20,000 ports rarely meets another.
 */
export async function freePort(): Promise<number> {
  const lowest = 10_000;
  const ephemeralFrom = ephemeralPortsFrom();
  for (;;) {
    const port = lowest + Math.floor(Math.random() * (ephemeralFrom - lowest));
    if (await canListen(port)) return port;
  }
}

function ephemeralPortsFrom(): number {
  try {
    const from = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (from > 20_000) return from;
  } catch {
    // not Linux: 49152 and up on macOS and Windows, so below 32768 is outside it too
  }
  return 32_768;
}

/** Whether a server can listen on `port` as the service does (every interface). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export async function startService(dataDir: string, env: Record<string, string> = {}): Promise<RunningService> {
  const port = env.PORT ?? String(await freePort());
  // On an external chain PUBLIC_URL is required, as an operator must set it; the embedded demo's default
  // (http://localhost:PORT) is left to the service.
  const publicUrl = env.CHAIN_RPC_URL && !env.PUBLIC_URL ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {};
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "warn", ...publicUrl, ...env, DATA_DIR: dataDir, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" within 90 s:\n${output}`)), 90_000);
    const onData = () => {
      if (output.includes("ready;")) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code} before it was ready:\n${output}`));
    });
  });
  const rpcUrl = output.match(/anvil at (http:\/\/127\.0\.0\.1:\d+)/)?.[1] ?? env.CHAIN_RPC_URL ?? "";
  return {
    child,
    dataDir,
    url: `http://127.0.0.1:${port}`,
    rpcUrl,
    output: () => output,
    stop: async () => {
      child.kill("SIGINT");
      return exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Kills whatever a test left running for `dataDir` (an anvil orphaned by a kill -9) and deletes it. */
export function cleanUp(dataDir: string): void {
  const pidFile = join(dataDir, "chain", "anvil.pid");
  if (existsSync(pidFile)) {
    try {
      process.kill(JSON.parse(readFileSync(pidFile, "utf8")).pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
}

export function rpcProvider(url: string): JsonRpcProvider {
  return new ReceiptPollingProvider(url, 31337, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1, pollingInterval: 50 });
}

/**
 * ethers' waitForTransaction looks for the receipt once, then only at each new block: on an automine
 * chain that stays idle, a transaction mined between that look and its first poll of the block number is
 * never seen, and the wait runs out (seen under load). This one asks for the receipt until it is there.
 */
class ReceiptPollingProvider extends JsonRpcProvider {
  override async waitForTransaction(hash: string, confirms?: number | null, timeout?: number | null): Promise<TransactionReceipt | null> {
    const deadline = Date.now() + (timeout ?? Infinity);
    for (;;) {
      const receipt = await this.getTransactionReceipt(hash);
      if (confirms === 0 || (receipt && (await receipt.confirmations()) >= (confirms ?? 1))) return receipt;
      if (Date.now() > deadline) throw makeError("timeout", "TIMEOUT", { operation: "waitForTransaction", reason: "timeout" });
      await sleep(this.pollingInterval);
    }
  }
}

/** Polls `read` until `done` holds, or fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
