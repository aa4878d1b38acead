import type { DatabaseSync } from "node:sqlite";
import type { Verdict } from "../../../shared/proofBundle.js";
import { permitTrail, type PermitTrailStep } from "./trail.js";

/**
 * Verification of a permit certificate by the SHA-256 of its PDF, for /api/verify when the hash is not
 * a record of the anchoring queue. Answered from the index of PermitRegistry's events (no chain call,
 * like the rest of verification); the proof says where anyone can ask the chain itself:
 * `PermitRegistry.verify(certificateHash)` at `contract` on `chainId`.
 */
export const PERMIT_CERTIFICATE_PROOF_FORMAT = "public-service-ledger/permit-certificate@1";

export interface PermitCertificateRecord {
  kind: "permit-certificate";
  sha256: string;
  permitNumber: string;
  permitId: string;
  municipalityId: number;
  version: number;
  /** CID of the sealed PDF (it names the holder, so it is never on IPFS in clear). */
  cid: string;
  issuedAt: string;
  validUntil: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  permitState: string;
  expired: boolean;
}

export interface PermitCertificateProof {
  format: typeof PERMIT_CERTIFICATE_PROOF_FORMAT;
  chainId: number;
  /** The PermitRegistry. */
  contract: string;
  permitId: string;
  certificateHash: string;
  version: number;
  txHash: string;
  blockNumber: number;
  /** The view call that answers the verdict on any node. */
  call: string;
}

export interface PermitCertificateVerification {
  verdict: Verdict;
  record: PermitCertificateRecord;
  trail: PermitTrailStep[];
  proof: PermitCertificateProof;
}

interface Row {
  certificate_hash: string;
  permit_id: string;
  version: number;
  cid: string;
  supersedes: string | null;
  superseded_by: string | null;
  issued_at: number;
  tx_hash: string;
  block_number: number;
  number: string;
  municipality_id: number;
  state: string;
  valid_until: number | null;
}

export class PermitCertificateLookup {
  constructor(
    private readonly db: DatabaseSync,
    private readonly chain: { chainId: number; permitRegistry: string },
    private readonly officerNames: Map<string, string> = new Map(),
  ) {}

  /** The verdict on a certificate hash, or null when no permit certificate has it. */
  verifyCertificate(sha256: string): PermitCertificateVerification | null {
    const row = this.db
      .prepare(
        `SELECT c.*, p.number, p.municipality_id, p.state, p.valid_until FROM idx_permit_certificates c
         JOIN idx_permits p ON p.permit_id = c.permit_id WHERE c.certificate_hash = ?`,
      )
      .get(sha256.toLowerCase()) as Row | undefined;
    if (!row) return null;
    // As PermitRegistry.verify decides: revoked first, then superseded, then expired.
    const expired = row.valid_until !== null && row.valid_until > 0 && Date.now() / 1000 > row.valid_until;
    const verdict: Verdict = row.state === "Revoked" ? "revoked" : row.superseded_by ? "superseded" : expired ? "revoked" : "valid";
    return {
      verdict,
      record: {
        kind: "permit-certificate",
        sha256: row.certificate_hash,
        permitNumber: row.number,
        permitId: row.permit_id,
        municipalityId: row.municipality_id,
        version: row.version,
        cid: row.cid,
        issuedAt: new Date(row.issued_at * 1000).toISOString(),
        validUntil: row.valid_until ? new Date(row.valid_until * 1000).toISOString() : null,
        supersedes: row.supersedes,
        supersededBy: row.superseded_by,
        permitState: row.state,
        expired,
      },
      trail: permitTrail(this.db, row.permit_id, this.officerNames),
      proof: {
        format: PERMIT_CERTIFICATE_PROOF_FORMAT,
        chainId: this.chain.chainId,
        contract: this.chain.permitRegistry,
        permitId: row.permit_id,
        certificateHash: row.certificate_hash,
        version: row.version,
        txHash: row.tx_hash,
        blockNumber: row.block_number,
        call: `verify(${row.certificate_hash})`,
      },
    };
  }
}
