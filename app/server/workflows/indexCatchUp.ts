import { setTimeout as sleep } from "node:timers/promises";
import type { WorkflowContext } from "./context.js";

/**
 * Reading one's own writes from the index. The index reads a block only once CONFIRMATIONS more are
 * built on it, so right after a receipt it does not hold the transaction yet: on a real chain that is
 * seconds (2 confirmations of 2-second blocks: 4 to 6 s), on the embedded chain none. A request that
 * answers from the index after its own transaction waits for it here, for a bounded time; past the
 * bound it answers what the index has and says so, instead of failing. Each poll is a catch-up that the
 * indexer shares with every caller of the moment and that reads only the chain's tip while no block came
 * (Indexer.catchUp), so many requests waiting at once cost the node what one does.
 */
export const INDEX_WAIT_MS = 30_000;
const POLL_MS = 250;

/** Brings the index up to the chain until `done(lastIndexedBlock)` holds, for at most `timeoutMs`; whether it held. */
export async function indexCatchesUp(
  ctx: Pick<WorkflowContext, "catchUpIndex">,
  done: (lastIndexedBlock: number) => boolean,
  timeoutMs = INDEX_WAIT_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done(await ctx.catchUpIndex())) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/** Whether the index has read block `blockNumber` (a mined transaction's), after waiting for it at most `timeoutMs`. */
export function indexReaches(ctx: Pick<WorkflowContext, "catchUpIndex">, blockNumber: number, timeoutMs = INDEX_WAIT_MS): Promise<boolean> {
  return indexCatchesUp(ctx, (last) => last >= blockNumber, timeoutMs);
}
