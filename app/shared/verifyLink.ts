// Verify links: what a QR code printed on an official document, a permit certificate or a receipt holds,
// read the same way by the web verifier and `ledger verify`. A document's link may carry its whole proof
// bundle in the fragment (`/verify?sha256=<hash>#b=<bundle>`), packed small enough for a QR code: with it
// the verdict needs only a chain node, neither this service nor a file beside the document. The fragment
// never reaches a server. Only ethers, so it runs in a browser.
import { getAddress, getBytes, hexlify, recoverAddress } from "ethers";
import { batchAnchorDomain, issuanceDigest, issuanceRecordHash } from "./issuance.js";
import { leafOf, rootFromProof } from "./merkleProof.js";
import { PROOF_BUNDLE_FORMAT, type ProofBundle } from "./proofBundle.js";
import { parseProofBundle, ProofBundleError } from "./proofBundleFormat.js";

/** Version byte of the packed bundle: a reader refuses any other. */
const PACKED_VERSION = 1;
const HAS_ISSUANCE = 1;

/**
 * A proof bundle packed for a URL: base64url of a binary layout that leaves out what a verifier derives
 * (the leaf and root from the SHA-256 and the proof, the signer from the signature, the signature's record
 * from the statement). Whatever is derived is still checked against the chain, so a changed byte fails a
 * check; it is never taken on trust. The `recordId` and `cid` are left out. About 700 characters for a
 * document of a batch of 50 signed in a list of 10.
 */
export function packBundle(bundle: ProofBundle): string {
  const out: number[] = [PACKED_VERSION, bundle.issuance ? HAS_ISSUANCE : 0];
  const bytes = (hex: string, length: number) => {
    const b = getBytes(hex);
    if (b.length !== length) throw new RangeError(`expected ${length} bytes, got ${b.length}`);
    out.push(...b);
  };
  const varint = (value: number | bigint | string) => {
    let v = BigInt(value);
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      out.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
  };
  const hashes = (list: readonly string[]) => {
    varint(list.length);
    for (const hash of list) bytes(hash, 32);
  };
  bytes(bundle.sha256, 32);
  varint(bundle.chainId);
  bytes(bundle.contract, 20);
  varint(bundle.municipalityId);
  bytes(bundle.txHash, 32);
  varint(bundle.blockNumber);
  varint(bundle.anchoredAt);
  hashes(bundle.proof);
  const issuance = bundle.issuance;
  if (issuance) {
    varint(issuance.count);
    varint(issuance.nonce);
    varint(issuance.deadline);
    bytes(issuance.signature, 65);
    hashes(issuance.documentProof);
    hashes(issuance.anchor.proof);
    bytes(issuance.anchor.txHash, 32);
    varint(issuance.anchor.blockNumber);
    varint(issuance.anchor.anchoredAt);
  }
  return base64url(Uint8Array.from(out));
}

/** The bundle of {@link packBundle}'s text, derived fields filled in; throws ProofBundleError INVALID_PROOF_BUNDLE. */
export function unpackBundle(text: string): ProofBundle {
  let data: Uint8Array;
  try {
    data = fromBase64url(text);
  } catch {
    throw invalid("not base64url");
  }
  let at = 0;
  const take = (length: number) => {
    if (at + length > data.length) throw invalid("the packed bundle is cut short");
    const slice = data.subarray(at, at + length);
    at += length;
    return hexlify(slice);
  };
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 280n; shift += 7n) {
      if (at >= data.length) throw invalid("the packed bundle is cut short");
      const byte = data[at++];
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw invalid("a number is too long");
  };
  const small = () => {
    const value = varint();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid("a number is too large");
    return Number(value);
  };
  const hashes = () => {
    const length = small();
    if (length > 64) throw invalid("a proof is longer than 64 hashes");
    return Array.from({ length }, () => take(32));
  };
  if (data[at++] !== PACKED_VERSION) throw invalid(`unknown packing version ${data[0]}`);
  const flags = data[at++];
  const sha256 = take(32);
  const chainId = small();
  const contract = getAddress(take(20));
  const municipalityId = small();
  const txHash = take(32);
  const blockNumber = small();
  const anchoredAt = small();
  const proof = hashes();
  const leaf = leafOf(sha256);
  const bundle: Record<string, unknown> = {
    format: PROOF_BUNDLE_FORMAT,
    sha256,
    leaf,
    proof,
    root: rootFromProof(leaf, proof),
    chainId,
    contract,
    municipalityId,
    txHash,
    blockNumber,
    anchoredAt,
  };
  if (flags & HAS_ISSUANCE) {
    const count = small();
    const nonce = varint().toString();
    const deadline = small();
    const signature = take(65);
    const documentProof = hashes();
    const anchorProof = hashes();
    const anchorTx = take(32);
    const anchorBlock = small();
    const anchorTime = small();
    const statement = { municipalityId, documentsRoot: rootFromProof(leafOf(sha256), documentProof), count, nonce, deadline, signer: "", signature };
    const digest = issuanceDigest(statement, batchAnchorDomain(chainId, contract));
    let signer: string;
    try {
      signer = recoverAddress(digest, signature);
    } catch {
      throw invalid("the issuer's signature is malformed");
    }
    const recordHash = issuanceRecordHash(digest, signature);
    const recordLeaf = leafOf(recordHash);
    bundle.issuance = {
      ...statement,
      signer,
      documentProof,
      anchor: { sha256: recordHash, leaf: recordLeaf, proof: anchorProof, root: rootFromProof(recordLeaf, anchorProof), txHash: anchorTx, blockNumber: anchorBlock, anchoredAt: anchorTime },
    };
  }
  if (at !== data.length) throw invalid("bytes left over after the packed bundle");
  return parseProofBundle(bundle);
}

const invalid = (message: string) => new ProofBundleError("INVALID_PROOF_BUNDLE", `not a packed proof bundle: ${message}`, [{ path: "(bundle)", message }]);

/** The verify link of a document with its bundle: `<base>/verify?sha256=<hash>#b=<packed bundle>`. */
export function documentVerifyLink(baseUrl: string, bundle: ProofBundle): string {
  return `${baseUrl.replace(/\/+$/, "")}/verify?sha256=${bundle.sha256}#b=${packBundle(bundle)}`;
}

/** What a verify link (or a QR code) asks about. */
export type VerifyLinkTarget =
  | { kind: "document"; sha256: string; bundle?: ProofBundle }
  | { kind: "permit"; number: string; version?: number; dataHash?: string }
  | { kind: "complaint"; complaintId: string }
  | { kind: "receipt"; receiptId: string };

const SHA256 = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * Reads a verify link: `/verify?sha256=…[#b=…]`, `/verify?permit=…&v=…&h=…` (a certificate's QR code),
 * `/verify?complaint=…`, a receipt's `/api/funds/receipts/<id>` or `/funds/receipts?receipt=<id>`.
 * Returns null for anything else. Throws ProofBundleError for a malformed packed bundle.
 */
export function parseVerifyLink(link: string | URL): VerifyLinkTarget | null {
  let url: URL;
  try {
    url = typeof link === "string" ? new URL(link) : link;
  } catch {
    return null;
  }
  const path = url.pathname.replace(/\/+$/, "");
  const query = url.searchParams;
  const receipt = path.match(/\/api\/funds\/receipts\/([^/]+)$/)?.[1] ?? (path.endsWith("/funds/receipts") ? query.get("receipt") : null);
  if (receipt) return { kind: "receipt", receiptId: decodeURIComponent(receipt) };
  if (!path.endsWith("/verify")) return null;
  const sha256 = query.get("sha256");
  if (sha256 !== null && SHA256.test(sha256.trim())) {
    const hash = `0x${sha256.trim().replace(/^0x/, "").toLowerCase()}`;
    const packed = new URLSearchParams(url.hash.replace(/^#/, "")).get("b");
    return { kind: "document", sha256: hash, ...(packed ? { bundle: unpackBundle(packed) } : {}) };
  }
  const permit = query.get("permit");
  if (permit) {
    const version = query.get("v");
    const dataHash = query.get("h");
    return {
      kind: "permit",
      number: permit,
      ...(version && /^[1-9][0-9]{0,8}$/.test(version) ? { version: Number(version) } : {}),
      ...(dataHash && SHA256.test(dataHash) ? { dataHash: `0x${dataHash.replace(/^0x/, "").toLowerCase()}` } : {}),
    };
  }
  const complaint = query.get("complaint");
  if (complaint && /^0x[0-9a-fA-F]{64}$/.test(complaint)) return { kind: "complaint", complaintId: complaint.toLowerCase() };
  return null;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
