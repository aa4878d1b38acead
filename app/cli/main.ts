// The commands of `ledger` (started by ledger.mjs). Exit codes are shared by every command:
// 0 valid (or: agrees, done), 1 not valid (or: differs, refused), 2 error.
import { AUDIT_HELP, runAudit } from "./audit.js";
import { COMPROMISE_HELP, NAME_OFFICER_HELP, runCompromise, runNameOfficer } from "./compromise.js";
import { ISSUE_HELP, runIssue } from "./issue.js";
import { KEY_NEW_HELP, runKeyNew } from "./keyNew.js";
import { MUNICIPALITY_HELP, runMunicipality } from "./municipality.js";
import { PERSONAL_DATA_KEY_HELP, runPersonalDataKey } from "./personalDataKey.js";
import { REVOKE_HELP, runRevoke } from "./revoke.js";
import { runTown, TOWN_HELP } from "./town.js";
import { TOWN_KEY_HELP } from "./townKeys.js";
import { runVerify, VERIFY_HELP } from "./verify.js";

const HELP = `Usage: ledger <command> [options]

Commands:
  verify <file | sha256 | permit number | complaint:<id> | verify link> [--rpc URL] [--api URL] [--config FILE|URL]
         check a document, a proof bundle, a permit certificate, a pledge receipt or a complaint
         directly against the chain
  issue <file…> --municipality N --keystore FILE [--api URL]
         issue official documents: sign their list with the issuer's own key and upload them
  revoke <file | sha256> --reason-code N --reason TEXT --keystore FILE [--api URL]
         revoke an issued document, signed with the officer's own key
  compromise --municipality N --account ADDRESS --since TIME --keystore FILE [--rpc URL]
         (a municipality's admin) mark an officer's key compromised from a time on
  name-officer --municipality N --account ADDRESS --name TEXT --keystore FILE [--rpc URL]
         (a municipality's admin) publish an officer's name, shown by every verifier
  municipality <add | suspend | reinstate | set-admin | list> [--keystore FILE] [--rpc URL] [--api URL]
         (the national admin) add a municipality, suspend or reinstate it, name its admin; list them
  town apply FILE [--dry-run] [--keystore FILE] [--rpc URL] [--api URL]
         (a municipality's admin) make the chain match a town file (docs/towns.md) and publish it
  town show <code | id> [--json]
         a town's published profile, and whether the chain matches it
  town key <create | revoke | list> <code | id> [--label TEXT] [--sha256 0x…]
         (a municipality's admin) the town's Open311 api keys
  key new --out FILE
         make a key in an encrypted keystore (relayer, admin, integration); prints its address
  personal-data-key <rotate | list> [--data-dir DIR]
         (the service's operator) make a new key that seals residents' personal data; list the keys' ids
  audit <municipality> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--rpc URL] [--api URL] [--json]
         rebuild a municipality's audit trail from the chain alone and compare it with the API's

Run "ledger <command> --help" for a command's options.
Exit codes: 0 valid / agrees / done, 1 not valid (revoked, unknown, pending) / differs / refused (by the
chain, or a town file's plan has problems), 2 error (no verdict, bad input).`;

const output = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "verify":
      return runVerify(rest, output);
    case "issue":
      return runIssue(rest, output);
    case "revoke":
      return runRevoke(rest, output);
    case "compromise":
      return runCompromise(rest, output);
    case "name-officer":
      return runNameOfficer(rest, output);
    case "municipality":
      return runMunicipality(rest, output);
    case "key":
      if (rest[0] !== "new") {
        output.err(`ledger key: the only command is "key new"\n\n${KEY_NEW_HELP}`);
        return 2;
      }
      return runKeyNew(rest.slice(1), output);
    case "town":
      return runTown(rest, output);
    case "personal-data-key":
      return runPersonalDataKey(rest, output);
    case "audit":
      return runAudit(rest, output);
    case "help":
      output.out({ verify: VERIFY_HELP, audit: AUDIT_HELP, issue: ISSUE_HELP, revoke: REVOKE_HELP, compromise: COMPROMISE_HELP, "name-officer": NAME_OFFICER_HELP, municipality: MUNICIPALITY_HELP, key: KEY_NEW_HELP, "personal-data-key": PERSONAL_DATA_KEY_HELP, town: rest[1] === "key" ? TOWN_KEY_HELP : TOWN_HELP }[rest[0]] ?? HELP);
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
