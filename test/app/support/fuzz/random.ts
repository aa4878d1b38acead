/**
 * The fuzz test's randomness: one seed decides every request, so a failure prints its seed and comes
 * back with it (FUZZ_SEED=…). mulberry32: small, fast, and the same sequence on every platform.
 */
export class SeededRandom {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  hex(digits: number): string {
    let out = "";
    for (let i = 0; i < digits; i++) out += "0123456789abcdef"[this.int(16)];
    return out;
  }

  /** Letters and digits, as ids and tokens are made of. */
  word(length: number): string {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  /** A fresh sub-sequence: cases built later do not shift when one generator draws more. */
  fork(): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * 4294967296));
  }
}

/**
 * Values no route expects, as text: empty and blank, numbers out of range and of the wrong kind, JSON
 * words, hashes of the wrong length or alphabet, Thai and emoji, markup and injection, dates that do
 * not exist, and sizes far past any field's limit.
 */
export const HOSTILE_TEXTS: readonly string[] = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e309",
  "-0",
  "NaN",
  "Infinity",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "4294967296",
  "18446744073709551616",
  "0x",
  `0x${"0".repeat(64)}`,
  `0x${"G".repeat(64)}`,
  `0x${"a".repeat(63)}`,
  `${"F".repeat(64)}`,
  "rec_",
  "bafkreigh2akiscaildc",
  "ทดสอบ เทศบาล",
  "😀🔥",
  "\u0000",
  "\u202e\u0041",
  "<x>&amp;</x>",
  "]]></x><!--",
  "' OR 1=1 --",
  "../../etc/passwd",
  "a,b,,c",
  "2024-13-45",
  "2024-02-30T25:61:00Z",
  "9".repeat(400),
  "x".repeat(5000),
  "constructor",
  "__proto__",
  "hasOwnProperty",
];

/** Percent-escapes that decode to nothing (or not to UTF-8), for paths and query strings. */
export const BAD_ESCAPES: readonly string[] = ["%zz", "%", "%4", "%E0%A4%A", "%C0%AF", "%FF%FE", "%ED%A0%80", "%%", "%u0041", "%0", "%G1"];

/** A JSON value of any kind, sometimes nested, for a field that expects something else. */
export function hostileJson(random: SeededRandom, depth = 0): unknown {
  switch (random.int(depth > 1 ? 7 : 9)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 4294967296, 2 ** 70]);
    case 3:
      return random.pick(HOSTILE_TEXTS);
    case 4:
      return "y".repeat(random.pick([1_000, 70_000]));
    case 5:
      return `0x${random.hex(64)}`;
    case 6:
      return random.pick(["ROAD", "1", "approve", "reject", "cash"]);
    case 7:
      return Array.from({ length: random.int(4) }, () => hostileJson(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(["a", "__proto__", "constructor", "0", ""]), hostileJson(random, depth + 1)]));
  }
}

/** `[[[…]]]` nested `depth` deep: a body that is valid JSON and no schema's shape. */
export function deeplyNested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}
