// The key a CLI command signs with: the person's or integration's own, never the ledger service's.
import { readFileSync } from "node:fs";
import { Wallet } from "ethers";

/** An encrypted JSON keystore (its password from $LEDGER_KEYSTORE_PASSWORD), or a raw key from $LEDGER_PRIVATE_KEY. */
export async function signerKey(keystore: string | undefined, env: NodeJS.ProcessEnv): Promise<Wallet> {
  if (keystore) {
    const password = env.LEDGER_KEYSTORE_PASSWORD;
    if (password === undefined) throw new Error("set LEDGER_KEYSTORE_PASSWORD to the keystore's password");
    let json: string;
    try {
      json = readFileSync(keystore, "utf8");
    } catch (error) {
      throw new Error(`cannot read the keystore ${keystore}: ${(error as Error).message}`);
    }
    try {
      return (await Wallet.fromEncryptedJson(json, password)) as Wallet;
    } catch (error) {
      throw new Error(`cannot open the keystore ${keystore}: ${(error as Error).message}`);
    }
  }
  const key = env.LEDGER_PRIVATE_KEY;
  if (!key) throw new Error("give --keystore FILE (or set LEDGER_PRIVATE_KEY)");
  try {
    return new Wallet(key);
  } catch {
    throw new Error("LEDGER_PRIVATE_KEY is not a private key");
  }
}
