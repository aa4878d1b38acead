import { isError } from "ethers";

/**
 * A node's refusals of a broadcast, in the words the clients use (geth, Besu, anvil): ethers names
 * some of them, and the words are matched for the nodes whose answer it does not recognise.
 */
function errorText(error: unknown): string {
  const { message, info } = error as { message?: string; info?: unknown };
  return `${message ?? ""} ${JSON.stringify(info ?? "")}`;
}

/** The very same signed transaction is in the node already (geth: "already known", anvil: "already imported"). */
export function alreadyKnown(error: unknown): boolean {
  return /already known|already imported/i.test(errorText(error));
}

/** The nonce is mined already, by this transaction or another of the same key. */
export function nonceTooLow(error: unknown): boolean {
  return isError(error, "NONCE_EXPIRED") || /nonce too low|nonce has already been used/i.test(errorText(error));
}

/** Another transaction waits at this nonce in the node's pool, with fees not enough lower than these. */
export function replacementUnderpriced(error: unknown): boolean {
  return isError(error, "REPLACEMENT_UNDERPRICED") || /replacement transaction underpriced|replacement underpriced/i.test(errorText(error));
}
