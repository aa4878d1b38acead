// `ledger verify`: checks a document, a SHA-256, a proof bundle, a permit certificate (its PDF, its proof,
// its number or its QR link), a pledge receipt or a complaint record directly against the chain, through
// the RPC node the user chooses, and prints the verdict with every check.
import { parseArgs } from "node:util";
import { FetchRequest, JsonRpcProvider } from "ethers";
import type { BundleVerification, Check } from "../shared/proofBundle.js";
import { RpcFailedError, verifyProofBundle } from "../shared/verifyBundle.js";
import { PERMIT_REVOCATION_REASONS, verifyPermitCertificate, type CertificateVerdict, type CertificateVerification } from "../shared/verifyCertificate.js";
import { verifyComplaintRecord, type ComplaintVerification } from "../shared/verifyComplaint.js";
import { verifyPledgeReceipt, type ReceiptVerification } from "../shared/verifyReceipt.js";
import { CliError, resolveSource, type Source } from "./bundleSource.js";

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_API_URL = "http://localhost:3000";
const RPC_TIMEOUT_MS = 20_000;

export const VERIFY_HELP = `Usage: ledger verify <file | sha256 | permit number | complaint:<id> | verify link> [--rpc URL] [--api URL] [--config FILE|URL]

Checks a record on the chain, asking an RPC node of that chain directly, and prints the verdict and
every check (docs/proof-bundle.md, docs/certificates.md).

The argument is one of:
  proof.json     a proof bundle ("format": public-service-ledger/proof-bundle@1): checked against the RPC
                 node alone, no API is asked
  receipt.json   a pledge receipt (public-service-ledger/pledge-receipt@1): checked against the RPC node
  record.json    a complaint's public record (an Open311 service request with extensions, or the API's
                 complaint record): the chain's record and history, and whether the file tells the same
  file           any other file (a document, a permit certificate PDF): its SHA-256 is computed here and
                 its proof is fetched from the API (GET <api>/api/proofs/<sha256>); a certificate is then
                 checked on the PermitRegistry, who signed it included
  sha256         64 hex digits, 0x optional: as for a file
  permit number  TH-50-MAEHIA/BLD/2026/000001: its current certificate, from the PermitRegistry
  complaint:<id> a complaint by its id (0x and 64 hex digits), from the ComplaintLedger
  verify link    what a QR code holds: /verify?sha256=… (with #b=… it carries the bundle: no API is
                 asked), /verify?permit=…&v=…&h=… (a certificate's version and its data hash),
                 /verify?complaint=…, a receipt's /api/funds/receipts/<id>
The API only says where to look (root, proof, contract, transaction). Its verdict is never used: every
check asks the RPC node.

Options:
  --rpc URL      JSON-RPC node of the chain (default: $LEDGER_RPC_URL, else ${DEFAULT_RPC_URL})
  --api URL      the ledger API that serves proofs (default: $LEDGER_API_URL, else the link's own
                 address for a verify link, else ${DEFAULT_API_URL})
  --config F|URL the chain's addresses (ledger-config.json) for permit numbers, complaints and
                 certificates without the API (default: <api>/ledger-config.json)
  -h, --help     this text

Verdicts and exit codes:
  0  VALID       every check passed; for a document or certificate, the officer who signed it held the
                 issuing role in its municipality then (printed with their name and role)
  1  REVOKED     anchored (or issued) and every check passed, but its municipality revoked it
  1  NOT ISSUED  anchored, but no valid issuer: no signature, another signer, a role not held then,
                 or a key marked compromised from before
  1  SUPERSEDED  a permit certificate replaced by a newer version
  1  EXPIRED     a permit certificate past its end of validity
  1  UNKNOWN     a check failed, or the API holds no record of the hash (HTTP 404)
  1  PENDING     the API holds the record but has not anchored it yet (HTTP 409)
  2  error       no verdict: bad arguments, an unreadable or malformed file, the RPC node or the API
                 unreachable or answering something unexpected`;

const VERDICT_LINE: Record<CertificateVerdict, string> = {
  valid: "VALID: every check passed",
  revoked: "REVOKED: the record was anchored, then revoked by its municipality",
  superseded: "SUPERSEDED: a newer version replaces this record",
  expired: "EXPIRED: the permit's validity has ended",
  pending: "PENDING: accepted by the API, not anchored on the chain yet",
  unauthorised: "NOT ISSUED: anchored, but no key that held DOCUMENT_ISSUER in its municipality validly signed it (see the failed checks)",
  unknown: "UNKNOWN: this proves nothing on the chain",
};

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function printChecks(checks: readonly Check[], output: Output): void {
  const width = Math.max(...checks.map((check) => check.name.length));
  for (const check of checks) output.out(`  ${check.ok ? "✓" : "✗"} ${check.name.padEnd(width)}  ${check.detail}`);
  output.out("");
}

function verdictLine(verdict: CertificateVerdict, checks: readonly Check[]): string {
  const failed = checks.filter((check) => !check.ok).length;
  return VERDICT_LINE[verdict] + (verdict === "unknown" && checks.length > 0 ? ` (${failed} of ${checks.length} checks failed)` : "");
}

function printVerification(result: BundleVerification, output: Output): void {
  printChecks(result.checks, output);
  output.out(verdictLine(result.verdict, result.checks));
  if (result.issuer) {
    const { address, name, role, municipalityId, municipalityName } = result.issuer;
    output.out(`issuer   ${name ? `${name}, ` : ""}${address} (${role}) of ${municipalityName ?? "municipality"} (${municipalityId}), signature anchored ${iso(result.issuer.signedAt)}`);
  }
}

function printCertificate(result: CertificateVerification, output: Output): void {
  const c = result.certificate;
  if (c && c.version > 0) {
    output.out(`permit   ${c.permitNumber}, version ${c.version} of ${c.currentVersion} (${c.state}), municipality ${c.municipalityName ?? ""} (${c.municipalityId})`);
    output.out("");
  }
  printChecks(result.checks, output);
  if (result.verdict === "unauthorised") output.out("NOT ISSUED: on the PermitRegistry, but the officer who signed it did not hold the issuing role then, or their key is marked compromised");
  else if (result.verdict === "pending") output.out("PENDING: the permit has no certificate yet");
  else output.out(verdictLine(result.verdict, result.checks));
  if (result.issuer) {
    const { address, name, role, municipalityId, signedAt } = result.issuer;
    output.out(`issuer   ${name ? `${name}, ` : ""}${address} (${role}) of ${c?.municipalityName ?? "municipality"} (${municipalityId}), signed ${iso(signedAt)}`);
  }
  if (c && c.version > 0) output.out(`valid    ${c.validUntil === 0 ? "without an end date" : `until ${iso(c.validUntil)}`}`);
  if (result.revocation) {
    const r = result.revocation;
    const words = PERMIT_REVOCATION_REASONS[r.reasonCode]?.en;
    output.out(`revoked  ${r.at ? `${iso(r.at)} ` : ""}by ${r.officerName ? `${r.officerName}, ` : ""}${r.officer}: reason ${r.reasonCode}${words ? ` (${words})` : ""}, reasoned decision's SHA-256 ${r.reasonHash}`);
  }
  if (result.paper === "not-compared") output.out("paper    the QR code's data hash was not compared: the API holds no data hash for this version");
}

function printReceipt(result: ReceiptVerification, output: Output): void {
  printChecks(result.checks, output);
  output.out(
    result.verdict === "valid"
      ? "VALID: every check passed"
      : result.verdict === "pending"
        ? "PENDING: counted on the chain; its Merkle batch is not anchored yet"
        : verdictLine("unknown", result.checks).replace("UNKNOWN", "NOT VALID"),
  );
}

function printComplaint(result: ComplaintVerification, output: Output): void {
  const c = result.complaint;
  if (c) {
    output.out(`complaint ${c.complaintId} of ${c.municipalityName ?? "municipality"} (${c.municipalityId}): ${c.status}, due ${iso(c.dueAt)}${c.overdue ? " (overdue)" : ""}`);
    for (const step of result.history) {
      const who = step.by === "filing" ? "" : ` by ${step.actorName ? `${step.actorName}, ` : ""}${step.actor}${step.by === "officer" ? " (COMPLAINT_OFFICER)" : " (the reporter)"}`;
      output.out(`  ${iso(step.at)}  ${step.status.padEnd(15)}${who}  tx ${step.txHash}`);
    }
    output.out("");
  }
  printChecks(result.checks, output);
  output.out(
    result.verdict === "unauthorised"
      ? "NOT VALID: a status change was made by a key that did not hold COMPLAINT_OFFICER then, or whose key is marked compromised"
      : verdictLine(result.verdict, result.checks),
  );
}

/** Runs `ledger verify <args>`; returns the exit code. */
export async function runVerify(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { rpc: { type: "string" }, api: { type: "string" }, config: { type: "string" }, help: { type: "boolean", short: "h" } },
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
  const [target] = parsed.positionals;
  const rpcUrl = parsed.values.rpc ?? env.LEDGER_RPC_URL ?? DEFAULT_RPC_URL;
  // A QR code's link names the ledger that printed it: the API to ask, unless told otherwise.
  const linkOrigin = /^https?:\/\//i.test(target) && URL.canParse(target) ? new URL(target).origin : undefined;
  const apiUrl = parsed.values.api ?? env.LEDGER_API_URL ?? linkOrigin ?? DEFAULT_API_URL;
  for (const [flag, url] of [["--rpc", rpcUrl], ["--api", apiUrl]]) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      output.err(`ledger verify: ${flag} "${url}" is not an http(s) URL`);
      return 2;
    }
  }

  let provider: JsonRpcProvider | undefined;
  try {
    const source = await resolveSource(target, { apiUrl, configPath: parsed.values.config });
    for (const line of source.origin) output.out(line);
    if (source.kind === "no-bundle") {
      output.out("");
      output.out(`${VERDICT_LINE[source.verdict]}: ${source.reason}`);
      return 1;
    }
    const chainId = source.kind === "bundle" ? source.bundle.chainId : source.kind === "receipt" ? source.receipt.chainId : source.target.chainId;
    if (source.kind === "bundle") {
      const { bundle } = source;
      output.out(`record   municipality ${bundle.municipalityId}, root ${bundle.root}, block ${bundle.blockNumber} of chain ${bundle.chainId}`);
    }
    output.out(`rpc      ${rpcUrl} (every check below asks this node)`);
    output.out("");
    const request = new FetchRequest(rpcUrl);
    request.timeout = RPC_TIMEOUT_MS;
    // Only raw JSON-RPC calls are made: the static network is never consulted, and it keeps ethers from
    // probing the node in the background (which would keep this process alive when the node is down).
    provider = new JsonRpcProvider(request, chainId ?? 1, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    return await check(source, provider, output);
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

async function check(source: Exclude<Source, { kind: "no-bundle" }>, provider: JsonRpcProvider, output: Output): Promise<number> {
  switch (source.kind) {
    case "bundle": {
      const document = source.document;
      const result = await verifyProofBundle(source.bundle, provider, {
        documentBytes: document && "bytes" in document ? document.bytes : undefined,
        documentSha256: document && "sha256" in document ? document.sha256 : undefined,
      });
      printVerification(result, output);
      return result.verdict === "valid" ? 0 : 1;
    }
    case "certificate": {
      const result = await verifyPermitCertificate(provider, source.target, source.options);
      const unknownHere = result.checks.some((c) => c.name === "certificate-known" && !c.ok) && !result.certificate;
      if (source.otherwise && unknownHere) {
        if (source.otherwise.verdict === "error") throw new CliError(source.otherwise.reason);
        output.out(`${VERDICT_LINE.unknown}: ${source.otherwise.reason}`);
        return 1;
      }
      printCertificate(result, output);
      return result.verdict === "valid" ? 0 : 1;
    }
    case "receipt": {
      const result = await verifyPledgeReceipt(source.receipt, provider);
      printReceipt(result, output);
      return result.verdict === "valid" ? 0 : 1;
    }
    case "complaint": {
      const result = await verifyComplaintRecord(provider, source.target, source.claims);
      printComplaint(result, output);
      return result.verdict === "valid" ? 0 : 1;
    }
  }
}

