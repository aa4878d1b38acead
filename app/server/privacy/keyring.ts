import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { EngineError } from "../errors.js";

/**
 * The personal-data keyring: the AES-256 keys the vault (vault.ts) opens sealed data with, one of them
 * current — the one new data is sealed under. Each key is known by its id, the first 8 bytes of its
 * SHA-256 in hex: sealed bytes carry it, so the vault knows which key opens them, and the id says
 * nothing of the key.
 *
 * Where the keys come from (docs/operator-guide.md, "Personal-data key"):
 *  - PERSONAL_DATA_KEY: the current key, 64 hex digits (a secret store's environment); or
 *  - PERSONAL_DATA_KEY_FILE: a keyring file outside the data folder; or, with neither,
 *  - `<data folder>/keys/personal-data.key`, made on the first start (the embedded default).
 * A keyring file holds one key per line, the current one first, older ones after it (they only open);
 * blank lines and lines starting with # are ignored. PERSONAL_DATA_OLD_KEYS adds older keys (comma or
 * space separated) to either. Keys are never written to a log or an error message, only their ids.
 */
export interface PersonalDataKey {
  id: string;
  key: Buffer;
}

export interface PersonalDataKeyring {
  /** Seals everything new. */
  current: PersonalDataKey;
  /** Every key, the current one first: each opens what was sealed under it. */
  keys: PersonalDataKey[];
}

/** Where the embedded default keeps the keyring, inside the data folder. */
export function dataFolderKeyFile(dataDir: string): string {
  return join(dataDir, "keys", "personal-data.key");
}

export function keyIdOf(key: Uint8Array): string {
  return createHash("sha256").update(key).digest().subarray(0, 8).toString("hex");
}

function keyOf(hex: string, where: string): PersonalDataKey {
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(hex)) throw new EngineError("config", `${where} must be 64 hexadecimal digits`);
  const key = Buffer.from(hex.replace(/^0x/, ""), "hex");
  return { id: keyIdOf(key), key };
}

/** The keys of a keyring file, the current one first; a config error (naming the line, never its text) otherwise. */
export function readKeyringFile(path: string): PersonalDataKey[] {
  const keys: PersonalDataKey[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, index) => {
      const text = line.trim();
      if (text && !text.startsWith("#")) keys.push(keyOf(text, `line ${index + 1} of the keyring file ${path}`));
    });
  if (keys.length === 0) throw new EngineError("config", `the keyring file ${path} holds no key`);
  return keys;
}

const KEYRING_HEADER = [
  "# Personal-data keyring (docs/operator-guide.md): one AES-256 key per line, 64 hex digits.",
  "# The first key seals new data; the others only open what was sealed under them. Remove none while",
  "# data sealed under it exists: complaint bundles and certificates keep the key they were sealed under.",
];

/** Writes a keyring file whole (through a file beside it, so a crash leaves the old one), readable by its owner only. */
export function writeKeyringFile(path: string, keys: readonly PersonalDataKey[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  writeFileSync(partial, [...KEYRING_HEADER, ...keys.map((k) => k.key.toString("hex")), ""].join("\n"), { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}

export function newKey(): PersonalDataKey {
  const key = randomBytes(32);
  return { id: keyIdOf(key), key };
}

/** Where the keyring comes from under `env`: the variable that holds the current key, or the keyring file. */
export type KeyringSource = { kind: "env" } | { kind: "file"; path: string; inDataFolder: boolean };

export function keyringSource(dataDir: string, env: NodeJS.ProcessEnv): KeyringSource {
  if (env.PERSONAL_DATA_KEY && env.PERSONAL_DATA_KEY_FILE) {
    throw new EngineError("config", "set PERSONAL_DATA_KEY or PERSONAL_DATA_KEY_FILE, not both");
  }
  if (env.PERSONAL_DATA_KEY) return { kind: "env" };
  if (env.PERSONAL_DATA_KEY_FILE) {
    const path = resolve(env.PERSONAL_DATA_KEY_FILE);
    return { kind: "file", path, inDataFolder: isInside(resolve(dataDir), path) };
  }
  return { kind: "file", path: dataFolderKeyFile(dataDir), inDataFolder: true };
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/**
 * The keyring the service runs with (see the top of this file). The data folder's key file is made on
 * the first start when nothing else is configured; when something else is and that file is still
 * there, its keys open data too (sealed before the key moved out) and `warn` says to move it.
 */
export function loadKeyring(dataDir: string, env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = () => {}): PersonalDataKeyring {
  const source = keyringSource(dataDir, env);
  const keys: PersonalDataKey[] = [];
  if (source.kind === "env") {
    keys.push(keyOf(env.PERSONAL_DATA_KEY!, "PERSONAL_DATA_KEY"));
  } else if (env.PERSONAL_DATA_KEY_FILE) {
    if (!existsSync(source.path)) {
      throw new EngineError("config", `PERSONAL_DATA_KEY_FILE ${source.path} does not exist (make it with \`ledger personal-data-key rotate\`)`);
    }
    keys.push(...readKeyringFile(source.path));
    if (source.inDataFolder) warn("personal data: PERSONAL_DATA_KEY_FILE is inside the data folder, so every copy of the data carries the key; keep it elsewhere");
    if (statSync(source.path).mode & 0o077) warn(`personal data: the keyring file ${source.path} is readable by other users; chmod 600 it`);
  } else {
    if (!existsSync(source.path)) writeKeyringFile(source.path, [newKey()]);
    keys.push(...readKeyringFile(source.path));
  }
  (env.PERSONAL_DATA_OLD_KEYS ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .forEach((hex, index) => keys.push(keyOf(hex, `key ${index + 1} of PERSONAL_DATA_OLD_KEYS`)));
  const legacy = dataFolderKeyFile(dataDir);
  if (env.PERSONAL_DATA_KEY || env.PERSONAL_DATA_KEY_FILE) {
    if (existsSync(legacy) && resolve(legacy) !== (source.kind === "file" ? source.path : "")) {
      keys.push(...readKeyringFile(legacy));
      warn(`personal data: ${legacy} is still in the data folder; its keys open old data, but move them into the keyring (docs/operator-guide.md)`);
    }
  }
  const unique = [...new Map(keys.map((k) => [k.id, k])).values()];
  return { current: unique[0], keys: unique };
}
