import {
  certificateTargetOf,
  verifyPermitCertificate,
  type CertificateCheckOptions,
  type CertificateFacts,
  type CertificateTarget,
  type CertificateVerdict,
  type CertificateVerification,
  type PermitCertificateProof,
} from "../../../shared/verifyCertificate.js";
import { chainOf, dataHashOf, permitOf, ServiceUnavailableError } from "./ledgerApi.js";
import { permitModelOf, type PermitModel } from "./permitModel.js";
import { fetchRpc } from "./rpc.js";

/**
 * A permit certificate checked on the chain by verifyPermitCertificate (app/shared/verifyCertificate.ts,
 * the CLI's check too): PermitRegistry knows it, the officer who signed its issue or amendment held the
 * issuing role then, and it is not revoked, superseded or expired. The service adds only the permit's
 * public record (type, parcel, approval trail) and the data hash a paper's QR code is compared with.
 */
export interface CertificateCheck {
  verdict: CertificateVerdict;
  verification: CertificateVerification;
  rpcUrl: string;
  chainId: number;
  /** The SHA-256 the page was given (a file's, a typed one), when it asked by hash. */
  sha256?: string;
  /** The permit's record: the service's, or what the chain alone says of it when the service is unreachable. */
  permit?: PermitModel;
  /** The service could not be asked: what is shown is the chain's alone. */
  offline: boolean;
  /** The link carried a QR code's data hash (`h`), whether or not it could be compared. */
  paperClaimed: boolean;
}

/** What a paper certificate's QR code says: `?permit=<number>&v=<version>&h=<data hash>`. */
export interface PaperClaim {
  version?: number;
  dataHash?: string;
}

/** A certificate by the SHA-256 of its PDF: the service's proof names the registry; without it, the configured one. */
export async function certificateByHash(sha256: string, given: { proof?: PermitCertificateProof; offline?: boolean }): Promise<CertificateCheck> {
  const chain = await chainOf();
  const fromBlock = chain.deploymentBlock;
  const registry = given.proof?.contract ?? chain.contracts.permitRegistry;
  const target: CertificateTarget | undefined = given.proof
    ? certificateTargetOf(given.proof, fromBlock)
    : registry
      ? { registry, chainId: chain.chainId, certificateHash: sha256, fromBlock }
      : undefined;
  const verification: CertificateVerification = target
    ? await verifyPermitCertificate(fetchRpc(chain.rpcUrl), target, { documentSha256: sha256 })
    : { verdict: "unknown", checks: [] };
  const offline = given.offline === true;
  const facts = verification.certificate;
  const permit = facts && facts.version > 0 ? await permitRecord(facts, offline) : undefined;
  return { verdict: verification.verdict, verification, rpcUrl: chain.rpcUrl, chainId: chain.chainId, sha256, permit, offline, paperClaimed: false };
}

/**
 * A permit by its number, as a paper certificate's QR code names it (a version and its data hash) or as
 * typed (the current version). Null when the chain has no such permit.
 */
export async function certificateByNumber(number: string, paper: PaperClaim = {}): Promise<CertificateCheck | null> {
  const chain = await chainOf();
  const registry = chain.contracts.permitRegistry;
  if (!registry) return null;
  // The service's record of the permit, asked beside the chain; it may be down.
  const record = permitOf(number).then(
    (answer) => ({ answer, offline: false }),
    (error: unknown) => {
      if (error instanceof ServiceUnavailableError) return { answer: null, offline: true };
      throw error;
    },
  );
  // The data hash is the issuing service's word: the chain holds the PDF's hash only.
  const options: CertificateCheckOptions = paper.dataHash ? { paperDataHash: paper.dataHash, ledgerDataHash: (c) => dataHashOf(c.certificateHash) } : {};
  const verification = await verifyPermitCertificate(
    fetchRpc(chain.rpcUrl),
    { registry, chainId: chain.chainId, permitNumber: number, ...(paper.version !== undefined ? { version: paper.version } : {}), fromBlock: chain.deploymentBlock },
    options,
  );
  const { answer, offline } = await record;
  const facts = verification.certificate;
  if (!facts) return null;
  const permit = answer ? permitModelOf(answer, number) : chainPermit(facts);
  return { verdict: verification.verdict, verification, rpcUrl: chain.rpcUrl, chainId: chain.chainId, permit, offline, paperClaimed: !!paper.dataHash };
}

/** The service's record of the certificate's permit, or the chain's facts when it does not answer. */
async function permitRecord(facts: CertificateFacts, offline: boolean): Promise<PermitModel> {
  if (!offline) {
    try {
      const answer = await permitOf(facts.permitNumber);
      if (answer) return permitModelOf(answer, facts.permitNumber);
    } catch {
      // the chain's facts below
    }
  }
  return chainPermit(facts);
}

/** What the chain alone says of a permit: number, version, state, end of validity (no trail, no type's name). */
function chainPermit(facts: CertificateFacts): PermitModel {
  return {
    number: facts.permitNumber,
    status: facts.state,
    ...(facts.currentVersion > 0 ? { version: facts.currentVersion } : {}),
    ...(facts.municipalityName ? { municipality: facts.municipalityName } : {}),
    ...(facts.validUntil > 0 ? { validUntil: new Date(facts.validUntil * 1000).toISOString() } : {}),
    trail: [],
    dataHashes: new Map(),
    chainOnly: true,
  };
}
