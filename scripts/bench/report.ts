import { readFileSync } from "node:fs";
import { availableParallelism, getPriority, loadavg, release, tmpdir, totalmem } from "node:os";
import type { CpuUse } from "./cpu.js";
import type { LoadResult } from "./load.js";
import type { PacedResult } from "./paced.js";
import type { ProfileSummary } from "./profile.js";
import type { IpfsFigures, StageFigures } from "./stages.js";

/** Everything one run measured; docs/benchmarks.md is a function of it. */
export interface BenchResults {
  command: string;
  startedAt: string;
  durationSeconds: number;
  machine: MachineFacts;
  settings: { documents: number; documentBytes: number; concurrency: number; bulkFilesPerRequest: number; bulkConcurrency: number; directDocuments: number; verifyConnections: number; verifySeconds: number; warmUpSeconds: number; warmUpHashes: number; pacedRate: number; profileDocuments: number; profileVerifySeconds: number };
  endToEnd: EndToEndFigures;
  /** The same, the documents sent in bulk (POST /api/documents/batch). */
  bulk: EndToEndFigures;
  idleCpu: CpuUse;
  /**
   * warmUp: the uncounted first seconds, on other hashes (the client's and the service's code paths, the connections).
   * paced: verifies at a set rate (paced.ts), on hashes neither of the others read.
   */
  verify: { result: LoadResult; cpu: CpuUse; warmUp: LoadResult; paced: PacedResult; pacedCpu: CpuUse };
  /** The service's resident memory (its process; anvil apart): after it started, after the reads, and its peak until then. */
  memory: { atStartMiB: number; afterReadsMiB: number; peakMiB: number };
  proofs: { result: LoadResult; cpu: CpuUse };
  direct: { upload: UploadFigures; anchoredPerSecond: number; gas: GasFigures };
  reindex: { events: number; blocks: number; wallSeconds: number; rebuildSeconds: number; rows: Record<string, number> };
  ipfs: IpfsFigures;
  stages: StageFigures;
  profiles: {
    upload: { summary: ProfileSummary; cpu: CpuUse; perSecond: number };
    verify: { summary: ProfileSummary; cpu: CpuUse; perSecond: number };
    /** The same verify answer from bare node:http and from the service's Express app with no work behind it. */
    floor: {
      bare: LoadResult & { cpu: CpuUse };
      app: LoadResult & { cpu: CpuUse };
      appCluster: LoadResult & { cpu: CpuUse };
      answerBytes: number;
    };
  } | null;
}

export interface EndToEndFigures {
  upload: UploadFigures;
  anchoredSeconds: number;
  anchoredPerSecond: number;
  lagAfterUploadSeconds: number;
  backlog: { records: number; atSeconds: number };
  gas: GasFigures;
  fullBatchGasPerRecord: { batches: number; gasPerRecord: number; source: string } | null;
  cpuUpload: CpuUse;
  cpuAnchoringTail: CpuUse;
}

export interface UploadFigures {
  documents: number;
  accepted: number;
  statuses: Record<number, number>;
  errors: string[];
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface GasFigures {
  batches: number;
  records: number;
  sizes: string;
  sizeMin: number;
  sizeMax: number;
  gasTotal: number;
  gasPerRecord: number;
  gasPerTransaction: number;
  gasMin: number;
  gasMax: number;
}

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  anvil: string;
  tmpFilesystem: string;
  loadAverage: string;
  /** Cores other processes used in the 2 s before the benchmark started. */
  busyBefore?: number;
  /** The benchmark's nice value (0 unless it was started with `nice`); its children inherit it. */
  nice: number;
}

export function machineFacts(anvil: string): MachineFacts {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
  return {
    cores: availableParallelism(),
    cpuModel: model,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    os: `Linux ${release()}`,
    anvil,
    tmpFilesystem: filesystemOf(tmpdir()),
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
    nice: getPriority(),
  };
}

/** "ext4 on /dev/vda": the mount holding `path`, from /proc/mounts. */
function filesystemOf(path: string): string {
  try {
    const mounts = readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .filter((f) => f.length > 2 && (path === f[1] || path.startsWith(f[1].endsWith("/") ? f[1] : `${f[1]}/`)))
      .sort((a, b) => b[1].length - a[1].length);
    return mounts[0] ? `${mounts[0][2]} on ${mounts[0][0]} (${path})` : "unknown";
  } catch {
    return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------------

const int = (n: number) => Math.round(n).toLocaleString("en");
const dec = (n: number, digits = 1) => n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (share: number) => `${(share * 100).toFixed(0)} %`;
const ms = (n: number) => (n >= 100 ? `${int(n)} ms` : n >= 10 ? `${dec(n, 0)} ms` : `${dec(n, n >= 1 ? 1 : 2)} ms`);

export interface GoalRow {
  figure: string;
  measured: string;
  goal: string;
  /** null: no goal for this figure. */
  met: boolean | null;
}

export function goalRows(r: BenchResults): GoalRow[] {
  const e = r.endToEnd;
  const rows: GoalRow[] = [
    {
      figure: `records accepted per second (upload phase, ${r.settings.concurrency} uploads in flight)`,
      measured: int(e.upload.perSecond),
      goal: "—",
      met: null,
    },
    {
      figure: `records anchored per second, end to end (${int(r.settings.documents)} × 1 KB, batch mode, one upload per document)`,
      measured: int(e.anchoredPerSecond),
      goal: "≥ 2,000",
      met: e.anchoredPerSecond >= 2000,
    },
    {
      figure: `records anchored per second, end to end (${int(r.settings.documents)} × 1 KB, batch mode, ${r.settings.bulkFilesPerRequest} per bulk upload)`,
      measured: int(r.bulk.anchoredPerSecond),
      goal: "≥ 2,000",
      met: r.bulk.anchoredPerSecond >= 2000,
    },
    {
      figure: "gas per record, batches of 1,000",
      measured: e.fullBatchGasPerRecord ? dec(e.fullBatchGasPerRecord.gasPerRecord) : "n/a",
      goal: "≤ 50",
      met: e.fullBatchGasPerRecord ? e.fullBatchGasPerRecord.gasPerRecord <= 50 : false,
    },
    {
      figure: `gas per record, batch mode as the end-to-end run closed them (${e.gas.batches} batches of ${e.gas.sizeMin === e.gas.sizeMax ? int(e.gas.sizeMin) : `${int(e.gas.sizeMin)}–${int(e.gas.sizeMax)}`} records)`,
      measured: dec(e.gas.gasPerRecord),
      goal: "—",
      met: null,
    },
    {
      figure: "gas per record, direct mode (each record its own anchor)",
      measured: int(r.direct.gas.gasPerRecord),
      goal: "—",
      met: null,
    },
    {
      figure: `verify requests per second (GET /api/verify, ${r.settings.verifyConnections} connections)`,
      measured: int(r.verify.result.requestsPerSecond),
      goal: "≥ 5,000",
      met: r.verify.result.requestsPerSecond >= 5000,
    },
    { figure: "verify latency p50", measured: ms(r.verify.result.p50Ms), goal: "—", met: null },
    { figure: "verify latency p99", measured: ms(r.verify.result.p99Ms), goal: "≤ 20 ms", met: r.verify.result.p99Ms <= 20 },
    {
      figure: `verify latency p50 / p99 at ${int(r.verify.paced.rate)} requests/s (paced, ${r.verify.paced.connections} connections, first reads included)`,
      measured: `${ms(r.verify.paced.p50Ms)} / ${ms(r.verify.paced.p99Ms)}`,
      goal: "—",
      met: null,
    },
    {
      figure: `proof requests per second (GET /api/proofs/:sha256, ${r.settings.verifyConnections} connections)`,
      measured: int(r.proofs.result.requestsPerSecond),
      goal: "—",
      met: null,
    },
    { figure: "proof latency p50 / p99", measured: `${ms(r.proofs.result.p50Ms)} / ${ms(r.proofs.result.p99Ms)}`, goal: "—", met: null },
    {
      figure: "service memory, resident (RSS): after the start / after the reads above / peak until then",
      measured: `${int(r.memory.atStartMiB)} / ${int(r.memory.afterReadsMiB)} / ${int(r.memory.peakMiB)} MiB`,
      goal: "—",
      met: null,
    },
    { figure: `IPFS add, ${r.ipfs.largeFiles} files of 1 MiB`, measured: `${dec(r.ipfs.largeMBps)} MB/s`, goal: "—", met: null },
    {
      figure: `IPFS add, ${int(r.ipfs.smallFiles)} files of 1 KiB`,
      measured: `${dec(r.ipfs.smallMBps, 2)} MB/s (${int(r.ipfs.smallFilesPerSecond)} files/s)`,
      goal: "—",
      met: null,
    },
    {
      figure: `reindex (${int(r.reindex.events)} events)`,
      measured: `${int(r.reindex.events / r.reindex.rebuildSeconds)} events/s`,
      goal: "—",
      met: null,
    },
  ];
  return rows;
}

const verdict = (met: boolean | null) => (met === null ? "" : met ? "met" : "**not met**");

export function renderGoalTable(r: BenchResults): string {
  const rows = goalRows(r);
  return [
    "| figure | measured | goal | |",
    "|---|---:|---|---|",
    ...rows.map((row) => `| ${row.figure} | ${row.measured} | ${row.goal} | ${verdict(row.met)} |`),
  ].join("\n");
}

function cpuLine(cpu: CpuUse): string {
  const parts = Object.entries(cpu.cores).map(([name, cores]) => `${name} ${dec(cores, 2)}`);
  return `${parts.join(", ")} (cores, of ${cpu.machineCores}; machine busy ${dec(cpu.machineBusyCores, 2)})`;
}

/** The main thread's time by component; `per` divides it per upload or per request (µs). */
function profileTable(summary: ProfileSummary, per: { count: number; what: string }): string {
  const busy = summary.totalMs - summary.idleMs;
  return [
    `Main thread busy ${pct(busy / summary.totalMs)} of ${dec(summary.totalMs / 1000)} s, i.e. ${dec((busy * 1000) / per.count, 0)} µs per ${per.what}.`,
    "",
    `| component (each sample charged to the nearest non-Node frame) | share | µs per ${per.what} | largest functions (native calls under their caller) |`,
    "|---|---:|---:|---|",
    ...summary.components
      .filter((c) => c.share >= 0.005)
      .map(
        (c) =>
          `| ${c.name} | ${pct(c.share)} | ${dec((c.ms * 1000) / per.count, 0)} | ${c.top
            .filter((t) => t.share >= 0.005)
            .map((t) => `\`${t.name}\` ${pct(t.share)}`)
            .join(", ")} |`,
      ),
  ].join("\n");
}

export function renderReport(r: BenchResults): string {
  const e = r.endToEnd;
  const m = r.machine;
  const s = r.stages;
  const maxOther = Math.max(e.cpuUpload.cores.other, r.verify.cpu.cores.other, r.proofs.cpu.cores.other);
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);

  add(
    "# Benchmarks",
    "",
    `Measured by \`${r.command}\` (scripts/bench/run.ts), which rewrites this file on every run: these are the figures of`,
    `the run of ${r.startedAt.slice(0, 16).replace("T", " ")} UTC (${int(r.durationSeconds)} s), as it produced them.`,
    "The service runs as `npm start` runs it — app/server/main.ts in a child process with the embedded anvil, Helia",
    "and SQLite in a temporary data folder — with `LOG_LEVEL=warn`, no limits on public writes (`WRITES_PER_MINUTE`,",
    "`WRITE_FILES_PER_MINUTE`, `WRITE_MB_PER_MINUTE` and `ANONYMOUS_TRANSACTIONS_PER_HOUR` all `0`) and the",
    "default `ANCHOR_BATCH_SIZE=1000`, `ANCHOR_BATCH_MS=1000`. The load comes from the same machine.",
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| CPU | ${m.cpuModel}, ${m.cores} cores (\`nproc\`) |`,
    `| memory | ${dec(m.memoryGiB)} GiB |`,
    `| Node | ${m.node} |`,
    `| chain | ${m.anvil} |`,
    `| OS | ${m.os} |`,
    `| data folders | ${m.tmpFilesystem} |`,
    `| load average at the start | ${m.loadAverage} |`,
    `| other processes in the 2 s before the start | ${dec(m.busyBefore ?? 0, 2)} cores |`,
    ...(m.nice !== 0 ? [`| the benchmark's scheduling priority | \`nice ${m.nice}\` (its service, anvil and client inherit it) |`] : []),
    `| other processes during the measured phases | up to ${dec(maxOther, 2)} cores |`,
    "",
    "## Figures and goals",
    "",
    renderGoalTable(r),
    "",
  );
  if (maxOther > 0.2) {
    add(
      `Other processes used up to ${dec(maxOther, 2)} of the ${m.cores} cores during a measured phase (see the CPU lines below):`,
      "the figures of this run are lower than the machine alone would give.",
      "",
    );
  }

  add(
    "## Details",
    "",
    "### End to end",
    "",
    `- **Uploads**: ${int(e.upload.documents)} distinct documents of ${r.settings.documentBytes} bytes, POST /api/documents (multipart),`,
    "  each with the issuer's statement over all of them and its own proof into their list (one signature, as a clerk signs a day's",
    "  list), the requests signed and built before any clock of the phase starts;",
    `  ${r.settings.concurrency} in flight over keep-alive connections: ${int(e.upload.accepted)} answered 201 in ${dec(e.upload.seconds)} s`,
    `  (${int(e.upload.perSecond)}/s); an upload took ${ms(e.upload.p50Ms)} at the median, ${ms(e.upload.p99Ms)} at p99.` +
      (e.upload.errors.length ? ` Other answers: ${JSON.stringify(e.upload.statuses)}, e.g. ${e.upload.errors[0]}.` : ""),
    `- **Anchoring**: the last record was anchored ${dec(e.anchoredSeconds)} s after the first upload was sent`,
    `  (${int(e.anchoredPerSecond)} records/s), ${dec(e.lagAfterUploadSeconds)} s after the last upload was answered. At most`,
    `  ${int(e.backlog.records)} records waited for their anchor at one time (${dec(e.backlog.atSeconds)} s in). Progress read from`,
    "  /api/health every 100 ms.",
    `- **Batches** (BatchAnchored events on the chain): ${e.gas.batches} — ${e.gas.sizes}; ${int(e.gas.gasMin)}–${int(e.gas.gasMax)} gas per`,
    `  transaction (receipt \`gasUsed\`, 21,000 base included), ${dec(e.gas.gasPerRecord)} gas per record over the run.`,
    e.fullBatchGasPerRecord
      ? `- **Batches of 1,000**: ${dec(e.fullBatchGasPerRecord.gasPerRecord)} gas per record (${e.fullBatchGasPerRecord.batches} batch(es), from ${e.fullBatchGasPerRecord.source}).`
      : "- **Batches of 1,000**: none was formed.",
    `- **CPU while uploading**: ${cpuLine(e.cpuUpload)}.`,
    `- **In bulk**: ${int(r.bulk.upload.documents)} more documents, ${r.settings.bulkFilesPerRequest} per POST /api/documents/batch, ${r.settings.bulkConcurrency} requests in flight,`,
    `  to the same service: ${int(r.bulk.upload.accepted)} accepted in ${dec(r.bulk.upload.seconds)} s (${int(r.bulk.upload.perSecond)}/s; a request of`,
    `  ${r.settings.bulkFilesPerRequest} took ${ms(r.bulk.upload.p50Ms)} at the median, ${ms(r.bulk.upload.p99Ms)} at p99); the last one anchored ${dec(r.bulk.anchoredSeconds)} s after the first`,
    `  request (${int(r.bulk.anchoredPerSecond)} records/s, ${dec(r.bulk.lagAfterUploadSeconds)} s after the last answer), in ${r.bulk.gas.batches} batches (${r.bulk.gas.sizes}),`,
    `  ${dec(r.bulk.gas.gasPerRecord)} gas per record. CPU while uploading: ${cpuLine(r.bulk.cpuUpload)}.` +
      (r.bulk.upload.errors.length ? ` Other answers: ${JSON.stringify(r.bulk.upload.statuses)}, e.g. ${r.bulk.upload.errors[0]}.` : ""),
    `- **CPU from the last upload to the last anchor**: ${cpuLine(e.cpuAnchoringTail)}.`,
    `- **CPU of the idle service afterwards** (3 s): ${cpuLine(r.idleCpu)}.`,
    "",
    "### Direct mode",
    "",
    `The same service restarted with \`ANCHOR_BATCH_SIZE=1\`: ${int(r.direct.upload.documents)} documents, each anchored in a`,
    `transaction of its own (a batch of one: its root is its leaf, its proof empty). ${int(r.direct.gas.batches)} anchors,`,
    `${int(r.direct.gas.gasMin)}–${int(r.direct.gas.gasMax)} gas each, ${int(r.direct.gas.gasPerRecord)} on average; ${int(r.direct.anchoredPerSecond)} records anchored per second`,
    `(uploads ${int(r.direct.upload.perSecond)}/s). docs/gas.md measures the same call on Hardhat's simulated network.`,
    "",
    "### Reads under load",
    "",
    `autocannon, ${r.settings.verifyConnections} connections, ${r.settings.verifySeconds} s, each request for the next of the ${int(r.settings.documents)} hashes of the end-to-end`,
    "run, none of which had been read before: each is read for the first time while it is measured (an answer is built then,",
    `and kept). Before it, ${r.settings.warmUpSeconds} s of the same load on ${int(r.settings.warmUpHashes)} of the bulk run's hashes, not counted: the client's and the service's code`,
    "paths are compiled and the connections open (its own figures are in the table: the first second of a load from a fresh",
    "client is slow on both sides).",
    "",
    `Last, verifies **paced at ${int(r.verify.paced.rate)}/s** (scripts/bench/paced.ts) over ${r.verify.paced.connections} keep-alive connections for ${r.settings.verifySeconds} s, on the bulk`,
    `run's other ${int(r.settings.documents - r.settings.warmUpHashes)} hashes, none read before (the first ${dec((r.settings.documents - r.settings.warmUpHashes) / r.verify.paced.rate)} s are all first reads). autocannon is a closed loop — a connection`,
    "sends its next request when the last is answered — so at its saturation the mean latency is connections / throughput, and",
    "its rate option sends each connection's quota for the second at full speed, then waits. The paced client sends on an even",
    "schedule and counts each request's latency from the moment the schedule meant to send it, so a stall counts for every",
    "request it held back: the latency a resident sees when the service carries the goal's load.",
    "",
    "| endpoint | requests/s | p50 | p99 | max | non-2xx | errors |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...[
      ["GET /api/verify?sha256=…", r.verify.result],
      ["GET /api/proofs/:sha256", r.proofs.result],
      [`GET /api/verify, the warm-up (${r.settings.warmUpSeconds} s, not counted)`, r.verify.warmUp],
      [`GET /api/verify paced at ${int(r.verify.paced.rate)}/s (not autocannon: see below)`, r.verify.paced],
    ].map(([name, x]) => {
      const l = x as LoadResult;
      return `| ${name} | ${int(l.requestsPerSecond)} | ${ms(l.p50Ms)} | ${ms(l.p99Ms)} | ${ms(l.maxMs)} | ${l.non2xx} | ${l.errors} |`;
    }),
    "",
    `- CPU during verifies: ${cpuLine(r.verify.cpu)}.`,
    `- CPU during the paced verifies: ${cpuLine(r.verify.pacedCpu)}.`,
    `- CPU during proofs: ${cpuLine(r.proofs.cpu)}.`,
    "",
    "### Reindex",
    "",
    `\`node --import tsx app/server/reindex.ts\` with \`DATA_DIR\` of the benchmark's folder and the service stopped (it starts`,
    `an anvil from the saved state): ${int(r.reindex.events)} events the indexer follows, over ${int(r.reindex.blocks)} blocks, rebuilt in`,
    `${dec(r.reindex.rebuildSeconds, 2)} s (${int(r.reindex.events / r.reindex.rebuildSeconds)} events/s; ${dec(r.reindex.wallSeconds)} s for the whole command with`,
    `anvil's start). Rows: ${Object.entries(r.reindex.rows)
      .map(([t, n]) => `${t} ${int(n)}`)
      .join(", ")}.`,
    "",
    "### IPFS add",
    "",
    "Through the service's `IpfsStore` (`openIpfsStore` on a temporary folder: Helia, its blocks in SQLite), in this",
    "process with nothing else running:",
    "",
    "| files | how | throughput |",
    "|---|---|---:|",
    `| ${r.ipfs.largeFiles} × 1 MiB | one after the other | ${dec(r.ipfs.largeMBps)} MB/s |`,
    `| ${int(r.ipfs.smallFiles)} × 1 KiB | one after the other | ${dec(r.ipfs.smallMBps, 2)} MB/s, ${int(r.ipfs.smallFilesPerSecond)} files/s |`,
    `| ${int(r.ipfs.smallFiles)} × 1 KiB | ${r.ipfs.concurrency} in flight (as the API adds them) | ${int(r.ipfs.smallConcurrentFilesPerSecond)} files/s |`,
    `| ${int(r.ipfs.smallFiles)} × 1 KiB | ${r.ipfs.concurrency} in flight, through the UnixFS importer (the path of files over 1 MiB) | ${int(r.ipfs.smallConcurrentImporterFilesPerSecond)} files/s |`,
    "",
    "### The stages alone",
    "",
    "Each stage of an upload and of a batch timed alone in this process, with the service's own classes on a temporary",
    "folder (the batch rows: medians of 5); the ceiling is what that stage alone would allow on one thread.",
    "",
    "| stage | cost | ceiling alone |",
    "|---|---:|---:|",
    `| SHA-256 of 1 KiB | ${dec(s.sha256Us)} µs | — |`,
    `| a verification's record read (\`findBySha256\`; uploads no longer make it) | ${ms(s.findMs)} | ${int(1000 / s.findMs)}/s |`,
    `| IPFS add of 1 KiB (wall time per file, ${r.ipfs.concurrency} in flight) | ${ms(1000 / r.ipfs.smallConcurrentFilesPerSecond)} | ${int(r.ipfs.smallConcurrentFilesPerSecond)}/s |`,
    `| \`SqliteAnchorQueue.enqueue\`, one commit each (\`synchronous=FULL\`; the API's \`enqueueDurably\` shares commits) | ${ms(s.enqueueMs)} | ${int(1000 / s.enqueueMs)}/s |`,
    `| the same, ${int(s.records)} in one transaction | ${ms(s.enqueueGroupedMs)} | ${int(1000 / s.enqueueGroupedMs)}/s |`,
    `| forming a batch of 1,000 (\`closeBatches\`: tree, proofs, 1,000 row updates, one commit) | ${ms(s.closeBatchMs)} | ${int(1_000_000 / s.closeBatchMs)} records/s |`,
    `| its tree and proofs alone (\`buildBatch\` over 1,000, on bytes) | ${ms(s.merkleMs)} | |`,
    `| — for comparison, the library's tree alone (\`StandardMerkleTree.of\`, which \`buildBatch\` no longer calls) | ${ms(s.merkleTreeMs)} | |`,
    `| — the library's \`getProof\` for 1,000 (re-verifies each proof; \`buildBatch\` no longer calls it) | ${ms(s.merkleProofsMs)} | |`,
    "",
  );

  if (r.profiles) {
    const p = r.profiles;
    const verifyRequests = p.verify.perSecond * r.settings.profileVerifySeconds;
    add(
      "### Where the service's time goes",
      "",
      "CPU profiles of the service's main thread (V8's sampling profiler through the inspector, `--inspect`), each over",
      "one phase of a separate run in a fresh data folder. Each sample is charged to the nearest frame outside Node's own",
      "code, so a file-system call counts for the package that made it.",
      "",
      `**${int(r.settings.profileDocuments)} uploads** (${int(p.upload.perSecond)}/s while profiled). CPU: ${cpuLine(p.upload.cpu)}.`,
      "",
      profileTable(p.upload.summary, { count: r.settings.profileDocuments, what: "upload" }),
      "",
      `**${r.settings.profileVerifySeconds} s of GET /api/verify** (${int(p.verify.perSecond)}/s while profiled). CPU: ${cpuLine(p.verify.cpu)}.`,
      "",
      profileTable(p.verify.summary, { count: verifyRequests, what: "request" }),
      "",
      `**Floors**: the same verify answer (${int(p.floor.answerBytes)} bytes) served with no work behind it, same load, ${r.settings.profileVerifySeconds} s each`,
      "(scripts/bench/httpFloor.ts):",
      "",
      "| server | requests/s | p50 | p99 | CPU: server / autocannon / other processes (cores) |",
      "|---|---:|---:|---:|---|",
      ...(
        [
          ["bare `node:http`, one process", p.floor.bare],
          ["the service's Express app (`createApp`: helmet, pino-http, router), one process", p.floor.app],
          ["the same app, one process per core (`node:cluster`)", p.floor.appCluster],
        ] as const
      ).map(
        ([name, f]) =>
          `| ${name} | ${int(f.requestsPerSecond)} | ${ms(f.p50Ms)} | ${ms(f.p99Ms)} | ${dec(f.cpu.cores.server, 2)} / ${dec(f.cpu.cores["bench client"], 2)} / ${dec(f.cpu.cores.other, 2)} |`,
      ),
      `| the real GET /api/verify (above) | ${int(r.verify.result.requestsPerSecond)} | ${ms(r.verify.result.p50Ms)} | ${ms(r.verify.result.p99Ms)} | ${dec(r.verify.cpu.cores.service, 2)} / ${dec(r.verify.cpu.cores["bench client"], 2)} / ${dec(r.verify.cpu.cores.other, 2)} |`,
      "",
    );
  }

  add("## What limits each figure", "", ...notes(r), "");
  return `${lines.join("\n")}\n`;
}

/** The share of a profile's components whose name matches `pattern`. */
function shareOf(summary: ProfileSummary, pattern: RegExp): number {
  return summary.components.filter((c) => pattern.test(c.name)).reduce((sum, c) => sum + c.share, 0);
}

/** The share of a profile's samples in functions whose label matches `pattern` (self time). */
function frameShare(summary: ProfileSummary, pattern: RegExp): number {
  return summary.frames.filter((f) => pattern.test(f.name)).reduce((sum, f) => sum + f.share, 0);
}

/** The notes under the figures, from the measurements of this run: every number below is measured. */
function notes(r: BenchResults): string[] {
  const out: string[] = [];
  const e = r.endToEnd;
  const s = r.stages;
  const p = r.profiles;
  const meanBatch = e.gas.records / Math.max(1, e.gas.batches);
  const e2eMet = e.anchoredPerSecond >= 2000;

  // --- End to end ------------------------------------------------------------------------------------
  const bulkMet = r.bulk.anchoredPerSecond >= 2000;
  out.push(
    `### Records anchored end to end (goal ≥ 2,000/s: ${e2eMet ? "met" : bulkMet ? "met in bulk uploads, not one upload per document" : "not met"})`,
    "",
  );
  if (e.lagAfterUploadSeconds < 3) {
    out.push(
      `- **Anchoring keeps up; uploads are the limit.** The last record was anchored ${dec(e.lagAfterUploadSeconds)} s after the last upload was`,
      `  answered, so the end-to-end rate (${int(e.anchoredPerSecond)}/s) is the upload rate (${int(e.upload.perSecond)}/s) less about one batch window.`,
    );
  } else {
    out.push(
      `- **Anchoring lags the uploads**: the last record was anchored ${dec(e.lagAfterUploadSeconds)} s after the last upload was answered`,
      `  (uploads ${int(e.upload.perSecond)}/s, anchoring ${int(e.anchoredPerSecond)}/s end to end; at most ${int(e.backlog.records)} records waited at once).`,
    );
  }
  out.push(
    `- Batches closed ${meanBatch < 999 ? `on their 1-second window at ${int(meanBatch)} records on average: a batch reaches 1,000 only when uploads arrive at 1,000/s or more` : "at 1,000 records"}.`,
    `- **In bulk** (${r.settings.bulkFilesPerRequest} documents per POST /api/documents/batch) the same service anchored ${int(r.bulk.anchoredPerSecond)} records/s end to end`,
    `  (accepted ${int(r.bulk.upload.perSecond)}/s): the work per document is the same — its hash, its IPFS block, its queue row, its`,
    "  leaf — but one HTTP exchange and one multipart parse serve a hundred documents, and their blocks and rows share commits.",
  );
  const uploadCores = e.cpuUpload.cores.service;
  if (p) {
    const u = p.upload.summary;
    const busyUs = ((u.totalMs - u.idleMs) * 1000) / r.settings.profileDocuments;
    const per = (pattern: RegExp) => (shareOf(u, pattern) * u.totalMs * 1000) / r.settings.profileDocuments;
    out.push(
      `- **One upload per document: one thread does the work.** While uploading, the service process used ${dec(uploadCores, 2)} cores (its`,
      `  libuv threads included) and its main thread was busy ${pct(1 - u.idleMs / u.totalMs)} of the profiled upload phase: ${int(busyUs)} µs per upload,`,
      `  of which HTTP and multipart ${int(per(/^HTTP/))} µs, SQLite ${int(per(/^SQLite/))} µs (the records' rows and the blocks, and their`,
      `  fsynced group commits), IPFS ${int(per(/^IPFS|^file system calls/))} µs, keccak and Merkle trees ${int(per(/^Merkle/))} µs (the record's leaf, and`,
      `  forming each batch), garbage collection ${int(per(/^garbage/))} µs.`,
    );
  } else {
    out.push(`- While uploading one document per request, the service process used ${dec(uploadCores, 2)} cores (no profile was taken in this run).`);
  }
  out.push(
    "- **Done**: an upload of one multipart body up to 1 MiB is answered in front of Express (app/server/http/fastUpload.ts,",
    "  with the route's limiter and rules); a group commit writes SQLite's log with synchronous=NORMAL and fsyncs it on libuv's",
    "  threads before answering (app/server/store/groupCommit.ts); batches are built on bytes from the leaves the queue stored;",
    "  anvil's state dumps are unzipped and fsynced off the main thread.",
    `- **The stages alone** (table above): an IPFS add of 1 KiB costs ${ms(1000 / r.ipfs.smallConcurrentFilesPerSecond)} (${int(r.ipfs.smallConcurrentFilesPerSecond)}/s with`,
    `  ${r.ipfs.concurrency} in flight; through the UnixFS importer, which files over 1 MiB take, ${int(r.ipfs.smallConcurrentImporterFilesPerSecond)}/s); \`enqueue\` costs ${ms(s.enqueueMs)}`,
    `  with a commit per record and ${ms(s.enqueueGroupedMs)} when records share a commit; forming a batch of 1,000 holds the main thread`,
    `  ${ms(s.closeBatchMs)}, during which no request is served.`,
    `- An upload's latency (p50 ${ms(e.upload.p50Ms)}) is mostly its wait in line: ${r.settings.concurrency} in flight / ${int(e.upload.perSecond)} per s = ${ms((1000 * r.settings.concurrency) / e.upload.perSecond)}.`,
  );
  if (!e2eMet) {
    out.push(
      "",
      "What limits one upload per document: Node's HTTP and multipart handling of each request on the API's one thread, on a",
      "machine whose two cores the benchmark's own client and anvil share. The API would have to run on more than one core (a",
      "second process sharing the SQLite files in WAL mode, with the single anchoring worker in one of them). Clients with many",
      "documents (an archive being digitised, a day's certificates) send them in bulk, which meets the goal on this machine.",
    );
  }
  out.push("");

  // --- Gas -------------------------------------------------------------------------------------------
  const full = e.fullBatchGasPerRecord;
  out.push(`### Gas per record (goal ≤ 50 at batches of 1,000: ${full && full.gasPerRecord <= 50 ? "met" : "not met"})`, "");
  out.push(
    `- An anchor costs the same whatever its batch holds (${int(Math.min(e.gas.gasMin, r.direct.gas.gasMin))}–${int(Math.max(e.gas.gasMax, r.direct.gas.gasMax))} gas per transaction in this run): the`,
    `  cost per record is that divided by the batch size, ${full ? dec(full.gasPerRecord) : "n/a"} at 1,000 (${full?.source ?? "none formed"}).`,
    `- The end-to-end run paid ${dec(e.gas.gasPerRecord)} per record because its batches closed on the 1-second window at ${int(meanBatch)} records;`,
    "  the gas goal and the throughput goal go together. Direct mode pays the whole anchor for each record",
    `  (${int(r.direct.gas.gasPerRecord)}); docs/gas.md explains what that anchor is made of.`,
    `- Direct mode anchored ${int(r.direct.anchoredPerSecond)} records/s: the worker signs and broadcasts one transaction at a time and follows`,
    "  each one's receipt, at most 8 in flight; it is the price of a batch of one, not a goal.",
    "",
  );

  // --- Verify ----------------------------------------------------------------------------------------
  const v = r.verify.result;
  const verifyMet = v.requestsPerSecond >= 5000 && v.p99Ms <= 20;
  out.push(`### Verifies (goals ≥ 5,000/s and p99 ≤ 20 ms: ${verifyMet ? "met" : v.requestsPerSecond >= 5000 || v.p99Ms <= 20 ? "one met" : "not met"})`, "");
  out.push(
    `- **Rate and wait.** With ${r.settings.verifyConnections} connections always waiting, the time a request spends is mostly its wait`,
    `  in line: ${r.settings.verifyConnections} / ${int(v.requestsPerSecond)} per s = ${ms((1000 * r.settings.verifyConnections) / v.requestsPerSecond)} on average (Little's law; p50 measured ${ms(v.p50Ms)}).`,
    v.requestsPerSecond >= (r.settings.verifyConnections / 20) * 1000
      ? `  The rate would allow a p99 of 20 ms (it needs about ${int((r.settings.verifyConnections / 20) * 1000)} requests/s), so what is left is the tail: the first read of each hash (an answer is built once, then kept), garbage collection, and the service and autocannon sharing the machine's ${r.machine.cores} cores (max ${ms(v.maxMs)}; the uncounted warm-up, a fresh client on other hashes, showed p99 ${ms(r.verify.warmUp.p99Ms)}). Proofs, read after the verifies, showed p99 ${ms(r.proofs.result.p99Ms)}.`
      : `  A p99 of 20 ms at ${r.settings.verifyConnections} connections needs about ${int((r.settings.verifyConnections / 20) * 1000)} requests/s.`,
    `- Answers need no chain call (VerificationService reads SQLite); the service used ${dec(r.verify.cpu.cores.service, 2)} cores, autocannon`,
    `  ${dec(r.verify.cpu.cores["bench client"], 2)}, other processes ${dec(r.verify.cpu.cores.other, 2)}.`,
    "- **A verdict names its proof bundle rather than carrying it** (`proofUrl`, docs/proof-bundle.md): with the issuer's statement",
    "  and the signature's own anchor a bundle is three times the verdict's size, and every byte is sent by the service and read by",
    "  the client on the same two cores. Kept answers take at most 64 MiB.",
    "- **First reads are made on a worker thread** (app/server/services/answerReader.ts, its own read-only SQLite connection):",
    "  reading a record and building its answer costs several times what sending a kept answer does, and a stream of new hashes",
    "  made on the main thread held up every other request behind it. The main thread sends them over once per turn of the",
    "  event loop and writes the answers when they come back.",
    `- **At the goal's rate** (${int(r.verify.paced.rate)}/s, paced, first reads included): p50 ${ms(r.verify.paced.p50Ms)}, p99 ${ms(r.verify.paced.p99Ms)}, max ${ms(r.verify.paced.maxMs)};`,
    `  the service used ${dec(r.verify.pacedCpu.cores.service, 2)} cores, the paced client ${dec(r.verify.pacedCpu.cores["bench client"], 2)}.` +
      (r.verify.paced.p99Ms > 20 && r.verify.pacedCpu.cores.service < 0.9
        ? " The service was below one core, so that tail is waiting rather than work: look for pauses (`--trace-gc` on the service)."
        : ""),
    "- **The service's heap is kept small.** The contracts are deployed from a child process (app/server/chain/ignitionDeploy.ts)",
    "  that exits when done. When the service deployed them itself, Hardhat, two Solidity compilers and TypeScript stayed in its",
    "  heap for good (about 200 MB); each full garbage collection then marked some 240 MB on the API's thread, on a machine of two",
    "  cores, and stalled this paced run for 20–70 ms at a time: p99 22–60 ms in seven runs before the change (2026-11-21), 5–9 ms after it.",
  );
  if (p) {
    const q = p.verify.summary;
    const http = shareOf(q, /^HTTP/);
    const work = shareOf(q, /^(SQLite|request validation|Merkle|proof bundles)/);
    const logging = shareOf(q, /^logging/);
    const prepare = frameShare(q, /→ prepare$/);
    out.push(
      `- **Where a request's time goes** (profile above): HTTP and Express ${pct(http)}, garbage collection ${pct(q.gcMs / q.totalMs)}, the answer itself`,
      `  ${pct(work)} (SQLite ${pct(shareOf(q, /^SQLite/))} — of which ${pct(prepare)} compiling the same statements again on every call —, zod`,
      `  ${pct(shareOf(q, /^request validation/))} validating the proof bundle the service just built, ethers ${pct(shareOf(q, /^Merkle/))} checksumming its address),`,
      `  request logging ${pct(logging)} (pino-http builds a child logger for every request even at LOG_LEVEL=warn).`,
      "- **Done**: GET /api/verify and /api/proofs are answered in front of Express (app/server/http/fastReads.ts), proof bundles",
      "  are built without re-running their schema, kept answers (their bytes, and their ETag) are served while the store's change mark",
      "  is unchanged, that mark is read at most once a millisecond, and first reads are made on a worker thread.",
      `- **Floors** (table above): the service's Express app with no work behind it answers ${int(p.floor.app.requestsPerSecond)}/s on one process`,
      `  (bare node:http ${int(p.floor.bare.requestsPerSecond)}/s), and ${int(p.floor.appCluster.requestsPerSecond)}/s with one process per core: why the two hot reads`,
      `  are answered in front of Express (${int(v.requestsPerSecond)}/s measured above, against the bare floor's ${int(p.floor.bare.requestsPerSecond)}/s).`,
    );
    if (!verifyMet) {
      const clusterGain = p.floor.appCluster.requestsPerSecond / Math.max(1, p.floor.app.requestsPerSecond);
      const items = [
        {
          payoff: clusterGain,
          text:
            "**Serve the API from one process per core** (node:cluster; SQLite in WAL lets readers share the file, and one process keeps the anchoring worker)." +
            (clusterGain >= 1.2
              ? ` Measured on the floor: ×${dec(clusterGain)}.`
              : ` Measured on the floor: ×${dec(clusterGain)} in this run, while other processes used ${dec(p.floor.appCluster.cpu.cores.other, 2)} cores: there was no free core to scale onto, so its payoff here is unmeasured.`),
        },
      ].sort((a, b) => b.payoff - a.payoff);
      out.push("", "What would fix it, in order of payoff (each measured above):", "", ...items.map((item, i) => `${i + 1}. ${item.text}`));
    }
  }
  out.push("");

  // --- IPFS, reindex ---------------------------------------------------------------------------------
  out.push(
    "### IPFS add and reindex (no goals)",
    "",
    `- IPFS add moves ${dec(r.ipfs.largeMBps)} MB/s in files of 1 MiB and ${dec(r.ipfs.smallMBps, 2)} MB/s in files of 1 KiB added one after the other: each`,
    `  add waits for its own fsynced commit; ${r.ipfs.concurrency} in flight share commits (${int(r.ipfs.smallConcurrentFilesPerSecond)} files/s).`,
    `- Reindex read ${int(r.reindex.events)} events at ${int(r.reindex.events / r.reindex.rebuildSeconds)}/s${r.direct.gas.batches > r.reindex.events / 2 ? "; most are the direct-mode anchors, each in a block of its own" : ""}.`,
    "  The indexer fetches every block that holds an anchor with its transactions (`eth_getBlockByNumber`, to learn the",
    "  sender and the time), one request after the other, so its rate is about one RPC round trip per block with an anchor.",
  );
  return out;
}
