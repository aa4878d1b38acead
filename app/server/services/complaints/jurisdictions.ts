import { createHash, randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../../errors.js";

/**
 * Open311 jurisdictions and their api keys. Each municipality answers under its own `jurisdiction_id`
 * (e.g. "maehia.go.th") and lets clients file with its own keys; a key is shown once when made and
 * kept as its SHA-256 only.
 *
 * The demo municipality's key is fixed and public — like the development keys it exists on the
 * embedded chain only, so that any 311 client can try the demo at once.
 */
export const DEMO_JURISDICTION = "maehia.go.th";
export const DEMO_API_KEY = "maehia-demo-open311-key";
const DEMO_MUNICIPALITY = 1;

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export class Open311Jurisdictions {
  constructor(private readonly db: DatabaseSync) {}

  /** On the embedded chain: the demo jurisdiction and its public key (idempotent). */
  ensureDemo(): void {
    this.db
      .prepare("INSERT OR IGNORE INTO open311_jurisdictions (jurisdiction_id, municipality_id, created_at) VALUES (?, ?, ?)")
      .run(DEMO_JURISDICTION, DEMO_MUNICIPALITY, Date.now());
    this.db
      .prepare(
        "INSERT OR IGNORE INTO open311_api_keys (key_hash, jurisdiction_id, label, created_by, created_at) VALUES (?, ?, 'demo (embedded chain only)', 'demo', ?)",
      )
      .run(hashKey(DEMO_API_KEY), DEMO_JURISDICTION, Date.now());
  }

  /** The municipality of a jurisdiction_id; without one, the only jurisdiction this server has. */
  municipalityOf(jurisdictionId: string | undefined): { jurisdictionId: string; municipalityId: number } {
    if (jurisdictionId === undefined || jurisdictionId === "") {
      const rows = this.db.prepare("SELECT jurisdiction_id, municipality_id FROM open311_jurisdictions LIMIT 2").all() as Array<{
        jurisdiction_id: string;
        municipality_id: number;
      }>;
      if (rows.length === 1) return { jurisdictionId: rows[0].jurisdiction_id, municipalityId: rows[0].municipality_id };
      throw new AppError(rows.length === 0 ? "OPEN311_JURISDICTION_UNKNOWN" : "OPEN311_JURISDICTION_REQUIRED");
    }
    const row = this.db.prepare("SELECT municipality_id FROM open311_jurisdictions WHERE jurisdiction_id = ?").get(jurisdictionId) as
      | { municipality_id: number }
      | undefined;
    if (!row) throw new AppError("OPEN311_JURISDICTION_UNKNOWN", `No jurisdiction "${jurisdictionId}" on this Open311 server.`);
    return { jurisdictionId, municipalityId: row.municipality_id };
  }

  /** 403 unless `apiKey` is a live key of `jurisdictionId`. */
  requireKey(jurisdictionId: string, apiKey: unknown): void {
    if (typeof apiKey !== "string" || apiKey === "") throw new AppError("OPEN311_API_KEY_INVALID", "api_key is required to submit a request.");
    const row = this.db
      .prepare("SELECT 1 FROM open311_api_keys WHERE key_hash = ? AND jurisdiction_id = ? AND revoked_at IS NULL")
      .get(hashKey(apiKey), jurisdictionId);
    if (!row) throw new AppError("OPEN311_API_KEY_INVALID");
  }

  /**
   * A new api key for `municipalityId` under `jurisdictionId` (made if it does not exist yet); the
   * caller has checked that `createdBy` administers the municipality. The key is returned once.
   */
  createKey(municipalityId: number, jurisdictionId: string, label: string, createdBy: string): string {
    const existing = this.db.prepare("SELECT jurisdiction_id, municipality_id FROM open311_jurisdictions WHERE jurisdiction_id = ? OR municipality_id = ?").all(
      jurisdictionId,
      municipalityId,
    ) as Array<{ jurisdiction_id: string; municipality_id: number }>;
    if (existing.some((row) => row.jurisdiction_id !== jurisdictionId || row.municipality_id !== municipalityId)) {
      throw new AppError("OPEN311_JURISDICTION_TAKEN", `"${jurisdictionId}" or municipality ${municipalityId} already has another jurisdiction.`);
    }
    if (existing.length === 0) {
      this.db
        .prepare("INSERT INTO open311_jurisdictions (jurisdiction_id, municipality_id, created_at) VALUES (?, ?, ?)")
        .run(jurisdictionId, municipalityId, Date.now());
    }
    const key = `o311_${randomBytes(24).toString("base64url")}`;
    this.db
      .prepare("INSERT INTO open311_api_keys (key_hash, jurisdiction_id, label, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(hashKey(key), jurisdictionId, label, createdBy, Date.now());
    return key;
  }

  list(): Array<{ jurisdictionId: string; municipalityId: number }> {
    const rows = this.db.prepare("SELECT jurisdiction_id, municipality_id FROM open311_jurisdictions ORDER BY municipality_id").all() as Array<{
      jurisdiction_id: string;
      municipality_id: number;
    }>;
    return rows.map((row) => ({ jurisdictionId: row.jurisdiction_id, municipalityId: row.municipality_id }));
  }
}
