import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startService, type RunningService } from "../../test/app/support/service.js";
import type { LedgerDeployment } from "../../app/server/chain/deploy.js";

/**
 * The service as a user runs it (`npm start`: app/server/main.ts in a child process, embedded anvil,
 * Helia and SQLite in the data folder), through the tests' helper, and what the benchmark reads from
 * it over HTTP.
 */
export interface Health {
  chain: { rpcUrl: string; latestBlock: number; deploymentBlock: number; contracts: LedgerDeployment["contracts"] };
  queue: { depth: number; records: { pending: number; submitted: number; anchored: number; final: number } };
  worker: { running: boolean; lastError: string | null };
}

export async function startBenchService(dataDir: string, env: Record<string, string> = {}): Promise<RunningService> {
  return startService(dataDir, {
    LOG_LEVEL: "warn",
    // No limits on public writes: the load comes from one address (http/writeLimitsConfig.ts).
    WRITES_PER_MINUTE: "0",
    WRITE_FILES_PER_MINUTE: "0",
    WRITE_MB_PER_MINUTE: "0",
    ANONYMOUS_TRANSACTIONS_PER_HOUR: "0",
    ANCHOR_BATCH_SIZE: "1000",
    ANCHOR_BATCH_MS: "1000",
    ...env,
  });
}

export async function health(service: RunningService): Promise<Health> {
  const response = await fetch(`${service.url}/api/health`);
  return (await response.json()) as Health;
}

/** Records anchored (or final) according to the service's queue. */
export const anchoredOf = (h: Health) => h.queue.records.anchored + h.queue.records.final;
export const acceptedOf = (h: Health) => h.queue.records.pending + h.queue.records.submitted + anchoredOf(h);

export interface ProgressSample {
  /** ms since the phase started. */
  t: number;
  accepted: number;
  anchored: number;
}

/**
 * Polls /api/health every `everyMs` until `anchoredOf` reaches `target`; returns the samples and the
 * time it did (ms since `t0`, a performance.now() value). Fails after `timeoutMs`.
 */
export async function followAnchoring(
  service: RunningService,
  target: number,
  t0: number,
  options: { everyMs?: number; timeoutMs?: number; stop?: () => boolean } = {},
): Promise<{ samples: ProgressSample[]; reachedMs: number }> {
  const samples: ProgressSample[] = [];
  const deadline = performance.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const h = await health(service);
    const t = performance.now() - t0;
    samples.push({ t, accepted: acceptedOf(h), anchored: anchoredOf(h) });
    if (anchoredOf(h) >= target) return { samples, reachedMs: t };
    if (performance.now() > deadline) {
      throw new Error(`only ${anchoredOf(h)} of ${target} records anchored after ${options.timeoutMs ?? 600_000} ms (worker: ${JSON.stringify(h.worker)})`);
    }
    await sleep(options.everyMs ?? 100);
  }
}

/** The pid of the anvil the service started for `dataDir`, if it runs. */
export function anvilPid(dataDir: string): number | undefined {
  const pidFile = join(dataDir, "chain", "anvil.pid");
  if (!existsSync(pidFile)) return undefined;
  return (JSON.parse(readFileSync(pidFile, "utf8")) as { pid: number }).pid;
}

/** Resident memory of a process in MiB, now and at its peak so far (VmRSS, VmHWM from /proc; Linux). */
export function residentMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}
