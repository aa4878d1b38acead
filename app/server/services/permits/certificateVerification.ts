import type { DatabaseSync } from "node:sqlite";
import type { Verdict } from "../../../shared/proofBundle.js";
import { PERMIT_CERTIFICATE_PROOF_FORMAT, type PermitCertificateProof } from "../../../shared/verifyCertificate.js";
import { permitTrail, type PermitTrailStep } from "./trail.js";
import { SqliteOfficerNames, type OfficerNames } from "../../indexer/officerNames.js";

/**
 * Verification of a permit certificate by the SHA-256 of its PDF, for /api/verify and /api/proofs when
 * the hash is not a record of the anchoring queue. Answered from the index of PermitRegistry's events (no
 * chain call, like the rest of verification); the proof (app/shared/verifyCertificate.ts) says where
 * anyone asks the chain itself, which `ledger verify` and the web verifier do with verifyPermitCertificate.
 */
export { PERMIT_CERTIFICATE_PROOF_FORMAT, type PermitCertificateProof };

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
  /** PermitRegistry's reason code of a revoked permit (PERMIT_REVOCATION_REASONS), else null. */
  revocationReason: number | null;
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
  revocation_reason: number | null;
  data_hash: string | null;
}

export class PermitCertificateLookup {
  constructor(
    private readonly db: DatabaseSync,
    private readonly chain: { chainId: number; permitRegistry: string },
    /** Officers' names as their municipalities published them on the chain. */
    private readonly officerNames: OfficerNames = new SqliteOfficerNames(db),
  ) {}

  /** The verdict on a certificate hash, or null when no permit certificate has it. */
  verifyCertificate(sha256: string): PermitCertificateVerification | null {
    const row = this.db
      .prepare(
        `SELECT c.*, p.number, p.municipality_id, p.state, p.valid_until, p.revocation_reason, d.data_hash FROM idx_permit_certificates c
         JOIN idx_permits p ON p.permit_id = c.permit_id
         LEFT JOIN permit_certificate_data d ON d.certificate_hash = c.certificate_hash
         WHERE c.certificate_hash = ?`,
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
        revocationReason: row.revocation_reason || null,
      },
      trail: permitTrail(this.db, row.permit_id, row.municipality_id, this.officerNames),
      proof: {
        format: PERMIT_CERTIFICATE_PROOF_FORMAT,
        chainId: this.chain.chainId,
        contract: this.chain.permitRegistry,
        permitId: row.permit_id,
        permitNumber: row.number,
        certificateHash: row.certificate_hash,
        version: row.version,
        txHash: row.tx_hash,
        blockNumber: row.block_number,
        call: `verify(${row.certificate_hash})`,
        dataHash: row.data_hash,
      },
    };
  }
}
