// A floor for GET /api/verify: a server that answers every request with the same verify answer (JSON
// in the file BENCH_FLOOR_BODY), with no database and no proof bundle to build. run.ts starts it as a
// child process, so that it has threads of its own as the service does:
//   BENCH_FLOOR=bare         node:http alone, writing the body as it is
//   BENCH_FLOOR=app          the service's own Express app (createApp: helmet, pino-http, router, error
//                            handler) with a verification service that returns the answer's JSON text, as
//                            the real one returns a kept answer
//   BENCH_FLOOR=app-cluster  the same app in one process per core (node:cluster) on one port
// It listens on BENCH_FLOOR_PORT (default: any free port), prints "listening PORT" once ready and stops
// on SIGTERM.
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { createApp } from "../../app/server/app.js";
import type { AnchorQueue } from "../../app/server/anchoring/types.js";
import type { IpfsStore } from "../../app/server/ipfs/types.js";
import type { DocumentService } from "../../app/server/services/documents.js";
import type { VerificationService } from "../../app/server/services/verification.js";

const kind = process.env.BENCH_FLOOR;
const port = Number(process.env.BENCH_FLOOR_PORT ?? 0);

if (kind === "app-cluster" && cluster.isPrimary) {
  const workers = availableParallelism();
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on("listening", () => {
      if (++ready === workers) console.log(`listening ${port}`);
    });
  }
  process.on("SIGTERM", () => {
    const workers = Object.values(cluster.workers ?? {});
    let left = workers.length;
    for (const worker of workers) {
      worker?.once("exit", () => --left === 0 && process.exit(0));
      worker?.kill("SIGTERM");
    }
  });
} else {
  serve();
}

function serve(): void {
  const body = readFileSync(process.env.BENCH_FLOOR_BODY!, "utf8");
  const bodyBytes = Buffer.from(body);
  const unused = new Proxy(
    {},
    {
      get: () => () => {
        throw new Error("not part of the floor");
      },
    },
  );
  let server: Server;
  if (kind === "bare") {
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  } else {
    const app = createApp({
      documents: unused as DocumentService,
      verification: { verifySha256Body: () => bodyBytes } as unknown as VerificationService,
      queue: unused as AnchorQueue,
      ipfs: unused as IpfsStore,
      health: async () => ({ ok: true }),
      logger: pino({ level: "warn" }),
      uploadLimitBytes: 1024 * 1024,
      webRoot: fileURLToPath(new URL("../../app/web/shell", import.meta.url)),
      version: "bench",
    });
    server = createServer(app);
  }
  server.listen(port, "127.0.0.1", () => {
    if (cluster.isPrimary) console.log(`listening ${(server.address() as { port: number }).port}`);
  });
  process.on("SIGTERM", () => {
    // A cluster worker just ends: closing its server would message a primary that may be gone.
    if (!cluster.isPrimary) process.exit(0);
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
