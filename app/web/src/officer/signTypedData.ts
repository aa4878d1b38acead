import type { LedgerSigner, TypedDataPayload } from "../wallet/types.js";
import type { Report } from "./status.js";

/**
 * One signed act of PermitRegistry: the EIP-712 data the API serves, signed with the officer's own key,
 * then sent for the service to relay; each step told to `progress`.
 */
export async function signAndSend<T>(
  signer: LedgerSigner,
  progress: Report,
  typed: () => Promise<TypedDataPayload>,
  send: (typed: TypedDataPayload, signature: string) => Promise<T>,
): Promise<T> {
  const data = await typed();
  progress({ kind: "busy", key: "officer.busySigning" });
  const signature = await signer.signTypedData(data);
  progress({ kind: "busy", key: "officer.busySending" });
  return send(data, signature);
}
