// Turns the argument of `ledger verify` into what to check on the chain: a proof bundle (a file, a QR
// link carrying it, or the API's for a document or SHA-256), a permit certificate (its PDF, its proof, a
// permit number, a certificate's QR link), a pledge receipt, or a complaint record. The API and the
// configuration only say where to look; no answer of the API is taken as a verdict except "I hold no
// record" (there is then nothing to check).
import { existsSync, readFileSync, statSync } from "node:fs";
import { sha256 } from "ethers";
import { parsePledgeReceipt, PLEDGE_RECEIPT_FORMAT, ReceiptFormatError, type PledgeReceipt } from "../shared/pledgeReceipt.js";
import type { ProofBundle } from "../shared/proofBundle.js";
import { parseProofBundle, ProofBundleError } from "../shared/proofBundleFormat.js";
import {
  certificateTargetOf,
  CertificateProofError,
  parsePermitCertificateProof,
  PERMIT_CERTIFICATE_PROOF_FORMAT,
  type CertificateCheckOptions,
  type CertificateTarget,
  type PermitCertificateProof,
} from "../shared/verifyCertificate.js";
import { complaintRecordClaims, normalizeComplaintId, type ComplaintRecordClaims, type ComplaintTarget } from "../shared/verifyComplaint.js";
import { parseVerifierConfig, VerifierConfigError, type VerifierConfig } from "../shared/verifyConfig.js";
import { parseVerifyLink } from "../shared/verifyLink.js";

/** A problem that leaves no verdict (exit code 2). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export type Source = { origin: string[] } & (
  | {
      kind: "bundle";
      bundle: ProofBundle;
      /** What the bundle is checked against besides the chain. */
      document?: { bytes: Uint8Array } | { sha256: string };
    }
  | {
      kind: "certificate";
      target: CertificateTarget;
      options: CertificateCheckOptions;
      /**
       * Asked only because the API had no record ("unknown") or did not answer ("error"): if the registry
       * knows no such certificate either, this is the answer.
       */
      otherwise?: { verdict: "unknown" | "error"; reason: string };
    }
  | { kind: "receipt"; receipt: PledgeReceipt }
  | { kind: "complaint"; target: ComplaintTarget; claims?: ComplaintRecordClaims }
  /** The API holds no anchored record of the hash: nothing to check, verdict without checks. */
  | { kind: "no-bundle"; verdict: "unknown" | "pending"; sha256: string; reason: string }
);

/** Where to look besides the argument: the API and, for number and id lookups, the chain's addresses. */
export interface Where {
  apiUrl: string;
  /** --config: a ledger-config.json file or URL; by default the API's /ledger-config.json. */
  configPath?: string;
}

const SHA256_PATTERN = /^(0x)?[0-9a-fA-F]{64}$/;
/** A permit number: the municipality's code, "/", the rest (TH-50-MAEHIA/BLD/2026/000001). */
const PERMIT_NUMBER = /^[A-Z0-9][A-Z0-9-]*\/\S+$/;
// Bundles, receipts and records are a few kB; a larger JSON file is a document, not one of them.
const MAX_JSON_BYTES = 1 << 20;
const API_TIMEOUT_MS = 20_000;

/** A JSON object, when the file is one (and small enough to be a bundle, proof, receipt or record). */
function jsonObject(bytes: Uint8Array): unknown {
  if (bytes.length > MAX_JSON_BYTES) return undefined;
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

const formatOf = (value: unknown) => (value && typeof value === "object" && !Array.isArray(value) ? (value as { format?: unknown }).format : undefined);

export async function resolveSource(target: string, where: Where): Promise<Source> {
  if (existsSync(target) && statSync(target).isFile()) return fromFile(target, where);
  if (/^https?:\/\//i.test(target)) return fromLink(target, where);
  const complaintId = /^complaint:/i.test(target) ? normalizeComplaintId(target) : null;
  if (complaintId) return complaintSource(complaintId, where, [`complaint ${complaintId}`]);
  if (SHA256_PATTERN.test(target)) {
    const hash = `0x${target.replace(/^0x/, "").toLowerCase()}`;
    return byHash(where, hash, { sha256: hash }, [`SHA-256  ${hash}`]);
  }
  if (PERMIT_NUMBER.test(target)) return permitSource(target, undefined, undefined, where, [`permit   ${target}`]);
  throw new CliError(`"${target}" is neither a file nor a SHA-256 (64 hex digits, 0x optional), a permit number, complaint:<id> or a verify link`);
}

async function fromFile(path: string, where: Where): Promise<Source> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const json = jsonObject(bytes);
  const format = formatOf(json);
  try {
    if (typeof format === "string" && format.startsWith("public-service-ledger/proof-bundle")) {
      return { kind: "bundle", bundle: parseProofBundle(json), origin: [`bundle   ${path}`] };
    }
    if (format === PERMIT_CERTIFICATE_PROOF_FORMAT) {
      const proof = parsePermitCertificateProof(json);
      return { kind: "certificate", target: certificateTargetOf(proof), options: {}, origin: [`proof    ${path} (permit certificate)`] };
    }
    if (format === PLEDGE_RECEIPT_FORMAT) return { kind: "receipt", receipt: parsePledgeReceipt(json), origin: [`receipt  ${path}`] };
  } catch (error) {
    if (error instanceof ProofBundleError || error instanceof CertificateProofError || error instanceof ReceiptFormatError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
  const claims = json !== undefined ? complaintRecordClaims(json) : null;
  if (claims) return complaintSource(claims.complaintId, where, [`record   ${path} (complaint ${claims.complaintId})`], claims);
  if (typeof json === "object" && json !== null && "root" in json && "proof" in json) {
    try {
      return { kind: "bundle", bundle: parseProofBundle(json), origin: [`bundle   ${path}`] };
    } catch (error) {
      if (error instanceof ProofBundleError) throw new CliError(`${path}: ${error.message}`);
      throw error;
    }
  }
  const hash = sha256(bytes);
  return byHash(where, hash, { bytes: new Uint8Array(bytes) }, [`document ${path} (SHA-256 ${hash})`]);
}

/** What a QR code holds (runVerify makes the link's own address the API, unless told another). */
async function fromLink(link: string, where: Where): Promise<Source> {
  let target;
  try {
    target = parseVerifyLink(link);
  } catch (error) {
    if (error instanceof ProofBundleError) throw new CliError(`the link's proof bundle: ${error.message}`);
    throw error;
  }
  if (!target) throw new CliError(`"${link}" is not a verify link (/verify?sha256=…, /verify?permit=…, /verify?complaint=…, or a receipt's)`);
  const origin = [`link     ${link.length > 120 ? `${link.slice(0, 117)}…` : link}`];
  switch (target.kind) {
    case "document":
      if (target.bundle) return { kind: "bundle", bundle: target.bundle, document: { sha256: target.sha256 }, origin: [...origin, "bundle   carried by the link (no API is asked)"] };
      return byHash(where, target.sha256, { sha256: target.sha256 }, origin);
    case "permit":
      return permitSource(target.number, target.version, target.dataHash, where, origin);
    case "complaint":
      return complaintSource(target.complaintId, where, origin);
    case "receipt": {
      const url = new URL(`api/funds/receipts/${encodeURIComponent(target.receiptId)}`, withSlash(new URL(link).origin)).href;
      const { status, text } = await getText(url, where.apiUrl);
      if (status !== 200) throw new CliError(`GET ${url} answered HTTP ${status}${apiMessage(text)}`);
      try {
        return { kind: "receipt", receipt: parsePledgeReceipt(text), origin: [...origin, `receipt  from ${url} (checked against the chain)`] };
      } catch (error) {
        if (error instanceof ReceiptFormatError) throw new CliError(`the answer of ${url} is not a receipt: ${error.message}`);
        throw error;
      }
    }
  }
}

/** A permit's certificate by number (the current version, or the one a QR code names), from the chain. */
async function permitSource(number: string, version: number | undefined, paperDataHash: string | undefined, where: Where, origin: string[]): Promise<Source> {
  const config = await configOf(where);
  const registry = config.contracts.permitRegistry;
  if (!registry) throw new CliError("the configuration names no permitRegistry");
  return {
    kind: "certificate",
    target: { registry, chainId: config.chainId, permitNumber: number, ...(version !== undefined ? { version } : {}), fromBlock: config.deploymentBlock },
    // The data hash of a version is the issuing service's word (the chain holds the PDF's hash only).
    options: paperDataHash ? { paperDataHash, ledgerDataHash: (certificate) => dataHashFromApi(where.apiUrl, certificate.certificateHash) } : {},
    origin: [...origin, `config   ${config.source}`],
  };
}

async function complaintSource(complaintId: string, where: Where, origin: string[], claims?: ComplaintRecordClaims): Promise<Source> {
  const config = await configOf(where);
  const ledger = config.contracts.complaintLedger;
  if (!ledger) throw new CliError("the configuration names no complaintLedger");
  return {
    kind: "complaint",
    target: { ledger, chainId: config.chainId, complaintId, fromBlock: config.deploymentBlock },
    ...(claims ? { claims } : {}),
    origin: [...origin, `config   ${config.source}`],
  };
}

/** The data hash the API holds for a certificate (its proof's `dataHash`), or undefined when it cannot say. */
async function dataHashFromApi(apiUrl: string, certificateHash: string): Promise<string | null | undefined> {
  try {
    const { status, text } = await getText(new URL(`api/proofs/${certificateHash}`, withSlash(apiUrl)).href, apiUrl);
    return status === 200 ? (parsePermitCertificateProof(text).dataHash ?? null) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A document or SHA-256: the API's proof bundle (or a permit certificate's proof). With no record at the
 * API, or no API, the PermitRegistry named by the configuration is asked whether it is a certificate.
 */
async function byHash(where: Where, hash: string, document: { bytes: Uint8Array } | { sha256: string }, origin: string[]): Promise<Source> {
  const url = new URL(`api/proofs/${hash}`, withSlash(where.apiUrl)).href;
  let answer: { status: number; text: string };
  try {
    answer = await getText(url, where.apiUrl);
  } catch (error) {
    if (!(error instanceof CliError) || !where.configPath) throw error;
    // No API: a certificate is still PermitRegistry's to answer; any other document needs its bundle.
    const reason = `${error.message.replace(/; a proof.json file needs no API$/, "")}, and the chain's PermitRegistry knows no certificate ${hash}: give the document's proof bundle`;
    const certificate = await certificateOnChain(hash, where, [...origin, `api      ${where.apiUrl} did not answer; asking the chain's PermitRegistry`], { verdict: "error", reason });
    if (certificate) return certificate;
    throw error;
  }
  const { status, text } = answer;
  if (status === 409) {
    const reason = `the API at ${where.apiUrl} holds a record of ${hash} that is not anchored yet${apiMessage(text)}`;
    return { kind: "no-bundle", verdict: "pending", sha256: hash, origin, reason };
  }
  if (status === 404) {
    const reason = `the API at ${where.apiUrl} holds no anchored record of ${hash}${apiMessage(text)}`;
    // A certificate issued through another ledger service is still the chain's to answer.
    const certificate = await certificateOnChain(hash, where, origin, { verdict: "unknown", reason }).catch(() => undefined);
    return certificate ?? { kind: "no-bundle", verdict: "unknown", sha256: hash, origin, reason };
  }
  if (status !== 200) throw new CliError(`the API answered GET ${url} with HTTP ${status}${apiMessage(text)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`the API's answer to GET ${url} is not JSON`);
  }
  try {
    if (formatOf(json) === PERMIT_CERTIFICATE_PROOF_FORMAT) {
      const proof: PermitCertificateProof = parsePermitCertificateProof(json);
      return {
        kind: "certificate",
        target: certificateTargetOf(proof),
        options: { documentSha256: hash },
        origin: [...origin, `proof    from ${url}: a permit certificate (the API only says where to look)`],
      };
    }
    return { kind: "bundle", bundle: parseProofBundle(json), document, origin: [...origin, `bundle   from ${url} (the API only says where to look)`] };
  } catch (error) {
    if (error instanceof ProofBundleError || error instanceof CertificateProofError) throw new CliError(`the API's answer to GET ${url} is not a proof: ${error.message}`);
    throw error;
  }
}

/** The hash as a certificate of the configured PermitRegistry, when the configuration can be had. */
async function certificateOnChain(hash: string, where: Where, origin: string[], otherwise: { verdict: "unknown" | "error"; reason: string }): Promise<Source | undefined> {
  const config = await configOf(where).catch(() => undefined);
  const registry = config?.contracts.permitRegistry;
  if (!config || !registry) return undefined;
  return {
    kind: "certificate",
    target: { registry, chainId: config.chainId, certificateHash: hash, fromBlock: config.deploymentBlock },
    options: { documentSha256: hash },
    origin: [...origin, `config   ${config.source}`],
    otherwise,
  };
}

const configs = new Map<string, Promise<VerifierConfig & { source: string }>>();

/** The chain's addresses: --config (a file or URL), else the API's /ledger-config.json. */
function configOf(where: Where): Promise<VerifierConfig & { source: string }> {
  const source = where.configPath ?? new URL("ledger-config.json", withSlash(where.apiUrl)).href;
  let config = configs.get(source);
  if (!config) {
    config = readConfig(source, where.apiUrl);
    configs.set(source, config);
  }
  return config;
}

async function readConfig(source: string, apiUrl: string): Promise<VerifierConfig & { source: string }> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const answer = await getText(source, apiUrl).catch((error: CliError) => {
      throw new CliError(`${error.message}; give the chain's addresses with --config ledger-config.json`);
    });
    if (answer.status !== 200) throw new CliError(`GET ${source} answered HTTP ${answer.status}; give the chain's addresses with --config ledger-config.json`);
    text = answer.text;
  } else {
    try {
      text = readFileSync(source, "utf8");
    } catch (error) {
      throw new CliError(`cannot read --config ${source}: ${(error as Error).message}`);
    }
  }
  try {
    return { ...parseVerifierConfig(text), source };
  } catch (error) {
    if (error instanceof VerifierConfigError) throw new CliError(`${source}: ${error.message}`);
    throw error;
  }
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

async function getText(url: string, apiUrl: string): Promise<{ status: number; text: string }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    const host = url.startsWith(withSlash(apiUrl)) ? `the API at ${apiUrl}` : url;
    throw new CliError(`${host} did not answer (${cause}); a proof.json file needs no API`);
  }
  return { status: response.status, text: await response.text() };
}

function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof body.error?.message === "string" ? `: ${body.error.message}` : "";
  } catch {
    return "";
  }
}
