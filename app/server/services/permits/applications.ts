import { timingSafeEqual } from "node:crypto";
import { readAll } from "../../ipfs/readAll.js";
import { id } from "ethers";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { newTrackingCode, normalizeTrackingCode, randomSalt, saltedHash, trackingSecret } from "../../privacy/commitments.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { permitTypeLabel } from "./catalog.js";
import { permitIdOf, readMunicipality, readPermit, requireState, sha256Hex } from "./ledgerReads.js";
import type { ApplicationRow, PermitFile, PermitStore } from "./store.js";

/**
 * A resident's application: public fields in clear, personal fields and documents sealed before IPFS,
 * and on the chain only hashes — the SHA-256 of each plain document (the public application document
 * first) and a salted commitment to the applicant.
 */
export const applicationSchema = z
  .object({
    municipalityId: z.number().int().positive().max(4_294_967_295),
    type: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
    parcel: z.string().trim().min(1).max(200),
    description: z.object({ th: z.string().max(1000).optional(), en: z.string().max(1000).optional() }).strict().default({}),
    applicant: z
      .object({
        name: z.string().trim().min(1).max(200),
        nationalId: z
          .string()
          .transform((value) => value.replace(/[\s-]/g, ""))
          .pipe(z.string().regex(/^\d{13}$/, "a Thai ID number has 13 digits")),
        phone: z.string().trim().regex(/^\+?[\d\s-]{6,20}$/),
        address: z.string().trim().min(1).max(500),
      })
      .strict(),
  })
  .strict();

export type ApplicationInput = z.infer<typeof applicationSchema>;
export type Applicant = ApplicationInput["applicant"];

export interface UploadedDocument {
  bytes: Uint8Array;
  name: string | null;
  mediaType: string | null;
}

export const VAULT_CONTEXT = {
  applicant: "permit-applicant",
  document: "permit-document",
  note: "permit-note",
  certificate: "permit-certificate",
  reason: "permit-reason",
} as const;

const NUMBER_ATTEMPTS = 20;

/** The canonical JSON of the applicant (keys sorted): what the on-chain commitment is made of. */
export function canonicalApplicant(applicant: Applicant): string {
  return JSON.stringify({ address: applicant.address, name: applicant.name, nationalId: applicant.nationalId, phone: applicant.phone });
}

export function parseApplication(raw: unknown): ApplicationInput {
  let json: unknown = raw;
  if (typeof raw === "string") {
    try {
      json = JSON.parse(raw);
    } catch {
      throw new AppError("BODY_INVALID", "The field `application` is not valid JSON.");
    }
  }
  const parsed = applicationSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("BODY_INVALID", `The application is not valid: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Seals and stores each document; what the chain gets is the SHA-256 of the plain bytes. */
export async function storeDocuments(ctx: WorkflowContext, documents: UploadedDocument[]) {
  return Promise.all(
    documents.map(async (doc) => ({
      kind: "document" as const,
      sha256: sha256Hex(doc.bytes),
      cid: await ctx.ipfs.add(ctx.vault.seal(doc.bytes, VAULT_CONTEXT.document)),
      name: doc.name,
      mediaType: doc.mediaType,
      size: doc.bytes.length,
    })),
  );
}

export async function applyForPermit(ctx: WorkflowContext, store: PermitStore, input: ApplicationInput, documents: UploadedDocument[]) {
  if (documents.length === 0) throw new AppError("FILE_MISSING", "An application needs at least one document in the field `file`.");
  const municipality = await readMunicipality(ctx, input.municipalityId);
  if (municipality.suspended) throw new AppError("MUNICIPALITY_SUSPENDED");
  const typeId = id(input.type);
  const [roles, , retired] = await ctx.contracts.permitRegistry.permitType(input.municipalityId, typeId);
  if (roles.length === 0 || retired) {
    throw new AppError("PERMIT_TYPE_UNKNOWN", `Permit type ${input.type} is not open in municipality ${input.municipalityId}.`);
  }

  const stored = await storeDocuments(ctx, documents);
  const salt = randomSalt();
  const applicantCommitment = saltedHash(salt, canonicalApplicant(input.applicant));
  const applicantCid = await ctx.ipfs.add(ctx.vault.sealJson(input.applicant, VAULT_CONTEXT.applicant));
  const trackingCode = newTrackingCode();
  const publicFields = { parcel: input.parcel, description: input.description };

  // A readable number under the municipality's Directory code, e.g. TH-50-MAEHIA/BLD/2026/000001 (the
  // contract takes only numbers that begin with the code and "/", so no town takes another's), reserved
  // in the table first (two applications at once take two numbers) and skipped when the chain already
  // knows it (numbered outside this service).
  const year = new Date().toLocaleString("en-US", { timeZone: "Asia/Bangkok", year: "numeric" });
  const prefix = `${municipality.code}/${permitTypeLabel(ctx.towns, input.municipalityId, input.type).abbreviation}/${year}`;
  let sequence = store.nextSequence(prefix);
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++, sequence++) {
    const number = `${prefix}/${String(sequence).padStart(6, "0")}`;
    const permitId = permitIdOf(number);
    if ((await ctx.contracts.permitRegistry.permit(permitId)).state !== 0n) continue;
    // The public application document: what the resident applied for, in clear, its hash first on-chain.
    const publicDocument = Buffer.from(
      JSON.stringify({ format: "public-service-ledger/permit-application@1", number, municipalityId: input.municipalityId, type: input.type, ...publicFields }),
    );
    const publicCid = await ctx.ipfs.add(publicDocument);
    const row: ApplicationRow = {
      permitId,
      number,
      municipalityId: input.municipalityId,
      typeCode: input.type,
      publicFields,
      publicCid,
      applicantCid,
      salt,
      trackingHash: trackingSecret(trackingCode),
      createdAt: Date.now(),
    };
    if (!store.reserve(row, prefix, sequence)) continue;
    const publicFile = {
      kind: "public-application" as const,
      sha256: sha256Hex(publicDocument),
      cid: publicCid,
      name: "application.json",
      mediaType: "application/json",
      size: publicDocument.length,
    };
    const documentHashes = [publicFile.sha256, ...stored.map((doc) => doc.sha256)];
    try {
      const mined = await ctx.serviceCalls.send(ctx.contracts.permitRegistry, "applyForPermit", [
        number,
        input.municipalityId,
        typeId,
        documentHashes,
        applicantCommitment,
      ]);
      for (const file of [publicFile, ...stored]) store.addFile(permitId, file);
      await ctx.catchUpIndex();
      return { number, permitId, trackingCode, txHash: mined.txHash, applicantCommitment, documentHashes };
    } catch (error) {
      store.release(permitId);
      throw error;
    }
  }
  throw new AppError("CHAIN_REJECTED", `No free permit number under ${prefix} after ${NUMBER_ATTEMPTS} attempts.`);
}

/** The application of `number` if `code` is its tracking code; 403 PERMIT_TRACKING_CODE_INVALID otherwise. */
export function requireTrackingCode(store: PermitStore, number: string, code: string | undefined): ApplicationRow {
  const application = store.application(permitIdOf(number));
  const normalized = code ? normalizeTrackingCode(code) : null;
  if (!application || !normalized) throw new AppError("PERMIT_TRACKING_CODE_INVALID");
  const given = Buffer.from(trackingSecret(normalized));
  const expected = Buffer.from(application.trackingHash);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError("PERMIT_TRACKING_CODE_INVALID");
  return application;
}

/** A file of the application as it was uploaded: sealed ones opened, the public application as it is. */
export async function openPermitFile(ctx: WorkflowContext, file: PermitFile): Promise<Uint8Array> {
  const stored = await readAll(ctx.ipfs, file.cid);
  return file.kind === "public-application" ? stored : ctx.vault.open(stored, VAULT_CONTEXT[file.kind]);
}

export async function openApplicant(ctx: WorkflowContext, application: ApplicationRow): Promise<Applicant> {
  return ctx.vault.openJson<Applicant>(await readAll(ctx.ipfs, application.applicantCid), VAULT_CONTEXT.applicant);
}

/** Documents added by a permit officer before the application is complete (sealed, hashes on-chain). */
export async function addDocuments(ctx: WorkflowContext, store: PermitStore, number: string, documents: UploadedDocument[]) {
  if (documents.length === 0) throw new AppError("FILE_MISSING");
  const permit = await readPermit(ctx, number);
  requireState(permit, "Applied");
  const stored = await storeDocuments(ctx, documents);
  const mined = await ctx.serviceCalls.send(ctx.contracts.permitRegistry, "addDocuments", [permit.permitId, stored.map((doc) => doc.sha256)]);
  for (const file of stored) store.addFile(permit.permitId, file);
  await ctx.catchUpIndex();
  return { number, txHash: mined.txHash, documentHashes: stored.map((doc) => doc.sha256) };
}
