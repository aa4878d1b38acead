import type { Verdict } from "../../../shared/proofBundle.js";
import { checkDocument, type CheckStep, type DocumentCheck } from "./checkDocument.js";
import { permitOf } from "./ledgerApi.js";
import { permitModelOf, type PermitModel } from "./permitModel.js";

/** What a paper certificate's QR code says: `?permit=<number>&v=<version>&h=<data hash>`. */
export interface PaperClaim {
  version?: number;
  dataHash?: string;
}

export interface PermitCheck {
  number: string;
  /** Null when the ledger has no permit with this number. */
  permit: PermitModel | null;
  verdict: Verdict;
  /** Whether the paper's data hash equals the ledger's for its version; undefined when not comparable. */
  paperMatches?: boolean;
  paperVersion?: number;
  /** The link carried a data hash (a QR code), whether or not it could be compared. */
  paperClaimed: boolean;
  /** The current certificate checked on the chain, when the API names its SHA-256. */
  certificate?: DocumentCheck;
}

/**
 * A permit by number, optionally as a paper certificate claims it. The permit's record comes from the
 * service; its certificate, when the service names the file's SHA-256, is checked on the chain here.
 */
export async function checkPermit(number: string, paper: PaperClaim = {}, onStep: (step: CheckStep) => void = () => {}): Promise<PermitCheck> {
  onStep("fetching");
  const answer = await permitOf(number);
  if (!answer) return { number, permit: null, verdict: "unknown", paperClaimed: !!paper.dataHash };
  const permit = permitModelOf(answer, number);
  // The permit is shown once, from here: the certificate's own check need not carry it again.
  const certificate = permit.certificateSha256 ? { ...(await checkDocument(permit.certificateSha256, onStep)), permit: undefined } : undefined;

  const paperVersion = paper.version ?? permit.version;
  const expected = paperVersion === undefined ? undefined : permit.dataHashes.get(paperVersion);
  const paperMatches = paper.dataHash && expected ? paper.dataHash.toLowerCase() === expected : undefined;

  let verdict: Verdict = certificate?.verdict ?? permit.verdict ?? "unknown";
  if (paperMatches === false) verdict = "unknown";
  else if (verdict === "valid" && paper.version !== undefined && permit.version !== undefined && paper.version < permit.version) verdict = "superseded";
  return { number, permit, verdict, paperMatches, paperVersion, paperClaimed: !!paper.dataHash, certificate };
}
