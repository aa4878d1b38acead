import type { CertificateVerdict } from "../../../shared/verifyCertificate.js";
import { certificateByNumber, type CertificateCheck, type PaperClaim } from "./checkCertificate.js";
import type { CheckStep } from "./checkDocument.js";
import type { PermitModel } from "./permitModel.js";

export type { PaperClaim };

export interface PermitCheck {
  number: string;
  /** Null when the chain has no permit with this number. */
  permit: PermitModel | null;
  verdict: CertificateVerdict;
  /** The certificate of the version asked (the paper's, else the current one), checked on the chain. */
  certificate?: CertificateCheck;
  /** The link carried a data hash (a QR code), whether or not it could be compared. */
  paperClaimed: boolean;
  paperVersion?: number;
}

/**
 * A permit by number, optionally as a paper certificate's QR code claims it. The verdict is the chain's
 * (PermitRegistry and the Directory, through the RPC node): it stands with the service down. The service
 * adds the permit's public record and the data hash to compare a QR code's with.
 */
export async function checkPermit(number: string, paper: PaperClaim = {}, onStep: (step: CheckStep) => void = () => {}): Promise<PermitCheck> {
  onStep("checking");
  const certificate = await certificateByNumber(number, paper);
  const paperClaimed = !!paper.dataHash;
  if (!certificate) return { number, permit: null, verdict: "unknown", paperClaimed };
  const facts = certificate.verification.certificate;
  return {
    number,
    permit: certificate.permit ?? null,
    verdict: certificate.verdict,
    certificate,
    paperClaimed,
    ...(facts && facts.version > 0 ? { paperVersion: facts.version } : {}),
  };
}
