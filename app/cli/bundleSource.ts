// Turns the argument of `ledger verify` into a proof bundle to check: a bundle file as it is, or a
// document / SHA-256 whose bundle the API serves. The API only says where to look; no answer of it is
// taken as a verdict except "I hold no anchored record" (there is then nothing to check).
import { existsSync, readFileSync, statSync } from "node:fs";
import { sha256 } from "ethers";
import type { ProofBundle } from "../shared/proofBundle.js";
import { parseProofBundle, ProofBundleError } from "../shared/proofBundleFormat.js";

/** A problem that leaves no verdict (exit code 2). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export type BundleSource =
  | {
      kind: "bundle";
      bundle: ProofBundle;
      /** What the bundle is checked against besides the chain. */
      document?: { bytes: Uint8Array } | { sha256: string };
      /** Human lines saying where the input came from. */
      origin: string[];
    }
  /** The API holds no anchored record of the hash: nothing to check, verdict without checks. */
  | { kind: "no-bundle"; verdict: "unknown" | "pending"; sha256: string; origin: string[]; reason: string };

const SHA256_PATTERN = /^(0x)?[0-9a-fA-F]{64}$/;
const BUNDLE_FORMAT_PREFIX = "public-service-ledger/proof-bundle";
// Bundles are a few kB; a larger JSON file is a document, not a bundle.
const MAX_BUNDLE_BYTES = 1 << 20;
const API_TIMEOUT_MS = 20_000;

/** A JSON object meant as a proof bundle: it names a bundle format, or carries a root and a proof. */
function bundleJson(bytes: Uint8Array): unknown {
  if (bytes.length > MAX_BUNDLE_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const namesFormat = typeof fields.format === "string" && fields.format.startsWith(BUNDLE_FORMAT_PREFIX);
  return namesFormat || ("root" in fields && "proof" in fields) ? value : undefined;
}

export async function resolveBundleSource(target: string, apiUrl: string): Promise<BundleSource> {
  if (existsSync(target) && statSync(target).isFile()) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(target);
    } catch (error) {
      throw new CliError(`cannot read ${target}: ${(error as Error).message}`);
    }
    const json = bundleJson(bytes);
    if (json !== undefined) {
      try {
        return { kind: "bundle", bundle: parseProofBundle(json), origin: [`bundle   ${target}`] };
      } catch (error) {
        if (error instanceof ProofBundleError) throw new CliError(`${target}: ${error.message}`);
        throw error;
      }
    }
    const hash = sha256(bytes);
    const origin = [`document ${target} (SHA-256 ${hash})`];
    return fetchBundle(apiUrl, hash, { bytes: new Uint8Array(bytes) }, origin);
  }
  if (SHA256_PATTERN.test(target)) {
    const hash = `0x${target.replace(/^0x/, "").toLowerCase()}`;
    return fetchBundle(apiUrl, hash, { sha256: hash }, [`SHA-256  ${hash}`]);
  }
  throw new CliError(`"${target}" is neither a file nor a SHA-256 (64 hex digits, 0x optional)`);
}

/** GET <api>/api/proofs/<sha256>: 200 a bundle, 404 no record, 409 a record not anchored yet. */
async function fetchBundle(
  apiUrl: string,
  hash: string,
  document: { bytes: Uint8Array } | { sha256: string },
  origin: string[],
): Promise<BundleSource> {
  const base = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
  const url = new URL(`api/proofs/${hash}`, base).href;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new CliError(`the API at ${apiUrl} did not answer (${cause}); a proof.json file needs no API`);
  }
  const text = await response.text();
  const apiMessage = () => {
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown } };
      return typeof body.error?.message === "string" ? `: ${body.error.message}` : "";
    } catch {
      return "";
    }
  };
  if (response.status === 404 || response.status === 409) {
    const pending = response.status === 409;
    return {
      kind: "no-bundle",
      verdict: pending ? "pending" : "unknown",
      sha256: hash,
      origin,
      reason: pending
        ? `the API at ${apiUrl} holds a record of ${hash} that is not anchored yet${apiMessage()}`
        : `the API at ${apiUrl} holds no anchored record of ${hash}${apiMessage()}`,
    };
  }
  if (!response.ok) throw new CliError(`the API answered GET ${url} with HTTP ${response.status}${apiMessage()}`);
  try {
    const bundle = parseProofBundle(text);
    return { kind: "bundle", bundle, document, origin: [...origin, `bundle   from ${url} (the API only says where to look)`] };
  } catch (error) {
    if (error instanceof ProofBundleError) throw new CliError(`the API's answer to GET ${url} is not a proof bundle: ${error.message}`);
    throw error;
  }
}
