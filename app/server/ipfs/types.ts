/**
 * What the service needs from IPFS, whichever engine serves it: Helia in this process (embedded) or a
 * Kubo node through its RPC API (scale-out). Both store files as UnixFS with the IPIP-499
 * `unixfs-v1-2025` profile, so the same bytes get the same CID on either engine.
 */
export interface IpfsStore {
  readonly engine: "helia" | "kubo";
  /** Stores `bytes` as one UnixFS file; returns its CIDv1 (base32 string). */
  add(bytes: Uint8Array): Promise<string>;
  /** The file's size in bytes; throws IpfsNotFoundError when this node does not hold it. */
  size(cid: string): Promise<number>;
  /** The file's bytes from `offset` (default 0), at most `length` of them (default: to the end). */
  cat(cid: string, options?: { offset?: number; length?: number }): AsyncIterable<Uint8Array>;
  /** Whether this node holds the whole file locally (never asks the network). */
  has(cid: string): Promise<boolean>;
  /** For /api/health, which anyone may read: no filesystem path, no node address. */
  status(): Promise<{ ok: boolean; detail: string }>;
  stop(): Promise<void>;
}

/** The CID is well-formed but this node does not hold that file. */
export class IpfsNotFoundError extends Error {
  constructor(readonly cid: string) {
    super(`no file with CID ${cid} is stored here`);
    this.name = "IpfsNotFoundError";
  }
}

/** The text is not a CID at all (the API answers 400 before asking an engine). */
export class IpfsInvalidCidError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`not a CID: ${JSON.stringify(input.slice(0, 80))} (${reason})`);
    this.name = "IpfsInvalidCidError";
  }
}

/**
 * `cat` was asked for bytes that cannot exist: a negative or fractional offset or length, or an offset
 * past the end of the file (the gateway answers 416). A length running past the end is not an error;
 * the read stops at the end.
 */
export class IpfsRangeError extends Error {
  constructor(
    readonly cid: string,
    readonly offset: number,
    readonly length: number | undefined,
    readonly size: number,
  ) {
    super(`cannot read ${length ?? "the rest"} bytes at offset ${offset} of ${cid}, whose size is ${size}`);
    this.name = "IpfsRangeError";
  }
}
