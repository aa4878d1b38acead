// `ledger key new --out FILE`: a new key in an encrypted JSON keystore (scrypt, the format every
// Ethereum wallet reads), for the relayer, an admin or an integration. The key is made on this machine
// and never printed: only its address is.
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Wallet } from "ethers";

export const KEY_NEW_HELP = `Usage: ledger key new --out FILE

Makes a new key and writes it to FILE as an encrypted JSON keystore, its password from
$LEDGER_KEYSTORE_PASSWORD (at least 12 characters). Prints the key's address. Refuses to overwrite FILE.
Use it for the service's relayer (RELAYER_KEYSTORE), the national admin, a town's admin or an integration
that issues documents (ledger issue --keystore FILE). Keep FILE and its password apart.`;

const MIN_PASSWORD = 12;

export async function runKeyNew(args: string[], output: { out(line: string): void; err(line: string): void }, env = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { out: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    output.err(`ledger key new: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    output.out(KEY_NEW_HELP);
    return 0;
  }
  const file = values.out;
  const password = env.LEDGER_KEYSTORE_PASSWORD;
  if (!file) {
    output.err("ledger key new: give --out FILE");
    return 2;
  }
  if (existsSync(file)) {
    output.err(`ledger key new: ${file} exists; it may hold a key in use, so it is never overwritten`);
    return 2;
  }
  if (!password || password.length < MIN_PASSWORD) {
    output.err(`ledger key new: set LEDGER_KEYSTORE_PASSWORD to a password of at least ${MIN_PASSWORD} characters`);
    return 2;
  }
  const wallet = Wallet.createRandom();
  writeFileSync(file, await wallet.encrypt(password), { mode: 0o600, flag: "wx" });
  output.out(wallet.address);
  return 0;
}
