import { Wallet, getAddress } from "ethers";
import { devAccounts, type DevRole } from "../../../app/server/chain/devAccounts.js";
import type { NewRecord } from "../../../app/server/anchoring/types.js";
import {
  ISSUE_DOCUMENTS_TYPES,
  RECORD_REVOCATION_TYPES,
  batchAnchorDomain,
  documentsTree,
  issuanceDigest,
  issuanceRecordHash,
  signIssuance,
  type IssuanceStatement,
} from "../../../app/shared/issuance.js";
import { sha256Of } from "./testLedger.js";

/**
 * A DOCUMENT_ISSUER as the tests play one: signs `IssueDocuments` statements with its own key (the demo's
 * issuer is the permit officer, dev account 3) and builds the upload forms that carry them in the field
 * `issuance`, as an e-Office system or the officer console does. The service only checks; it never signs.
 */

/** The chain an issuance is signed for: what the service reports in /api/health. */
export interface IssuanceChain {
  chainId: number;
  batchAnchor: string;
}

/** A file's bytes, or its SHA-256 as 0x and 64 hex digits. */
export type DocumentRef = Uint8Array | string;

const hashOf = (document: DocumentRef) => (typeof document === "string" ? document.toLowerCase() : sha256Of(document));

/** The wallet of a development account (embedded chain only). */
export function devWallet(role: DevRole): Wallet {
  return new Wallet(devAccounts().find((account) => account.role === role)!.privateKey);
}

export async function issuanceChainOf(serviceUrl: string): Promise<IssuanceChain> {
  const health = (await (await fetch(`${serviceUrl}/api/health`)).json()) as { chain: { chainId: number; contracts: { batchAnchor: string } } };
  return { chainId: health.chain.chainId, batchAnchor: health.chain.contracts.batchAnchor };
}

export interface SignOptions {
  municipalityId?: number;
  validSeconds?: number;
  /** Unix seconds the deadline counts from (default: now). */
  now?: number;
}

export interface FormOptions {
  /** The field `meta`: JSON text, or an object sent as JSON. */
  meta?: string | Record<string, unknown>;
  /** The field `issuance` as sent: a statement (sent as JSON), raw text, or null to send none. Default: signed over the files. */
  issuance?: IssuanceStatement | (IssuanceStatement & { proofs: string[][] }) | string | null;
  /** The files' field name (default "file"). */
  fileField?: string;
}

export class DocumentIssuer {
  constructor(
    readonly chain: IssuanceChain,
    readonly wallet: Wallet = devWallet("permitOfficer"),
    readonly municipalityId = 1,
  ) {}

  /** The demo's issuer (or `role`'s key) for the service at `serviceUrl`. */
  static async of(serviceUrl: string, role: DevRole = "permitOfficer"): Promise<DocumentIssuer> {
    return new DocumentIssuer(await issuanceChainOf(serviceUrl), devWallet(role));
  }

  get address(): string {
    return this.wallet.address;
  }

  /** The same chain, another key. */
  as(wallet: Wallet | DevRole): DocumentIssuer {
    return new DocumentIssuer(this.chain, typeof wallet === "string" ? devWallet(wallet) : wallet, this.municipalityId);
  }

  /** A statement over exactly `documents`, signed with this key. */
  sign(documents: readonly DocumentRef[], options: SignOptions = {}): Promise<IssuanceStatement> {
    return signIssuance(this.wallet, {
      chainId: this.chain.chainId,
      batchAnchor: this.chain.batchAnchor,
      municipalityId: options.municipalityId ?? this.municipalityId,
      sha256s: documents.map(hashOf),
      validSeconds: options.validSeconds,
      now: options.now,
    });
  }

  /** A statement with chosen values (a nonce used before, another list): signed as given. */
  async signValues(values: Omit<IssuanceStatement, "signer" | "signature">): Promise<IssuanceStatement> {
    const { municipalityId, documentsRoot, count, nonce, deadline } = values;
    const signature = await this.wallet.signTypedData(batchAnchorDomain(this.chain.chainId, this.chain.batchAnchor), ISSUE_DOCUMENTS_TYPES, {
      municipalityId,
      documentsRoot,
      count,
      nonce,
      deadline,
    });
    return { ...values, signer: getAddress(this.wallet.address), signature: signature.toLowerCase() };
  }

  /** An upload form of `files` (one, or several for /api/documents/batch), signed over them unless told otherwise. */
  async form(files: Uint8Array | readonly Uint8Array[], options: FormOptions = {}): Promise<FormData> {
    const list: readonly Uint8Array[] = files instanceof Uint8Array ? [files] : files;
    const issuance = options.issuance === undefined ? await this.sign(list) : options.issuance;
    return uploadForm(list, { ...options, issuance });
  }
}

const trees = new WeakMap<readonly DocumentRef[], ReturnType<typeof documentsTree>>();

/**
 * The field `issuance` for uploading `files` (often one) under `statement`, signed over the whole `list`:
 * the statement and each file's proof into the list.
 */
export function withProofs(statement: IssuanceStatement, list: readonly DocumentRef[], files: readonly DocumentRef[]): IssuanceStatement & { proofs: string[][] } {
  let tree = trees.get(list);
  if (!tree) trees.set(list, (tree = documentsTree(list.map(hashOf))));
  return { ...statement, proofs: files.map((file) => tree.proofOf(hashOf(file))) };
}

/** A multipart upload of `files` with the text fields given (no signing here). */
export function uploadForm(files: readonly Uint8Array[], options: FormOptions = {}): FormData {
  const body = new FormData();
  files.forEach((bytes, i) => body.append(options.fileField ?? "file", new Blob([new Uint8Array(bytes)]), `document-${i}.pdf`));
  if (options.meta !== undefined) body.append("meta", typeof options.meta === "string" ? options.meta : JSON.stringify(options.meta));
  if (options.issuance !== undefined && options.issuance !== null) {
    body.append("issuance", typeof options.issuance === "string" ? options.issuance : JSON.stringify(options.issuance));
  }
  return body;
}

/**
 * The records DocumentService queues for `documents` issued under `statement` (the issuance itself, then
 * each document linked to it), for tests that fill a queue without the HTTP service.
 */
export function issuedRecords(statement: IssuanceStatement, chain: IssuanceChain, documents: readonly string[]): NewRecord[] {
  const digest = issuanceDigest(statement, batchAnchorDomain(chain.chainId, chain.batchAnchor));
  const sha256 = issuanceRecordHash(digest, statement.signature);
  const tree = documentsTree(documents);
  return [
    { sha256, cid: null, municipalityId: statement.municipalityId, kind: "issuance", meta: { ...statement }, claim: `${statement.signer}/${statement.nonce}` },
    ...documents.map((document) => ({
      sha256: document,
      cid: null,
      municipalityId: statement.municipalityId,
      kind: "document",
      meta: { issuance: { sha256, proof: tree.proofOf(document) } },
    })),
  ];
}

/**
 * A DOCUMENT_ISSUER's signature revoking `leaf` inside `municipalityId`'s batch `root` (BatchAnchor.revokeRecord's
 * last three arguments).
 */
export async function signRecordRevocation(
  officer: Wallet,
  chain: IssuanceChain,
  revocation: { municipalityId: number; root: string; leaf: string; reasonCode: number; reasonHash: string; validSeconds?: number; now?: number },
): Promise<{ officer: string; deadline: number; signature: string }> {
  const deadline = (revocation.now ?? Math.floor(Date.now() / 1000)) + (revocation.validSeconds ?? 3600);
  const { municipalityId, root, leaf, reasonCode, reasonHash } = revocation;
  const signature = await officer.signTypedData(batchAnchorDomain(chain.chainId, chain.batchAnchor), RECORD_REVOCATION_TYPES, {
    municipalityId,
    root,
    leaf,
    reasonCode,
    reasonHash,
    deadline,
  });
  return { officer: officer.address, deadline, signature };
}
