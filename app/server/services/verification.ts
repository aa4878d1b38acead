import type { AnchorQueue, AnchorRecord } from "../anchoring/types.js";
import type { BundleIssuance, ProofBundle, Verdict } from "../../shared/proofBundle.js";
import type { IssuanceStatement } from "../../shared/issuance.js";
import { roleId } from "../../shared/roles.js";
import { isoTime } from "../../shared/trailEvents.js";
import type { AttachedFile } from "../../shared/attachedFile.js";
import { proofBundleFor } from "../../shared/proofBundleFormat.js";
import { AppError } from "../errors.js";
import type { PermitCertificateLookup, PermitCertificateProof, PermitCertificateVerification } from "./permits/certificateVerification.js";

/** A record revoked inside its batch, as the indexer saw it in a RecordRevoked event. */
export interface Revocation {
  reasonCode: number;
  /** SHA-256 of the reason's words, as the chain holds it. */
  reasonHash: string;
  /** The words, when this service relayed the revocation (null otherwise). */
  reason: string | null;
  /** Who signed the revocation (BatchAnchor's RecordRevoked actor). */
  revokedBy: string;
  /** Block time of the revocation (ISO). */
  revokedAt: string;
  txHash: string;
  blockNumber: number;
}

export interface RevocationLookup {
  /** The revocation of the record `leaf` in the batch `root` of `municipalityId` (roots are scoped by municipality). */
  revocationOf(municipalityId: number, root: string, leaf: string): Revocation | undefined;
}

/** What the Directory said of a signer at a past time (indexer/issuers.ts). */
export interface IssuerHistoryLookup {
  heldAt(municipalityId: number, role: string, account: string, timestamp: number): boolean;
  compromisedSince(municipalityId: number, account: string): number | null;
  nameOf(municipalityId: number, account: string): string | null;
  /** The last block whose Directory events the answers above include, or null before the first. */
  indexedThrough(): number | null;
}

/** Who issued a document, as its verdict names them. */
export interface IssuerFacts {
  municipalityId: number;
  address: string;
  /** The name the municipality's admin published for the signer on the chain (Directory.setOfficerName). */
  name: string | null;
  role: "DOCUMENT_ISSUER";
  /** When the signature was anchored (ISO time), once it is. */
  signedAt: string | null;
  /** Whether the signer held the role in the municipality at that time (null until anchored and its block indexed). */
  heldRole: boolean | null;
  /** From when the key is marked compromised (ISO time), if it is. */
  compromisedSince: string | null;
}

const DOCUMENT_ISSUER = roleId("DOCUMENT_ISSUER");

export interface TrailStep {
  step: "accepted" | "submitted" | "anchored" | "final" | "revoked";
  at: string | null;
  txHash?: string;
  blockNumber?: number;
  detail?: string;
}

/** An anchored record's verdict, or a permit certificate's (permits/certificateVerification.ts). */
export type VerificationResult = AnchoredVerification | PermitCertificateVerification | AttachedFileVerification | UnknownVerification;

/**
 * A file that came in through a workflow (a resident's complaint photo, a permit application's document,
 * an officer's evidence): known, but never issued by the municipality, and said so.
 */
export interface AttachedFileVerification {
  verdict: "attached";
  attachment: AttachedFile;
  record: null;
  trail: [];
  proof: null;
}

/**
 * The verdict on a record of the anchoring queue. Its proof bundle is not in it: `proofUrl` names where it
 * is (GET /api/proofs/<sha256>). With the issuer's signed statement, the document's path into the signed
 * list and the signature's own anchor, a bundle is three times the size of the verdict, and verdicts are
 * what QR scans and bulk checks read by the thousand; the verifiers that check a bundle (the web app, the
 * CLI) fetch it from /api/proofs.
 */
export interface AnchoredVerification {
  verdict: Verdict;
  /** Why a document is `unauthorised`, in words. */
  reason?: string;
  /** Who issued it: for issued documents. */
  issuer?: IssuerFacts;
  /** Why, when and by whom it was revoked. */
  revocation?: Revocation;
  record: PublicRecord;
  trail: TrailStep[];
  /** Where the record's proof bundle is served once it is anchored (`/api/proofs/<sha256>`); null before. */
  proofUrl: string | null;
}

/** A hash nothing here knows of. */
export interface UnknownVerification {
  verdict: "unknown";
  record: null;
  trail: [];
  proof: null;
}

export type PublicRecord = Omit<AnchorRecord, "leaf" | "root" | "proof">;

const SETTLED_TTL_MS = 2000;
/** Issuances whose facts are kept while the store is unchanged (a list's documents share one). */
const ISSUANCES_KEPT = 1000;

/** An issued document's issuance: its record, the signed statement, the document's proof into it, the issuer. */
interface Issued {
  issuance: AnchorRecord;
  statement: IssuanceStatement;
  proof: string[];
  facts: IssuerFacts;
}
/**
 * The store's change mark is read again after this long. Under load every request needs it, and the
 * query is a fifth of an answer's cost; what a millisecond-old mark can hide is a write the same
 * millisecond, which the next request after it sees.
 */
const MARK_TTL_MS = 1;
/**
 * Kept answers take at most this many bytes (their JSON), the oldest making room: a bound on memory
 * whatever the answers' sizes (a proof bundle with its issuance is 3–4 KB, a verdict about 1.3 KB), well
 * above what a day's QR scans and a bulk check of 10,000 documents read again.
 */
const CACHE_MAX_BYTES = 64 * 1024 * 1024;

interface CachedAnswer {
  /** The answer's JSON as UTF-8 bytes: outside the JS heap, so the collector neither copies nor marks them. */
  body: Buffer;
  /** The store's change mark when the answer was read. */
  mark: string;
  until: number;
}

export type AnswerKind = "verify" | "proof";

/** An answer read from the store: its JSON bytes, and whether it may be kept (a settled verdict, a proof). */
export interface ReadAnswer {
  body: Buffer;
  keep: boolean;
}

/** Where first reads are made when not on the calling thread (answerReader.ts: a worker thread). */
export interface AnswerSource {
  readonly available: boolean;
  read(kind: AnswerKind, sha256: string): Promise<ReadAnswer>;
}

/**
 * Verdicts from what this service knows: its queue and the index of chain events. Answering needs no
 * chain call, so verification stays fast under load; the proof bundle of every anchored record
 * (`proofFor`, GET /api/proofs/<sha256>, which each verdict names) lets anyone repeat the check against
 * the chain itself (the CLI and the web verifier do).
 */
export class VerificationService {
  /** Encoded answers of settled verdicts (valid, revoked) and of proofs, by kind and SHA-256, oldest first. */
  readonly #answers = new Map<string, CachedAnswer>();
  /** The bytes of the answers kept (at most `keptBytes`). */
  #answerBytes = 0;
  /** Issuances read, by municipality and SHA-256, with the change mark they were read under. */
  readonly #issuances = new Map<string, { mark: string; value: Omit<Issued, "proof"> }>();
  /** First reads on their way from `reader`, by key, with the change mark they were asked under. */
  readonly #reading = new Map<string, { mark: string; body: Promise<Buffer> }>();

  constructor(
    private readonly queue: AnchorQueue,
    private readonly revocations: RevocationLookup,
    private readonly issuers: IssuerHistoryLookup,
    private readonly chain: { chainId: number; batchAnchor: string },
    /** Permit certificates, known by PermitRegistry rather than by the anchoring queue. */
    private readonly certificates?: Pick<PermitCertificateLookup, "verifyCertificate">,
    /** Makes first reads off this thread while it is available; without it they are made here. */
    private readonly reader?: AnswerSource,
    /** Files residents and officers attached in the workflows (services/attachedFiles.ts). */
    private readonly attachments?: { find(sha256: string): AttachedFile | undefined },
    /** The most bytes of kept answers (tests set it low). */
    private readonly keptBytes = CACHE_MAX_BYTES,
  ) {}

  /**
   * {@link verifySha256} as JSON (UTF-8 bytes, ready to send). Verification is the hot path (QR scans,
   * bulk checks), so a settled verdict's bytes are kept: they are served again while nothing in the
   * store has changed since they were read (the store's change mark, which every write moves: a
   * revocation the indexer records, a batch made final), and otherwise for up to SETTLED_TTL_MS — a
   * revocation showing a second late is acceptable where re-reading and re-serializing every answer
   * while uploads stream in is not. A kept answer comes back at once; a first read, as a promise when
   * the reader makes it.
   */
  verifySha256Body(sha256: string): Buffer | Promise<Buffer> {
    return this.#answer("verify", sha256);
  }

  /** {@link proofFor} as JSON (UTF-8 bytes), kept while nothing in the store has changed. */
  proofBody(sha256: string): Buffer | Promise<Buffer> {
    return this.#answer("proof", sha256);
  }

  /**
   * Drops every answer kept and every issuance read, and lets no read under way be shared: the index
   * they were read from was replaced by a rebuilt one (Indexer.onRebuilt). The rebuilt tables answer the
   * same of the same chain, but after a reorganisation they may not, and a kept verdict's grace period
   * (SETTLED_TTL_MS) must not outlive the tables it was read from. The answer worker keeps no answers;
   * its issuances follow its own connection's change mark, which the swap's commit moves.
   */
  forgetAnswers(): void {
    this.#answers.clear();
    this.#answerBytes = 0;
    this.#issuances.clear();
    this.#reading.clear();
    this.#mark = { value: "", readAt: -Infinity };
    this.#generation++;
  }

  /** How many times the index was replaced under this service ({@link forgetAnswers}). */
  #generation = 0;

  /** Reads an answer from the store on this thread: what a first read costs. */
  readAnswer(kind: AnswerKind, sha256: string): ReadAnswer {
    if (kind === "proof") return { body: jsonBytes(this.proofFor(sha256)), keep: true };
    const result = this.verifySha256(sha256);
    return { body: jsonBytes(result), keep: result.verdict === "valid" || result.verdict === "revoked" };
  }

  #mark = { value: "", readAt: -Infinity };

  #changeMark(): string {
    const now = performance.now();
    if (now - this.#mark.readAt > MARK_TTL_MS) this.#mark = { value: this.queue.changeMark(), readAt: now };
    return this.#mark.value;
  }

  #answer(kind: AnswerKind, sha256: string): Buffer | Promise<Buffer> {
    const key = `${kind === "verify" ? "v" : "p"}${sha256}`;
    const now = Date.now();
    const mark = this.#changeMark();
    const generation = this.#generation;
    const cached = this.#answers.get(key);
    // Only a verdict has the grace period: a proof is served only while the store is unchanged.
    if (cached && (cached.mark === mark || (kind === "verify" && cached.until > now))) return cached.body;
    const keep = ({ body, keep }: ReadAnswer) => {
      // A read that began before the index was replaced is answered, but not kept.
      if (keep && generation === this.#generation) this.#keep(key, { body, mark, until: now + SETTLED_TTL_MS });
      return body;
    };
    if (!this.reader?.available) return keep(this.readAnswer(kind, sha256));
    // A read asked for under the same mark is shared: it sees at least every write this one would.
    const reading = this.#reading.get(key);
    if (reading && reading.mark === mark) return reading.body;
    const body = this.reader.read(kind, sha256).then(keep);
    const entry = { mark, body };
    this.#reading.set(key, entry);
    const forget = () => {
      if (this.#reading.get(key) === entry) this.#reading.delete(key);
    };
    body.then(forget, forget);
    return body;
  }

  /** Keeps `answer` as the newest; the oldest make room while the kept bytes would pass `keptBytes`. */
  #keep(key: string, answer: CachedAnswer): void {
    const old = this.#answers.get(key);
    if (old) {
      this.#answers.delete(key);
      this.#answerBytes -= old.body.length;
    }
    for (const [oldestKey, oldest] of this.#answers) {
      if (this.#answerBytes + answer.body.length <= this.keptBytes) break;
      this.#answers.delete(oldestKey);
      this.#answerBytes -= oldest.body.length;
    }
    this.#answers.set(key, answer);
    this.#answerBytes += answer.body.length;
  }

  verifySha256(sha256: string): VerificationResult {
    const record = this.#pick(this.queue.findBySha256(sha256));
    if (!record) {
      const certificate = this.certificates?.verifyCertificate(sha256);
      if (certificate) return certificate;
      const attachment = this.attachments?.find(sha256);
      if (attachment) return { verdict: "attached", attachment, record: null, trail: [], proof: null };
      return { verdict: "unknown", record: null, trail: [], proof: null };
    }
    const revocation = record.root ? this.revocations.revocationOf(record.municipalityId, record.root, record.leaf) : undefined;
    const anchored = record.status === "anchored" || record.status === "final";
    const issued = record.kind === "document" ? this.#issuanceOf(record) : undefined;
    const base = { record: publicRecord(record), trail: trailOf(record, revocation), proofUrl: anchored ? `/api/proofs/${record.sha256}` : null };
    if (!anchored) return { verdict: "pending", ...base };
    if (revocation) return { verdict: "revoked", revocation, ...(issued ? { issuer: issued.facts } : {}), ...base };
    if (!issued) {
      // Pledge receipts and the like are signed acts of their own contracts; a document must be issued.
      if (record.kind !== "document") return { verdict: "valid", ...base };
      return { verdict: "unauthorised", reason: "No issuer signed this document.", ...base };
    }
    const { facts } = issued;
    if (facts.heldRole === null) return { verdict: "pending", issuer: facts, ...base };
    if (!facts.heldRole) {
      return { verdict: "unauthorised", reason: "The signer did not hold DOCUMENT_ISSUER in the municipality when the signature was anchored.", issuer: facts, ...base };
    }
    if (facts.compromisedSince !== null && facts.compromisedSince <= facts.signedAt!) {
      return { verdict: "unauthorised", reason: "The signer's key is marked compromised from before the signature was anchored.", issuer: facts, ...base };
    }
    return { verdict: "valid", issuer: facts, ...base };
  }

  /**
   * The issuance record of an issued document (same municipality), its statement, and what it says of the
   * issuer. A list's documents share one issuance: its part is read once while the store is unchanged.
   */
  #issuanceOf(record: AnchorRecord): Issued | undefined {
    const link = record.meta?.issuance as { sha256?: string; proof?: string[] } | undefined;
    if (!link?.sha256 || !Array.isArray(link.proof)) return undefined;
    const key = `${record.municipalityId}/${link.sha256}`;
    const mark = this.#changeMark();
    let shared = this.#issuances.get(key);
    if (!shared || shared.mark !== mark) {
      const value = this.#readIssuance(record.municipalityId, link.sha256);
      if (!value) return undefined;
      if (this.#issuances.size >= ISSUANCES_KEPT) this.#issuances.delete(this.#issuances.keys().next().value!);
      shared = { mark, value };
      this.#issuances.set(key, shared);
    }
    return { ...shared.value, proof: link.proof };
  }

  #readIssuance(municipalityId: number, sha256: string): Omit<Issued, "proof"> | undefined {
    const issuance = this.queue.findBySha256(sha256).find((r) => r.municipalityId === municipalityId && r.kind === "issuance");
    if (!issuance?.meta) return undefined;
    const statement = issuance.meta as unknown as IssuanceStatement;
    const anchored = (issuance.status === "anchored" || issuance.status === "final") && issuance.anchoredAt !== null;
    // A grant just before the anchor may not be indexed yet: not having seen it is no answer ("pending"), not a "no".
    const indexed = this.issuers.indexedThrough();
    const known = anchored && issuance.blockNumber !== null && indexed !== null && indexed >= issuance.blockNumber;
    const compromised = this.issuers.compromisedSince(municipalityId, statement.signer);
    const facts: IssuerFacts = {
      municipalityId: statement.municipalityId,
      address: statement.signer,
      name: this.issuers.nameOf(statement.municipalityId, statement.signer),
      role: "DOCUMENT_ISSUER",
      signedAt: anchored ? isoTime(issuance.anchoredAt!) : null,
      heldRole: known ? this.issuers.heldAt(statement.municipalityId, DOCUMENT_ISSUER, statement.signer, issuance.anchoredAt!) : null,
      compromisedSince: compromised === null ? null : isoTime(compromised),
    };
    return { issuance, statement, facts };
  }

  /**
   * The proof bundle of an anchored record, or a permit certificate's proof (PermitRegistry holds those:
   * the proof says where to ask the chain); 404 when unknown, 409 while a record waits for its anchor.
   */
  proofFor(sha256: string): ProofBundle | PermitCertificateProof {
    const record = this.#pick(this.queue.findBySha256(sha256));
    if (!record) {
      const certificate = this.certificates?.verifyCertificate(sha256);
      if (certificate) return certificate.proof;
      throw new AppError("PROOF_NOT_FOUND");
    }
    if (record.status !== "anchored" && record.status !== "final") throw new AppError("PROOF_PENDING");
    return this.bundleOf(record);
  }

  bundleOf(record: AnchorRecord, issued: Issued | undefined = record.kind === "document" ? this.#issuanceOf(record) : undefined): ProofBundle {
    let issuance: BundleIssuance | undefined;
    const anchor = issued?.issuance;
    if (anchor && anchor.root && anchor.proof && anchor.txHash && anchor.blockNumber !== null && anchor.anchoredAt !== null) {
      const { municipalityId, documentsRoot, count, nonce, deadline, signer, signature } = issued.statement;
      issuance = {
        municipalityId,
        documentsRoot,
        count,
        nonce,
        deadline,
        signer,
        signature,
        documentProof: issued.proof,
        anchor: { sha256: anchor.sha256, leaf: anchor.leaf, proof: anchor.proof, root: anchor.root, txHash: anchor.txHash, blockNumber: anchor.blockNumber, anchoredAt: anchor.anchoredAt },
      };
    }
    return proofBundleFor(record, { chainId: this.chain.chainId, contract: this.chain.batchAnchor }, issuance);
  }

  /** Of several records of one hash (several municipalities), the anchored one first, else the newest. */
  #pick(records: AnchorRecord[]): AnchorRecord | undefined {
    return records.find((r) => r.status === "final" || r.status === "anchored") ?? records[0];
  }
}

/** The JSON text dies young; only its bytes are kept (see CachedAnswer). */
const jsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");

export function publicRecord(record: AnchorRecord): PublicRecord {
  const { leaf: _leaf, root: _root, proof: _proof, ...rest } = record;
  // The document's proof into its issuer's list is the bundle's (issuance.documentProof), not said twice.
  const link = rest.meta?.issuance as { sha256?: string } | undefined;
  if (link?.sha256) return { ...rest, meta: { ...rest.meta, issuance: { sha256: link.sha256 } } };
  return rest;
}

function trailOf(record: AnchorRecord, revocation: Revocation | undefined): TrailStep[] {
  const anchoredAt = record.anchoredAt ? new Date(record.anchoredAt * 1000).toISOString() : null;
  const trail: TrailStep[] = [{ step: "accepted", at: new Date(record.acceptedAt).toISOString() }];
  if (record.txHash) trail.push({ step: "submitted", at: null, txHash: record.txHash });
  if (record.status === "anchored" || record.status === "final") {
    trail.push({ step: "anchored", at: anchoredAt, txHash: record.txHash!, blockNumber: record.blockNumber! });
  }
  if (record.status === "final") trail.push({ step: "final", at: null, blockNumber: record.blockNumber! });
  if (revocation) {
    trail.push({
      step: "revoked",
      at: revocation.revokedAt,
      txHash: revocation.txHash,
      blockNumber: revocation.blockNumber,
      detail: `reason code ${revocation.reasonCode}${revocation.reason ? `: ${revocation.reason}` : ""}, signed by ${revocation.revokedBy}`,
    });
  }
  return trail;
}
