import { randomBytes } from "node:crypto";
import { readAll } from "../../ipfs/readAll.js";
import { AbiCoder, keccak256 } from "ethers";
import { AppError } from "../../errors.js";
import { newTrackingCode, randomSalt, saltedHash, trackingSecret } from "../../privacy/commitments.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { categoryInfo, type CategoryInfo } from "./catalogue.js";
import { SEAL_CONTEXTS } from "./details.js";
import type { FilingRow, SealedPhoto } from "./filingQueue.js";
import { SINGLE_BLOCK_MAX_BYTES } from "../../../shared/singleBlockCid.js";
import { sha256Hex } from "../permits/ledgerReads.js";
import { areaCode, areaName, ComplaintQueries, publicCoordinate, type ComplaintRecord } from "./queries.js";
import { STATUS_NAMES, type ComplaintContent, type FilingProgress } from "../../../shared/complaintAnswers.js";

/**
 * Filing a complaint. Everything the resident wrote (text, address, contact, attributes, media links)
 * is sealed with the vault and stored on IPFS as one bundle; the chain gets only
 *  - contentHash = keccak256(abi.encode(salt, JSON of that content)), the salt inside the sealed bundle,
 *    so nobody can test guesses of a short text against it;
 *  - reporterCommitment = keccak256(abi.encode(trackingSecret(code))), the code handed to the resident
 *    once and stored nowhere;
 *  - the category, and an area code (a ~5 km geohash cell) that is public.
 * The complaint's id is not ours to choose: ComplaintLedger derives it from the municipality, the sender
 * (our relayer) and a filing id, so nobody who copies a pending filing can take its id first. We compute
 * it before sending, to key the filing's row in the durable queue (filingQueue.ts).
 * The filing id is the SHA-256 of the sealed bundle (unpredictable: the sealing's nonce is random), and a
 * bundle is one raw IPFS block, whose CID is that hash: ComplaintFiled names the bundle, so a copy of the
 * ledger with the chain, the IPFS blocks and the vault's key rebuilds what only this service kept
 * (filingRestore.ts). Hence the bundle holds everything the service keeps of a filing, except its id.
 */

export interface ComplaintBundle {
  /** 1: bundles filed before the filing id named them (they held the complaint's id instead). */
  version: 1 | 2;
  salt: string;
  content: ComplaintContent;
  /** Where the resident filed it: web, open311. */
  channel?: string;
  /** The Open311 token handed out with it. */
  token?: string;
  photo?: SealedPhoto | null;
}

/** A sealed bundle is one raw IPFS block, so that its CID is its SHA-256 (singleBlockCid.ts). */
export const BUNDLE_MAX_BYTES = SINGLE_BLOCK_MAX_BYTES;

/**
 * A filing as answered to the resident: accepted, not yet on the chain as deep as the service's
 * CONFIRMATIONS. `complaint` is the filing's own record until the index holds it (see filingView).
 */
export interface Filing {
  complaint: ComplaintRecord;
  trackingCode: string;
  token: string;
  /** The filing transaction, sent but not mined yet. */
  txHash: string | null;
  confirmed: boolean;
  filing?: FilingProgress;
}

export const BUNDLE_CONTEXT = "complaint";

/** The commitment ComplaintLedger keeps for a tracking code. */
export function trackingCommitment(code: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [trackingSecret(code)]));
}

/** ComplaintLedger.complaintIdOf: the id of the complaint `filer` files into `municipalityId` with `filingId`. */
export function complaintIdOf(municipalityId: number, filer: string, filingId: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint32", "address", "bytes32"], [municipalityId, filer, filingId]));
}

export function contentHashOf(salt: string, content: ComplaintContent): string {
  return saltedHash(salt, JSON.stringify(content));
}

/** A photo filed with a complaint: personal data (faces, houses), so sealed before it goes to IPFS. */
export interface FiledPhoto {
  bytes: Uint8Array;
  filename: string | null;
  mediaType: string;
}

/**
 * Accepts a filing: the sealed bundle on IPFS, the filing in the durable queue with its transaction
 * signed and sent (filingQueue.ts), and answers then — not once it is mined and confirmed, which on a
 * real chain takes blocks. The tracking code is handed out here, once; the resident follows the
 * confirmation with it.
 */
export async function fileComplaint(
  ctx: WorkflowContext,
  input: { municipalityId: number; category: string; content: ComplaintContent; channel: string; photo?: FiledPhoto },
): Promise<Filing> {
  let photo: SealedPhoto | null = null;
  if (input.photo) {
    photo = {
      cid: await ctx.ipfs.add(ctx.vault.seal(input.photo.bytes, SEAL_CONTEXTS.photo)),
      sha256: sha256Hex(input.photo.bytes),
      filename: input.photo.filename,
      mediaType: input.photo.mediaType,
    };
    input.content.photoSha256 = photo.sha256;
  }
  const salt = randomSalt();
  const token = randomBytes(16).toString("hex");
  const bundle: ComplaintBundle = { version: 2, salt, content: input.content, channel: input.channel, token, photo };
  const sealed = ctx.vault.sealJson(bundle, BUNDLE_CONTEXT);
  if (sealed.length > BUNDLE_MAX_BYTES) {
    throw new AppError("BODY_INVALID", `The complaint's text and answers take ${sealed.length} bytes sealed; at most ${BUNDLE_MAX_BYTES}.`);
  }
  const filingId = sha256Hex(sealed);
  const cid = await ctx.ipfs.add(sealed);
  const complaintId = complaintIdOf(input.municipalityId, ctx.chain.relayerAddress, filingId);
  const trackingCode = newTrackingCode();
  const { lat, long } = input.content;
  const area = lat !== null && long !== null ? geohash(lat, long, 5) : "";
  const filing = await ctx.complaintFilings.accept({
    complaintId,
    filingId,
    municipalityId: input.municipalityId,
    category: input.category,
    areaCode: areaCode(area),
    contentHash: contentHashOf(salt, input.content),
    reporterCommitment: trackingCommitment(trackingCode),
    bundleCid: cid,
    token,
    lat,
    long,
    channel: input.channel,
    photo,
  });
  return { ...(await filingView(ctx, filing)), trackingCode, token, txHash: filing.txHash };
}

/**
 * A filing the index does not hold yet, as far as it got: once mined, the chain's record of it (the
 * index reads it CONFIRMATIONS blocks later); before, what the filing says — status filed, due after the
 * category's SLA from its acceptance.
 */
export async function filingView(ctx: WorkflowContext, filing: FilingRow): Promise<{ complaint: ComplaintRecord; confirmed: false; filing: FilingProgress }> {
  // Read now: a reorganisation may have taken it off the chain again (the queue then sends it again).
  const onChain = filing.state === "mined" ? await ctx.contracts.complaintLedger.complaint(filing.complaintId).catch(() => null) : null;
  const acceptedAt = Math.floor(filing.createdAt / 1000);
  const slaSeconds = new ComplaintQueries(ctx.db).categories(filing.municipalityId).find((c) => c.category === filing.category)?.slaSeconds ?? 0;
  const status = onChain ? Number(onChain.status) : 1;
  const info = categoryInfo(ctx.towns, filing.municipalityId, filing.category);
  const complaint: ComplaintRecord = {
    complaintId: filing.complaintId,
    municipalityId: filing.municipalityId,
    category: filing.category,
    serviceCode: info.code,
    serviceName: info.name,
    area: areaName(filing.areaCode),
    status,
    detailedStatus: STATUS_NAMES[status],
    // The chain keeps the content hash in the ComplaintFiled event, not in the ledger's record: it is the
    // one this filing sent.
    contentHash: filing.contentHash,
    reporterCommitment: onChain?.reporterCommitment ?? filing.reporterCommitment,
    filedAt: onChain ? Number(onChain.filedAt) : acceptedAt,
    dueAt: onChain ? Number(onChain.dueAt) : acceptedAt + slaSeconds,
    updatedAt: onChain ? Number(onChain.updatedAt) : acceptedAt,
    reopenCount: onChain ? Number(onChain.reopenCount) : 0,
    filedTx: filing.txHash ?? "",
    bundleCid: filing.bundleCid,
    token: filing.token,
    lat: publicCoordinate(filing.lat),
    long: publicCoordinate(filing.long),
  };
  const head = filing.minedBlock !== null ? await ctx.chain.blockNumber() : null;
  return {
    complaint,
    confirmed: false,
    filing: {
      state: filing.state === "confirmed" ? "mined" : filing.state,
      txHash: filing.txHash,
      blockNumber: filing.minedBlock,
      confirmations: head !== null && filing.minedBlock !== null ? Math.max(1, head - filing.minedBlock + 1) : filing.state === "mined" ? 1 : 0,
      error: filing.state === "refused" ? filing.lastError : null,
    },
  };
}

/** Opens a complaint's sealed bundle. */
export async function readBundle(ctx: WorkflowContext, cid: string): Promise<ComplaintBundle> {
  return ctx.vault.openJson<ComplaintBundle>(await readAll(ctx.ipfs, cid), BUNDLE_CONTEXT);
}

/** Checks the attributes a client sent against the service definition of the category (its town's questions). */
export function checkAttributes(info: CategoryInfo, attributes: Record<string, string | string[]>): void {
  for (const attribute of info.attributes) {
    const value = attributes[attribute.code];
    const present = value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0);
    if (!present) {
      if (attribute.required) throw new AppError("ATTRIBUTE_INVALID", `attribute[${attribute.code}] is required.`);
      continue;
    }
    if (attribute.values) {
      const keys = new Set(attribute.values.map((v) => v.key));
      const given = Array.isArray(value) ? value : [value];
      if ((attribute.datatype === "singlevaluelist" && given.length !== 1) || given.some((v) => !keys.has(v))) {
        throw new AppError("ATTRIBUTE_INVALID", `attribute[${attribute.code}] must be one of ${[...keys].join(", ")}.`);
      }
    }
    if (attribute.datatype === "number" && Number.isNaN(Number(value))) {
      throw new AppError("ATTRIBUTE_INVALID", `attribute[${attribute.code}] must be a number.`);
    }
  }
}

const GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/** The geohash cell of a point: precision 5 is about 5 × 5 km, public enough to group complaints by area. */
export function geohash(lat: number, long: number, precision: number): string {
  let [latMin, latMax, longMin, longMax] = [-90, 90, -180, 180];
  let hash = "";
  let bits = 0;
  let value = 0;
  let even = true;
  while (hash.length < precision) {
    if (even) {
      const mid = (longMin + longMax) / 2;
      value = (value << 1) | (long >= mid ? 1 : 0);
      if (long >= mid) longMin = mid;
      else longMax = mid;
    } else {
      const mid = (latMin + latMax) / 2;
      value = (value << 1) | (lat >= mid ? 1 : 0);
      if (lat >= mid) latMin = mid;
      else latMax = mid;
    }
    even = !even;
    if (++bits === 5) {
      hash += GEOHASH_ALPHABET[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

export type { ComplaintContent };
