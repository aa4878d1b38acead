import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

/**
 * Who used the machine's CPUs during a phase, from /proc (Linux): the benchmark's own processes by pid
 * (the service, its anvil, this client) and everything else together ("other"), so that a figure taken
 * while something else was busy says so.
 */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface CpuSnapshot {
  at: number;
  /** Busy and total jiffies of the whole machine (all CPUs). */
  busy: number;
  total: number;
  /** utime + stime jiffies of each watched process (threads included). */
  byPid: Map<number, number>;
}

function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user…steal; guest is inside user
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

function processJiffies(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command: state(0) … utime(11) stime(12) cutime(13) cstime(14)
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export function cpuSnapshot(pids: number[]): CpuSnapshot {
  const { busy, total } = machineJiffies();
  return { at: performance.now(), busy, total, byPid: new Map(pids.map((pid) => [pid, processJiffies(pid)])) };
}

export interface CpuUse {
  seconds: number;
  /** CPU-seconds used, in cores (1.0 = one core busy all the time). */
  machineBusyCores: number;
  machineCores: number;
  /** Cores used by each named process, and by everything else. */
  cores: Record<string, number>;
}

/** The pids of the running children of `pid`. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** CPU use between two snapshots; `names` maps the watched pids to labels (several pids may share one). */
export function cpuUse(before: CpuSnapshot, after: CpuSnapshot, names: Record<number, string>): CpuUse {
  const seconds = (after.at - before.at) / 1000;
  const cores: Record<string, number> = {};
  let ours = 0;
  for (const [pid, name] of Object.entries(names)) {
    const used = (after.byPid.get(Number(pid)) ?? 0) - (before.byPid.get(Number(pid)) ?? 0);
    ours += used;
    cores[name] = (cores[name] ?? 0) + used / TICKS_PER_SECOND / seconds;
  }
  const busy = after.busy - before.busy;
  cores.other = Math.max(0, (busy - ours) / TICKS_PER_SECOND / seconds);
  return { seconds, machineBusyCores: busy / TICKS_PER_SECOND / seconds, machineCores: cpus().length, cores };
}
