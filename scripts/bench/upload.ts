import { createHash, randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { issuanceFields } from "./issuer.js";

/**
 * Uploads documents as a client would: through POST /api/documents (multipart, one file per request) or,
 * with `filesPerRequest` > 1, through POST /api/documents/batch (that many files per request), over
 * keep-alive connections with at most `concurrency` requests under way. The multipart bodies, with the
 * issuer's signed `issuance`, are built first (`prepareUploads`) and only then sent (`sendUploads`): every
 * clock of a phase — the upload's, and the one that follows the records to their anchors — starts after
 * the preparation, so the figure is the service's, not the body encoder's or the signer's (signing a list
 * of 10,000 and building its tree twice takes the client about half a second).
 */
export interface Document {
  bytes: Buffer;
  sha256: string;
}

/** `count` distinct documents of `size` bytes: random bytes with the index written at the front. */
export function makeDocuments(count: number, size: number): Document[] {
  const runTag = randomBytes(8);
  return Array.from({ length: count }, (_, index) => {
    const bytes = randomBytes(size);
    bytes.writeUInt32BE(index, 0);
    runTag.copy(bytes, 4);
    return { bytes, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}` };
  });
}

const BOUNDARY = "----ledger-bench-7d1f0c";

function multipart(documents: Document[], first: number, issuance: string): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="issuance"\r\n\r\n${issuance}\r\n`),
    ...documents.flatMap((document, i) => [
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="document-${first + i}.pdf"\r\n` +
          "Content-Type: application/pdf\r\n\r\n",
      ),
      document.bytes,
      Buffer.from("\r\n"),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
}

export interface UploadResult {
  /** Wall time from the first request sent to the last answer (ms). */
  elapsedMs: number;
  /** Date.now() when the first request was sent, and when the last answer came. */
  startedAt: number;
  finishedAt: number;
  /** Answers by status code (one per request). */
  statuses: Record<number, number>;
  /** Documents the service answered as newly accepted (201 answers, or a bulk answer's `created`). */
  accepted: number;
  /** Request latencies (ms), sorted. */
  latenciesMs: number[];
  /** The first few error answers or transport errors, for the report. */
  errors: string[];
}

/** The requests of one upload run, signed and encoded, ready to send. */
export interface PreparedUploads {
  url: URL;
  bulk: boolean;
  bodies: Buffer[];
}

export async function prepareUploads(baseUrl: string, documents: Document[], filesPerRequest = 1): Promise<PreparedUploads> {
  const bulk = filesPerRequest > 1;
  const url = new URL(bulk ? "/api/documents/batch" : "/api/documents", baseUrl);
  const issuances = await issuanceFields(baseUrl, documents, filesPerRequest);
  const bodies: Buffer[] = [];
  for (let i = 0; i < documents.length; i += filesPerRequest) {
    bodies.push(multipart(documents.slice(i, i + filesPerRequest), i, issuances[i / filesPerRequest]));
  }
  return { url, bulk, bodies };
}

export async function sendUploads({ url, bulk, bodies }: PreparedUploads, concurrency: number): Promise<UploadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: Record<number, number> = {};
  let accepted = 0;
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;

  const post = (body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          agent,
          headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "content-length": body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const startedAt = Date.now();
  const t0 = performance.now();
  const lane = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const sent = performance.now();
      try {
        const { status, text } = await post(body);
        latencies.push(performance.now() - sent);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) accepted += bulk ? (JSON.parse(text) as { created: number }).created : 1;
        if (status !== 201 && errors.length < 5) errors.push(`${status} ${text.slice(0, 200)}`);
      } catch (error) {
        statuses[0] = (statuses[0] ?? 0) + 1;
        if (errors.length < 5) errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, lane));
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  return { elapsedMs, startedAt, finishedAt: Date.now(), statuses, accepted, latenciesMs: latencies.sort((a, b) => a - b), errors };
}

/** The q-quantile (0..1) of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
