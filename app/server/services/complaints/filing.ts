import { createHash, randomBytes } from "node:crypto";
import { readAll } from "../../ipfs/readAll.js";
import { AbiCoder, keccak256 } from "ethers";
import { AppError } from "../../errors.js";
import { newTrackingCode, randomSalt, saltedHash, trackingSecret } from "../../privacy/commitments.js";
import type { WorkflowContext } from "../../workflows/context.js";
import type { CategoryInfo } from "./catalogue.js";
import { saveAttachment, SEAL_CONTEXTS } from "./details.js";
import { areaCode, ComplaintQueries, type ComplaintRecord } from "./queries.js";
import type { ComplaintContent } from "../../../shared/complaintAnswers.js";

/**
 * Filing a complaint. Everything the resident wrote (text, address, contact, attributes, media links)
 * is sealed with the vault and stored on IPFS as one bundle; the chain gets only
 *  - contentHash = keccak256(abi.encode(salt, JSON of that content)), the salt inside the sealed bundle,
 *    so nobody can test guesses of a short text against it;
 *  - reporterCommitment = keccak256(abi.encode(trackingSecret(code))), the code handed to the resident
 *    once and stored nowhere;
 *  - the category, and an area code (a ~5 km geohash cell) that is public.
 * The complaint's id is not ours to choose: ComplaintLedger derives it from the municipality, the sender
 * (our relayer) and a random filing id, so nobody who copies a pending filing can take its id first. We
 * compute it before sending, to key the filing's row, and check it against the mined event.
 */

export interface ComplaintBundle {
  version: 1;
  complaintId: string;
  salt: string;
  content: ComplaintContent;
}

export interface Filing {
  complaint: ComplaintRecord;
  trackingCode: string;
  token: string;
  txHash: string;
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

export async function fileComplaint(
  ctx: WorkflowContext,
  input: { municipalityId: number; category: string; content: ComplaintContent; channel: string; photo?: FiledPhoto },
): Promise<Filing> {
  const filingId = `0x${randomBytes(32).toString("hex")}`;
  const complaintId = complaintIdOf(input.municipalityId, ctx.chain.relayerAddress, filingId);
  let sealedPhoto: { cid: string; sha256: string } | null = null;
  if (input.photo) {
    sealedPhoto = { cid: await ctx.ipfs.add(ctx.vault.seal(input.photo.bytes, SEAL_CONTEXTS.photo)), sha256: `0x${createHash("sha256").update(input.photo.bytes).digest("hex")}` };
    input.content.photoSha256 = sealedPhoto.sha256;
  }
  const salt = randomSalt();
  const bundle: ComplaintBundle = { version: 1, complaintId, salt, content: input.content };
  const cid = await ctx.ipfs.add(ctx.vault.sealJson(bundle, BUNDLE_CONTEXT));
  const trackingCode = newTrackingCode();
  const token = randomBytes(16).toString("hex");
  const { lat, long } = input.content;
  const area = lat !== null && long !== null ? geohash(lat, long, 5) : "";

  // The row is written first: were the service to stop after the transaction, the complaint's bundle
  // would still be found. A refused filing takes it back.
  ctx.db
    .prepare(
      "INSERT INTO complaint_filings (complaint_id, municipality_id, bundle_cid, token, lat, long, channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(complaintId, input.municipalityId, cid, token, lat, long, input.channel, Date.now());
  let txHash: string;
  let filedId: string;
  try {
    const mined = await ctx.serviceCalls.send(ctx.contracts.complaintLedger, "file", [
      filingId,
      input.municipalityId,
      input.category,
      areaCode(area),
      contentHashOf(salt, input.content),
      trackingCommitment(trackingCode),
    ]);
    txHash = mined.txHash;
    filedId = String(mined.events.find((event) => event.name === "ComplaintFiled")?.args.complaintId).toLowerCase();
  } catch (error) {
    ctx.db.prepare("DELETE FROM complaint_filings WHERE complaint_id = ?").run(complaintId);
    throw error;
  }
  if (filedId !== complaintId) throw new AppError("INTERNAL", `Transaction ${txHash} filed complaint ${filedId}, not ${complaintId}.`);
  if (sealedPhoto) saveAttachment(ctx, complaintId, txHash, { kind: "photo", ...sealedPhoto, filename: input.photo!.filename, mediaType: input.photo!.mediaType });
  await ctx.catchUpIndex();
  const complaint = new ComplaintQueries(ctx.db).get(complaintId);
  if (!complaint) throw new AppError("INTERNAL", "The filed complaint is not in the index yet.");
  return { complaint, trackingCode, token, txHash };
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
