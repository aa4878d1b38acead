// `ledger town key`: a town's Open311 api keys are part of its profile (open311.apiKeys holds each key's
// SHA-256, label and creation time), so making or revoking one is publishing a new profile with the
// admin's own key. The key itself is shown once, to whoever made it, and kept nowhere.
import { createHash, randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { parseTownProfile, type TownProfile } from "../shared/townProfile.js";
import { CliError } from "./bundleSource.js";
import { readCommandArgs, usageError } from "./commandArgs.js";
import { DIRECTORY_CALL_OPTIONS, connectLedger, directoryCallHelp, type LedgerChain } from "./directoryCall.js";
import { findMunicipality } from "./municipality.js";
import { applyTownProfile, publishedProfile } from "./townApply.js";
import type { Output } from "./verify.js";

export const TOWN_KEY_HELP = `Usage: ledger town key <create | revoke | list> <code | id> [options]

A town's Open311 api keys (what 311 clients send as api_key) are part of its published profile: the
profile holds each key's SHA-256, label and creation time, never the key. create and revoke take the
profile the town published last (from the API), change its keys and apply it with the municipality
admin's own key, as "ledger town apply" does; keep the town's file in step (ledger town show --json).

  create <code | id> --label TEXT [--out-file FILE]
         make a new random key (o311_…) for a client named TEXT, e.g. "FixMyStreet Yala". The key is
         shown once: written to FILE (a new file, readable by you only) or, without --out-file, printed
  revoke <code | id> --sha256 0x…
         revoke the key whose SHA-256 is given (see list)
  list <code | id> [--json]
         the town's keys: label, SHA-256, created (no key needed)

Options:
${directoryCallHelp()}

Exit codes: 0 done, 1 refused (not the admin's key, the chain refused it), 2 error.`;

/** A new api key, as the server made them before keys were part of the profile. */
const newApiKey = () => `o311_${randomBytes(24).toString("base64url")}`;
const sha256Of = (key: string) => `0x${createHash("sha256").update(key).digest("hex")}`;

/** Runs `ledger town key <args>`; returns the exit code. */
export async function runTownKey(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = readCommandArgs(
    "town key",
    TOWN_KEY_HELP,
    { ...DIRECTORY_CALL_OPTIONS, label: { type: "string" }, "out-file": { type: "string" }, sha256: { type: "string" }, json: { type: "boolean" } },
    args,
    output,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const [action, target, ...extra] = positionals;
  const usage = (message: string) => usageError("town key", message, output);
  if (!["create", "revoke", "list"].includes(action ?? "") || target === undefined || extra.length > 0) return usage('expected "create", "revoke" or "list" and one town (its code or id)');
  const label = values.label?.trim() ?? "";
  if (action === "create" && !(label.length >= 1 && label.length <= 100)) return usage("--label must name the key's client in 1 to 100 characters");
  const sha256 = values.sha256?.toLowerCase() ?? "";
  if (action === "revoke" && !/^0x[0-9a-f]{64}$/.test(sha256)) return usage("--sha256 must be the key's SHA-256: 0x and 64 hex digits (ledger town key list)");

  let ledger: LedgerChain | undefined;
  try {
    ledger = await connectLedger(values, env);
    const { id, code } = await findMunicipality(ledger.provider, ledger.contracts.directory, target!);
    const profile = await publishedProfile(ledger, id);
    const keys = profile.open311.apiKeys;
    if (action === "list") {
      if (values.json) output.out(JSON.stringify({ municipalityId: id, code, apiKeys: keys }, null, 2));
      else if (keys.length === 0) output.out(`${code} has no Open311 api keys (ledger town key create)`);
      else for (const key of keys) output.out(`${key.sha256}  ${key.createdAt}  ${key.label}`);
      return 0;
    }
    const apply = (changed: TownProfile, source: string) =>
      applyTownProfile(ledger!, changed, { dryRun: false, keystore: values.keystore, source }, env, output);
    if (action === "revoke") {
      const revoked = keys.find((key) => key.sha256 === sha256);
      if (!revoked) throw new CliError(`${code} has no api key with the SHA-256 ${sha256} (ledger town key list ${code})`);
      const done = await apply(withKeys(profile, keys.filter((key) => key !== revoked)), `${code}'s profile without the key "${revoked.label}"`);
      if (done === 0) output.out(`revoked the api key "${revoked.label}" (${sha256}) of ${code}`);
      return done;
    }
    return await create(profile, code, label, values["out-file"], apply, output);
  } catch (error) {
    output.err(`ledger town key ${action}: ${(error as Error).message.split("\n").slice(0, error instanceof CliError ? undefined : 1).join("\n")}`);
    return 2;
  } finally {
    ledger?.close();
  }
}

function withKeys(profile: TownProfile, apiKeys: TownProfile["open311"]["apiKeys"]): TownProfile {
  return parseTownProfile({ ...profile, open311: { ...profile.open311, apiKeys } });
}

/**
 * Makes the key, publishes its hash and shows it once. With --out-file the key is written before
 * anything is sent — a key published but lost is a key nobody can use — and the file is removed again
 * when the profile was not applied.
 */
async function create(
  profile: TownProfile,
  code: string,
  label: string,
  outFile: string | undefined,
  apply: (changed: TownProfile, source: string) => Promise<number>,
  output: Output,
): Promise<number> {
  const key = newApiKey();
  const entry = { label, sha256: sha256Of(key), createdAt: new Date().toISOString() };
  if (outFile !== undefined) {
    try {
      writeFileSync(outFile, `${key}\n`, { flag: "wx", mode: 0o600 });
    } catch (error) {
      throw new CliError(`cannot write the key to ${outFile} (an existing file is never overwritten): ${(error as Error).message}`);
    }
  }
  let done = 2;
  try {
    done = await apply(withKeys(profile, [...profile.open311.apiKeys, entry]), `${code}'s profile with the key "${label}"`);
  } finally {
    if (done !== 0 && outFile !== undefined) rmSync(outFile, { force: true });
  }
  if (done !== 0) return done;
  output.out(`made the api key "${label}" of ${code} (jurisdiction_id ${profile.open311.jurisdictionId}), SHA-256 ${entry.sha256}`);
  if (outFile !== undefined) output.out(`the key is in ${outFile}, and nowhere else: hand it to the client, then delete the file`);
  else output.out(`api key (shown this once, kept nowhere): ${key}`);
  return 0;
}
