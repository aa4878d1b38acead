import { parseProofBundle } from "../../../shared/proofBundleFormat.js";
import type { ProofBundle } from "../../../shared/proofBundle.js";
import { parsePermitCertificateProof, PERMIT_CERTIFICATE_PROOF_FORMAT, type PermitCertificateProof } from "../../../shared/verifyCertificate.js";
import { parseVerifierConfig, verifierConfigOf, type VerifierConfig } from "../../../shared/verifyConfig.js";

/** Where to read the chain itself: its id, a public RPC node, the contracts, where their events begin. */
export interface ChainInfo {
  chainId: number;
  rpcUrl: string;
  contracts: { directory?: string; batchAnchor?: string; permitRegistry?: string; complaintLedger?: string; civicFund?: string } & Record<string, string>;
  deploymentBlock: number;
  devKeys: boolean;
}

/** The service did not answer as the ledger's API does (down, 5xx, or a static host without it): no verdict from it. */
export class ServiceUnavailableError extends Error {}

/** Neither the service nor a ledger-config.json beside the page, nor a configuration kept from before, names the chain. */
export class NoChainConfigError extends Error {}

/**
 * A JSON answer of the ledger's API. Anything that is not one — no answer, a 5xx, an HTML page (a static
 * host's 404) — is ServiceUnavailableError: the page must not read "not found" into a host without the API.
 */
async function getJson(path: string): Promise<{ status: number; body: any }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new ServiceUnavailableError(String(error));
  }
  if (response.status >= 500) throw new ServiceUnavailableError(`${path}: HTTP ${response.status}`);
  const body = /json/.test(response.headers.get("content-type") ?? "") ? await response.json().catch(() => null) : null;
  if (body === null || typeof body !== "object") throw new ServiceUnavailableError(`${path}: HTTP ${response.status}, not the ledger's API`);
  if (response.status >= 400 && typeof body.error?.code !== "string") throw new ServiceUnavailableError(`${path}: HTTP ${response.status}`);
  return { status: response.status, body };
}

/** The API's error code of a 4xx answer. */
const errorCode = (body: any): string | undefined => body?.error?.code;

const KEPT = "ledger.verifier-config";
let chainInfo: Promise<ChainInfo> | undefined;

const infoOf = (config: VerifierConfig): ChainInfo => ({
  chainId: config.chainId,
  rpcUrl: config.rpcUrl,
  contracts: config.contracts,
  deploymentBlock: config.deploymentBlock,
  devKeys: config.devKeys,
});

/**
 * The chain to check against, read once per page load: the ledger-config.json beside the page (the
 * service serves it; a static copy of the verifier carries it), else /api/health, else the configuration
 * this browser kept from its last visit. What is found is kept (localStorage), so the verifier still
 * knows the chain when the service is down.
 */
export function chainOf(): Promise<ChainInfo> {
  chainInfo ??= findChain();
  chainInfo.catch(() => (chainInfo = undefined));
  return chainInfo;
}

async function findChain(): Promise<ChainInfo> {
  const found = await fromConfigFile().catch(() => undefined) ?? (await fromHealth().catch(() => undefined));
  if (found) {
    try {
      localStorage.setItem(KEPT, JSON.stringify(found));
    } catch {
      // storage disabled: the configuration lives as long as the page
    }
    return infoOf(found);
  }
  try {
    const kept = localStorage.getItem(KEPT);
    if (kept) return infoOf(parseVerifierConfig(kept));
  } catch {
    // nothing kept, or not readable
  }
  throw new NoChainConfigError("no ledger-config.json, no /api/health, nothing kept: the chain is unknown");
}

async function fromConfigFile(): Promise<VerifierConfig> {
  const response = await fetch("/ledger-config.json", { headers: { accept: "application/json" } });
  if (!response.ok) throw new ServiceUnavailableError(`/ledger-config.json: HTTP ${response.status}`);
  return parseVerifierConfig(await response.text());
}

async function fromHealth(): Promise<VerifierConfig> {
  const { body } = await getJson("/api/health");
  if (!body?.chain?.rpcUrl) throw new ServiceUnavailableError("/api/health names no chain");
  return parseVerifierConfig(verifierConfigOf(body.chain));
}

export type ProofLookup =
  | { state: "anchored"; bundle: ProofBundle }
  | { state: "certificate"; proof: PermitCertificateProof }
  | { state: "pending" }
  | { state: "unknown" };

/**
 * The proof of a hash: a proof bundle, or a permit certificate's proof; 404 PROOF_NOT_FOUND is "unknown",
 * 409 PROOF_PENDING is "pending". Throws ServiceUnavailableError when the API does not answer.
 */
export async function proofOf(sha256: string): Promise<ProofLookup> {
  const { status, body } = await getJson(`/api/proofs/${sha256}`);
  if (status === 200 && body.format === PERMIT_CERTIFICATE_PROOF_FORMAT) return { state: "certificate", proof: parsePermitCertificateProof(body) };
  if (status === 200) return { state: "anchored", bundle: parseProofBundle(body) };
  if (status === 409 || errorCode(body) === "PROOF_PENDING") return { state: "pending" };
  if (status === 404 || status === 400) return { state: "unknown" };
  throw new ServiceUnavailableError(`/api/proofs: HTTP ${status}`);
}

/** The data hash the service holds for a certificate (its proof's), or undefined when it cannot say. */
export async function dataHashOf(certificateHash: string): Promise<string | null | undefined> {
  try {
    const proof = await proofOf(certificateHash);
    return proof.state === "certificate" ? (proof.proof.dataHash ?? null) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The service's own answer for a hash (GET /api/verify), read only for what the chain check cannot say:
 * which permit a certificate belongs to, whether a newer version supersedes it, the words of a
 * revocation's reason. Null when unavailable.
 */
export async function serviceAnswerOf(sha256: string): Promise<Record<string, any> | null> {
  try {
    const { status, body } = await getJson(`/api/verify?sha256=${sha256}`);
    return status === 200 && body && typeof body === "object" ? body : null;
  } catch {
    return null;
  }
}

/** GET /api/permits/:number; null for 404 PERMIT_NOT_FOUND; ServiceUnavailableError when the API does not answer. */
export async function permitOf(number: string): Promise<Record<string, any> | null> {
  const { status, body } = await getJson(`/api/permits/${encodeURIComponent(number)}`);
  if (status === 404) return null;
  if (status !== 200) throw new ServiceUnavailableError(`/api/permits: HTTP ${status}`);
  return body;
}
