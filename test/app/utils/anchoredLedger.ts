// A running ledger with anchored records, for the proof-bundle tests: `npm start`'s chain (a real anvil
// with the demo seed) in a child process, then, with the demo ledger service key, one document anchored
// alone and a batch of 50 anchored under one StandardMerkleTree root, one record of which is revoked.
// The anchoring API does not exist yet, so the records are anchored here the way its worker will.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { JsonRpcProvider, Wallet, id, sha256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import { devAccounts } from "../../../app/server/chain/devAccounts.js";
import type { LedgerDeployment } from "../../../app/server/chain/deploy.js";
import { leafOf } from "../../../app/shared/merkleProof.js";
import type { ProofBundle } from "../../../app/shared/proofBundle.js";
import { proofBundleFor } from "../../../app/shared/proofBundleFormat.js";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/index.js";

export interface AnchoredDocument {
  bytes: Uint8Array;
  sha256: string;
  bundle: ProofBundle;
}

export interface AnchoredLedger {
  rpcUrl: string;
  dataDir: string;
  deployment: LedgerDeployment;
  provider: JsonRpcProvider;
  /** Anchored alone: root = leafOf(sha256), empty proof. */
  single: AnchoredDocument;
  /** The 50 records of one batch, in the order given to StandardMerkleTree.of. */
  batch: AnchoredDocument[];
  /** The sha256 values of the batch, as StandardMerkleTree.of received them. */
  batchValues: string[][];
  batchRoot: string;
  /** Index in `batch` of the revoked record. */
  revokedIndex: number;
  revokeTxHash: string;
  stop(): Promise<void>;
}

export const BATCH_SIZE = 50;
const REVOKED_INDEX = 31;

export function rpcProvider(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, 31337, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1, pollingInterval: 50 });
}

/** Polls for the receipt: tx.wait() has been seen to miss blocks on an idle automine chain. */
async function mined(provider: JsonRpcProvider, hash: string): Promise<TransactionReceipt> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) {
      if (receipt.status !== 1) throw new Error(`transaction ${hash} reverted`);
      return receipt;
    }
    await sleep(50);
  }
  throw new Error(`no receipt for ${hash} within 15 s`);
}

async function startMain(dataDir: string): Promise<{ child: ChildProcess; rpcUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/server/main.ts"], {
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" within 90 s:\n${output}`)), 90_000);
    child.stdout!.on("data", () => {
      if (output.includes("ready;")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the ledger exited with ${code}:\n${output}`));
    });
  });
  return { child, rpcUrl: output.match(/anvil at (http:\/\/127\.0\.0\.1:\d+)/)![1] };
}

export async function startAnchoredLedger(): Promise<AnchoredLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), "ledger-verify-"));
  const { child, rpcUrl } = await startMain(dataDir);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8")) as LedgerDeployment;
    const provider = rpcProvider(rpcUrl);
    const ledgerService = new Wallet(devAccounts()[2].privateKey, provider);
    const anchor = BatchAnchor__factory.connect(deployment.contracts.batchAnchor, ledgerService);
    const location = { chainId: deployment.chainId, contract: deployment.contracts.batchAnchor };

    // A minute between the transactions, so that neighbouring blocks never share a timestamp and a
    // bundle naming the wrong block is caught by its time too.
    const nextMinute = () => provider.send("evm_increaseTime", [60]);
    const anchored = async (hash: string) => {
      const receipt = await mined(provider, hash);
      const block = await provider.getBlock(receipt.blockNumber);
      return { txHash: receipt.hash, blockNumber: receipt.blockNumber, anchoredAt: block!.timestamp };
    };

    const singleBytes = toUtf8Bytes("TH-50-MAEHIA/BP/2026/0001: building permit, parcel 1234, approved in 3 steps");
    const singleSha = sha256(singleBytes);
    const singleLeaf = leafOf(singleSha);
    await nextMinute();
    const singleTx = await anchored((await anchor.anchor(1, singleLeaf, 1)).hash);
    const single = {
      bytes: singleBytes,
      sha256: singleSha,
      bundle: proofBundleFor(
        { recordId: "rec_single", sha256: singleSha, cid: null, municipalityId: 1, leaf: singleLeaf, root: singleLeaf, proof: [], ...singleTx },
        location,
      ),
    };

    const batchBytes = Array.from({ length: BATCH_SIZE }, (_, i) => toUtf8Bytes(`pledge receipt ${i + 1} of campaign TH-50-MAEHIA/CF/2026/07`));
    const batchValues = batchBytes.map((bytes) => [sha256(bytes)]);
    const tree = StandardMerkleTree.of(batchValues, ["bytes32"]);
    await nextMinute();
    const batchTx = await anchored((await anchor.anchor(1, tree.root, BATCH_SIZE)).hash);
    const batch = batchBytes.map((bytes, i) => {
      const [sha] = batchValues[i];
      const record = { sha256: sha, municipalityId: 1, leaf: tree.leafHash([sha]), root: tree.root, proof: tree.getProof(i), ...batchTx };
      return { bytes, sha256: sha, bundle: proofBundleFor({ ...record, recordId: `rec_batch_${i}` }, location) };
    });

    const revoked = batch[REVOKED_INDEX].bundle;
    await nextMinute();
    const revokeTx = await anchor.revokeRecord(tree.root, revoked.leaf, revoked.proof, 1, id("decision TH-50-MAEHIA/2026/17"));
    await mined(provider, revokeTx.hash);

    return {
      rpcUrl,
      dataDir,
      deployment,
      provider,
      single,
      batch,
      batchValues,
      batchRoot: tree.root,
      revokedIndex: REVOKED_INDEX,
      revokeTxHash: revokeTx.hash,
      stop: async () => {
        provider.destroy();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
