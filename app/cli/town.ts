// `ledger town`: a town is one file (app/shared/townProfile.ts, docs/towns.md). `apply` makes the chain
// match it with the municipality admin's own key and publishes it; `show` prints what a town published
// and whether the chain still matches it; `key` manages the town's Open311 api keys (townKeys.ts).
import { readFileSync } from "node:fs";
import { planTown } from "../shared/townPlan.js";
import { TownProfileError, parseTownProfile, type TownProfile } from "../shared/townProfile.js";
import { CliError } from "./bundleSource.js";
import { readCommandArgs, usageError } from "./commandArgs.js";
import { DIRECTORY_CALL_OPTIONS, connectLedger, directoryCallHelp, type LedgerChain } from "./directoryCall.js";
import { findMunicipality } from "./municipality.js";
import { applyTownProfile, publishedTown } from "./townApply.js";
import { runTownKey } from "./townKeys.js";
import type { Output } from "./verify.js";

export const TOWN_HELP = `Usage: ledger town <apply | show | key> [options]

A town is one JSON file: its code, Thai and English names, Open311 jurisdiction and api keys, map area,
officers (name, roles, address), permit types (labels, approval roles, validity), complaint categories
(names, SLA, questions) and campaign token. The format: docs/towns.md; examples: scripts/towns/*.json.

  apply FILE [--dry-run]
         make the chain match FILE with the municipality admin's own key — grant and revoke roles,
         publish officers' names, define and retire permit types, set complaint categories — then
         publish the file as the town's profile (its SHA-256 on the chain, its bytes to the API and IPFS).
         Every planned change is printed first; a file already applied changes nothing. A change the
         contracts cannot make (a permit type's approval chain, fixed once defined) stops it before
         anything is sent. --dry-run prints the plan and sends nothing (no key needed).
  show <code | id> [--json]
         the town's published profile, as the API holds it, and whether the chain still matches it
  key create <code | id> --label TEXT [--out-file FILE]
  key revoke <code | id> --sha256 0x…
  key list <code | id>
         the town's Open311 api keys (see "ledger town key --help")

Options:
${directoryCallHelp()}

Exit codes: 0 applied / the chain matches, 1 refused (plan problems, not the admin's key, the chain
refused a transaction) / the chain differs, 2 error (a bad file or arguments, no answer).`;

/** Runs `ledger town <args>`; returns the exit code. */
export async function runTown(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args[0] === "key") return runTownKey(args.slice(1), output, env);
  const parsed = readCommandArgs("town", TOWN_HELP, { ...DIRECTORY_CALL_OPTIONS, "dry-run": { type: "boolean" }, json: { type: "boolean" } }, args, output);
  if (typeof parsed === "number") return parsed;
  const [action, target, ...extra] = parsed.positionals;
  const values = parsed.values;
  if ((action !== "apply" && action !== "show") || target === undefined || extra.length > 0) {
    return usageError("town", 'expected "apply FILE", "show <code | id>" or "key …"', output);
  }
  let profile: TownProfile | undefined;
  if (action === "apply") {
    const read = readTownFile(target, output);
    if (typeof read === "number") return read;
    profile = read;
  }
  let ledger: LedgerChain | undefined;
  try {
    ledger = await connectLedger(values, env);
    if (profile) return await applyTownProfile(ledger, profile, { dryRun: values["dry-run"] === true, keystore: values.keystore, source: target }, env, output);
    return await show(ledger, target, values.json === true, output);
  } catch (error) {
    output.err(`ledger town ${action}: ${(error as Error).message.split("\n").slice(0, error instanceof CliError ? undefined : 1).join("\n")}`);
    return 2;
  } finally {
    ledger?.close();
  }
}

/** The town in `path`, or exit code 2 with every problem of the file printed. */
function readTownFile(path: string, output: Output): TownProfile | number {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    output.err(`ledger town apply: cannot read ${path}: ${(error as Error).message}`);
    return 2;
  }
  try {
    return parseTownProfile(json);
  } catch (error) {
    if (!(error instanceof TownProfileError)) throw error;
    output.err(`ledger town apply: ${path} is not a valid town file (docs/towns.md):`);
    for (const problem of error.problems) output.err(`  ✗ ${problem}`);
    return 2;
  }
}

async function show(ledger: LedgerChain, target: string, json: boolean, output: Output): Promise<number> {
  const { id } = await findMunicipality(ledger.provider, ledger.contracts.directory, target);
  const town = await publishedTown(ledger, id);
  const profile = town.profile ? parseTownProfile(town.profile) : null;
  const plan = profile ? await planTown(ledger.provider, ledger.contracts, ledger.chainId, profile) : null;
  const matches = plan !== null && plan.calls.length === 0 && plan.problems.length === 0;
  if (json) {
    output.out(JSON.stringify({ ...town, profile, chainMatches: matches, differences: plan?.calls.map((call) => call.why) ?? [], problems: plan?.problems ?? [] }, null, 2));
    return matches ? 0 : 1;
  }
  output.out(`${town.code} (municipality ${town.id})  ${town.name.th} / ${town.name.en}`);
  output.out(`admin      ${town.admin}${town.suspended ? "  SUSPENDED" : ""}`);
  if (!profile) {
    output.out(town.profileSha256 ? `profile    ${town.profileSha256}: published, but the API does not hold its bytes` : "profile    none published yet (ledger town apply FILE)");
    return 1;
  }
  output.out(`profile    sha256 ${town.profileSha256}  cid ${town.profileCid}`);
  output.out(`open311    jurisdiction ${profile.open311.jurisdictionId}, ${profile.open311.apiKeys.length} api key${profile.open311.apiKeys.length === 1 ? "" : "s"}`);
  if (profile.fund) output.out(`fund       ${profile.fund.symbol} (${profile.fund.decimals} decimals) ${profile.fund.token}`);
  output.out("officers");
  for (const officer of profile.officers) output.out(`  ${officer.address}  ${officer.roles.join(", ")}  ${officer.name}`);
  output.out("permit types");
  for (const type of profile.permitTypes) {
    const validity = type.validityDays ? `valid ${type.validityDays} days` : "valid for good";
    output.out(`  ${type.code} (${type.abbreviation})  ${type.label.en}: ${type.approvalRoles.join(" → ")}, ${validity}${type.retired ? ", retired" : ""}`);
  }
  output.out("complaint categories");
  for (const category of profile.complaintCategories) {
    output.out(`  ${category.code}  ${category.name.en}: resolved within ${category.slaDays} day${category.slaDays === 1 ? "" : "s"}${category.active ? "" : ", closed to new filings"}`);
  }
  if (matches) {
    output.out("✓ the chain matches the published profile");
    return 0;
  }
  output.out("✗ the chain differs from the published profile; applying it would:");
  for (const call of plan!.calls) output.out(`  - ${call.why}`);
  for (const problem of plan!.problems) output.out(`  ✗ ${problem}`);
  return 1;
}
