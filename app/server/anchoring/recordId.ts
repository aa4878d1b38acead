import { randomBytes } from "node:crypto";

/**
 * Record ids: "rec_" + a ULID (26 Crockford base32 characters: 48 bits of milliseconds, then 80 bits
 * of randomness). They sort by acceptance time as plain strings, so "newest first" needs no extra
 * column, and within one millisecond this process makes them increase too (the ULID monotonic rule).
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_BITS = 80n;

let lastTime = -1;
let lastRandom = 0n;

function encode(value: bigint, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

export function newRecordId(now: number = Date.now()): string {
  if (now === lastTime) {
    lastRandom = (lastRandom + 1n) & ((1n << RANDOM_BITS) - 1n);
  } else {
    lastTime = now;
    lastRandom = BigInt(`0x${randomBytes(10).toString("hex")}`);
  }
  return `rec_${encode(BigInt(now), 10)}${encode(lastRandom, 16)}`;
}

export const RECORD_ID_PATTERN = /^rec_[0-9A-HJKMNP-TV-Z]{26}$/;
