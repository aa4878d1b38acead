import { IpfsRangeError } from "./types.js";

/** A validated byte range of one file: `length` bytes from `offset`, never past the end. */
export interface ReadRange {
  offset: number;
  length: number;
}

/**
 * Checks `cat`'s offset and length against the file's size the same way for every engine (Helia and
 * Kubo differ on what they reject), and clamps a length that runs past the end, as HTTP Range does.
 */
export function resolveReadRange(cid: string, size: number, options: { offset?: number; length?: number } = {}): ReadRange {
  const offset = options.offset ?? 0;
  const { length } = options;
  const valid =
    Number.isSafeInteger(offset) &&
    offset >= 0 &&
    offset <= size &&
    (length === undefined || (Number.isSafeInteger(length) && length >= 0));
  if (!valid) throw new IpfsRangeError(cid, offset, length, size);
  return { offset, length: Math.min(length ?? size - offset, size - offset) };
}
