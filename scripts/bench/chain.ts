import type { JsonRpcProvider } from "ethers";
import { BatchAnchor__factory } from "../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import type { LedgerDeployment } from "../../app/server/chain/deploy.js";
import { followedAddresses, followedTopics } from "../../app/server/indexer/eventTables.js";

/** The anchors the chain holds in a block range: one BatchAnchored event per batch, with its receipt's gas. */
export interface AnchoredBatch {
  root: string;
  count: number;
  blockNumber: number;
  txHash: string;
  gasUsed: number;
}

export async function anchoredBatches(provider: JsonRpcProvider, batchAnchor: string, fromBlock: number, toBlock: number): Promise<AnchoredBatch[]> {
  const contract = BatchAnchor__factory.connect(batchAnchor, provider);
  const events = await contract.queryFilter(contract.filters.BatchAnchored(), fromBlock, toBlock);
  const batches: AnchoredBatch[] = [];
  for (const event of events) {
    const receipt = await provider.getTransactionReceipt(event.transactionHash);
    if (!receipt) throw new Error(`no receipt for ${event.transactionHash}`);
    batches.push({
      root: event.args.root,
      count: Number(event.args.count),
      blockNumber: event.blockNumber,
      txHash: event.transactionHash,
      gasUsed: Number(receipt.gasUsed),
    });
  }
  return batches;
}

/** How many events of the kinds the indexer follows the ledger's contracts emitted from `fromBlock` on. */
export async function indexedEventCount(
  provider: JsonRpcProvider,
  contracts: LedgerDeployment["contracts"],
  fromBlock: number,
): Promise<number> {
  const head = await provider.getBlockNumber();
  let count = 0;
  for (let from = fromBlock; from <= head; from += 2000) {
    const logs = await provider.getLogs({
      address: followedAddresses(contracts),
      topics: [followedTopics()],
      fromBlock: from,
      toBlock: Math.min(head, from + 1999),
    });
    count += logs.length;
  }
  return count;
}

/** "9 × 1,000, 1 × 412": batch sizes, most frequent first; past 6 sizes, their range and mean. */
export function describeSizes(batches: AnchoredBatch[]): string {
  const bySize = new Map<number, number>();
  for (const batch of batches) bySize.set(batch.count, (bySize.get(batch.count) ?? 0) + 1);
  if (bySize.size > 6) {
    const counts = batches.map((b) => b.count);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    return `${Math.min(...counts).toLocaleString("en")}–${Math.max(...counts).toLocaleString("en")} records each, ${Math.round(mean).toLocaleString("en")} on average`;
  }
  return [...bySize.entries()]
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .map(([size, n]) => `${n} × ${size.toLocaleString("en")}`)
    .join(", ");
}
