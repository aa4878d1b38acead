import { Interface, sha256 } from "ethers";
import { DOCUMENT_REVOCATION_REASONS, reasonHashOf } from "../../../shared/issuance.js";
import type { Check, ProofBundle, Verdict } from "../../../shared/proofBundle.js";
import { recordRevocationOf, verifyProofBundle, type JsonRpcSender, type RecordRevocation } from "../../../shared/verifyBundle.js";
import { certificateByHash, type CertificateCheck } from "./checkCertificate.js";
import { chainOf, permitOf, proofOf, serviceAnswerOf, ServiceUnavailableError } from "./ledgerApi.js";
import { permitModelOf, type PermitModel } from "./permitModel.js";
import { fetchRpc } from "./rpc.js";
import type { AttachedFile } from "../../../shared/attachedFile.js";

/** A municipality as the on-chain Directory lists it. */
export interface Municipality {
  id: number;
  /** Absent when the Directory does not know the id. */
  name?: string;
  code?: string;
  suspended?: boolean;
}

/** Who signed the issuance of a document (a key holding DOCUMENT_ISSUER in the municipality). */
export interface IssuedBy {
  address: string;
  /** The name the municipality's admin published for the address on the chain (Directory.officerName), if any. */
  name?: string;
  municipalityId: number;
  role: "DOCUMENT_ISSUER";
  /** When the signature was anchored (ms since epoch); absent while it is not. */
  signedAt?: number;
  /**
   * "chain": this page's own check of the proof bundle established it. "service": only what the
   * service's answer says, shown as such (the document is not anchored yet, so nothing could be checked).
   */
  source: "chain" | "service";
}

/**
 * Why a document is `unauthorised`: no officer's signature covers it (or it does not verify), the signer
 * did not hold DOCUMENT_ISSUER when the signature was anchored, or the signer's key is marked compromised
 * from before then.
 */
export type UnauthorisedReason = "no-signature" | "signature" | "role" | "compromised";

/** The checks of verifyProofBundle about the issuer; when only these fail the verdict is `unauthorised`. */
export const ISSUER_CHECKS = ["issuance-covers-document", "issuer-signature", "issuance-anchored", "issuer-role", "issuer-key-not-compromised"] as const;

/** A revocation as the chain records it, with its reason's words when they are known. */
export interface DocumentRevocation extends RecordRevocation {
  /** The catalogue's words for the code (DOCUMENT_REVOCATION_REASONS). */
  reason?: { th: string; en: string };
  /** The officer's own words, as the service relayed them, shown only when their SHA-256 is the chain's reasonHash. */
  words?: string;
}

export interface DocumentCheck {
  sha256: string;
  verdict: Verdict;
  /** verifyProofBundle's checks, in its order; empty when there was no bundle to check. */
  checks: Check[];
  bundle?: ProofBundle;
  /** Where the bundle came from: the service, or given with the document (a file beside it, a QR code's link). */
  bundleFrom?: "service" | "given";
  /** The municipality the record is anchored for, as the Directory names it. */
  municipality?: Municipality;
  /** Who issued it: from the chain check (its issuer checks tell whether they held the role), or the service's word while pending. */
  issuedBy?: IssuedBy;
  /** Set when the verdict is `unauthorised`. */
  unauthorised?: UnauthorisedReason;
  /** Set when the chain says the record is revoked. */
  revocation?: DocumentRevocation;
  rpcUrl?: string;
  chainId?: number;
  /** The permit this document is the certificate of, when the service says so. */
  permitNumber?: string;
  /** That permit's public record (timeline, legal clock), when the permit API answers. */
  permit?: PermitModel;
  /** True when the service says a newer version of the permit replaces this one. */
  superseded?: boolean;
  /** The service could not be asked: what is shown is the chain's alone. */
  offline?: boolean;
  /** A file that came in through a workflow (a resident's photo, an application's document), as the service says: never issued. */
  attachment?: AttachedFile;
}


/**
 * What a hash turned out to be: an anchored document (or one the service knows), a permit certificate,
 * or — with the service unreachable and no bundle at hand — nothing the chain alone can tell.
 */
export type HashOutcome =
  | { kind: "document"; result: DocumentCheck }
  | { kind: "certificate"; result: CertificateCheck }
  | { kind: "needs-bundle"; sha256: string };

export type CheckStep = "fetching" | "checking";

const directory = new Interface(["function municipality(uint32) view returns (string code, string name, address admin, bool suspended)"]);

/** Reads `municipality(id)` of the Directory through the RPC node; a revert means an unknown id. */
export async function municipalityOf(rpc: JsonRpcSender, directoryAddress: string | undefined, id: number): Promise<Municipality> {
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
 * The verdict on a document given by its SHA-256. Its proof comes from the service — a proof bundle, or a
 * permit certificate's proof — and is checked here against the chain's RPC node, with the same code as
 * the CLI. With the service unreachable (or knowing nothing of the hash) the chain's PermitRegistry is
 * still asked whether it is a certificate; any other document then needs its proof bundle.
 */
export async function checkHash(sha256: string, onStep: (step: CheckStep) => void = () => {}): Promise<HashOutcome> {
  onStep("fetching");
  let proof: Awaited<ReturnType<typeof proofOf>> | undefined;
  try {
    proof = await proofOf(sha256);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
  }
  if (proof?.state === "certificate") {
    onStep("checking");
    return { kind: "certificate", result: await certificateByHash(sha256, { proof: proof.proof }) };
  }
  if (proof === undefined || proof.state === "unknown") {
    // A certificate is PermitRegistry's to answer, whatever the service knows or whether it answers.
    onStep("checking");
    const certificate = await certificateByHash(sha256, { offline: proof === undefined });
    if (certificate.verification.certificate) return { kind: "certificate", result: certificate };
    if (proof === undefined) return { kind: "needs-bundle", sha256 };
  }
  if (proof.state === "anchored") return { kind: "document", result: await checkBundle(proof.bundle, { sha256, from: "service" }, onStep) };
  const answer = await serviceAnswerOf(sha256);
  const claimed = issuedByService(answer);
  const permitNumber = permitNumberIn(answer);
  const attachment = answer?.verdict === "attached" ? (answer.attachment as AttachedFile) : undefined;
  return {
    kind: "document",
    result: { sha256, verdict: proof.state, checks: [], permitNumber, permit: await readPermit(permitNumber), ...(claimed ? { issuedBy: claimed } : {}), ...(attachment ? { attachment } : {}) },
  };
}

/**
 * A proof bundle checked against the chain — the document, its anchor, and who signed its issuance with
 * which role — with the same code as the CLI. The service's own answer, when it can be had, is used
 * only for what the chain check cannot know (pending, superseded, a permit's number, a revocation's
 * words), and to refuse, never to accept: a document it calls `unauthorised` is not shown as valid.
 */
export async function checkBundle(
  bundle: ProofBundle,
  given: { sha256?: string; from: "service" | "given" },
  onStep: (step: CheckStep) => void = () => {},
): Promise<DocumentCheck> {
  onStep("checking");
  const sha256 = given.sha256 ?? bundle.sha256;
  const chain = await chainOf();
  const rpc = fetchRpc(chain.rpcUrl);
  const [result, municipality, answer] = await Promise.all([
    verifyProofBundle(bundle, rpc, given.sha256 ? { documentSha256: given.sha256 } : {}),
    municipalityOf(rpc, chain.contracts.directory, bundle.municipalityId),
    serviceAnswerOf(sha256),
  ]);
  const offline = answer === null;
  const permitNumber = permitNumberIn(answer);
  const permit = readPermit(permitNumber);
  const superseded = answer?.verdict === "superseded" || answer?.permit?.verdict === "superseded";
  // The signature's own record may be anchored a batch after its documents: until it is, the bundle has
  // no issuance and the service says pending, which is what it is (nothing to show as checked yet).
  if (result.verdict === "unauthorised" && !bundle.issuance && answer?.verdict === "pending") {
    const claimed = issuedByService(answer);
    return { sha256, verdict: "pending", checks: [], permitNumber, permit: await permit, ...(claimed ? { issuedBy: claimed } : {}) };
  }
  let verdict: Verdict = result.verdict === "valid" && superseded ? "superseded" : result.verdict;
  let unauthorised = verdict === "unauthorised" ? unauthorisedReasonOf(bundle, result.checks) : undefined;
  if ((verdict === "valid" || verdict === "superseded") && answer?.verdict === "unauthorised") {
    verdict = "unauthorised";
    unauthorised = serviceReasonOf(answer);
  }
  const revocation = result.verdict === "revoked" ? await revocationOf(rpc, bundle, chain.deploymentBlock, answer) : undefined;
  const signer = result.issuer;
  const issuedBy: IssuedBy | undefined = signer
    ? {
        address: signer.address,
        ...(signer.name ? { name: signer.name } : {}),
        municipalityId: signer.municipalityId,
        role: "DOCUMENT_ISSUER",
        ...(signer.signedAt > 0 ? { signedAt: signer.signedAt * 1000 } : {}),
        source: "chain",
      }
    : undefined;
  return {
    sha256,
    verdict,
    checks: result.checks,
    bundle,
    bundleFrom: given.from,
    municipality,
    ...(issuedBy ? { issuedBy } : {}),
    ...(unauthorised ? { unauthorised } : {}),
    ...(revocation ? { revocation } : {}),
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    permitNumber,
    permit: await permit,
    superseded,
    ...(offline ? { offline } : {}),
  };
}

/** The chain's RecordRevoked event, with the catalogue's words and the officer's own when they hash to the chain's reasonHash. */
async function revocationOf(rpc: JsonRpcSender, bundle: ProofBundle, fromBlock: number, answer: Record<string, any> | null): Promise<DocumentRevocation | undefined> {
  const found = await recordRevocationOf(rpc, bundle.contract, bundle.root, bundle.leaf, fromBlock, bundle.municipalityId).catch(() => undefined);
  if (!found) return undefined;
  const words = answer?.revocation?.reason;
  return {
    ...found,
    ...(DOCUMENT_REVOCATION_REASONS[found.reasonCode] ? { reason: DOCUMENT_REVOCATION_REASONS[found.reasonCode] } : {}),
    ...(typeof words === "string" && reasonHashOf(words) === found.reasonHash ? { words } : {}),
  };
}

/** Which of the issuer's checks failed first, in the order a reader needs them. */
export function unauthorisedReasonOf(bundle: ProofBundle, checks: readonly Check[]): UnauthorisedReason {
  if (!bundle.issuance) return "no-signature";
  const failed = new Set(checks.filter((check) => !check.ok).map((check) => check.name));
  if (["issuance-covers-document", "issuer-signature", "issuance-anchored"].some((name) => failed.has(name))) return "signature";
  if (failed.has("issuer-role")) return "role";
  if (failed.has("issuer-key-not-compromised")) return "compromised";
  return "signature";
}

/** The reason of the service's `unauthorised` answer (GET /api/verify), from the issuer facts it gives. */
function serviceReasonOf(answer: Record<string, any>): UnauthorisedReason {
  const issuer = answer.issuer;
  if (!issuer || typeof issuer !== "object") return "no-signature";
  if (issuer.heldRole === false) return "role";
  if (typeof issuer.compromisedSince === "string") return "compromised";
  return "signature";
}

/** Who the service says signed a document it has not anchored yet: shown as its word, not as checked. */
function issuedByService(answer: Record<string, any> | null): IssuedBy | undefined {
  const issuer = answer?.issuer;
  if (!issuer || typeof issuer.address !== "string" || typeof issuer.municipalityId !== "number") return undefined;
  const signedAt = typeof issuer.signedAt === "string" ? Date.parse(issuer.signedAt) : NaN;
  return {
    address: issuer.address,
    municipalityId: issuer.municipalityId,
    role: "DOCUMENT_ISSUER",
    ...(Number.isNaN(signedAt) ? {} : { signedAt }),
    source: "service",
  };
}

/** The permit's record for the page; its absence only leaves the timeline out, it never fails the check. */
async function readPermit(number: string | undefined): Promise<PermitModel | undefined> {
  if (!number) return undefined;
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
