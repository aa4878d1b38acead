import { Interface } from "ethers";
import type { Verdict } from "../../../shared/proofBundle.js";
import type { JsonRpcSender } from "../../../shared/verifyBundle.js";

/**
 * A permit certificate is not a Merkle-batch record: PermitRegistry holds its hash itself, so it has no
 * proof bundle (GET /api/proofs answers 404) and its verdict is asked of the chain directly with the
 * view call `verify(certificateHash)`, through the same RPC node — not taken from the service.
 */
export const PERMIT_CERTIFICATE_PROOF_FORMAT = "public-service-ledger/permit-certificate@1";

const registry = new Interface(["function verify(bytes32 certificateHash) view returns (bytes32 permitId, uint32 version, uint8 verdict)"]);
// PermitRegistry.Verdict: Unknown, Valid, Revoked, Superseded, Expired. An expired permit no longer holds.
const VERDICTS: Verdict[] = ["unknown", "valid", "revoked", "superseded", "revoked"];

/** Whether the service's /api/verify answer says the hash is a permit certificate. */
export const isPermitCertificateAnswer = (answer: Record<string, any> | null): boolean => answer?.proof?.format === PERMIT_CERTIFICATE_PROOF_FORMAT;

export async function permitCertificateVerdict(rpc: JsonRpcSender, permitRegistry: string, certificateHash: string): Promise<{ verdict: Verdict; version: number }> {
  const data = (await rpc.send("eth_call", [{ to: permitRegistry, data: registry.encodeFunctionData("verify", [certificateHash]) }, "latest"])) as string;
  const [, version, verdict] = registry.decodeFunctionResult("verify", data);
  return { verdict: VERDICTS[Number(verdict)] ?? "unknown", version: Number(version) };
}
