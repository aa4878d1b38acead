import { getAddress } from "ethers";
import { SiweMessage } from "siwe";
import { AppError } from "../errors.js";
import type { Session, SessionStore } from "./sessions.js";

/**
 * Sign-In with Ethereum (EIP-4361): the officer's wallet signs a message naming this site, this chain
 * and a nonce this service issued; a valid signature opens a session for the signing address. The
 * domain and URI must be this service's public address (PUBLIC_URL, `signInSite`), never what a request
 * says about itself (its Host header): a message signed for another site opens nothing here, even posted
 * to this service with that site's Host header.
 */
export async function signIn(
  sessions: SessionStore,
  input: { message?: unknown; signature?: unknown },
  expected: SignInSite & { chainId: number },
): Promise<{ token: string; session: Session }> {
  if (typeof input.message !== "string" || typeof input.signature !== "string") {
    throw new AppError("BODY_INVALID", "Send `message` (the EIP-4361 text) and `signature` (0x…).");
  }
  let message: SiweMessage;
  try {
    message = new SiweMessage(input.message);
  } catch (error) {
    throw new AppError("SIWE_INVALID", `The sign-in message is not an EIP-4361 message: ${String((error as Error).message ?? error).split("\n")[0]}`);
  }
  if (message.domain !== expected.domain || message.uri !== expected.uri) {
    throw new AppError("SIWE_WRONG_SITE", `The message is for ${message.domain} (${message.uri}), not for ${expected.domain} (${expected.uri}).`);
  }
  if (message.chainId !== expected.chainId) {
    throw new AppError("SIWE_INVALID", `The message is for chain ${message.chainId}, this ledger is on chain ${expected.chainId}.`);
  }
  const result = await message.verify({ signature: input.signature, domain: expected.domain }, { suppressExceptions: true });
  if (!result.success) {
    throw new AppError("SIWE_INVALID", `The sign-in was refused: ${result.error?.type ?? "invalid signature"}.`);
  }
  if (!sessions.consumeNonce(message.nonce)) {
    throw new AppError("SIWE_NONCE_INVALID");
  }
  return sessions.open(getAddress(message.address), message.chainId);
}

/** What officers sign in to: the host (with its port) and the address of PUBLIC_URL. */
export interface SignInSite {
  domain: string;
  uri: string;
}

export function signInSite(publicUrl: string): SignInSite {
  return { domain: new URL(publicUrl).host, uri: publicUrl };
}
