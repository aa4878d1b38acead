// A running ledger with anchored records, for the proof-bundle tests: `npm start`'s chain (a real anvil
// with the demo seed) in a child process, then, with the demo ledger service key, one document anchored
// alone and a batch of 50 anchored under one StandardMerkleTree root, one record of which is revoked.
// Every document is issued as the API issues one: the demo's DOCUMENT_ISSUER (the permit officer) signs a
// statement over the single document and one over the 50, and the two signatures are anchored first, as
// records of their own. The records are anchored here the way the service's worker does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Wallet, id, sha256, toUtf8Bytes, type JsonRpcProvider, type TransactionReceipt } from "ethers";
import { devAccounts } from "../../../app/server/chain/devAccounts.js";
import type { LedgerDeployment } from "../../../app/server/chain/deploy.js";
import { leafOf } from "../../../app/shared/merkleProof.js";
import { batchAnchorDomain, documentsTree, issuanceDigest, issuanceRecordHash } from "../../../app/shared/issuance.js";
import type { BundleIssuance, ProofBundle } from "../../../app/shared/proofBundle.js";
import { proofBundleFor } from "../../../app/shared/proofBundleFormat.js";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/index.js";
import { DocumentIssuer, signRecordRevocation } from "../support/issuer.js";
import { cleanUp, rpcProvider, startService, tempDataDir } from "../support/service.js";

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
  /** The DOCUMENT_ISSUER who signed every document's issuance (and the revocation). */
  issuer: string;
  /** The transaction that anchored the two issuances (before the documents). */
  issuanceTxHash: string;
  stop(): Promise<void>;
}

export const BATCH_SIZE = 50;
const REVOKED_INDEX = 31;

export { rpcProvider };

/** The receipt, asked for until it is there (rpcProvider's waitForTransaction); a revert throws. */
async function mined(provider: JsonRpcProvider, hash: string): Promise<TransactionReceipt> {
  const receipt = await provider.waitForTransaction(hash, 1, 15_000);
  if (receipt?.status !== 1) throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

export async function startAnchoredLedger(): Promise<AnchoredLedger> {
  const dataDir = tempDataDir("ledger-verify");
  const service = await startService(dataDir);
  const rpcUrl = service.rpcUrl;
  const stop = async () => {
    await service.stop();
    cleanUp(dataDir);
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
    const batchBytes = Array.from({ length: BATCH_SIZE }, (_, i) => toUtf8Bytes(`notice ${i + 1} of the road closures TH-50-MAEHIA/RC/2026/07`));
    const batchValues = batchBytes.map((bytes) => [sha256(bytes)]);

    // The issuances: one statement per upload, each anchored as the record sha256(digest ‖ signature).
    const officer = new Wallet(devAccounts()[3].privateKey);
    const chain = { chainId: deployment.chainId, batchAnchor: deployment.contracts.batchAnchor };
    const issuer = new DocumentIssuer(chain, officer);
    const lists = [[singleSha], batchValues.map(([sha]) => sha)];
    const statements = await Promise.all(lists.map((list) => issuer.sign(list)));
    const issuanceHashes = statements.map((statement) =>
      issuanceRecordHash(issuanceDigest(statement, batchAnchorDomain(chain.chainId, chain.batchAnchor)), statement.signature),
    );
    const issuanceTree = StandardMerkleTree.of(issuanceHashes.map((hash) => [hash]), ["bytes32"]);
    await nextMinute();
    const issuanceTx = await anchored((await anchor.anchor(1, issuanceTree.root, issuanceHashes.length)).hash);
    const trees = lists.map((list) => documentsTree(list));
    const issuanceOf = (i: number, sha: string): BundleIssuance => ({
      ...statements[i],
      documentProof: trees[i].proofOf(sha),
      anchor: {
        sha256: issuanceHashes[i],
        leaf: issuanceTree.leafHash([issuanceHashes[i]]),
        proof: issuanceTree.getProof(i),
        root: issuanceTree.root,
        ...issuanceTx,
      },
    });

    await nextMinute();
    const singleTx = await anchored((await anchor.anchor(1, singleLeaf, 1)).hash);
    const single = {
      bytes: singleBytes,
      sha256: singleSha,
      bundle: proofBundleFor(
        { recordId: "rec_single", sha256: singleSha, cid: null, municipalityId: 1, leaf: singleLeaf, root: singleLeaf, proof: [], ...singleTx },
        location,
        issuanceOf(0, singleSha),
      ),
    };

    const tree = StandardMerkleTree.of(batchValues, ["bytes32"]);
    await nextMinute();
    const batchTx = await anchored((await anchor.anchor(1, tree.root, BATCH_SIZE)).hash);
    const batch = batchBytes.map((bytes, i) => {
      const [sha] = batchValues[i];
      const record = { sha256: sha, municipalityId: 1, leaf: tree.leafHash([sha]), root: tree.root, proof: tree.getProof(i), ...batchTx };
      return { bytes, sha256: sha, bundle: proofBundleFor({ ...record, recordId: `rec_batch_${i}` }, location, issuanceOf(1, sha)) };
    });

    const revoked = batch[REVOKED_INDEX].bundle;
    await nextMinute();
    // Signed by the town's DOCUMENT_ISSUER (the permit officer); the ledger service submits it.
    const reason = { municipalityId: 1, root: tree.root, leaf: revoked.leaf, reasonCode: 1, reasonHash: id("decision TH-50-MAEHIA/2026/17") };
    const now = (await provider.getBlock("latest"))!.timestamp;
    const signed = await signRecordRevocation(officer, chain, { ...reason, now });
    const revokeTx = await anchor.revokeRecord(1, tree.root, revoked.leaf, revoked.proof, reason.reasonCode, reason.reasonHash, signed.officer, signed.deadline, signed.signature);
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
      issuer: officer.address,
      issuanceTxHash: issuanceTx.txHash,
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
