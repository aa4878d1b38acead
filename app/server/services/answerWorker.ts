// The thread that makes first reads of verification answers (answerReader.ts): its own read-only
// connection to the ledger database, the same VerificationService code, and the answers' bytes sent
// back without a copy.
import { parentPort, workerData } from "node:worker_threads";
import { SqliteAnchorQueue } from "../anchoring/queue.js";
import { AppError } from "../errors.js";
import type { AnswerReply, AnswerRequest, AnswerWorkerData } from "./answerReader.js";
import { openReadOnlyDatabase } from "../store/database.js";
import { verificationOn } from "./verificationOn.js";

const data = workerData as AnswerWorkerData;
const db = openReadOnlyDatabase(data.dataDir);
// This connection reads a record when its answer is not kept on the main thread: mostly a hash read for the
// first time, whose rows no page cache holds yet. The index and the batches' rows it needs each time fit in
// 16 MB; a cache the size of the records table (the writer's 64 MB) held rows it never read again, as
// resident memory (30 MB after the benchmark's 20,000 documents).
db.exec("PRAGMA cache_size = -16384");
const verification = verificationOn(
  db,
  new SqliteAnchorQueue(db),
  { chainId: data.chainId, batchAnchor: data.batchAnchor, permitRegistry: data.permitRegistry },
);

const port = parentPort!;
port.on("message", (requests: AnswerRequest[]) => {
  const replies: AnswerReply[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const { id, kind, sha256 } of requests) {
    try {
      const { body, keep } = verification.readAnswer(kind, sha256);
      // Its own ArrayBuffer (a small Buffer is a slice of a shared pool), so it can be handed over.
      const bytes = new Uint8Array(body);
      replies.push({ id, body: bytes.buffer, keep });
      transfer.push(bytes.buffer);
    } catch (error) {
      replies.push(
        error instanceof AppError
          ? { id, error: { code: error.code, message: error.message } }
          : { id, error: { code: null, message: (error as Error).message } },
      );
    }
  }
  port.postMessage(replies, transfer);
});
port.postMessage("ready");
