// What the ledger service adds to the chain's account of an anchored batch or a revoked record: the records
// it anchored in that batch (their SHA-256, their proof into the root, who issued them) and the words of a
// revocation. The chain holds none of that in clear, only what it commits to (a root, a leaf, a reason's
// hash), so a reader cannot rebuild it from the chain; `ledger audit` and the API's chain check instead
// check every claim against what the chain does hold. No node: imports (CLI on Node 20, browser).
import {
  batchAnchorDomain,
  inDocumentsTree,
  issuanceDigest,
  issuanceRecordHash,
  reasonHashOf,
  recoverIssuer,
  type IssuanceStatement,
} from "./issuance.js";
import { leafOf, rootFromProof } from "./merkleProof.js";
import type { TrailFacts } from "./trailWords.js";

/** One record the service anchored: in a BatchAnchored event's batch, or the one a RecordRevoked revoked. */
export interface AuditRecord {
  /** "document" (an issued document), "issuance" (an issuer's signature over a list of documents), "pledge-receipt", … */
  kind: string;
  sha256: string;
  /** BatchAnchor.leafOf(sha256). */
  leaf: string;
  /** The proof from the leaf to the batch's root (on BatchAnchored rows; null on RecordRevoked rows). */
  proof: string[] | null;
  /** Who signed the issuance of a document or an issuance record, and the name published for them on the chain. */
  issuer: { address: string; name: string | null; role: "DOCUMENT_ISSUER" } | null;
  /**
   * The signed IssueDocuments statement: of an issuance record itself, or the one that issued a document
   * (with `sha256`, the issuance record's, and `documentProof`, the document's proof into the signed list).
   */
  issuance: (IssuanceStatement & { sha256: string; documentProof: string[] | null }) | null;
}

/** The service's additions to one row of the trail; null where it has none. */
export interface TrailAnnotations {
  records: AuditRecord[] | null;
  /** The words of a revoked document's reason (their SHA-256 is the event's reasonHash). */
  reasonWords: string | null;
}

/** A field of a row that the chain contradicts: what the API says and what the chain implies. */
export interface FieldDifference {
  field: string;
  api: unknown;
  chain: unknown;
}

export interface AnnotationContext {
  chainId: number;
  batchAnchor: string;
  /** The chain's facts (names as the Directory's events publish them). */
  facts: TrailFacts;
}

interface AnnotatedRow extends Partial<TrailAnnotations> {
  event: string;
  municipalityId: number | null;
  args: Record<string, unknown>;
}

const lower = (value: unknown) => String(value).toLowerCase();

/**
 * Every claim of a row's annotations that the chain contradicts: a record whose leaf or proof does not lead
 * to the anchored root (or to the revoked leaf), more records than the batch's count, an issuance whose
 * signature recovers to someone else or whose record hash is not the anchored one, a document outside its
 * signed list, a name that is not the one published on the chain, words whose SHA-256 is not the reason's.
 */
export function checkAnnotations(row: AnnotatedRow, context: AnnotationContext): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const differ = (field: string, api: unknown, chain: unknown) => differences.push({ field, api, chain });
  if (row.reasonWords !== undefined && row.reasonWords !== null) {
    const hash = typeof row.args.reasonHash === "string" ? row.args.reasonHash : null;
    if (hash === null || reasonHashOf(row.reasonWords).toLowerCase() !== hash.toLowerCase())
      differ("reasonWords", reasonHashOf(row.reasonWords), hash);
  }
  const records = row.records ?? [];
  if (records.length === 0) return differences;
  if (row.event !== "BatchAnchored" && row.event !== "RecordRevoked") {
    differ("records", records.length, 0);
    return differences;
  }
  if (row.event === "BatchAnchored" && records.length > Number(row.args.count)) differ("records.length", records.length, Number(row.args.count));
  const domain = batchAnchorDomain(context.chainId, context.batchAnchor);
  records.forEach((record, i) => {
    const at = `records[${i}]`;
    let leaf: string | null = null;
    try {
      leaf = leafOf(record.sha256);
    } catch {
      // not 32 bytes: said below as a leaf that differs
    }
    if (leaf === null || leaf !== lower(record.leaf)) differ(`${at}.leaf`, record.leaf, leaf);
    if (row.event === "BatchAnchored") {
      const root = rootFromProof(lower(record.leaf), record.proof ?? []);
      if (root !== lower(row.args.root)) differ(`${at}.proof`, root, row.args.root);
    } else if (lower(record.leaf) !== lower(row.args.leaf)) {
      differ(`${at}.leaf`, record.leaf, row.args.leaf);
    }
    differences.push(...checkIssuance(record, at, row.municipalityId, domain, context.facts));
  });
  return differences;
}

function checkIssuance(
  record: AuditRecord,
  at: string,
  municipalityId: number | null,
  domain: ReturnType<typeof batchAnchorDomain>,
  facts: TrailFacts
): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const differ = (field: string, api: unknown, chain: unknown) => differences.push({ field, api, chain });
  const { issuance, issuer } = record;
  if (issuance === null) {
    if (issuer !== null) differ(`${at}.issuer`, issuer.address, null);
    return differences;
  }
  let signer: string | null = null;
  let recordHash: string | null = null;
  try {
    const digest = issuanceDigest(issuance, domain);
    recordHash = issuanceRecordHash(digest, issuance.signature);
    signer = recoverIssuer(digest, issuance.signature);
  } catch {
    // a malformed statement or signature: recovers to nobody
  }
  if (recordHash !== lower(issuance.sha256)) differ(`${at}.issuance.sha256`, issuance.sha256, recordHash);
  if (record.kind === "issuance" && recordHash !== lower(record.sha256)) differ(`${at}.sha256`, record.sha256, recordHash);
  if (municipalityId !== null && issuance.municipalityId !== municipalityId)
    differ(`${at}.issuance.municipalityId`, issuance.municipalityId, municipalityId);
  if (record.kind === "document" && !inDocumentsTree(issuance.documentsRoot, record.sha256, issuance.documentProof ?? [])) {
    differ(`${at}.issuance.documentProof`, issuance.documentProof, issuance.documentsRoot);
  }
  if (issuer === null || signer === null || issuer.address.toLowerCase() !== signer.toLowerCase())
    differ(`${at}.issuer.address`, issuer?.address ?? null, signer);
  const name = signer === null ? null : facts.nameOf(issuance.municipalityId, signer);
  if ((issuer?.name ?? null) !== name) differ(`${at}.issuer.name`, issuer?.name ?? null, name);
  return differences;
}
