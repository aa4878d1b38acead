import type { DatabaseSync } from "node:sqlite";
import type { AnchorQueue } from "../anchoring/types.js";
import { SqliteIssuerHistory } from "../indexer/issuers.js";
import { SqliteRevocations } from "../indexer/revocations.js";
import { SqliteAttachedFiles } from "./attachedFiles.js";
import { PermitCertificateLookup } from "./permits/certificateVerification.js";
import { VerificationService, type AnswerSource } from "./verification.js";

/**
 * The VerificationService over one ledger database, as the API's thread and the answer worker's
 * (answerWorker.ts) both build it: one place, so the two can never answer from different sources.
 */
export function verificationOn(
  db: DatabaseSync,
  queue: AnchorQueue,
  chain: { chainId: number; batchAnchor: string; permitRegistry: string },
  reader?: AnswerSource,
): VerificationService {
  return new VerificationService(
    queue,
    new SqliteRevocations(db),
    new SqliteIssuerHistory(db),
    { chainId: chain.chainId, batchAnchor: chain.batchAnchor },
    new PermitCertificateLookup(db, { chainId: chain.chainId, permitRegistry: chain.permitRegistry }),
    reader,
    new SqliteAttachedFiles(db),
  );
}
