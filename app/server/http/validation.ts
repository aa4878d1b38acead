import { z } from "zod";
import { AppError } from "../errors.js";
import { parseCid as parseProfileCid } from "../ipfs/profile.js";

/**
 * A municipality's id as a path or query text ("1" to "4294967295", a Directory id is a uint32) → the
 * number; `error` is what the route answers otherwise (each route says how to name one).
 */
export function parseMunicipalityId(value: unknown, error: () => AppError): number {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 4_294_967_295) throw error();
  return Number(value);
}

/** A SHA-256 as clients may write it (any case, 0x optional) → the canonical 0x-lowercase form. */
export function parseSha256(value: unknown): string {
  if (typeof value !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(value)) throw new AppError("SHA256_INVALID");
  return `0x${value.replace(/^0x/, "").toLowerCase()}`;
}

/** A CID string → its canonical string; 400 for anything else. */
export function parseCid(value: unknown): string {
  try {
    return parseProfileCid(String(value)).toString();
  } catch {
    throw new AppError("CID_INVALID");
  }
}

export function parseRecordId(value: unknown): string {
  if (typeof value !== "string" || !/^rec_[0-9A-Za-z]{10,40}$/.test(value)) throw new AppError("RECORD_ID_INVALID");
  return value;
}

/**
 * Public metadata of an uploaded document. Only public fields may be given (Thailand's PDPA: personal
 * data never goes on the ledger in clear), so the schema is closed: an unknown key is an error.
 */
export const documentMetaSchema = z
  .object({
    municipalityId: z.number().int().positive().max(4_294_967_295).optional(),
    title: z.string().min(1).max(200).optional(),
    documentType: z.string().min(1).max(64).optional(),
    reference: z.string().min(1).max(128).optional(),
  })
  .strict();

export type DocumentMeta = z.infer<typeof documentMetaSchema>;

export function parseDocumentMeta(raw: unknown): DocumentMeta {
  if (raw === undefined || raw === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(String(raw));
  } catch {
    throw new AppError("META_INVALID", "The field `meta` is not valid JSON.");
  }
  const parsed = documentMetaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("META_INVALID", `The field \`meta\` is not valid: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}
