import { Interface } from "ethers";
import { callView, DIRECTORY_ABI } from "../../../shared/verifyBundle.js";
import { chainOf } from "../verify/ledgerApi.js";
import { fetchRpc } from "../verify/rpc.js";
import type { LedgerSigner } from "../wallet/types.js";
import { sendAdminCall } from "./adminCall.js";

const READS = new Interface(DIRECTORY_ABI);
const MARK = new Interface(["function markKeyCompromised(uint32 municipalityId, address account, uint64 since)"]);

const coded = (code: string) => Object.assign(new Error(code), { code });

async function directoryOnChain() {
  const chain = await chainOf();
  if (!chain.contracts.directory) throw coded("NETWORK");
  return { chain, directory: chain.contracts.directory, rpc: fetchRpc(chain.rpcUrl) };
}

/** The time (s) from which the Directory marks `account`'s key compromised in the municipality, or null: read from the chain itself. */
export async function compromisedSince(municipalityId: number, account: string): Promise<number | null> {
  const { directory, rpc } = await directoryOnChain();
  const answer = await callView(rpc, READS, directory, "compromisedSince", [municipalityId, account]);
  if (!answer) throw coded("NETWORK");
  return Number(answer[0]) || null;
}

/**
 * Marks `account`'s key compromised in the municipality from `since` (s) on, as the admin's own
 * transaction (Directory.markKeyCompromised, relayed like every admin call). The contract takes no time
 * after its latest block's, and on a chain with blocks every few seconds — or an embedded one that mines
 * only when asked — the browser's "now" is often later: such a time becomes the latest block's, which
 * marks no fewer records (nothing was anchored in between). A mark only ever moves earlier, so a time
 * not before the current mark is refused here, in words, rather than as the chain's bare refusal.
 * Answers the time marked.
 */
export async function markKeyCompromised(signer: LedgerSigner, municipalityId: number, account: string, since: number): Promise<{ since: number; txHash: string }> {
  const { chain, directory, rpc } = await directoryOnChain();
  const latest = (await rpc.send("eth_getBlockByNumber", ["latest", false])) as { timestamp: string } | null;
  if (!latest) throw coded("NETWORK");
  const marked = Math.min(since, Number(BigInt(latest.timestamp)));
  const current = await compromisedSince(municipalityId, account);
  if (current !== null && marked >= current) throw coded("KEY_MARK_NOT_EARLIER");
  const { txHash } = await sendAdminCall(signer, { to: directory, data: MARK.encodeFunctionData("markKeyCompromised", [municipalityId, account, marked]), chainId: chain.chainId });
  return { since: marked, txHash };
}
