import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { AnchorBatchStore } from "../../app/server/anchoring/batchStore.js";
import { buildBatch, LEAF_ENCODING } from "../../app/server/anchoring/batcher.js";
import { SqliteAnchorQueue } from "../../app/server/anchoring/queue.js";
import { unixfs } from "@helia/unixfs";
import type { Helia } from "helia";
import { openIpfsStore } from "../../app/server/ipfs/index.js";
import { unixfsV1_2025ImporterOptions } from "../../app/server/ipfs/profile.js";
import { inTransaction, openDatabase } from "../../app/server/store/database.js";
import { tempDataDir } from "../../test/app/support/service.js";

/**
 * The stages of an upload and of a batch, each timed alone in this process with the service's own
 * classes on a temporary folder: what each costs when nothing else competes, hence the ceiling it puts
 * on the whole path. IPFS add throughput (issue 3) is measured here too.
 */
const sha256Hex = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const REPEATS = 5;

function timedSync(work: () => unknown): number {
  const t0 = performance.now();
  work();
  return performance.now() - t0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface IpfsFigures {
  /** 64 files of 1 MiB, one after the other. */
  largeMBps: number;
  largeFiles: number;
  /** 1,000 files of 1 KiB, one after the other, and with 48 in flight (as the API adds them). */
  smallMBps: number;
  smallFilesPerSecond: number;
  smallFiles: number;
  smallConcurrentFilesPerSecond: number;
  /** The same through the UnixFS importer (what HeliaStore.add does for files over one chunk). */
  smallConcurrentImporterFilesPerSecond: number;
  concurrency: number;
}

const MiB = 1024 * 1024;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

export async function ipfsAddBenchmark(options = { largeFiles: 64, smallFiles: 1000, concurrency: 48 }): Promise<IpfsFigures> {
  const dir = tempDataDir("ledger-bench-ipfs");
  const store = await openIpfsStore({ dataDir: dir });
  try {
    const large = Array.from({ length: options.largeFiles }, () => randomBytes(MiB));
    const small = Array.from({ length: options.smallFiles }, () => randomBytes(1024));
    const smallBatch2 = Array.from({ length: options.smallFiles }, () => randomBytes(1024));
    const smallBatch3 = Array.from({ length: options.smallFiles }, () => randomBytes(1024));
    const largeSeconds = await timed(async () => {
      for (const bytes of large) await store.add(bytes);
    });
    const smallSeconds = await timed(async () => {
      for (const bytes of small) await store.add(bytes);
    });
    const concurrently = (files: Buffer[], add: (bytes: Buffer) => Promise<unknown>) => {
      let next = 0;
      return timed(() =>
        Promise.all(
          Array.from({ length: options.concurrency }, async () => {
            while (next < files.length) await add(files[next++]);
          }),
        ),
      );
    };
    const concurrentSeconds = await concurrently(smallBatch2, (bytes) => store.add(bytes));
    // HeliaStore keeps its Helia node as a public field; a one-chunk file skips the importer there.
    const fs = unixfs((store as unknown as { helia: Helia }).helia);
    const importerSeconds = await concurrently(smallBatch3, (bytes) => fs.addBytes(bytes, unixfsV1_2025ImporterOptions));
    return {
      largeMBps: (options.largeFiles * MiB) / MiB / largeSeconds,
      largeFiles: options.largeFiles,
      smallMBps: (options.smallFiles * 1024) / MiB / smallSeconds,
      smallFilesPerSecond: options.smallFiles / smallSeconds,
      smallFiles: options.smallFiles,
      smallConcurrentFilesPerSecond: options.smallFiles / concurrentSeconds,
      smallConcurrentImporterFilesPerSecond: options.smallFiles / importerSeconds,
      concurrency: options.concurrency,
    };
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface StageFigures {
  records: number;
  /** SHA-256 of 1 KiB (µs). */
  sha256Us: number;
  /** SqliteAnchorQueue.enqueue, one commit each (synchronous=FULL, as the API does it), ms per record. */
  enqueueMs: number;
  /** The same enqueues inside one transaction (one commit for all), ms per record. */
  enqueueGroupedMs: number;
  /** The duplicate check the API makes before storing (findBySha256), ms. */
  findMs: number;
  /** Forming one batch of 1,000 (Merkle tree + proofs + 1,000 row updates, one commit), ms (median). */
  closeBatchMs: number;
  /** The Merkle tree and its proofs alone (buildBatch), ms (median)… */
  merkleMs: number;
  /** …and its two parts timed apart: building the tree (StandardMerkleTree.of), the 1,000 proofs (getProof). */
  merkleTreeMs: number;
  merkleProofsMs: number;
}

export function stageTimings(records = 2000): StageFigures {
  const dir = tempDataDir("ledger-bench-stages");
  const db = openDatabase(dir);
  try {
    const queue = new SqliteAnchorQueue(db);
    const docs = Array.from({ length: records * 2 }, () => randomBytes(1024));

    let t0 = performance.now();
    const hashes = docs.map(sha256Hex);
    const sha256Us = ((performance.now() - t0) * 1000) / docs.length;

    const newRecord = (sha256: string) => ({ sha256, cid: "bafkreibenchmarkbenchmarkbenchmark", municipalityId: 1, kind: "document", meta: null });
    t0 = performance.now();
    for (const sha256 of hashes.slice(0, records)) queue.enqueue(newRecord(sha256));
    const enqueueMs = (performance.now() - t0) / records;

    t0 = performance.now();
    inTransaction(db, () => {
      for (const sha256 of hashes.slice(records)) queue.enqueue(newRecord(sha256));
    });
    const enqueueGroupedMs = (performance.now() - t0) / records;

    t0 = performance.now();
    for (const sha256 of hashes.slice(0, 1000)) queue.findBySha256(sha256);
    const findMs = (performance.now() - t0) / 1000;

    // The batch figures are medians of REPEATS runs: one run of a few hundred ms is at the mercy of the
    // scheduler on a busy machine.
    const sets = Array.from({ length: REPEATS }, () => Array.from({ length: 1000 }, () => sha256Hex(randomBytes(1024))));
    buildBatch(hashes.slice(0, 100)); // warm-up
    const merkleMs = median(sets.map((set) => timedSync(() => buildBatch(set))));
    const trees: StandardMerkleTree<string[]>[] = [];
    const merkleTreeMs = median(sets.map((set) => timedSync(() => trees.push(StandardMerkleTree.of(set.map((sha256) => [sha256]), LEAF_ENCODING)))));
    const merkleProofsMs = median(
      trees.map((tree) =>
        timedSync(() => {
          for (let index = 0; index < 1000; index++) tree.getProof(index);
        }),
      ),
    );

    // closeBatches over 1,000 waiting records each time (the 4,000 enqueued above are batched first).
    const batches = new AnchorBatchStore(db);
    const closeAll = { batchSize: 1000, windowMs: 0, maxBatches: 10, now: Date.now() + 60_000 };
    batches.closeBatches(closeAll);
    const closeBatchMs = median(
      sets.map((set) => {
        inTransaction(db, () => {
          for (const sha256 of set) queue.enqueue(newRecord(sha256));
        });
        return timedSync(() => batches.closeBatches({ ...closeAll, now: Date.now() + 60_000 }));
      }),
    );

    return { records, sha256Us, enqueueMs, enqueueGroupedMs, findMs, closeBatchMs, merkleMs, merkleTreeMs, merkleProofsMs };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
