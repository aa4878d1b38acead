import { Contract, type Provider, type TypedDataDomain } from "ethers";
import { roleId } from "../../shared/roles.js";
import { chainFailureOf } from "../chain/chainErrors.js";
import {
  batchAnchorDomain,
  documentsTree,
  issuanceDigest,
  issuanceRecordHash,
  issuanceStatementSchema,
  recoverIssuer,
  type IssuanceStatement,
} from "../../shared/issuance.js";
import { hashPair, leafOf } from "../../shared/merkleProof.js";
import { DIRECTORY_ABI } from "../../shared/verifyBundle.js";
import { AppError } from "../errors.js";

const DOCUMENT_ISSUER = roleId("DOCUMENT_ISSUER");
/** How long a role answer of the Directory is kept (a revocation bites within this, and then on-chain at verification). */
const ROLE_FRESH_MS = 5_000;
/** Checked statements kept: a statement signed once covers many uploads (a day's scans, one per request). */
const STATEMENTS_KEPT = 10_000;
const MAX_PROOF_LENGTH = 64;
/**
 * Lists whose proven nodes are kept, and at most this many nodes of all lists together (a node is its hash,
 * its sibling's and its parent's: a list of 10,000 documents keeps 20,000, about 5 MB).
 */
const LISTS_KEPT = 100;
const NODES_KEPT = 200_000;

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** An issuance checked for these documents: what the queue records. */
export interface AuthorisedIssuance {
  statement: IssuanceStatement;
  /** The SHA-256 anchored for the signature itself (shared/issuance.ts issuanceRecordHash). */
  recordSha256: string;
  /** Each document's proof into the signed list, by SHA-256. */
  proofs: Map<string, string[]>;
}

/**
 * Whether an upload may be issued under a municipality: the one rule that both upload paths (the Express
 * routes and http/fastUpload.ts) apply, through DocumentService. An upload carries the EIP-712
 * `IssueDocuments` statement of a key that holds DOCUMENT_ISSUER in that municipality now and is not
 * marked compromised; its signature must cover every file sent (the list's Merkle root, or a proof per
 * file into it) and its deadline must not have passed. The service holds no issuer's key: it checks.
 * Replays (the same documents under the same signature, or a signer's nonce used for another list) are
 * refused by the queue, atomically with the records (anchoring/queue.ts).
 */
export class IssuanceAuthority {
  readonly #domain: TypedDataDomain;
  readonly #directory: Contract;
  readonly #now: () => number;
  /** Checked signatures, by the signed values and the signature: who signed, and the SHA-256 anchored for it. */
  readonly #statements = new Map<string, { signer: string; recordSha256: string }>();
  /** Statements validated, by their text as sent. */
  readonly #parsed = new Map<string, IssuanceStatement>();
  /** Nodes shown to lead to a list's root, each with the step up it was shown with, by that root (see #inList). */
  readonly #onPath = new Map<string, Map<string, StepUp>>();
  /** Nodes kept in #onPath, all lists together. */
  #nodesKept = 0;
  readonly #roles = new Map<string, { ok: boolean; at: number }>();

  constructor(chain: { chainId: number; batchAnchor: string; directory: string; provider: Provider }, options: { now?: () => number } = {}) {
    this.#domain = batchAnchorDomain(chain.chainId, chain.batchAnchor);
    this.#directory = new Contract(chain.directory, DIRECTORY_ABI, chain.provider);
    this.#now = options.now ?? Date.now;
  }

  /**
   * The issuance of `sha256s` (the files of one upload, in order) under the field's statement, or an
   * AppError: 401 without one or with a bad or expired signature, 403 when the signer may not issue for
   * the municipality, 400 when the field is malformed or names another municipality than `meta`.
   * `requireActive` is asked of the signed municipality once the signature holds and before the role is:
   * an unknown or suspended municipality is said as such (the Directory answers "no role" for both).
   */
  async authorise(
    field: unknown,
    sha256s: readonly string[],
    metaMunicipalityId: number | undefined,
    requireActive: (municipalityId: number) => Promise<void> = async () => {},
  ): Promise<AuthorisedIssuance> {
    if (field === undefined || field === null || field === "") throw new AppError("ISSUANCE_REQUIRED");
    // The field is a signed statement and, optionally, each file's proof into its list.
    const value = parseJson(field);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalid("(value)", "expected an object");
    const { proofs: rawProofs, ...rawStatement } = value as Record<string, unknown>;
    const statement = this.#statementOf(rawStatement);
    const sentProofs = rawProofs === undefined ? undefined : proofsOf(rawProofs);
    if (metaMunicipalityId !== undefined && metaMunicipalityId !== statement.municipalityId) {
      throw new AppError("ISSUANCE_INVALID", `meta.municipalityId ${metaMunicipalityId} is not the signed municipality ${statement.municipalityId}.`);
    }
    const proofs = this.#proofsOf(statement, sha256s, sentProofs);
    if (this.#now() > statement.deadline * 1000) throw new AppError("ISSUANCE_EXPIRED");
    const { signer, recordSha256 } = this.#checked(statement);
    if (signer !== statement.signer) throw new AppError("ISSUANCE_SIGNATURE_INVALID");
    await requireActive(statement.municipalityId);
    await this.#requireIssuer(statement.municipalityId, statement.signer);
    return { statement, recordSha256, proofs };
  }

  /** Each file's proof into the signed list: sent with the upload, or made here when the upload is the whole list. */
  #proofsOf(statement: IssuanceStatement, sha256s: readonly string[], sent: string[][] | undefined): Map<string, string[]> {
    const proofs = new Map<string, string[]>();
    if (sent === undefined) {
      const tree = documentsTree(sha256s);
      // A list that is not the one signed recovers to nobody: said as a bad signature, which it is for these files.
      if (tree.root !== statement.documentsRoot || tree.count !== statement.count) throw new AppError("ISSUANCE_SIGNATURE_INVALID");
      for (const sha256 of sha256s) proofs.set(sha256, tree.proofOf(sha256));
      return proofs;
    }
    if (sent.length !== sha256s.length) {
      throw new AppError("ISSUANCE_INVALID", `The field \`issuance\` has ${sent.length} proofs for ${sha256s.length} files.`);
    }
    sha256s.forEach((sha256, i) => {
      if (!this.#inList(statement.documentsRoot, sha256, sent[i])) throw new AppError("ISSUANCE_SIGNATURE_INVALID", `File ${i + 1} is not in the signed list.`);
      proofs.set(sha256, sent[i]);
    });
    return proofs;
  }

  /**
   * Whether `proof` leads from the document to `documentsRoot`. The files of one list, sent a request each,
   * share the upper part of their paths: once a node is shown to lead to the root, it is kept with the
   * sibling and the parent of its step up, and a later proof that reaches it is followed from there by
   * comparing siblings, not by hashing (keccak is collision-resistant, so the way up from a node is the
   * one already hashed). A dozen hashes per file become two or three, and the proof kept is the one sent,
   * checked in full.
   */
  #inList(documentsRoot: string, sha256: string, proof: readonly string[]): boolean {
    const known = this.#knownOf(documentsRoot);
    // Hashed up from the document's leaf to the first node known to lead to the root…
    const path = [leafOf(sha256)];
    let i = 0;
    for (; !known.has(path[i]); i++) {
      if (i === proof.length) return false;
      path.push(hashPair(path[i], proof[i]));
    }
    // …and from there the rest of the proof must be the known way up, sibling for sibling, to its end.
    for (let node = path[i], j = i; ; j++) {
      if (node === documentsRoot) {
        if (j !== proof.length) return false;
        break;
      }
      const step = known.get(node)!;
      if (proof[j] !== step.sibling) return false;
      node = step.parent;
    }
    this.#keep(documentsRoot, known, path.slice(0, i).map((node, j) => [node, { sibling: proof[j], parent: path[j + 1] }]));
    return true;
  }

  /** The nodes known to lead to `documentsRoot` (at first the root alone). */
  #knownOf(documentsRoot: string): Map<string, StepUp> {
    let known = this.#onPath.get(documentsRoot);
    if (!known) {
      if (this.#onPath.size >= LISTS_KEPT) this.#forgetOldestList();
      known = new Map([[documentsRoot, ROOT]]);
      this.#onPath.set(documentsRoot, known);
      this.#nodesKept += 1;
    }
    return known;
  }

  /** Keeps the nodes just shown to lead to `documentsRoot`; older lists make room, else they are not kept. */
  #keep(documentsRoot: string, known: Map<string, StepUp>, steps: Array<[string, StepUp]>): void {
    while (this.#nodesKept + steps.length > NODES_KEPT && this.#onPath.keys().next().value !== documentsRoot) this.#forgetOldestList();
    if (this.#nodesKept + steps.length > NODES_KEPT) return;
    for (const [node, step] of steps) known.set(node, step);
    this.#nodesKept += steps.length;
  }

  #forgetOldestList(): void {
    const [root, nodes] = this.#onPath.entries().next().value!;
    this.#onPath.delete(root);
    this.#nodesKept -= nodes.size;
  }

  /**
   * The statement, validated. One statement comes with every upload of its list (one file a request):
   * it is validated once, then known by its text.
   */
  #statementOf(raw: Record<string, unknown>): IssuanceStatement {
    const key = JSON.stringify(raw);
    let statement = this.#parsed.get(key);
    if (statement === undefined) {
      const parsed = issuanceStatementSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalid(issue.path.join(".") || "(value)", issue.message);
      }
      statement = parsed.data;
      if (this.#parsed.size >= STATEMENTS_KEPT) this.#parsed.delete(this.#parsed.keys().next().value!);
      this.#parsed.set(key, statement);
    }
    return statement;
  }

  /** Who signed the statement's values, and its record's SHA-256: the EIP-712 digest and the recovery are made once per statement. */
  #checked(statement: IssuanceStatement): { signer: string; recordSha256: string } {
    const { municipalityId, documentsRoot, count, nonce, deadline, signature } = statement;
    const key = `${signature}/${municipalityId}/${documentsRoot}/${count}/${nonce}/${deadline}`;
    let checked = this.#statements.get(key);
    if (checked === undefined) {
      const digest = issuanceDigest(statement, this.#domain);
      try {
        checked = { signer: recoverIssuer(digest, signature), recordSha256: issuanceRecordHash(digest, signature) };
      } catch {
        throw new AppError("ISSUANCE_SIGNATURE_INVALID");
      }
      if (this.#statements.size >= STATEMENTS_KEPT) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(key, checked);
    }
    return checked;
  }

  /** DOCUMENT_ISSUER in an active municipality, now, and no compromise mark: from the Directory, kept a few seconds. */
  async #requireIssuer(municipalityId: number, signer: string): Promise<void> {
    const key = `${municipalityId}/${signer}`;
    let entry = this.#roles.get(key);
    if (!entry || this.#now() - entry.at > ROLE_FRESH_MS) {
      try {
        const [holds, compromisedSince] = await Promise.all([
          this.#directory.hasRole(municipalityId, DOCUMENT_ISSUER, signer) as Promise<boolean>,
          this.#directory.compromisedSince(municipalityId, signer) as Promise<bigint>,
        ]);
        entry = { ok: holds && compromisedSince === 0n, at: this.#now() };
      } catch (error) {
        if ((error as { code?: string }).code !== "CALL_EXCEPTION") throw chainFailureOf(error) ?? new AppError("ENGINE_UNAVAILABLE");
        entry = { ok: false, at: this.#now() };
      }
      this.#roles.set(key, entry);
    }
    if (!entry.ok) throw new AppError("ISSUER_NOT_AUTHORISED");
  }
}

/** A node's step up in a signed list: the sibling it is hashed with, and the parent that hash is. */
interface StepUp {
  sibling: string;
  parent: string;
}
/** The root's entry: the way up ends there. */
const ROOT: StepUp = { sibling: "", parent: "" };

const invalid = (path: string, message: string) => new AppError("ISSUANCE_INVALID", `The field \`issuance\` is not valid: ${path}: ${message}`);

/** `proofs`: one list of 0x-hex hashes per file, each at most MAX_PROOF_LENGTH long, lowercased. */
function proofsOf(raw: unknown): string[][] {
  if (!Array.isArray(raw)) throw invalid("proofs", "expected a list of proofs, one per file");
  return raw.map((proof, i) => {
    if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) throw invalid(`proofs.${i}`, `expected a list of at most ${MAX_PROOF_LENGTH} hashes`);
    return proof.map((hash, j) => {
      if (typeof hash !== "string" || !HASH.test(hash)) throw invalid(`proofs.${i}.${j}`, "expected 0x and 64 hex digits");
      return hash.toLowerCase();
    });
  });
}

function parseJson(value: unknown): unknown {
  // multer gives a field sent twice as an array; read as text like the fast path reads it.
  const field = Array.isArray(value) ? String(value) : value;
  if (typeof field !== "string") return field;
  try {
    return JSON.parse(field);
  } catch {
    throw new AppError("ISSUANCE_INVALID", "The field `issuance` is not JSON.");
  }
}
