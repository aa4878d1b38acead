// `ledger personal-data-key <rotate | list>`: the keyring that seals residents' personal data
// (app/server/privacy/keyring.ts). Run on the service's machine with the service's environment
// (DATA_DIR, PERSONAL_DATA_KEY_FILE, …). Keys are never printed: only their ids.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EngineError } from "../server/errors.js";
import { dataFolderKeyFile, keyringSource, loadKeyring, newKey, readKeyringFile, writeKeyringFile, type PersonalDataKey } from "../server/privacy/keyring.js";

export const PERSONAL_DATA_KEY_HELP = `Usage: ledger personal-data-key <rotate | list> [--data-dir DIR]

The keys that seal residents' personal data before IPFS, configured as the service's are:
PERSONAL_DATA_KEY_FILE (a keyring file outside the data folder), PERSONAL_DATA_KEY with
PERSONAL_DATA_OLD_KEYS (the environment), or else DATA_DIR/keys/personal-data.key.

  rotate   make a new key and make it the current one: it goes first in the keyring file, the keys
           before it stay there to open older data. Then restart the service: it seals new data under
           the new key and re-seals in the background what the database names. Keep the older keys:
           complaint bundles and certificates stay sealed under theirs (docs/operator-guide.md).
           A keyring file that does not exist yet is made, with the data folder's key file's keys
           after the new one when that file exists (moving the keys out of the data folder).
  list     the keys' ids, the current one first, and where they come from.

--data-dir DIR is the service's DATA_DIR (default: $DATA_DIR, or .data as the service's).`;

type Output = { out(line: string): void; err(line: string): void };

export function runPersonalDataKey(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): number {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { "data-dir": { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    output.err(`ledger personal-data-key: ${(error as Error).message}`);
    return 2;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || !command) {
    (command || parsed.values.help ? output.out : output.err)(PERSONAL_DATA_KEY_HELP);
    return parsed.values.help ? 0 : 2;
  }
  // The service's own default (config.ts): the data folder in the directory it starts from.
  const dataDir = resolve(parsed.values["data-dir"] ?? env.DATA_DIR ?? ".data");
  try {
    if (command === "rotate") return rotate(dataDir, output, env);
    if (command === "list") return list(dataDir, output, env);
  } catch (error) {
    if (error instanceof EngineError) {
      output.err(`ledger personal-data-key: ${error.message}`);
      return 2;
    }
    throw error;
  }
  output.err(`ledger personal-data-key: unknown command "${command}"\n\n${PERSONAL_DATA_KEY_HELP}`);
  return 2;
}

function rotate(dataDir: string, output: Output, env: NodeJS.ProcessEnv): number {
  const source = keyringSource(dataDir, env);
  if (source.kind === "env") {
    output.err(
      "ledger personal-data-key: the current key is in PERSONAL_DATA_KEY, which this command cannot change. Put a new key there " +
        "(64 hex digits, e.g. `openssl rand -hex 32`) and add the one it replaces to PERSONAL_DATA_OLD_KEYS; or move to a keyring " +
        "file: set PERSONAL_DATA_KEY_FILE instead, write the current key in it, and run this again.",
    );
    return 1;
  }
  let kept: PersonalDataKey[] = [];
  let movedOut = false;
  if (existsSync(source.path)) {
    kept = readKeyringFile(source.path);
  } else if (existsSync(dataFolderKeyFile(dataDir))) {
    kept = readKeyringFile(dataFolderKeyFile(dataDir));
    movedOut = true;
  }
  const key = newKey();
  writeKeyringFile(source.path, [key, ...kept.filter((k) => k.id !== key.id)]);
  output.out(`key ${key.id} is now the current personal-data key in ${source.path}`);
  if (kept.length) output.out(`kept to open older data: ${kept.map((k) => k.id).join(", ")}`);
  if (movedOut) output.out(`the keys of ${dataFolderKeyFile(dataDir)} are in the new keyring: back it up, then delete that file from the data folder`);
  if (source.inDataFolder) output.out("the keyring is inside the data folder: every copy of the data carries it; set PERSONAL_DATA_KEY_FILE to a path outside it");
  output.out("restart the service to seal under the new key; it then re-seals in the background what its database names");
  return 0;
}

function list(dataDir: string, output: Output, env: NodeJS.ProcessEnv): number {
  const source = keyringSource(dataDir, env);
  if (source.kind === "file" && !env.PERSONAL_DATA_KEY_FILE && !existsSync(source.path)) {
    output.err(`ledger personal-data-key: no keyring yet: ${source.path} is made on the service's first start`);
    return 1;
  }
  const keyring = loadKeyring(dataDir, env, (warning) => output.err(warning));
  output.out(`from ${source.kind === "env" ? "PERSONAL_DATA_KEY" : source.path}${env.PERSONAL_DATA_OLD_KEYS ? " and PERSONAL_DATA_OLD_KEYS" : ""}:`);
  for (const key of keyring.keys) output.out(`${key.id}  ${key === keyring.current ? "current: seals new data" : "older: opens what was sealed under it"}`);
  return 0;
}
