import { parseProofBundle } from "../../../shared/proofBundleFormat.js";
import type { ProofBundle } from "../../../shared/proofBundle.js";

/** What the page needs of /api/health: where to read the chain itself. */
export interface ChainInfo {
  chainId: number;
  rpcUrl: string;
  contracts: { directory?: string; batchAnchor?: string } & Record<string, string>;
  devKeys: boolean;
}

/** The service did not answer as expected (network, 5xx): no verdict can be given. */
export class ServiceUnavailableError extends Error {}

async function getJson(path: string): Promise<{ status: number; body: any }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new ServiceUnavailableError(String(error));
  }
  if (response.status >= 500) throw new ServiceUnavailableError(`${path}: HTTP ${response.status}`);
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

let chainInfo: Promise<ChainInfo> | undefined;

/** The chain to check against, from /api/health (asked once per page load). */
export function chainOf(): Promise<ChainInfo> {
  chainInfo ??= getJson("/api/health").then(({ body }) => {
    const chain = body?.chain;
    if (!chain?.rpcUrl) throw new ServiceUnavailableError("/api/health names no chain");
    return { chainId: chain.chainId, rpcUrl: chain.rpcUrl, contracts: chain.contracts ?? {}, devKeys: chain.devKeys === true };
  });
  chainInfo.catch(() => (chainInfo = undefined));
  return chainInfo;
}

export type ProofLookup = { state: "anchored"; bundle: ProofBundle } | { state: "pending" } | { state: "unknown" };

/** The proof bundle of a document: 404 PROOF_NOT_FOUND is "unknown", 409 PROOF_PENDING is "pending". */
export async function proofOf(sha256: string): Promise<ProofLookup> {
  const { status, body } = await getJson(`/api/proofs/${sha256}`);
  if (status === 200) return { state: "anchored", bundle: parseProofBundle(body) };
  if (status === 409 || body?.error?.code === "PROOF_PENDING") return { state: "pending" };
  if (status === 404 || status === 400) return { state: "unknown" };
  throw new ServiceUnavailableError(`/api/proofs: HTTP ${status}`);
}

/**
 * The service's own answer for a hash (GET /api/verify), read only for what the chain check cannot say:
 * which permit a certificate belongs to and whether a newer version supersedes it. Null when unavailable.
 */
export async function serviceAnswerOf(sha256: string): Promise<Record<string, any> | null> {
  try {
    const { status, body } = await getJson(`/api/verify?sha256=${sha256}`);
    return status === 200 && body && typeof body === "object" ? body : null;
  } catch {
    return null;
  }
}

/** GET /api/permits/:number; null for 404. */
export async function permitOf(number: string): Promise<Record<string, any> | null> {
  const { status, body } = await getJson(`/api/permits/${encodeURIComponent(number)}`);
  if (status === 404) return null;
  if (status !== 200 || !body || typeof body !== "object") throw new ServiceUnavailableError(`/api/permits: HTTP ${status}`);
  return body;
}
