// `npm run bench`: the ledger's throughput, measured end to end against the service as a user runs it,
// written to docs/benchmarks.md (every run rewrites it) and printed as a table of figures and goals.
//
//   node --import tsx scripts/bench/run.ts          (what `npm run bench` runs, after `hardhat build`)
//
// Phases: (1) 10,000 distinct 1 KB documents through POST /api/documents, followed until the last one
// is anchored; (2) 10,000 more in bulk (POST /api/documents/batch); (3) GET /api/verify and /api/proofs
// under 100 connections (autocannon) on phase 1's hashes, after an uncounted warm-up on some of phase 2's,
// then verifies paced at 5,000/s on phase 2's other hashes; (4) a
// batch of exactly 1,000 when phases 1–2 made none; (5) direct mode: the same service with
// ANCHOR_BATCH_SIZE=1; (6) `app/server/reindex.ts` on the data folder; (7) IPFS add and the upload's
// stages alone, in this process; (8) when a throughput goal is missed, CPU profiles of the service
// during uploads and verifies.
// Benchmarks report, they do not gate: the exit code is 0 whatever the figures (1 only if a phase fails).
//
// Settings (environment): BENCH_DOCUMENTS (10000), BENCH_CONCURRENCY (48 uploads in flight),
// BENCH_DIRECT_DOCUMENTS (1000), BENCH_VERIFY_SECONDS (10), BENCH_PROFILE (1: always profile, 0: never),
// BENCH_KEEP_PROFILES (1: keep the .cpuprofile files), BENCH_OUTPUT (docs/benchmarks.md).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonRpcProvider } from "ethers";
import { cleanUp, freePort, rpcProvider, tempDataDir, type RunningService } from "../../test/app/support/service.js";
import { anvilBinaryPath } from "../../app/server/chain/anvil.js";
import { anchoredBatches, describeSizes, indexedEventCount, type AnchoredBatch } from "./chain.js";
import { childPids, cpuSnapshot, cpuUse, type CpuUse } from "./cpu.js";
import { InspectorSession } from "./inspector.js";
import { loadTest, type LoadResult } from "./load.js";
import { startPacedClient } from "./paced.js";
import { summarizeProfile } from "./profile.js";
import { goalRows, machineFacts, renderGoalTable, renderReport, type BenchResults } from "./report.js";
import { anchoredOf, anvilPid, followAnchoring, health, residentMemory, startBenchService, type ProgressSample } from "./service.js";
import { ipfsAddBenchmark, stageTimings } from "./stages.js";
import { makeDocuments, prepareUploads, quantile, sendUploads, type Document, type UploadResult } from "./upload.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(ROOT); // startService runs app/server/main.ts relative to the repository

const setting = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SETTINGS = {
  documents: setting("BENCH_DOCUMENTS", 10_000),
  documentBytes: 1024,
  concurrency: setting("BENCH_CONCURRENCY", 48),
  bulkFilesPerRequest: setting("BENCH_BULK_FILES", 100),
  bulkConcurrency: setting("BENCH_BULK_CONCURRENCY", 4),
  directDocuments: setting("BENCH_DIRECT_DOCUMENTS", 1000),
  verifyConnections: 100,
  verifySeconds: setting("BENCH_VERIFY_SECONDS", 10),
  warmUpSeconds: 2,
  /** Hashes of the bulk run the warm-up reads; the paced run reads the others. */
  warmUpHashes: 2000,
  pacedRate: 5000,
  profileDocuments: 3000,
  profileVerifySeconds: 5,
};
const OUTPUT = resolve(ROOT, process.env.BENCH_OUTPUT ?? "docs/benchmarks.md");

// The benchmark is defined on the embedded engines (anvil, Helia, SQLite in a temporary folder).
for (const name of ["CHAIN_RPC_URL", "IPFS_API_URL", "CONFIRMATIONS", "DEPLOYMENT_FILE", "PUBLIC_RPC_URL", "UPLOAD_LIMIT_MB"]) {
  delete process.env[name];
}

const log = (message: string) => console.log(`bench: ${message}`);
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

// Everything started here is stopped here, also on Ctrl-C or a failure.
const running = new Set<RunningService>();
const dataDirs = new Set<string>();
async function stopService(service: RunningService): Promise<void> {
  running.delete(service);
  const code = await service.stop();
  if (code !== 0) log(`the service exited with ${code}:\n${service.output().slice(-2000)}`);
}
async function tearDown(): Promise<void> {
  for (const service of running) await service.kill().catch(() => {});
  running.clear();
  for (const dir of dataDirs) cleanUp(dir);
  dataDirs.clear();
}
process.once("SIGINT", () => {
  log("interrupted; stopping what the benchmark started");
  void tearDown().finally(() => process.exit(130));
});

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningService> {
  const service = await startBenchService(dataDir, env);
  running.add(service);
  return service;
}

function pidNames(service: RunningService): Record<number, string> {
  const names: Record<number, string> = { [process.pid]: "bench client", [service.child.pid!]: "service" };
  const anvil = anvilPid(service.dataDir);
  if (anvil) names[anvil] = "anvil";
  return names;
}

/** Uploads `documents`, follows them to their anchors and reads the batches from the chain. */
async function uploadAndAnchor(
  service: RunningService,
  provider: JsonRpcProvider,
  documents: Document[],
  transfer = { concurrency: SETTINGS.concurrency, filesPerRequest: 1 },
) {
  const prepared = await prepareUploads(service.url, documents, transfer.filesPerRequest);
  const before = await health(service);
  const names = pidNames(service);
  const cpu0 = cpuSnapshot(Object.keys(names).map(Number));
  let cpuAtUploadEnd = cpu0;
  const t0 = performance.now();
  const uploading = sendUploads(prepared, transfer.concurrency).then((result) => {
    cpuAtUploadEnd = cpuSnapshot(Object.keys(names).map(Number));
    return result;
  });
  const following = followAnchoring(service, anchoredOf(before) + documents.length, t0);
  const [upload, progress] = await Promise.all([uploading, following]);
  const cpuEnd = cpuSnapshot(Object.keys(names).map(Number));
  const head = await provider.getBlockNumber();
  const batches = await anchoredBatches(provider, before.chain.contracts.batchAnchor, before.chain.latestBlock + 1, head);
  return {
    upload,
    progress,
    batches,
    cpuUpload: cpuUse(cpu0, cpuAtUploadEnd, names),
    cpuAnchoringTail: cpuUse(cpuAtUploadEnd, cpuEnd, names),
  };
}

/** The figures of one end-to-end run: uploads, anchoring, batches and their gas, CPU. */
function endToEndFigures(documents: Document[], run: Awaited<ReturnType<typeof uploadAndAnchor>>) {
  const full = run.batches.filter((b) => b.count === 1000);
  return {
    upload: uploadFigures(documents, run.upload),
    anchoredSeconds: run.progress.reachedMs / 1000,
    anchoredPerSecond: documents.length / (run.progress.reachedMs / 1000),
    lagAfterUploadSeconds: (run.progress.reachedMs - run.upload.elapsedMs) / 1000,
    backlog: maxBacklog(run.progress.samples),
    gas: gasFigures(run.batches),
    fullBatchGasPerRecord: full.length
      ? { batches: full.length, gasPerRecord: full.reduce((s, b) => s + b.gasUsed, 0) / (full.length * 1000), source: "end-to-end run" }
      : null,
    cpuUpload: run.cpuUpload,
    cpuAnchoringTail: run.cpuAnchoringTail,
  };
}

function uploadFigures(documents: Document[], upload: UploadResult) {
  const accepted = upload.accepted;
  return {
    documents: documents.length,
    accepted,
    statuses: upload.statuses,
    errors: upload.errors,
    seconds: upload.elapsedMs / 1000,
    perSecond: accepted / (upload.elapsedMs / 1000),
    p50Ms: quantile(upload.latenciesMs, 0.5),
    p99Ms: quantile(upload.latenciesMs, 0.99),
  };
}

function gasFigures(batches: AnchoredBatch[]) {
  const records = batches.reduce((sum, b) => sum + b.count, 0);
  const gas = batches.reduce((sum, b) => sum + b.gasUsed, 0);
  return {
    batches: batches.length,
    records,
    sizes: describeSizes(batches),
    gasTotal: gas,
    gasPerRecord: records > 0 ? gas / records : Number.NaN,
    gasPerTransaction: batches.length > 0 ? gas / batches.length : Number.NaN,
    sizeMin: Math.min(...batches.map((b) => b.count)),
    sizeMax: Math.max(...batches.map((b) => b.count)),
    gasMin: Math.min(...batches.map((b) => b.gasUsed)),
    gasMax: Math.max(...batches.map((b) => b.gasUsed)),
  };
}

/** The most records accepted and not yet anchored at one time, and when (s after the first upload). */
function maxBacklog(samples: ProgressSample[]) {
  let worst = { records: 0, atSeconds: 0 };
  for (const s of samples) {
    const backlog = s.accepted - s.anchored;
    if (backlog > worst.records) worst = { records: backlog, atSeconds: s.t / 1000 };
  }
  return worst;
}

async function runReindex(dataDir: string) {
  const t0 = performance.now();
  const output = await new Promise<string>((resolveOutput, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/server/reindex.ts"], {
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.stderr.on("data", (chunk) => (text += chunk));
    child.once("exit", (code) => (code === 0 ? resolveOutput(text) : reject(new Error(`reindex exited with ${code}:\n${text}`))));
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const at = (marker: string) => {
    const line = output.split("\n").find((l) => l.includes(marker));
    return line ? Date.parse(line.split(" ")[0]) : Number.NaN;
  };
  const rebuildSeconds = (at("index: rebuilt from the chain") - at("index: rebuilding")) / 1000;
  const rows: Record<string, number> = {};
  for (const match of output.matchAll(/^\S+\s{3}(idx_\w+)\s+(\d+)$/gm)) rows[match[1]] = Number(match[2]);
  return { wallSeconds, rebuildSeconds, rows };
}

/** GET /api/verify's floor: the same answer from bare node:http, and from the service's Express app alone. */
async function verifyFloor(kind: "bare" | "app" | "app-cluster", answer: string, paths: string[]): Promise<LoadResult & { cpu: CpuUse }> {
  const dir = mkdtempSync(join(tmpdir(), "ledger-bench-floor-"));
  const bodyFile = join(dir, "answer.json");
  writeFileSync(bodyFile, answer);
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/httpFloor.ts"], {
    env: { ...process.env, BENCH_FLOOR: kind, BENCH_FLOOR_BODY: bodyFile, BENCH_FLOOR_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      let text = "";
      child.stdout.on("data", (chunk) => {
        text += chunk;
        const match = text.match(/listening (\d+)/);
        if (match) resolvePort(Number(match[1]));
      });
      void exited.then(() => reject(new Error(`the ${kind} floor server exited before listening`)));
    });
    // The cluster's workers are the primary's children: they count as the server too.
    const names: Record<number, string> = { [process.pid]: "bench client", [child.pid!]: "server" };
    for (const worker of childPids(child.pid!)) names[worker] = "server";
    const cpu0 = cpuSnapshot(Object.keys(names).map(Number));
    const result = await loadTest(`http://127.0.0.1:${port}`, paths, {
      connections: SETTINGS.verifyConnections,
      seconds: SETTINGS.profileVerifySeconds,
    });
    // A floor that answered errors would measure the error path (it once did, unnoticed).
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`the ${kind} floor answered ${result.non2xx} non-2xx and ${result.errors} errors`);
    return { ...result, cpu: cpuUse(cpu0, cpuSnapshot(Object.keys(names).map(Number)), names) };
  } finally {
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function profilePass(): Promise<BenchResults["profiles"]> {
  const dataDir = tempDataDir("ledger-bench-profile");
  dataDirs.add(dataDir);
  const profileDir = mkdtempSync(join(tmpdir(), "ledger-bench-cpuprofiles-"));
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ""} --inspect=127.0.0.1:0`.trim();
  const service = await start(dataDir, { NODE_OPTIONS: nodeOptions });
  const inspector = await InspectorSession.connect(service.output());
  try {
    const names = pidNames(service);
    const pids = Object.keys(names).map(Number);
    const documents = makeDocuments(SETTINGS.profileDocuments, SETTINGS.documentBytes);

    log(`profile: ${documents.length} uploads with the service's CPU profiled`);
    const uploadFile = join(profileDir, "upload.cpuprofile");
    const prepared = await prepareUploads(service.url, documents);
    let cpu0 = cpuSnapshot(pids);
    await inspector.startProfile();
    const upload = await sendUploads(prepared, SETTINGS.concurrency);
    await inspector.stopProfile(uploadFile);
    const uploadCpu = cpuUse(cpu0, cpuSnapshot(pids), names);
    await followAnchoring(service, documents.length, performance.now());

    log(`profile: ${SETTINGS.profileVerifySeconds} s of verifies with the service's CPU profiled`);
    const verifyFile = join(profileDir, "verify.cpuprofile");
    cpu0 = cpuSnapshot(pids);
    await inspector.startProfile();
    const verify = await loadTest(
      service.url,
      documents.map((d) => `/api/verify?sha256=${d.sha256}`),
      { connections: SETTINGS.verifyConnections, seconds: SETTINGS.profileVerifySeconds },
    );
    await inspector.stopProfile(verifyFile);
    const verifyCpu = cpuUse(cpu0, cpuSnapshot(pids), names);
    const answer = await (await fetch(`${service.url}/api/verify?sha256=${documents[0].sha256}`)).text();
    inspector.close();
    await stopService(service);

    log(`floor: the same verify answer from bare node:http, the service's Express app, and that app on every core, ${SETTINGS.profileVerifySeconds} s each`);
    const paths = documents.map((d) => `/api/verify?sha256=${d.sha256}`);
    const floor = {
      bare: await verifyFloor("bare", answer, paths),
      app: await verifyFloor("app", answer, paths),
      appCluster: await verifyFloor("app-cluster", answer, paths),
      answerBytes: Buffer.byteLength(answer),
    };

    const result = {
      upload: { summary: summarizeProfile(uploadFile, ROOT, 40), cpu: uploadCpu, perSecond: documents.length / (upload.elapsedMs / 1000) },
      verify: { summary: summarizeProfile(verifyFile, ROOT, 40), cpu: verifyCpu, perSecond: verify.requestsPerSecond },
      floor,
    };
    if (process.env.BENCH_KEEP_PROFILES === "1") log(`profiles kept in ${profileDir}`);
    else rmSync(profileDir, { recursive: true, force: true });
    return result;
  } finally {
    inspector.close();
    if (running.has(service)) await stopService(service);
    cleanUp(dataDir);
    dataDirs.delete(dataDir);
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = machineFacts(anvilVersion());
  log(`${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; load average at start ${machine.loadAverage}`);
  const quiet0 = cpuSnapshot([process.pid]);
  await new Promise((r) => setTimeout(r, 2000));
  const busyBefore = cpuUse(quiet0, cpuSnapshot([process.pid]), { [process.pid]: "bench client" }).cores.other;
  if (busyBefore > 0.2) log(`warning: other processes are using ${busyBefore.toFixed(2)} cores; the figures will be lower than this machine gives`);

  const dataDir = tempDataDir("ledger-bench");
  dataDirs.add(dataDir);
  let service = await start(dataDir);
  let provider = rpcProvider((await health(service)).chain.rpcUrl);
  const memoryAtStart = residentMemory(service.child.pid!);

  // 1. End to end.
  log(`end to end: ${SETTINGS.documents} documents of ${SETTINGS.documentBytes} bytes, ${SETTINGS.concurrency} uploads in flight`);
  const documents = makeDocuments(SETTINGS.documents, SETTINGS.documentBytes);
  const e2e = await uploadAndAnchor(service, provider, documents);
  const endToEnd = endToEndFigures(documents, e2e);
  log(
    `accepted ${round(endToEnd.upload.perSecond)}/s, anchored ${round(endToEnd.anchoredPerSecond)}/s end to end; ` +
      `${endToEnd.gas.batches} batches (${endToEnd.gas.sizes}), ${round(endToEnd.gas.gasPerRecord, 1)} gas per record`,
  );

  // Idle: what the service burns with nothing to do (its worker and indexer poll).
  const idleNames = pidNames(service);
  const idle0 = cpuSnapshot(Object.keys(idleNames).map(Number));
  await new Promise((r) => setTimeout(r, 3000));
  const idleCpu = cpuUse(idle0, cpuSnapshot(Object.keys(idleNames).map(Number)), idleNames);

  // 2. End to end again, the documents sent in bulk (POST /api/documents/batch): the same work for the
  // service but one HTTP exchange per hundred documents.
  log(
    `end to end in bulk: ${SETTINGS.documents} more documents, ${SETTINGS.bulkFilesPerRequest} per request, ` +
      `${SETTINGS.bulkConcurrency} requests in flight`,
  );
  const bulkDocuments = makeDocuments(SETTINGS.documents, SETTINGS.documentBytes);
  const bulk = endToEndFigures(
    bulkDocuments,
    await uploadAndAnchor(service, provider, bulkDocuments, {
      concurrency: SETTINGS.bulkConcurrency,
      filesPerRequest: SETTINGS.bulkFilesPerRequest,
    }),
  );
  log(`bulk: accepted ${round(bulk.upload.perSecond)}/s, anchored ${round(bulk.anchoredPerSecond)}/s end to end; ${bulk.gas.batches} batches (${bulk.gas.sizes})`);
  if (!endToEnd.fullBatchGasPerRecord && bulk.fullBatchGasPerRecord) {
    endToEnd.fullBatchGasPerRecord = { ...bulk.fullBatchGasPerRecord, source: "the bulk end-to-end run" };
  }

  // 3. Reads under load. First a warm-up on the bulk run's hashes (the client's and the service's code
  // paths, the 100 connections), not counted; then the measured load on the end-to-end run's hashes,
  // which nobody has read yet: each is read for the first time while it is measured.
  const check = (await (await fetch(`${service.url}/api/verify?sha256=${documents[0].sha256}`)).json()) as { verdict: string };
  if (check.verdict !== "valid") throw new Error(`a benchmark document is not valid after anchoring: ${JSON.stringify(check)}`);
  const loadOptions = { connections: SETTINGS.verifyConnections, seconds: SETTINGS.verifySeconds };
  log(`verify warm-up: ${SETTINGS.warmUpSeconds} s over ${SETTINGS.warmUpHashes} of the bulk run's hashes, not counted`);
  const warmUp = await loadTest(service.url, bulkDocuments.slice(0, SETTINGS.warmUpHashes).map((d) => `/api/verify?sha256=${d.sha256}`), {
    connections: SETTINGS.verifyConnections,
    seconds: SETTINGS.warmUpSeconds,
  });
  if (warmUp.non2xx > 0 || warmUp.errors > 0) throw new Error(`the verify warm-up answered ${warmUp.non2xx} non-2xx and ${warmUp.errors} errors`);
  log(`verify: GET /api/verify, ${loadOptions.connections} connections, ${loadOptions.seconds} s, over ${documents.length} hashes`);
  const names = pidNames(service);
  let cpu0 = cpuSnapshot(Object.keys(names).map(Number));
  const verify: LoadResult = await loadTest(service.url, documents.map((d) => `/api/verify?sha256=${d.sha256}`), loadOptions);
  const verifyCpu = cpuUse(cpu0, cpuSnapshot(Object.keys(names).map(Number)), names);
  log(`verify: ${round(verify.requestsPerSecond)}/s, p50 ${verify.p50Ms} ms, p99 ${verify.p99Ms} ms`);
  log(`proofs: GET /api/proofs/:sha256, same load`);
  cpu0 = cpuSnapshot(Object.keys(names).map(Number));
  const proofs: LoadResult = await loadTest(service.url, documents.map((d) => `/api/proofs/${d.sha256}`), loadOptions);
  const proofsCpu = cpuUse(cpu0, cpuSnapshot(Object.keys(names).map(Number)), names);
  log(`proofs: ${round(proofs.requestsPerSecond)}/s, p50 ${proofs.p50Ms} ms, p99 ${proofs.p99Ms} ms`);
  const pacedDocuments = bulkDocuments.slice(SETTINGS.warmUpHashes);
  log(`verify at ${SETTINGS.pacedRate}/s: paced over ${loadOptions.connections} connections, ${loadOptions.seconds} s, over the bulk run's other ${pacedDocuments.length} hashes`);
  // The paced client's own process is counted as the benchmark's client.
  const pacedClient = await startPacedClient();
  const pacedNames = { ...names, [pacedClient.pid]: "bench client" };
  cpu0 = cpuSnapshot(Object.keys(pacedNames).map(Number));
  const paced = await pacedClient.run(service.url, pacedDocuments.map((d) => `/api/verify?sha256=${d.sha256}`), { ...loadOptions, rate: SETTINGS.pacedRate });
  const pacedCpu = cpuUse(cpu0, cpuSnapshot(Object.keys(pacedNames).map(Number)), pacedNames);
  await pacedClient.close();
  const memoryAfterReads = residentMemory(service.child.pid!);
  log(`verify at ${SETTINGS.pacedRate}/s: p50 ${paced.p50Ms.toFixed(1)} ms, p99 ${paced.p99Ms.toFixed(1)} ms, max ${paced.maxMs.toFixed(1)} ms`);

  // 4. A batch of exactly 1,000, if the end-to-end runs closed none at that size (its window closes smaller ones).
  if (!endToEnd.fullBatchGasPerRecord) {
    log("gas: no batch of 1,000 in the end-to-end run; 1,000 more documents with a 1-hour window, so that the batch closes at 1,000");
    await stopService(service);
    provider.destroy();
    service = await start(dataDir, { ANCHOR_BATCH_MS: "3600000" });
    provider = rpcProvider((await health(service)).chain.rpcUrl);
    const full = await uploadAndAnchor(service, provider, makeDocuments(1000, SETTINGS.documentBytes));
    const fullBatches = full.batches.filter((b) => b.count === 1000);
    endToEnd.fullBatchGasPerRecord = {
      batches: fullBatches.length,
      gasPerRecord: fullBatches.reduce((s, b) => s + b.gasUsed, 0) / (fullBatches.length * 1000),
      source: "a separate batch of 1,000 (ANCHOR_BATCH_MS=3600000)",
    };
  }

  // 5. Direct mode: every record its own anchor.
  log(`direct mode: ANCHOR_BATCH_SIZE=1, ${SETTINGS.directDocuments} documents`);
  await stopService(service);
  provider.destroy();
  service = await start(dataDir, { ANCHOR_BATCH_SIZE: "1" });
  const directHealth = await health(service);
  provider = rpcProvider(directHealth.chain.rpcUrl);
  const directDocuments = makeDocuments(SETTINGS.directDocuments, SETTINGS.documentBytes);
  const direct = await uploadAndAnchor(service, provider, directDocuments);
  const direct_ = {
    upload: uploadFigures(directDocuments, direct.upload),
    anchoredPerSecond: directDocuments.length / (direct.progress.reachedMs / 1000),
    gas: gasFigures(direct.batches),
  };
  log(`direct mode: ${round(direct_.anchoredPerSecond)} anchored/s, ${round(direct_.gas.gasPerRecord)} gas per record`);
  const events = await indexedEventCount(provider, directHealth.chain.contracts, directHealth.chain.deploymentBlock);
  const chainBlocks = await provider.getBlockNumber();
  provider.destroy();
  await stopService(service);

  // 6. Reindex, with the service stopped: reindex.ts starts an anvil from the folder's saved state.
  log(`reindex: ${events} events on the chain`);
  const reindex = { events, blocks: chainBlocks - directHealth.chain.deploymentBlock + 1, ...(await runReindex(dataDir)) };
  log(`reindex: rebuilt in ${reindex.rebuildSeconds.toFixed(2)} s (${round(events / reindex.rebuildSeconds)} events/s)`);
  cleanUp(dataDir);
  dataDirs.delete(dataDir);

  // 7. IPFS add and the stages of an upload, alone in this process.
  log("ipfs: add 64 × 1 MiB and 1,000 × 1 KiB through the IpfsStore");
  const ipfs = await ipfsAddBenchmark();
  log(`ipfs: ${round(ipfs.largeMBps, 1)} MB/s (1 MiB files), ${round(ipfs.smallMBps, 2)} MB/s (1 KiB files, ${round(ipfs.smallFilesPerSecond)} files/s)`);
  const stages = stageTimings();

  const results: BenchResults = {
    command: "npm run bench",
    startedAt: startedAt.toISOString(),
    durationSeconds: 0,
    machine: { ...machine, busyBefore },
    settings: SETTINGS,
    endToEnd,
    bulk,
    idleCpu,
    verify: { result: verify, cpu: verifyCpu, warmUp, paced, pacedCpu },
    memory: { atStartMiB: memoryAtStart.rssMiB, afterReadsMiB: memoryAfterReads.rssMiB, peakMiB: memoryAfterReads.peakMiB },
    proofs: { result: proofs, cpu: proofsCpu },
    direct: direct_,
    reindex,
    ipfs,
    stages,
    profiles: null,
  };

  // 8. Where the time goes, when a throughput goal is missed.
  const missed = goalRows(results).some((row) => row.met === false);
  const wantProfile = process.env.BENCH_PROFILE === "1" || (process.env.BENCH_PROFILE !== "0" && missed);
  if (wantProfile) results.profiles = await profilePass();

  results.durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
  writeFileSync(OUTPUT, renderReport(results));
  console.log(`\n${renderGoalTable(results)}\n`);
  log(`wrote ${OUTPUT} (${round(results.durationSeconds)} s)`);
}

function anvilVersion(): string {
  try {
    return execFileSync(anvilBinaryPath(), ["--version"], { encoding: "utf8" }).split("\n")[0].trim();
  } catch {
    return "unknown";
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(`bench: failed: ${(error as Error).stack ?? error}`);
  await tearDown();
  process.exit(1);
}
