/**
 * Errors of the ledger service. An engine that cannot start (chain, IPFS, store) raises an
 * EngineError, which `main.ts` prints as one line instead of a stack trace.
 */
export type EngineName = "chain" | "ipfs" | "store" | "config";

export class EngineError extends Error {
  constructor(
    readonly engine: EngineName,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}
