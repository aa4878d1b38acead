import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EngineError } from "../errors.js";

/**
 * Personal data (names, ID numbers, phone numbers, addresses, complaint texts, photos) is sealed with
 * AES-256-GCM before it leaves the process for IPFS, so IPFS — public or not — only ever holds
 * ciphertext (Thailand's PDPA). Sealed bytes: "PSL1" | 12-byte IV | 16-byte tag | ciphertext; the
 * `context` (what the bytes are, e.g. "complaint") is authenticated too, so sealed data of one kind
 * cannot be passed off as another.
 *
 * The key comes from PERSONAL_DATA_KEY (64 hex digits; what a deployment with several API replicas
 * uses) or else from `<data folder>/keys/personal-data.key`, made on the first start, readable by this
 * user only. Losing the key loses the personal data; the ledger's proofs do not depend on it.
 */
const MAGIC = Buffer.from("PSL1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class PersonalDataVault {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error("the personal-data key must be 32 bytes");
    this.#key = Buffer.from(key);
  }

  /** The vault of a data folder, with the key from the environment or the folder (made if missing). */
  static open(dataDir: string, keyHex = process.env.PERSONAL_DATA_KEY): PersonalDataVault {
    if (keyHex) {
      if (!/^(0x)?[0-9a-fA-F]{64}$/.test(keyHex)) throw new EngineError("config", "PERSONAL_DATA_KEY must be 64 hexadecimal digits");
      return new PersonalDataVault(Buffer.from(keyHex.replace(/^0x/, ""), "hex"));
    }
    const path = join(dataDir, "keys", "personal-data.key");
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
      chmodSync(path, 0o600);
    }
    return new PersonalDataVault(Buffer.from(readFileSync(path, "utf8").trim(), "hex"));
  }

  seal(plain: Uint8Array, context: string): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  }

  /** The plain bytes; throws when the bytes are not sealed by this key for this context. */
  open(sealed: Uint8Array, context: string): Uint8Array {
    const bytes = Buffer.from(sealed);
    if (bytes.length < MAGIC.length + IV_BYTES + TAG_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new Error("not sealed personal data");
    }
    const iv = bytes.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = bytes.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", this.#key, iv);
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  sealJson(value: unknown, context: string): Uint8Array {
    return this.seal(Buffer.from(JSON.stringify(value)), context);
  }

  openJson<T>(sealed: Uint8Array, context: string): T {
    return JSON.parse(Buffer.from(this.open(sealed, context)).toString("utf8")) as T;
  }
}

/** Whether bytes are sealed personal data (the privacy test skips these when it scans IPFS). */
export function isSealed(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC);
}
