// The commands of `ledger` (started by ledger.mjs). Exit codes are shared by every command:
// 0 valid (or: agrees), 1 not valid (or: differs), 2 error.
import { AUDIT_HELP, runAudit } from "./audit.js";
import { runVerify, VERIFY_HELP } from "./verify.js";

const HELP = `Usage: ledger <command> [options]

Commands:
  verify <file | sha256 | proof.json> [--rpc URL] [--api URL]
         check a document, a SHA-256 or a proof bundle directly against the chain
  audit <municipality> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--rpc URL] [--api URL] [--json]
         rebuild a municipality's audit trail from the chain alone and compare it with the API's

Run "ledger <command> --help" for a command's options.
Exit codes: 0 valid / agrees, 1 not valid (revoked, unknown, pending) / differs, 2 error (no verdict).`;

const output = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "verify":
      return runVerify(rest, output);
    case "audit":
      return runAudit(rest, output);
    case "help":
      output.out(rest[0] === "verify" ? VERIFY_HELP : rest[0] === "audit" ? AUDIT_HELP : HELP);
      return 0;
    case "--help":
    case "-h":
      output.out(HELP);
      return 0;
    case undefined:
      output.err(HELP);
      return 2;
    default:
      output.err(`ledger: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
