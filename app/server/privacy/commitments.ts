import { createHash, randomBytes } from "node:crypto";
import { AbiCoder, keccak256 } from "ethers";

/**
 * What of a person the chain may hold: salted hashes only. A salt is 32 random bytes kept (sealed) off
 * the chain; without it the hash of a name or an ID number cannot be guessed by trying candidates.
 */
export function randomSalt(): string {
  return `0x${randomBytes(32).toString("hex")}`;
}

/** keccak256(abi.encode(salt, value)): a commitment to `value` that reveals nothing without the salt. */
export function saltedHash(salt: string, value: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "string"], [salt, value]));
}

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A resident's tracking code: 16 characters of Crockford base32 (80 random bits) in groups of four,
 * e.g. "7K3Q-9PXR-M2D8-WC4T". Whoever holds it may follow and act on their case; it is never stored in
 * clear (see `trackingSecret`).
 */
export function newTrackingCode(): string {
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (byte) => ALPHABET[byte & 31]).join("");
  return chars.match(/.{4}/g)!.join("-");
}

/** The code as typed by a person (any case, with or without dashes, O for 0, I/L for 1) → canonical, or null. */
export function normalizeTrackingCode(input: string): string | null {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(cleaned)) return null;
  return cleaned.match(/.{4}/g)!.join("-");
}

/** The 32-byte secret a tracking code stands for (what a contract commitment is made from). */
export function trackingSecret(code: string): string {
  return `0x${createHash("sha256").update(`public-service-ledger/tracking-code/${code}`).digest("hex")}`;
}
