import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { IssuanceStatement } from "../../../shared/issuance.js";
import type { AuditRecord, TrailAnnotations } from "../../../shared/trailRecords.js";
import type { TrailFacts } from "../../../shared/trailWords.js";

interface RecordRow {
  kind: string;
  sha256: string;
  municipality_id: number;
  leaf: string;
  proof: string | null;
  meta: string | null;
}

const NONE: TrailAnnotations = { records: null, reasonWords: null };

/**
 * What this service knows of an anchored batch or a revoked record beyond the chain (shared/trailRecords.ts):
 * the records it anchored in the batch with their proofs, who issued each document (the signed statement
 * kept as its issuance record, and the signer's name as published on the chain), and the words of a
 * document's revocation. A batch another service anchored has no records here.
 */
export class ServiceAnnotations {
  readonly #batch: StatementSync;
  readonly #revoked: StatementSync;
  readonly #issuance: StatementSync;
  readonly #words: StatementSync;

  constructor(db: DatabaseSync, private readonly facts: TrailFacts) {
    const select = `SELECT r.kind, r.sha256, r.municipality_id, r.leaf, r.proof, r.meta
      FROM records r JOIN anchor_batches b ON b.batch_id = r.batch_id WHERE b.municipality_id = ? AND b.root = ?`;
    this.#batch = db.prepare(`${select} ORDER BY r.record_id`);
    this.#revoked = db.prepare(`${select} AND r.leaf = ?`);
    this.#issuance = db.prepare("SELECT meta FROM records WHERE sha256 = ? AND municipality_id = ? AND kind = 'issuance'");
    this.#words = db.prepare("SELECT reason FROM document_revocation_reasons WHERE reason_hash = ?");
  }

  /** The annotations of one trail event: BatchAnchored and RecordRevoked have some, no other event does. */
  of(event: { event: string; contract: string; args: Record<string, unknown> }): TrailAnnotations {
    if (event.contract !== "batchAnchor") return NONE;
    // Roots are scoped by municipality: another municipality's batch with the same root is not this one.
    const municipalityId = Number(event.args.municipalityId);
    const root = String(event.args.root);
    if (event.event === "BatchAnchored") {
      const rows = this.#batch.all(municipalityId, root) as unknown as RecordRow[];
      return { records: rows.length > 0 ? rows.map((row) => this.#record(row, true)) : null, reasonWords: null };
    }
    if (event.event === "RecordRevoked") {
      const row = this.#revoked.get(municipalityId, root, String(event.args.leaf)) as RecordRow | undefined;
      const words = this.#words.get(String(event.args.reasonHash)) as { reason: string } | undefined;
      return { records: row ? [this.#record(row, false)] : null, reasonWords: words?.reason ?? null };
    }
    return NONE;
  }

  #record(row: RecordRow, withProof: boolean): AuditRecord {
    const meta = row.meta === null ? null : (JSON.parse(row.meta) as Record<string, unknown>);
    let statement: IssuanceStatement | undefined;
    let issuance: AuditRecord["issuance"] = null;
    if (row.kind === "issuance" && meta) {
      statement = meta as unknown as IssuanceStatement;
      issuance = { ...statementOf(statement), sha256: row.sha256, documentProof: null };
    } else if (row.kind === "document") {
      const link = meta?.issuance as { sha256?: string; proof?: string[] } | undefined;
      const linked = link?.sha256 ? (this.#issuance.get(link.sha256, row.municipality_id) as { meta: string | null } | undefined) : undefined;
      if (link?.sha256 && linked?.meta) {
        statement = JSON.parse(linked.meta) as IssuanceStatement;
        issuance = { ...statementOf(statement), sha256: link.sha256, documentProof: link.proof ?? [] };
      }
    }
    return {
      kind: row.kind,
      sha256: row.sha256,
      leaf: row.leaf,
      proof: withProof ? (row.proof === null ? null : (JSON.parse(row.proof) as string[])) : null,
      issuer: statement
        ? { address: statement.signer, name: this.facts.nameOf(statement.municipalityId, statement.signer), role: "DOCUMENT_ISSUER" }
        : null,
      issuance,
    };
  }
}

/** The signed values only, in a fixed order (the queue's meta may carry more). */
function statementOf(statement: IssuanceStatement): IssuanceStatement {
  const { municipalityId, documentsRoot, count, nonce, deadline, signer, signature } = statement;
  return { municipalityId, documentsRoot, count, nonce, deadline, signer, signature };
}
