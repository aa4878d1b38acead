// A/B of the service's hot paths: two (or more) checkouts of this repository measured one after the
// other, alternating, on the same machine, so that a change is judged against the code before it under
// the same load rather than against figures of another day (the machine is shared: absolute figures move).
//
//   git worktree add /tmp/bench-base <commit> && ln -s "$PWD/node_modules" /tmp/bench-base/node_modules
//   cp -r artifacts cache types /tmp/bench-base/        (the service deploys the compiled contracts)
//   node --import tsx scripts/bench/ab.ts /tmp/bench-base . [rounds, default 3]
//
// Each run is a fresh service of that checkout (its app/server/main.ts, as `npm run bench` starts it) and
// the phases of run.ts that measure it under load: one upload per document followed to its anchor, the
// same in bulk, verifies (autocannon) after the uncounted warm-up, proofs, verifies paced at 5,000/s, and
// the resident memory after them. The client is this checkout's (scripts/bench), the same for every run.
// Round i runs the checkouts in order when i is even and reversed when odd. Prints each run, then the
// median of each figure per checkout; writes nothing to docs/.
import { resolve } from "node:path";
import { cleanUp, tempDataDir, type RunningService } from "../../test/app/support/service.js";
import { cpuSnapshot, cpuUse } from "./cpu.js";
import { loadTest } from "./load.js";
import { startPacedClient } from "./paced.js";
import { anchoredOf, anvilPid, followAnchoring, health, residentMemory, startBenchService } from "./service.js";
import { makeDocuments, prepareUploads, sendUploads, type Document } from "./upload.js";

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_VERIFY_SECONDS ?? 10);
const WARM_UP_HASHES = 2000;

const args = process.argv.slice(2);
const rounds = args.length > 2 && /^\d+$/.test(args.at(-1)!) ? Number(args.pop()) : 3;
const checkouts = args.map((dir) => resolve(dir));
if (checkouts.length < 2) {
  console.error("usage: node --import tsx scripts/bench/ab.ts <checkout> <checkout> [...] [rounds]");
  process.exit(2);
}

type Figures = Record<string, number>;

// The service of the run under way, stopped on Ctrl-C with its data folder (and the anvil it started).
let current: { service?: RunningService; dataDir: string } | undefined;
process.once("SIGINT", () => {
  const running = current;
  void (running?.service?.kill() ?? Promise.resolve()).finally(() => {
    if (running) cleanUp(running.dataDir);
    process.exit(130);
  });
});

async function anchored(service: RunningService, documents: Document[], concurrency: number, filesPerRequest: number) {
  const prepared = await prepareUploads(service.url, documents, filesPerRequest);
  const before = anchoredOf(await health(service));
  const t0 = performance.now();
  const [upload, progress] = await Promise.all([
    sendUploads(prepared, concurrency),
    followAnchoring(service, before + documents.length, t0),
  ]);
  if (upload.accepted !== documents.length) throw new Error(`${upload.accepted} of ${documents.length} accepted: ${upload.errors.join("; ")}`);
  return { acceptedPerSecond: upload.accepted / (upload.elapsedMs / 1000), anchoredPerSecond: documents.length / (progress.reachedMs / 1000) };
}

async function measure(checkout: string): Promise<Figures> {
  const dataDir = tempDataDir("ledger-bench-ab");
  const home = process.cwd();
  process.chdir(checkout); // the service's app/server/main.ts is the checkout's
  let service: RunningService | undefined;
  current = { dataDir };
  try {
    service = await startBenchService(dataDir);
    current.service = service;
    process.chdir(home);
    // What other processes of the machine used meanwhile (cores): a run they crowded says so.
    const ours = [process.pid, service.child.pid!, anvilPid(dataDir) ?? 0];
    const othersDuring = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const before = cpuSnapshot(ours);
      const result = await work();
      return [result, cpuUse(before, cpuSnapshot(ours), Object.fromEntries(ours.map((pid) => [pid, "ours"]))).cores.other];
    };
    const documents = makeDocuments(DOCUMENTS, 1024);
    const [single, othersUploading] = await othersDuring(() => anchored(service!, documents, 48, 1));
    const bulkDocuments = makeDocuments(DOCUMENTS, 1024);
    const bulk = await anchored(service, bulkDocuments, 4, 100);
    const paths = (docs: Document[], prefix: string) => docs.map((d) => `${prefix}${d.sha256}`);
    await loadTest(service.url, paths(bulkDocuments.slice(0, WARM_UP_HASHES), "/api/verify?sha256="), { connections: 100, seconds: 2 });
    const [verify, othersVerifying] = await othersDuring(() => loadTest(service!.url, paths(documents, "/api/verify?sha256="), { connections: 100, seconds: SECONDS }));
    const proofs = await loadTest(service.url, paths(documents, "/api/proofs/"), { connections: 100, seconds: SECONDS });
    const pacedClient = await startPacedClient();
    const paced = await pacedClient.run(service.url, paths(bulkDocuments.slice(WARM_UP_HASHES), "/api/verify?sha256="), {
      connections: 100,
      seconds: SECONDS,
      rate: 5000,
    });
    await pacedClient.close();
    const memory = residentMemory(service.child.pid!);
    const answerBytes = Buffer.byteLength(await (await fetch(`${service.url}/api/verify?sha256=${documents[0].sha256}`)).text());
    for (const load of [verify, proofs, paced]) if (load.non2xx > 0 || load.errors > 0) throw new Error(`a read load answered ${load.non2xx} non-2xx, ${load.errors} errors`);
    return {
      "accepted/s": single.acceptedPerSecond,
      "end-to-end/s": single.anchoredPerSecond,
      "bulk end-to-end/s": bulk.anchoredPerSecond,
      "verify/s": verify.requestsPerSecond,
      "verify p99 ms": verify.p99Ms,
      "proofs/s": proofs.requestsPerSecond,
      "proofs p99 ms": proofs.p99Ms,
      "paced p50 ms": paced.p50Ms,
      "paced p99 ms": paced.p99Ms,
      "paced max ms": paced.maxMs,
      "RSS MiB": memory.rssMiB,
      "verify answer bytes": answerBytes,
      "others' cores, uploads": othersUploading,
      "others' cores, verifies": othersVerifying,
    };
  } finally {
    process.chdir(home);
    if (service) await service.stop();
    cleanUp(dataDir);
    current = undefined;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const shown = (value: number) => (value >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(1));

const runs = new Map<string, Figures[]>(checkouts.map((c) => [c, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? checkouts : [...checkouts].reverse();
  for (const checkout of order) {
    const figures = await measure(checkout);
    runs.get(checkout)!.push(figures);
    console.log(`ab: round ${round + 1} ${checkout}: ${Object.entries(figures).map(([k, v]) => `${k} ${shown(v)}`).join(", ")}`);
  }
}
const names = Object.keys(runs.get(checkouts[0])![0]);
console.log(`\nmedians of ${rounds} runs each (every run: ${runs.get(checkouts[0])!.length})\n`);
console.log(`| figure | ${checkouts.join(" | ")} |`);
console.log(`|---|${checkouts.map(() => "---:").join("|")}|`);
for (const name of names) {
  const cells = checkouts.map((c) => {
    const values = runs.get(c)!.map((f) => f[name]);
    return `${shown(median(values))} (${values.map(shown).join(" / ")})`;
  });
  console.log(`| ${name} | ${cells.join(" | ")} |`);
}
process.exit(0);
