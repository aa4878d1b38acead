// `ledger verify`: checks a document, a SHA-256 or a proof bundle directly against the chain, through
// the RPC node the user chooses, and prints the verdict with every check.
import { parseArgs } from "node:util";
import { FetchRequest, JsonRpcProvider } from "ethers";
import type { BundleVerification, Verdict } from "../shared/proofBundle.js";
import { RpcFailedError, verifyProofBundle } from "../shared/verifyBundle.js";
import { CliError, resolveBundleSource } from "./bundleSource.js";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_API_URL = "http://localhost:3000";
const RPC_TIMEOUT_MS = 20_000;

export const VERIFY_HELP = `Usage: ledger verify <file | sha256 | proof.json> [--rpc URL] [--api URL]

Checks that a record is anchored on the chain, asking an RPC node of that chain directly, and prints
the verdict and every check (format in docs/proof-bundle.md).

The argument is one of:
  proof.json  a proof bundle: a JSON file whose "format" is public-service-ledger/proof-bundle@1 (or
              that has "root" and "proof" fields). Checked against the RPC node alone: no API is asked.
  file        any other file. Its SHA-256 is computed here, its proof bundle is fetched from the API
              (GET <api>/api/proofs/<sha256>), and the checks include that the file is the one anchored.
  sha256      64 hex digits, 0x optional: the bundle is fetched from the API as for a file.
The API only says where to look (root, proof, contract, transaction). Its verdict is never used: every
check asks the RPC node.

Options:
  --rpc URL   JSON-RPC node of the chain named in the bundle
              (default: $LEDGER_RPC_URL, else ${DEFAULT_RPC_URL})
  --api URL   the ledger API that serves proof bundles
              (default: $LEDGER_API_URL, else ${DEFAULT_API_URL})
  -h, --help  this text

Verdicts and exit codes:
  0  VALID    every check passed
  1  REVOKED  the record is anchored and every check passed, but its municipality revoked it
  1  UNKNOWN  a check failed, or the API holds no anchored record of the hash (HTTP 404)
  1  PENDING  the API holds the record but has not anchored it yet (HTTP 409)
  2  error    no verdict: bad arguments, an unreadable or malformed bundle, the RPC node or the API
              unreachable or answering something unexpected`;

const VERDICT_LINE: Record<Verdict, string> = {
  valid: "VALID: every check passed",
  revoked: "REVOKED: the record was anchored, then revoked by its municipality",
  superseded: "SUPERSEDED: a newer version replaces this record",
  pending: "PENDING: accepted by the API, not anchored on the chain yet",
  unknown: "UNKNOWN: this proves nothing on the chain",
};

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

function printVerification(result: BundleVerification, output: Output): void {
  const width = Math.max(...result.checks.map((check) => check.name.length));
  for (const check of result.checks) output.out(`  ${check.ok ? "✓" : "✗"} ${check.name.padEnd(width)}  ${check.detail}`);
  output.out("");
  const failed = result.checks.filter((check) => !check.ok).length;
  const suffix = result.verdict === "unknown" ? ` (${failed} of ${result.checks.length} checks failed)` : "";
  output.out(VERDICT_LINE[result.verdict] + suffix);
}

/** Runs `ledger verify <args>`; returns the exit code. */
export async function runVerify(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { rpc: { type: "string" }, api: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
  } catch (error) {
    output.err(`ledger verify: ${(error as Error).message}\nRun "ledger verify --help" for usage.`);
    return 2;
  }
  if (parsed.values.help) {
    output.out(VERIFY_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    output.err(`ledger verify: expected one file, SHA-256 or proof.json, got ${parsed.positionals.length}\nRun "ledger verify --help" for usage.`);
    return 2;
  }
  const rpcUrl = parsed.values.rpc ?? env.LEDGER_RPC_URL ?? DEFAULT_RPC_URL;
  const apiUrl = parsed.values.api ?? env.LEDGER_API_URL ?? DEFAULT_API_URL;
  for (const [flag, url] of [["--rpc", rpcUrl], ["--api", apiUrl]]) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      output.err(`ledger verify: ${flag} "${url}" is not an http(s) URL`);
      return 2;
    }
  }

  let provider: JsonRpcProvider | undefined;
  try {
    const source = await resolveBundleSource(parsed.positionals[0], apiUrl);
    for (const line of source.origin) output.out(line);
    if (source.kind === "no-bundle") {
      output.out("");
      output.out(`${VERDICT_LINE[source.verdict]}: ${source.reason}`);
      return 1;
    }
    const { bundle } = source;
    output.out(`record   municipality ${bundle.municipalityId}, root ${bundle.root}, block ${bundle.blockNumber} of chain ${bundle.chainId}`);
    output.out(`rpc      ${rpcUrl} (every check below asks this node)`);
    output.out("");
    const request = new FetchRequest(rpcUrl);
    request.timeout = RPC_TIMEOUT_MS;
    // Only raw JSON-RPC calls are made: the static network is never consulted, and it keeps ethers from
    // probing the node in the background (which would keep this process alive when the node is down).
    provider = new JsonRpcProvider(request, bundle.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const document = source.document;
    const result = await verifyProofBundle(bundle, provider, {
      documentBytes: document && "bytes" in document ? document.bytes : undefined,
      documentSha256: document && "sha256" in document ? document.sha256 : undefined,
    });
    printVerification(result, output);
    return result.verdict === "valid" ? 0 : 1;
  } catch (error) {
    if (error instanceof RpcFailedError) {
      output.err(`ledger verify: ${error.message} (rpc ${rpcUrl}); no verdict`);
      return 2;
    }
    if (error instanceof CliError) {
      output.err(`ledger verify: ${error.message}`);
      return 2;
    }
    output.err(`ledger verify: unexpected failure: ${(error as Error).stack ?? String(error)}`);
    return 2;
  } finally {
    provider?.destroy();
  }
}
