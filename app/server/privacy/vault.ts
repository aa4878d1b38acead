import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "../errors.js";
import { loadKeyring, type PersonalDataKey, type PersonalDataKeyring } from "./keyring.js";

/**
 * Personal data (names, ID numbers, phone numbers, addresses, complaint texts, photos) is sealed with
 * AES-256-GCM before it leaves the process for IPFS, so IPFS — public or not — only ever holds
 * ciphertext (Thailand's PDPA). The `context` (what the bytes are, e.g. "complaint") is authenticated
 * too, so sealed data of one kind cannot be passed off as another.
 *
 * Sealed bytes, version 2: "PSL2" | 8-byte key id | 12-byte IV | 16-byte tag | ciphertext, the header
 * (magic and key id) authenticated with the context. The key id names the keyring's key (keyring.ts)
 * that opens them, so keys can rotate: new data is sealed under the current key, older data opens
 * under the key it names, and the re-sealing job (services/resealing.ts) moves what the database
 * names to the current key. Version 1 ("PSL1" | IV | tag | ciphertext, the context alone
 * authenticated), sealed before keys had ids, opens under whichever key of the keyring fits.
 * Losing a key loses the personal data sealed under it; the ledger's proofs do not depend on it.
 */
const MAGIC_V1 = Buffer.from("PSL1");
const MAGIC_V2 = Buffer.from("PSL2");
const MAGIC_BYTES = 4;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The header of version 2: magic and key id, what `sealedHeader` gives for a key. */
const SEALED_HEADER_BYTES = MAGIC_BYTES + KEY_ID_BYTES;

export class PersonalDataVault {
  readonly #current: PersonalDataKey;
  readonly #byId: Map<string, Buffer>;

  constructor(keyring: PersonalDataKeyring) {
    this.#current = keyring.current;
    this.#byId = new Map(keyring.keys.map((k) => [k.id, k.key]));
  }

  /** The vault of a data folder, with its keyring as `env` configures it (keyring.ts). */
  static open(dataDir: string, env: NodeJS.ProcessEnv = process.env, warn?: (message: string) => void): PersonalDataVault {
    return new PersonalDataVault(loadKeyring(dataDir, env, warn));
  }

  /** The id of the key new data is sealed under. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** The ids of every key the vault opens with, the current one first. */
  get keyIds(): string[] {
    return [...this.#byId.keys()];
  }

  seal(plain: Uint8Array, context: string): Uint8Array {
    const header = sealedHeader(this.#current.id);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#current.key, iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(context)]));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  }

  /**
   * The plain bytes. Throws AppError PERSONAL_DATA_KEY_MISSING when the keyring lacks the key they
   * were sealed under, and a plain error when they are not sealed, damaged, or sealed for another context.
   */
  open(sealed: Uint8Array, context: string): Uint8Array {
    const bytes = Buffer.from(sealed);
    const version = sealedVersion(bytes);
    if (version === 2) {
      const id = bytes.subarray(MAGIC_BYTES, SEALED_HEADER_BYTES).toString("hex");
      const key = this.#byId.get(id);
      if (!key) throw missingKey(`It is sealed under key ${id}, which is not in the keyring.`);
      return decrypt(key, bytes.subarray(0, SEALED_HEADER_BYTES), bytes.subarray(SEALED_HEADER_BYTES), context);
    }
    if (version === 1) {
      const body = bytes.subarray(MAGIC_BYTES);
      for (const key of this.#byId.values()) {
        try {
          return decrypt(key, Buffer.alloc(0), body, context);
        } catch {
          // Another key of the keyring, or none: version 1 names no key.
        }
      }
      throw missingKey("It was sealed before keys had ids, and no key of the keyring opens it for this use.");
    }
    throw new Error("not sealed personal data");
  }

  sealJson(value: unknown, context: string): Uint8Array {
    return this.seal(Buffer.from(JSON.stringify(value)), context);
  }

  openJson<T>(sealed: Uint8Array, context: string): T {
    return JSON.parse(Buffer.from(this.open(sealed, context)).toString("utf8")) as T;
  }
}

function decrypt(key: Buffer, header: Buffer, rest: Buffer, context: string): Buffer {
  const iv = rest.subarray(0, IV_BYTES);
  const tag = rest.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.concat([header, Buffer.from(context)]));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(rest.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

function missingKey(why: string): AppError {
  return new AppError("PERSONAL_DATA_KEY_MISSING", `This personal data cannot be opened: ${why} The operator must put the key back in the keyring (docs/operator-guide.md).`);
}

/** 1 or 2 for sealed bytes of that version, 0 for anything else. */
function sealedVersion(bytes: Uint8Array): 0 | 1 | 2 {
  const magic = Buffer.from(bytes.subarray(0, MAGIC_BYTES));
  if (magic.equals(MAGIC_V2) && bytes.length >= SEALED_HEADER_BYTES + IV_BYTES + TAG_BYTES) return 2;
  if (magic.equals(MAGIC_V1) && bytes.length >= MAGIC_BYTES + IV_BYTES + TAG_BYTES) return 1;
  return 0;
}

/** The first bytes of what `keyId` seals: a sealed blob under another key (or of version 1) starts otherwise. */
export function sealedHeader(keyId: string): Buffer {
  return Buffer.concat([MAGIC_V2, Buffer.from(keyId, "hex")]);
}

/** The id of the key sealed bytes name; null for version 1 (sealed before key ids), undefined when not sealed. */
export function sealedKeyId(bytes: Uint8Array): string | null | undefined {
  const version = sealedVersion(bytes);
  if (version === 2) return Buffer.from(bytes.subarray(MAGIC_BYTES, SEALED_HEADER_BYTES)).toString("hex");
  return version === 1 ? null : undefined;
}

/** Whether bytes are sealed personal data (the privacy test skips these when it scans IPFS). */
export function isSealed(bytes: Uint8Array): boolean {
  return sealedVersion(bytes) !== 0;
}
