import { Transaction, getAddress, type BaseContract } from "ethers";
import { AppError } from "../errors.js";
import { chainFailureOf, toChainAppError } from "./chainErrors.js";
import type { ChainClient } from "./client.js";
import { minedCall, type MinedCall } from "./serviceCalls.js";

const GIVE_TRANSACTION = "Give the officer's transaction as `signedTransaction` (0x…) or `txHash`.";

/**
 * How an officer's own transaction reaches the chain. Some contract actions must come from the officer's
 * address itself (a complaint officer moving a status, a treasurer opening a campaign): the officer signs
 * the transaction with their own key, and either the web app hands the signed bytes to the API
 * (`signedTransaction`, e.g. from the in-browser keystore), or the officer's wallet broadcasts it and the
 * API is told its hash (`txHash`). The API never holds an officer's key; it checks the transaction is the
 * signed-in officer's, goes to the expected contract and function, simulates it (a revert is an API error
 * and nothing is broadcast), broadcasts, and waits for the receipt.
 */
export type OfficerTransactionInput = { signedTransaction: string } | { txHash: string };

export interface ExpectedCall {
  contract: BaseContract;
  /** The function the transaction must call. */
  method: string;
}

export class OfficerTransactions {
  readonly #chain: ChainClient;

  constructor(chain: ChainClient) {
    this.#chain = chain;
  }

  async submit(officer: string, input: OfficerTransactionInput, expected: ExpectedCall): Promise<MinedCall & { args: unknown[] }> {
    return this.#relay(input, (tx) => this.#check(officer, tx, expected), expected.contract);
  }

  /**
   * An admin's own transaction to one of `contracts`, calling one of `methods` of it: the contract itself
   * decides whether the sender may (Directory.checkAdmin, onlyOwner); the simulation says so before
   * anything is broadcast. Answers the call's name and arguments with the receipt.
   */
  async relayAdminCall(input: OfficerTransactionInput, allowed: Array<{ contract: BaseContract; methods: readonly string[] }>) {
    let name = "";
    let target: BaseContract | null = null;
    const mined = await this.#relay(
      input,
      async (tx) => {
        this.#requireChain(tx);
        for (const { contract, methods } of allowed) {
          if (!tx.to || getAddress(tx.to) !== getAddress(await contract.getAddress())) continue;
          const call = contract.interface.parseTransaction({ data: tx.data, value: tx.value });
          if (!call || !methods.includes(call.name)) break;
          name = call.name;
          target = contract;
          return [...call.args];
        }
        throw new AppError("TOWN_ADMIN_CALL_INVALID");
      },
      () => target!,
    );
    return { ...mined, method: name };
  }

  async #relay(
    input: OfficerTransactionInput,
    check: (tx: SentFields) => Promise<unknown[]>,
    contractOf: BaseContract | (() => BaseContract),
  ): Promise<MinedCall & { args: unknown[] }> {
    const contract = () => (typeof contractOf === "function" ? contractOf() : contractOf);
    // A body that is no JSON object (none at all, text, a list) names no transaction either.
    if (typeof input !== "object" || input === null) throw new AppError("TX_INVALID", GIVE_TRANSACTION);
    if ("signedTransaction" in input && typeof input.signedTransaction === "string") {
      const tx = parseSigned(input.signedTransaction);
      const args = await check(tx);
      try {
        await this.#chain.provider.call({ from: tx.from!, to: tx.to!, data: tx.data, value: tx.value });
      } catch (error) {
        throw toChainAppError(error);
      }
      try {
        await this.#chain.provider.broadcastTransaction(input.signedTransaction);
      } catch (error) {
        if (!/already known|already imported/i.test(String((error as Error).message))) {
          // The officer pays for their own transaction: no funds is theirs to mend, not the relayer's.
          throw (
            chainFailureOf(error, "officer") ??
            new AppError("TX_INVALID", `The chain did not take the transaction: ${(error as Error).message.split("\n")[0]}`)
          );
        }
      }
      return { ...(await minedCall(this.#chain, contract(), tx.hash!)), args };
    }
    if ("txHash" in input && typeof input.txHash === "string" && /^0x[0-9a-fA-F]{64}$/.test(input.txHash)) {
      const sent = await this.#chain.provider.getTransaction(input.txHash);
      if (!sent) throw new AppError("TX_NOT_FOUND");
      const args = await check(sent);
      return { ...(await minedCall(this.#chain, contract(), input.txHash)), args };
    }
    throw new AppError("TX_INVALID", GIVE_TRANSACTION);
  }

  #requireChain(tx: SentFields): void {
    if (tx.chainId !== BigInt(this.#chain.chainId)) {
      throw new AppError("TX_INVALID", `The transaction is for chain ${tx.chainId}, this ledger is on chain ${this.#chain.chainId}.`);
    }
  }

  /** The decoded arguments of the call, once the transaction is the officer's, to the right function. */
  async #check(officer: string, tx: SentFields, expected: ExpectedCall): Promise<unknown[]> {
    const { from } = tx;
    if (!from || getAddress(from) !== getAddress(officer)) {
      throw new AppError("TX_SENDER_MISMATCH", `The transaction is signed by ${from ?? "nobody"}, not by the signed-in officer ${officer}.`);
    }
    this.#requireChain(tx);
    const address = await expected.contract.getAddress();
    if (!tx.to || getAddress(tx.to) !== getAddress(address)) {
      throw new AppError("TX_INVALID", `The transaction must go to ${address}.`);
    }
    const call = expected.contract.interface.parseTransaction({ data: tx.data, value: tx.value });
    if (!call || call.name !== expected.method) {
      throw new AppError("TX_INVALID", `The transaction must call ${expected.method}, not ${call?.name ?? "an unknown function"}.`);
    }
    return [...call.args];
  }
}

/** What is checked of a transaction, signed here or already sent. */
interface SentFields {
  from: string | null;
  to: string | null;
  chainId: bigint;
  data: string;
  value: bigint;
}

function parseSigned(raw: string): Transaction {
  try {
    const tx = Transaction.from(raw);
    if (!tx.isSigned()) throw new Error("unsigned");
    return tx;
  } catch {
    throw new AppError("TX_INVALID", "`signedTransaction` is not a signed Ethereum transaction.");
  }
}
