import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { AnvilChain } from "../../../app/server/chain/anvil.js";
import { ChainClient } from "../../../app/server/chain/client.js";
import { deployLedger, type LedgerDeployment } from "../../../app/server/chain/deploy.js";
import { AnchorBatchStore } from "../../../app/server/anchoring/batchStore.js";
import { SqliteAnchorQueue } from "../../../app/server/anchoring/queue.js";
import { openDatabase } from "../../../app/server/store/database.js";
import { devAccounts, type DevAccount } from "../../../app/server/chain/devAccounts.js";

/**
 * A real embedded ledger for the app tests: an anvil process holding the deployed contracts and the
 * demo seed, in a temp data folder of its own. The contracts are deployed once per test run into a
 * template whose saved chain state each test ledger starts from.
 */
export const CHAIN_ID = 31337;
const NODE_TSX = [process.execPath, "--import", "tsx"];

let template: Promise<string> | undefined;

/** Runs a TypeScript file as a child process; resolves with its stdout, rejects on a non-zero exit. */
export async function runScript(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), file, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  child.stderr.on("data", (chunk) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`${file} exited with ${code}:\n${err}${out}`);
  return out;
}

async function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "ledger-template-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const chain = new AnvilChain({ stateDir: join(dir, "chain"), chainId: CHAIN_ID });
    await chain.start();
    try {
      await deployLedger({
        rpcUrl: chain.url,
        chainId: CHAIN_ID,
        dataDir: dir,
        privateKeys: devAccounts().map((account) => account.privateKey),
        seedDemo: true,
      });
    } finally {
      await chain.stop();
    }
    return dir;
  })();
  return template;
}

export interface TestStore {
  dir: string;
  db: DatabaseSync;
  queue: SqliteAnchorQueue;
  batches: AnchorBatchStore;
}

export class TestLedger {
  readonly accounts: DevAccount[] = devAccounts();
  chain: AnvilChain;
  #clients: ChainClient[] = [];
  #stores: DatabaseSync[] = [];

  private constructor(
    readonly dataDir: string,
    readonly deployment: LedgerDeployment,
    public persistIntervalMs: number,
  ) {
    this.chain = this.#newChain();
  }

  /** A ledger started from the template; `persistIntervalMs` is how often anvil's state is saved. */
  static async start(options: { persistIntervalMs?: number } = {}): Promise<TestLedger> {
    const from = await templateDir();
    const dataDir = mkdtempSync(join(tmpdir(), "ledger-anchoring-"));
    mkdirSync(join(dataDir, "chain"));
    copyFileSync(join(from, "chain", "state.json"), join(dataDir, "chain", "state.json"));
    copyFileSync(join(from, "deployment.json"), join(dataDir, "deployment.json"));
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8")) as LedgerDeployment;
    const ledger = new TestLedger(dataDir, deployment, options.persistIntervalMs ?? 1000);
    await ledger.chain.start();
    return ledger;
  }

  account(role: DevAccount["role"]): DevAccount {
    return this.accounts.find((account) => account.role === role)!;
  }

  /** A chain client of the running chain, for `role`'s key (default: the ledger service's relayer). */
  client(role: DevAccount["role"] = "ledgerService"): ChainClient {
    const client = new ChainClient({
      rpcUrl: this.chain.url,
      chainId: CHAIN_ID,
      privateKey: this.account(role).privateKey,
      deployment: this.deployment,
    });
    this.#clients.push(client);
    return client;
  }

  /** A database of its own (queue and index) in a new folder under the data folder. */
  openStore(): TestStore {
    const dir = mkdtempSync(join(this.dataDir, "store-"));
    const db = openDatabase(dir);
    this.#stores.push(db);
    return { dir, db, queue: new SqliteAnchorQueue(db), batches: new AnchorBatchStore(db) };
  }

  /** kill -9 of the anvil process: whatever it mined since its last state dump is gone. */
  async killChain(): Promise<void> {
    const { pid } = JSON.parse(readFileSync(join(this.dataDir, "chain", "anvil.pid"), "utf8")) as { pid: number };
    process.kill(pid, "SIGKILL");
    for (;;) {
      try {
        process.kill(pid, 0);
        await sleep(20);
      } catch {
        break;
      }
    }
    // The dead chain's own stop() only clears its dump timer now that its process has exited.
    await this.chain.stop();
  }

  /** A new anvil from the data folder's saved state (at a new URL), saving its state as often as asked. */
  async restartChain(options: { persistIntervalMs?: number } = {}): Promise<void> {
    this.persistIntervalMs = options.persistIntervalMs ?? this.persistIntervalMs;
    this.chain = this.#newChain();
    await this.chain.start();
  }

  async stop(): Promise<void> {
    for (const client of this.#clients) client.destroy();
    for (const db of this.#stores) if (db.isOpen) db.close();
    await this.chain.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  #newChain(): AnvilChain {
    return new AnvilChain({ stateDir: join(this.dataDir, "chain"), chainId: CHAIN_ID, persistIntervalMs: this.persistIntervalMs });
  }
}

/** Waits until `condition` holds; fails with `what` if it does not within `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The SHA-256 of a text or of bytes, as the queue takes document hashes. */
export function sha256Of(data: string | Uint8Array): string {
  return `0x${createHash("sha256").update(data).digest("hex")}`;
}
