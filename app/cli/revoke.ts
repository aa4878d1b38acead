// `ledger revoke`: a DOCUMENT_ISSUER revokes an issued document with a reason, signing the revocation with
// their own key; the API relays it and BatchAnchor checks the signature and the role on the chain.
import { existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { sha256 } from "ethers";
import { DOCUMENT_REVOCATION_REASONS, REVOCATION_REASON_MAX_LENGTH, recordRevocationTypedData } from "../shared/issuance.js";
import { parseProofBundle } from "../shared/proofBundleFormat.js";
import { signerKey } from "./signerKey.js";
import { DEFAULT_API_URL, type Output } from "./verify.js";

const codes = Object.entries(DOCUMENT_REVOCATION_REASONS)
  .map(([code, { en }]) => `${code} ${en}`)
  .join(", ");

export const REVOKE_HELP = `Usage: ledger revoke <file | sha256> --reason-code N --reason TEXT --keystore FILE [--api URL]

Revokes an issued document of a municipality, with a reason: signs a RecordRevocation with the
officer's own key (it must hold DOCUMENT_ISSUER in the document's municipality) and sends it through the
ledger API, which relays it; the chain checks the signature and the role. From then on every verifier
says REVOKED, with the reason.

Options:
  --reason-code N   ${codes}
  --reason TEXT     the reason in words (public: no personal data), at most ${REVOCATION_REASON_MAX_LENGTH} characters
  --keystore FILE   the officer's encrypted JSON keystore; its password from $LEDGER_KEYSTORE_PASSWORD
                    (without --keystore, the key is read from $LEDGER_PRIVATE_KEY)
  --municipality N  the document's municipality, when several issued the same document
  --api URL         the ledger API (default: $LEDGER_API_URL, else ${DEFAULT_API_URL})
  -h, --help        this text

Exit codes: 0 revoked, 1 the ledger refused it, 2 error.`;

/** Runs `ledger revoke <args>`; returns the exit code. */
export async function runRevoke(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        "reason-code": { type: "string" },
        reason: { type: "string" },
        keystore: { type: "string" },
        municipality: { type: "string" },
        api: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    output.err(`ledger revoke: ${(error as Error).message}\nRun "ledger revoke --help" for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(REVOKE_HELP);
    return 0;
  }
  const reasonCode = Number(values["reason-code"]);
  const reason = values.reason?.trim() ?? "";
  const municipalityId = values.municipality === undefined ? undefined : Number(values.municipality);
  const apiUrl = (values.api ?? env.LEDGER_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const problem =
    positionals.length !== 1
      ? "name one file or SHA-256"
      : !(reasonCode in DOCUMENT_REVOCATION_REASONS)
        ? `--reason-code must be one of ${Object.keys(DOCUMENT_REVOCATION_REASONS).join(", ")}`
        : reason.length === 0 || reason.length > REVOCATION_REASON_MAX_LENGTH
          ? `--reason must say why, in at most ${REVOCATION_REASON_MAX_LENGTH} characters`
          : municipalityId !== undefined && !(Number.isInteger(municipalityId) && municipalityId >= 1)
            ? "--municipality must be a municipality id"
            : !URL.canParse(apiUrl)
              ? `--api "${apiUrl}" is not a URL`
              : undefined;
  if (problem) {
    output.err(`ledger revoke: ${problem}\nRun "ledger revoke --help" for usage.`);
    return 2;
  }
  const target = positionals[0];
  const documentSha256 =
    existsSync(target) && statSync(target).isFile()
      ? sha256(readFileSync(target))
      : /^(0x)?[0-9a-fA-F]{64}$/.test(target)
        ? `0x${target.replace(/^0x/, "").toLowerCase()}`
        : undefined;
  if (!documentSha256) {
    output.err(`ledger revoke: ${target} is neither a file nor a SHA-256`);
    return 2;
  }

  try {
    const officer = await signerKey(values.keystore, env);
    const proofResponse = await fetch(`${apiUrl}/api/proofs/${documentSha256}`);
    if (!proofResponse.ok) {
      const body = (await proofResponse.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
      output.err(`ledger revoke: no anchored record of ${documentSha256} (${proofResponse.status} ${body?.error?.code ?? ""})`);
      return 1;
    }
    const bundle = parseProofBundle(await proofResponse.json());
    // The signature names the municipality whose batch holds the record (roots are scoped by municipality).
    if (municipalityId !== undefined && municipalityId !== bundle.municipalityId) {
      output.err(`ledger revoke: the service's proof of ${documentSha256} is of municipality ${bundle.municipalityId}, not ${municipalityId}`);
      return 1;
    }
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const { domain, types, value } = recordRevocationTypedData(bundle, reasonCode, reason, deadline);
    const signature = await officer.signTypedData(domain, types, value);
    const response = await fetch(`${apiUrl}/api/documents/${documentSha256}/revocation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ municipalityId: bundle.municipalityId, reasonCode, reason, officer: officer.address, deadline, signature }),
    });
    const body = (await response.json().catch(() => null)) as { txHash?: string; error?: { code: string; message: string } } | null;
    if (!response.ok) {
      output.err(`ledger revoke: refused (${response.status} ${body?.error?.code ?? ""}): ${body?.error?.message ?? "no answer"}`);
      return response.status >= 500 ? 2 : 1;
    }
    output.out(`revoked  ${documentSha256} by ${officer.address}: ${DOCUMENT_REVOCATION_REASONS[reasonCode].en}: ${reason} (transaction ${body?.txHash})`);
    return 0;
  } catch (error) {
    output.err(`ledger revoke: ${(error as Error).message}`);
    return 2;
  }
}
