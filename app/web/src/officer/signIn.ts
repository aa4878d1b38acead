import type { LedgerSigner } from "../wallet/types.js";
import { officerApi, type OfficerSession } from "./api.js";

/**
 * Sign-In with Ethereum (EIP-4361) against /api/auth: the service names its domain, URI, chain and a
 * fresh nonce; the wallet signs the message; the service answers the session (an HttpOnly cookie) and
 * the roles the Directory gives the address. The text is laid out as the `siwe` package does, which
 * is what the server parses (app/server/auth/signIn.ts), so the package is not bundled here.
 */
export function siweMessage(fields: { domain: string; address: string; statement: string; uri: string; chainId: number; nonce: string; issuedAt: string }): string {
  return [
    `${fields.domain} wants you to sign in with your Ethereum account:`,
    fields.address,
    "",
    fields.statement,
    "",
    `URI: ${fields.uri}`,
    "Version: 1",
    `Chain ID: ${fields.chainId}`,
    `Nonce: ${fields.nonce}`,
    `Issued At: ${fields.issuedAt}`,
  ].join("\n");
}

export async function signInWith(signer: LedgerSigner): Promise<OfficerSession> {
  const { nonce, domain, uri, chainId, statement } = await officerApi.nonce();
  const message = siweMessage({ domain, address: signer.address, statement, uri, chainId, nonce, issuedAt: new Date().toISOString() });
  return officerApi.signIn(message, await signer.signMessage(message));
}
