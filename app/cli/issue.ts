// `ledger issue`: an integration (an e-Office system, a clerk's script) issues official documents with its
// own key. The files are hashed and the list signed here, with a keystore that never leaves this machine;
// the ledger API only stores, queues and pays for the anchors (it refuses uploads without the signature).
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { sha256, type Wallet } from "ethers";
import { signIssuance } from "../shared/issuance.js";
import { signerKey } from "./signerKey.js";
import { DEFAULT_API_URL, type Output } from "./verify.js";

export const ISSUE_HELP = `Usage: ledger issue <file…> --municipality N --keystore FILE [--api URL]

Issues official documents of a municipality: hashes the files, signs one IssueDocuments statement over
their list with the issuer's own key (EIP-712), and uploads them with it. The key must hold DOCUMENT_ISSUER
in that municipality's on-chain Directory; the ledger refuses anything else (docs/trust-model.md).

Options:
  --municipality N  the municipality's id on the ledger
  --keystore FILE   the issuer's encrypted JSON keystore; its password from $LEDGER_KEYSTORE_PASSWORD
                    (without --keystore, the key is read from $LEDGER_PRIVATE_KEY)
  --api URL         the ledger API (default: $LEDGER_API_URL, else ${DEFAULT_API_URL})
  --valid-for S     seconds the signature may wait before the upload (default 3600)
  -h, --help        this text

Prints one line per file: its SHA-256, record id and status, and the link that verifies it.
Exit codes: 0 every file accepted (or already issued), 1 the ledger refused them, 2 error.`;

/** One request's share: at most this many files and bytes (the API's bulk limits are 1,000 files and UPLOAD_LIMIT_MB). */
const MAX_FILES = 1000;
const MAX_BYTES = 20 * 1024 * 1024;

interface Health {
  chain: { chainId: number; contracts: { batchAnchor: string } };
}

/** Runs `ledger issue <args>`; returns the exit code. */
export async function runIssue(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        municipality: { type: "string" },
        keystore: { type: "string" },
        api: { type: "string" },
        "valid-for": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    output.err(`ledger issue: ${(error as Error).message}\nRun "ledger issue --help" for usage.`);
    return 2;
  }
  const { values, positionals: files } = parsed;
  if (values.help) {
    output.out(ISSUE_HELP);
    return 0;
  }
  const municipalityId = Number(values.municipality);
  const validSeconds = Number(values["valid-for"] ?? 3600);
  const apiUrl = (values.api ?? env.LEDGER_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const problem =
    files.length === 0
      ? "name at least one file"
      : !Number.isInteger(municipalityId) || municipalityId < 1
        ? "--municipality must be a municipality id (a whole number from 1)"
        : !Number.isInteger(validSeconds) || validSeconds < 1
          ? "--valid-for must be a whole number of seconds"
          : !URL.canParse(apiUrl)
            ? `--api "${apiUrl}" is not a URL`
            : undefined;
  if (problem) {
    output.err(`ledger issue: ${problem}\nRun "ledger issue --help" for usage.`);
    return 2;
  }

  let signer: Wallet;
  try {
    signer = await signerKey(values.keystore, env);
  } catch (error) {
    output.err(`ledger issue: ${(error as Error).message}`);
    return 2;
  }

  const documents: { name: string; bytes: Buffer; sha256: string }[] = [];
  for (const file of files) {
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
      const bytes = readFileSync(file);
      if (bytes.length === 0) throw new Error("the file is empty");
      documents.push({ name: basename(file), bytes, sha256: sha256(bytes) });
    } catch (error) {
      output.err(`ledger issue: cannot read ${file}: ${(error as Error).message}`);
      return 2;
    }
  }

  let health: Health;
  try {
    health = (await (await fetch(`${apiUrl}/api/health`)).json()) as Health;
  } catch (error) {
    output.err(`ledger issue: the API at ${apiUrl} did not answer: ${(error as Error).message}`);
    return 2;
  }
  output.out(`issuer   ${signer.address}, municipality ${municipalityId}, chain ${health.chain.chainId}`);

  let refused = false;
  for (const chunk of chunks(documents)) {
    // One signature per request: it covers exactly the files that request carries.
    const issuance = await signIssuance(signer, {
      chainId: health.chain.chainId,
      batchAnchor: health.chain.contracts.batchAnchor,
      municipalityId,
      sha256s: chunk.map((document) => document.sha256),
      validSeconds,
    });
    const form = new FormData();
    form.append("issuance", JSON.stringify(issuance));
    for (const document of chunk) form.append("file", new Blob([document.bytes]), document.name);
    let response: Response;
    try {
      response = await fetch(`${apiUrl}/api/documents/batch`, { method: "POST", body: form });
    } catch (error) {
      output.err(`ledger issue: the API at ${apiUrl} did not answer: ${(error as Error).message}`);
      return 2;
    }
    const body = (await response.json().catch(() => null)) as
      | { documents?: { sha256: string; recordId: string; status: string; created: boolean }[]; error?: { code: string; message: string } }
      | null;
    if (!response.ok || !body?.documents) {
      output.err(`ledger issue: refused (${response.status} ${body?.error?.code ?? ""}): ${body?.error?.message ?? "no answer"}`);
      refused = true;
      if (response.status >= 500 || response.status === 429) return 2;
      continue;
    }
    body.documents.forEach((record, i) => {
      const state = record.created ? record.status : `${record.status}, already issued`;
      output.out(`${chunk[i].name}  ${record.sha256}  ${record.recordId} (${state})  ${apiUrl}/verify?sha256=${record.sha256}`);
    });
  }
  return refused ? 1 : 0;
}

/** The documents in request-sized groups. */
function* chunks<T extends { bytes: Buffer }>(documents: T[]): Generator<T[]> {
  let chunk: T[] = [];
  let bytes = 0;
  for (const document of documents) {
    if (chunk.length > 0 && (chunk.length === MAX_FILES || bytes + document.bytes.length > MAX_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(document);
    bytes += document.bytes.length;
  }
  if (chunk.length > 0) yield chunk;
}
