import { Interface, sha256 } from "ethers";
import type { Check, ProofBundle, Verdict } from "../../../shared/proofBundle.js";
import { verifyProofBundle, type JsonRpcSender } from "../../../shared/verifyBundle.js";
import { chainOf, permitOf, proofOf, serviceAnswerOf } from "./ledgerApi.js";
import { permitModelOf, type PermitModel } from "./permitModel.js";
import { isPermitCertificateAnswer, permitCertificateVerdict } from "./permitCertificate.js";
import { fetchRpc } from "./rpc.js";

/** A municipality as the on-chain Directory lists it. */
export interface Issuer {
  id: number;
  /** Absent when the Directory does not know the id. */
  name?: string;
  code?: string;
  suspended?: boolean;
}

export interface DocumentCheck {
  sha256: string;
  verdict: Verdict;
  /** verifyProofBundle's checks, in its order; empty when there was no bundle to check. */
  checks: Check[];
  bundle?: ProofBundle;
  issuer?: Issuer;
  rpcUrl?: string;
  chainId?: number;
  /** The permit this document is the certificate of, when the service says so. */
  permitNumber?: string;
  /** That permit's public record (timeline, legal clock), when the permit API answers. */
  permit?: PermitModel;
  /** True when the service says a newer version of the permit replaces this one. */
  superseded?: boolean;
}

export type CheckStep = "fetching" | "checking";

const directory = new Interface(["function municipality(uint32) view returns (string code, string name, address admin, bool suspended)"]);

/** Reads `municipality(id)` of the Directory through the RPC node; a revert means an unknown id. */
export async function issuerOf(rpc: JsonRpcSender, directoryAddress: string | undefined, id: number): Promise<Issuer> {
  if (!directoryAddress) return { id };
  try {
    const data = (await rpc.send("eth_call", [{ to: directoryAddress, data: directory.encodeFunctionData("municipality", [id]) }, "latest"])) as string;
    const [code, name, , suspended] = directory.decodeFunctionResult("municipality", data);
    return { id, code, name, suspended };
  } catch {
    return { id };
  }
}

/** Finds a permit number in the service's answer, wherever the permit API put it. */
export function permitNumberIn(answer: Record<string, any> | null): string | undefined {
  if (!answer) return undefined;
  const candidates = [
    answer.permit,
    answer.permit?.number,
    answer.permit?.permitNumber,
    answer.record?.permitNumber,
    answer.record?.meta?.permitNumber,
    answer.record?.kind?.includes?.("permit") ? answer.record?.meta?.number : undefined,
  ];
  return candidates.find((value): value is string => typeof value === "string" && value.length > 0);
}

/**
 * The verdict on a document given by its SHA-256: the proof bundle comes from the service, but it is
 * checked here, against the chain's RPC node, with the same code as the CLI. The service's own verdict
 * is only used for what the chain check cannot know (pending, superseded).
 */
export async function checkDocument(sha256: string, onStep: (step: CheckStep) => void = () => {}): Promise<DocumentCheck> {
  onStep("fetching");
  const [proof, answer] = await Promise.all([proofOf(sha256), serviceAnswerOf(sha256)]);
  const permitNumber = permitNumberIn(answer);
  const superseded = answer?.verdict === "superseded" || answer?.permit?.verdict === "superseded";
  const permit = permitNumber ? readPermit(permitNumber) : Promise.resolve(undefined);
  if (proof.state === "unknown" && isPermitCertificateAnswer(answer)) {
    onStep("checking");
    const chain = await chainOf();
    const registry = chain.contracts.permitRegistry ?? answer!.proof.contract;
    const { verdict } = await permitCertificateVerdict(fetchRpc(chain.rpcUrl), registry, sha256);
    return { sha256, verdict, checks: [], rpcUrl: chain.rpcUrl, chainId: chain.chainId, permitNumber, permit: await permit, superseded: verdict === "superseded" };
  }
  if (proof.state !== "anchored") return { sha256, verdict: proof.state, checks: [], permitNumber, permit: await permit };

  onStep("checking");
  const chain = await chainOf();
  const rpc = fetchRpc(chain.rpcUrl);
  const [result, issuer] = await Promise.all([
    verifyProofBundle(proof.bundle, rpc, { documentSha256: sha256 }),
    issuerOf(rpc, chain.contracts.directory, proof.bundle.municipalityId),
  ]);
  return {
    sha256,
    verdict: result.verdict === "valid" && superseded ? "superseded" : result.verdict,
    checks: result.checks,
    bundle: proof.bundle,
    issuer,
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    permitNumber,
    permit: await permit,
    superseded,
  };
}

/** The permit's record for the page; its absence only leaves the timeline out, it never fails the check. */
async function readPermit(number: string): Promise<PermitModel | undefined> {
  try {
    const answer = await permitOf(number);
    return answer ? permitModelOf(answer, number) : undefined;
  } catch {
    return undefined;
  }
}

/** SHA-256 of a file's bytes, 0x-prefixed: WebCrypto where the page is a secure context, else ethers. */
export async function sha256OfFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (globalThis.crypto?.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return "0x" + Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }
  return sha256(bytes);
}

export const SHA256_PATTERN = /^(0x)?[0-9a-fA-F]{64}$/;

/** A typed or linked hash in the form the API takes: 0x and lowercase. */
export function normalizeSha256(text: string): string | null {
  const trimmed = text.trim();
  if (!SHA256_PATTERN.test(trimmed)) return null;
  return ("0x" + trimmed.replace(/^0x/, "")).toLowerCase();
}
