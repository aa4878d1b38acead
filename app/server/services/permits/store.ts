import { randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";

/**
 * The permit workflow's own off-chain tables (migration 4): what cannot be rebuilt from the chain —
 * the salt of an applicant commitment, the hash of a tracking code, where sealed files are on IPFS,
 * the data hash of each certificate, and the amendments and revocations awaiting a signature.
 */
export interface ApplicationRow {
  permitId: string;
  number: string;
  municipalityId: number;
  typeCode: string;
  publicFields: PublicPermitFields;
  publicCid: string;
  applicantCid: string;
  salt: string;
  trackingHash: string;
  createdAt: number;
}

export interface PublicPermitFields {
  parcel: string;
  description: { th?: string; en?: string };
}

export type PermitFileKind = "document" | "public-application" | "note" | "reason";

export interface PermitFile {
  kind: PermitFileKind;
  sha256: string;
  cid: string;
  name: string | null;
  mediaType: string | null;
  size: number;
  createdAt: number;
}

export interface Draft<T> {
  draftId: string;
  permitId: string;
  kind: "amendment" | "revocation";
  payload: T;
  createdBy: string;
  usedTxHash: string | null;
}

interface ApplicationDbRow {
  permit_id: string;
  number: string;
  municipality_id: number;
  type_code: string;
  public_fields: string;
  public_cid: string;
  applicant_cid: string;
  salt: string;
  tracking_hash: string;
  created_at: number;
}

export class PermitStore {
  constructor(private readonly db: DatabaseSync) {}

  /** The next free sequence number of `prefix` (e.g. "TH-50-MAEHIA/BLD/2026"), as this service has numbered. */
  nextSequence(prefix: string): number {
    const row = this.db.prepare("SELECT max(sequence) AS last FROM permit_applications WHERE number_prefix = ?").get(prefix) as {
      last: number | null;
    };
    return (row.last ?? 0) + 1;
  }

  /**
   * Reserves a number by inserting its row before the chain is asked: the UNIQUE constraints make two
   * concurrent applications take different numbers. False if the number was taken meanwhile.
   */
  reserve(row: ApplicationRow, prefix: string, sequence: number): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO permit_applications (permit_id, number, number_prefix, sequence, municipality_id, type_code, public_fields,
           public_cid, applicant_cid, salt, tracking_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.permitId,
        row.number,
        prefix,
        sequence,
        row.municipalityId,
        row.typeCode,
        JSON.stringify(row.publicFields),
        row.publicCid,
        row.applicantCid,
        row.salt,
        row.trackingHash,
        row.createdAt,
      );
    return result.changes === 1;
  }

  /** Gives a reserved number back when the chain refused the application. */
  release(permitId: string): void {
    this.db.prepare("DELETE FROM permit_files WHERE permit_id = ?").run(permitId);
    this.db.prepare("DELETE FROM permit_applications WHERE permit_id = ?").run(permitId);
  }

  application(permitId: string): ApplicationRow | null {
    const row = this.db.prepare("SELECT * FROM permit_applications WHERE permit_id = ?").get(permitId) as ApplicationDbRow | undefined;
    if (!row) return null;
    return {
      permitId: row.permit_id,
      number: row.number,
      municipalityId: row.municipality_id,
      typeCode: row.type_code,
      publicFields: JSON.parse(row.public_fields) as PublicPermitFields,
      publicCid: row.public_cid,
      applicantCid: row.applicant_cid,
      salt: row.salt,
      trackingHash: row.tracking_hash,
      createdAt: row.created_at,
    };
  }

  addFile(permitId: string, file: Omit<PermitFile, "createdAt">): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO permit_files (permit_id, kind, sha256, cid, name, media_type, size, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(permitId, file.kind, file.sha256, file.cid, file.name, file.mediaType, file.size, Date.now());
  }

  files(permitId: string, kind?: PermitFileKind): PermitFile[] {
    const rows = this.db
      .prepare("SELECT * FROM permit_files WHERE permit_id = ? AND (? IS NULL OR kind = ?) ORDER BY created_at, rowid")
      .all(permitId, kind ?? null, kind ?? null) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      kind: row.kind as PermitFileKind,
      sha256: String(row.sha256),
      cid: String(row.cid),
      name: (row.name as string | null) ?? null,
      mediaType: (row.media_type as string | null) ?? null,
      size: Number(row.size),
      createdAt: Number(row.created_at),
    }));
  }

  saveCertificateData(certificateHash: string, permitId: string, version: number, dataHash: string, cid: string): void {
    this.db
      .prepare("INSERT OR REPLACE INTO permit_certificate_data (certificate_hash, permit_id, version, data_hash, cid) VALUES (?, ?, ?, ?, ?)")
      .run(certificateHash, permitId, version, dataHash, cid);
  }

  /** The certificate this service rendered with SHA-256 `certificateHash`: its permit, version, data hash and CID. */
  certificateData(certificateHash: string): { permitId: string; version: number; dataHash: string; cid: string } | null {
    const row = this.db
      .prepare("SELECT permit_id, version, data_hash, cid FROM permit_certificate_data WHERE certificate_hash = ?")
      .get(certificateHash.toLowerCase()) as { permit_id: string; version: number; data_hash: string; cid: string } | undefined;
    return row ? { permitId: row.permit_id, version: row.version, dataHash: row.data_hash, cid: row.cid } : null;
  }

  dataHashOf(certificateHash: string): string | null {
    const row = this.db.prepare("SELECT data_hash FROM permit_certificate_data WHERE certificate_hash = ?").get(certificateHash) as
      | { data_hash: string }
      | undefined;
    return row?.data_hash ?? null;
  }

  createDraft<T>(permitId: string, kind: Draft<T>["kind"], payload: T, createdBy: string): Draft<T> {
    const draftId = `drf_${randomBytes(12).toString("hex")}`;
    this.db
      .prepare("INSERT INTO permit_drafts (draft_id, permit_id, kind, payload, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(draftId, permitId, kind, JSON.stringify(payload), createdBy, Date.now());
    return { draftId, permitId, kind, payload, createdBy, usedTxHash: null };
  }

  draft<T>(draftId: string): Draft<T> | null {
    const row = this.db.prepare("SELECT * FROM permit_drafts WHERE draft_id = ?").get(draftId) as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      draftId,
      permitId: String(row.permit_id),
      kind: row.kind as Draft<T>["kind"],
      payload: JSON.parse(String(row.payload)) as T,
      createdBy: String(row.created_by),
      usedTxHash: (row.used_tx_hash as string | null) ?? null,
    };
  }

  /**
   * The public fields stated by certificate `certificateHash` when an amendment relayed here made it; null
   * for a version 1, and for an amendment drafted before drafts kept them.
   */
  amendedFields(permitId: string, certificateHash: string): PublicPermitFields | null {
    const row = this.db
      .prepare(
        `SELECT json_extract(payload, '$.publicFields') AS fields FROM permit_drafts
         WHERE permit_id = ? AND kind = 'amendment' AND used_tx_hash IS NOT NULL AND json_extract(payload, '$.certificateHash') = ?`,
      )
      .get(permitId, certificateHash.toLowerCase()) as { fields: string | null } | undefined;
    return row?.fields ? (JSON.parse(row.fields) as PublicPermitFields) : null;
  }

  markDraftUsed(draftId: string, txHash: string): void {
    this.db.prepare("UPDATE permit_drafts SET used_tx_hash = ? WHERE draft_id = ?").run(txHash, draftId);
  }
}
