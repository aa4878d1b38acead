import type { BaseContract, LogDescription, TransactionReceipt } from "ethers";
import { AppError } from "../errors.js";
import { toChainAppError } from "./chainErrors.js";
import type { ChainClient, SentTransaction } from "./client.js";

/** A mined call: its receipt and the events of the called contract that it emitted. */
export interface MinedCall {
  txHash: string;
  blockNumber: number;
  receipt: TransactionReceipt;
  events: LogDescription[];
}

const RECEIPT_TIMEOUT_MS = 60_000;

/**
 * Calls the service itself sends and pays for with the relayer key — relaying an officer's signed
 * approval, a resident's application or complaint — where the call is the record. Each goes through
 * `ChainClient.send`, so its nonce never collides with the anchoring worker's. The call is simulated
 * first: a revert becomes the API error of its contract error (chainErrors.ts) and nothing is sent.
 * The answer waits for the receipt, so a client that got a 2xx knows the chain holds it; one that got
 * no answer may retry, and the contracts refuse a second copy (a taken number, a used nonce).
 */
export class ServiceCalls {
  readonly #chain: ChainClient;

  constructor(chain: ChainClient) {
    this.#chain = chain;
  }

  async send(contract: BaseContract, method: string, args: readonly unknown[]): Promise<MinedCall> {
    const sent = await this.submit(contract, method, args);
    return minedCall(this.#chain, contract, sent.hash);
  }

  /**
   * Simulates the call (a revert is its API error, and nothing is sent), then signs and broadcasts it
   * without waiting for the receipt. `beforeBroadcast` gets the signed transaction's hash before the
   * node does: the caller records it durably there, to find the transaction again after a crash.
   */
  async submit(
    contract: BaseContract,
    method: string,
    args: readonly unknown[],
    beforeBroadcast?: (sent: SentTransaction) => void | Promise<void>,
  ): Promise<SentTransaction> {
    const to = await contract.getAddress();
    const data = contract.interface.encodeFunctionData(method, args);
    const from = this.#chain.relayerAddress;
    let gas: bigint;
    try {
      gas = await this.#chain.provider.estimateGas({ from, to, data });
    } catch (error) {
      throw toChainAppError(error);
    }
    return this.#chain.send({ to, data, gasLimit: (gas * 12n) / 10n + 10_000n }, beforeBroadcast);
  }
}

/**
 * Waits for `hash` and reads the events `contract` emitted in it; a revert or a timeout is an API error.
 * A relayer's transaction raised at its nonce meanwhile is found as the one mined: its hash is `txHash`.
 */
export async function minedCall(chain: ChainClient, contract: BaseContract, hash: string): Promise<MinedCall> {
  const receipt = await chain.waitForReceipt(hash, RECEIPT_TIMEOUT_MS);
  if (!receipt) throw new AppError("TX_PENDING", `Transaction ${hash} is not mined yet; look it up again shortly.`);
  if (receipt.status !== 1) throw new AppError("TX_REVERTED", `Transaction ${receipt.hash} was mined but reverted.`);
  const address = (await contract.getAddress()).toLowerCase();
  const events = receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => contract.interface.parseLog({ topics: [...log.topics], data: log.data }))
    .filter((event): event is LogDescription => event !== null);
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber, receipt, events };
}
