import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import express from "express";
import helmet from "helmet";
import pino from "pino";
import { SqliteAnchorQueue } from "../../app/server/anchoring/queue.js";
import { withFastReads } from "../../app/server/http/fastReads.js";
import { SqliteIssuerHistory } from "../../app/server/indexer/issuers.js";
import { SqliteRevocations } from "../../app/server/indexer/revocations.js";
import { VerificationService } from "../../app/server/services/verification.js";
import { openDatabase } from "../../app/server/store/database.js";
import { DocumentIssuer, withProofs } from "./support/issuer.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * GET /api/verify and GET /api/proofs/:sha256 are answered in front of Express (app/server/http/fastReads.ts).
 * A conditional request is always Express's to answer, so the same URL asked with an If-None-Match that
 * matches nothing gives Express's answer: both must be the same in status, body and headers.
 */
/** Headers that legitimately differ from one answer to the next. */
const PER_RESPONSE = new Set(["date", "keep-alive", "connection"]);

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

async function answerOf(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!PER_RESPONSE.has(name)) headers[name] = value;
  });
  return { status: response.status, body: await response.text(), headers };
}

describe("the fast path of the hot reads, against the service as npm start runs it", function () {
  this.timeout(240_000);
  const dataDir = tempDataDir("ledger-fast-reads");
  let service: RunningService;
  const [anchoredA, anchoredB, pending] = [randomBytes(700), randomBytes(900), randomBytes(300)];

  const upload = async (body: FormData) => {
    const response = await fetch(`${service.url}/api/documents`, { method: "POST", body });
    expect(response.status).to.equal(201);
  };
  /** The fast path's answer and Express's answer to the same URL. */
  const bothAnswers = async (path: string) => {
    const fast = await answerOf(`${service.url}${path}`);
    const viaExpress = await answerOf(`${service.url}${path}`, { headers: { "If-None-Match": '"matches-nothing"' } });
    return { fast, viaExpress };
  };
  const expectSame = async (path: string, status: number, code?: string) => {
    const { fast, viaExpress } = await bothAnswers(path);
    expect(fast).to.deep.equal(viaExpress);
    expect(fast.status).to.equal(status);
    if (code) expect(JSON.parse(fast.body).error.code).to.equal(code);
    return JSON.parse(fast.body);
  };

  before(async () => {
    // Batches of two that never close on time. An upload queues its issuer's signature beside the
    // document, so each of the first two uploads is a batch of its own; the third document comes under
    // the first one's signature (one statement over both) and so stays pending, alone.
    service = await startService(dataDir, { ANCHOR_BATCH_SIZE: "2", ANCHOR_BATCH_MS: "3600000" });
    const issuer = await DocumentIssuer.of(service.url);
    const first = await issuer.sign([anchoredA, pending]);
    await upload(await issuer.form(anchoredA, { issuance: withProofs(first, [anchoredA, pending], [anchoredA]) }));
    await upload(await issuer.form(anchoredB));
    await eventually(
      async () => (await (await fetch(`${service.url}/api/verify?sha256=${sha256Of(anchoredB)}`)).json()) as { verdict: string },
      (answer) => answer.verdict === "valid",
    );
    await upload(await issuer.form(pending, { issuance: withProofs(first, [anchoredA, pending], [pending]) }));
  });
  after(async () => {
    await service?.kill();
    cleanUp(dataDir);
  });

  it("answers verify as Express does: valid, pending and unknown, in any spelling of the hash", async () => {
    expect((await expectSame(`/api/verify?sha256=${sha256Of(anchoredA)}`, 200)).verdict).to.equal("valid");
    expect((await expectSame(`/api/verify?sha256=${sha256Of(anchoredB).slice(2).toUpperCase()}`, 200)).verdict).to.equal("valid");
    expect((await expectSame(`/api/verify?sha256=${sha256Of(pending)}`, 200)).verdict).to.equal("pending");
    expect((await expectSame(`/api/verify?sha256=${sha256Of(randomBytes(16))}`, 200)).verdict).to.equal("unknown");
    await expectSame(`/api/verify?other=1&sha256=${sha256Of(anchoredA)}`, 200);
  });

  it("answers verify's errors as Express does", async () => {
    await expectSame("/api/verify", 400, "QUERY_INVALID");
    await expectSame("/api/verify?", 400, "QUERY_INVALID");
    await expectSame("/api/verify?sha=1", 400, "QUERY_INVALID");
    await expectSame("/api/verify?sha256=", 400, "SHA256_INVALID");
    await expectSame("/api/verify?sha256=1234", 400, "SHA256_INVALID");
    await expectSame(`/api/verify?sha256=${sha256Of(pending).slice(0, 65)}`, 400, "SHA256_INVALID");
    await expectSame(`/api/verify?sha256=${sha256Of(anchoredA)}&sha256=${sha256Of(anchoredB)}`, 400, "SHA256_INVALID");
  });

  it("answers proofs as Express does: the bundle, pending (409), unknown (404) and malformed (400)", async () => {
    const bundle = await expectSame(`/api/proofs/${sha256Of(anchoredA)}`, 200);
    expect(bundle).to.include({ sha256: sha256Of(anchoredA), chainId: 31337 });
    expect(bundle.proof).to.have.length(1);
    await expectSame(`/api/proofs/${sha256Of(anchoredB).slice(2)}`, 200);
    await expectSame(`/api/proofs/${sha256Of(pending)}`, 409, "PROOF_PENDING");
    await expectSame(`/api/proofs/${sha256Of(randomBytes(16))}`, 404, "PROOF_NOT_FOUND");
    await expectSame("/api/proofs/abc", 400, "SHA256_INVALID");
  });

  it("sends the security headers and the JSON type on its answers", async () => {
    const { fast } = await bothAnswers(`/api/verify?sha256=${sha256Of(anchoredA)}`);
    expect(fast.headers).to.include({
      "content-type": "application/json; charset=utf-8",
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
    });
    expect(fast.headers["content-security-policy"]).to.be.a("string");
    expect(fast.headers["strict-transport-security"]).to.be.a("string");
    expect(fast.headers.etag).to.match(/^W\/"/);
  });
});

describe("what the fast path leaves to Express (app/server/http/fastReads.ts)", () => {
  const dataDir = tempDataDir("ledger-fast-reads-unit");
  const db = openDatabase(dataDir);
  const queue = new SqliteAnchorQueue(db);
  const verification = new VerificationService(queue, new SqliteRevocations(db), new SqliteIssuerHistory(db), {
    chainId: 31337,
    batchAnchor: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  });
  const sha256 = sha256Of(randomBytes(32));
  const reachedExpress: string[] = [];
  const app = express();
  app.use((req, res) => {
    reachedExpress.push(`${req.method} ${req.url}`);
    res.status(299).end();
  });
  let server: Server;
  let base: string;

  before(async () => {
    queue.enqueue({ sha256, cid: null, municipalityId: 1, kind: "document", meta: null });
    server = createServer(withFastReads(app, { verification, securityHeaders: helmet(), logger: pino({ level: "silent" }) }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    db.close();
    cleanUp(dataDir);
  });
  beforeEach(() => reachedExpress.splice(0));

  it("answers GET /api/verify and /api/proofs/:sha256 itself, errors included", async () => {
    expect((await fetch(`${base}/api/verify?sha256=${sha256}`)).status).to.equal(200);
    expect((await fetch(`${base}/api/verify?sha256=zz`)).status).to.equal(400);
    expect((await fetch(`${base}/api/proofs/${sha256}`)).status).to.equal(409);
    expect(reachedExpress).to.deep.equal([]);
  });

  it("hands Express HEAD, conditional requests, other paths and encoded segments", async () => {
    const paths = [
      ["HEAD", `/api/verify?sha256=${sha256}`, {}],
      ["GET", `/api/verify?sha256=${sha256}`, { "If-None-Match": '"x"' }],
      ["GET", `/api/verify?sha256=${sha256}`, { "If-Modified-Since": new Date().toUTCString() }],
      ["GET", `/api/verify/?sha256=${sha256}`, {}],
      ["GET", `/API/verify?sha256=${sha256}`, {}],
      ["GET", `/api/proofs/${sha256}/`, {}],
      ["GET", "/api/proofs/%30x12", {}],
      ["GET", "/api/health", {}],
    ] as const;
    for (const [method, path, headers] of paths) {
      expect((await fetch(`${base}${path}`, { method, headers })).status, `${method} ${path}`).to.equal(299);
    }
    expect(reachedExpress).to.have.length(paths.length);
  });
});
