import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { setImmediate } from "node:timers/promises";
import express from "express";
import pino from "pino";
import { createRequestListener } from "../../app/server/app.js";
import { parseTrustProxy } from "../../app/server/http/clientKey.js";
import { NO_CLIENT_LIMITS, type ClientLimitSettings } from "../../app/server/http/clientLimits.js";
import { errorHandler } from "../../app/server/http/errorHandler.js";
import { RelayerBudget } from "../../app/server/http/relayerBudget.js";
import { readWriteLimitsConfig } from "../../app/server/http/writeLimitsConfig.js";
import type { DocumentService } from "../../app/server/services/documents.js";

/**
 * The limits on public writes (app/server/http/clientLimits.ts, clientKey.ts, relayerBudget.ts) on the
 * service's own request listener, in this process: the fast upload path (POST /api/documents) and
 * Express (`/api/documents/`, the batch route) count under one key per client, with the same answers.
 * Only the document service is a stand-in: it counts what reaches it. The budget on real routes and in
 * /api/health is tested in health.test.ts.
 */
const BOUNDARY = "----limits-test";
const FORM = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
/** Headers that differ from one answer to the next whatever the path. */
const PER_RESPONSE = new Set(["date", "keep-alive", "connection", "ratelimit", "retry-after"]);

function multipart(files: Buffer[]): Buffer {
  return Buffer.concat([
    ...files.flatMap((body, i) => [
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      body,
      Buffer.from("\r\n"),
    ]),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ]);
}

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: number | null;
  headers: Record<string, string>;
  body: string;
}

describe("limits on public writes, per client (requests, files, bytes) and on what anonymous requests cost", () => {
  let server: Server | undefined;
  let base = "";
  /** Files that reached the document service, per call. */
  let reached: number[] = [];

  async function serve(limits: Partial<ClientLimitSettings>): Promise<void> {
    await close();
    reached = [];
    const record = { sha256: "0x00", cid: null, recordId: "r", status: "pending" };
    const documents = {
      accept: async () => (reached.push(1), { created: true, record, issuer: "0x00" }),
      acceptMany: async (files: Uint8Array[]) => (reached.push(files.length), files.map(() => ({ created: true, record, issuer: "0x00" }))),
    } as unknown as DocumentService;
    const unused = {} as never;
    server = createServer(
      createRequestListener({
        documents,
        verification: unused,
        queue: unused,
        ipfs: unused,
        health: async () => ({ ok: true }),
        logger: pino({ level: "silent" }),
        uploadLimitBytes: 1024 * 1024,
        writeLimits: { ...NO_CLIENT_LIMITS, ...limits },
        webRoot: "/nonexistent",
        version: "test",
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
  async function close(): Promise<void> {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  }
  after(close);

  /** POST to `path`: "/api/documents" is the fast path, "/api/documents/" and "/api/documents/batch" Express. */
  async function post(path: string, body: Buffer | ReadableStream, headers: Record<string, string> = {}): Promise<Answer> {
    const init = { method: "POST", body, headers: { ...FORM, ...headers }, duplex: "half" } as RequestInit;
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    const kept: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!PER_RESPONSE.has(name)) kept[name] = value;
    });
    const retryAfter = response.headers.get("retry-after");
    return {
      status: response.status,
      code: response.status >= 400 ? JSON.parse(text).error.code : undefined,
      retryAfter: retryAfter === null ? null : Number(retryAfter),
      headers: kept,
      body: text,
    };
  }
  const one = (size = 100) => multipart([randomBytes(size)]);
  const statuses = (answers: Answer[]) => answers.map((a) => a.code ?? a.status);

  it("counts a client's requests on the fast path and in Express alike, and refuses both alike with 429 and Retry-After", async () => {
    await serve({ requestsPerMinute: 4 });
    const answers = [await post("/api/documents", one()), await post("/api/documents/", one()), await post("/api/documents", one()), await post("/api/documents/", one())];
    expect(statuses(answers)).to.deep.equal([201, 201, 201, 201]);
    const fast = await post("/api/documents", one());
    const viaExpress = await post("/api/documents/", one());
    expect(fast.status).to.equal(429);
    expect(fast.code).to.equal("RATE_LIMITED");
    expect(fast.retryAfter).to.be.within(1, 60);
    expect(viaExpress.retryAfter).to.be.within(1, 60);
    // The same answer, byte for byte but the clock: status, body ({ error: { code, message } }) and headers.
    expect({ status: viaExpress.status, body: viaExpress.body, headers: viaExpress.headers }).to.deep.equal({ status: fast.status, body: fast.body, headers: fast.headers });
    expect(reached).to.deep.equal([1, 1, 1, 1]);
    // The quota in the RateLimit headers (draft-ietf-httpapi-ratelimit-headers-08).
    const response = await fetch(`${base}/api/documents`, { method: "POST", body: one(), headers: FORM });
    expect(response.headers.get("ratelimit-policy")).to.equal('"4-in-1min"; q=4; w=60');
    expect(response.headers.get("ratelimit")).to.match(/^"4-in-1min"; r=0; t=\d+$/);
  });

  it("ignores X-Forwarded-For without TRUST_PROXY: a client cannot name itself another", async () => {
    await serve({ requestsPerMinute: 2 });
    const as = (address: string) => ({ "x-forwarded-for": address });
    const answers = [
      await post("/api/documents", one(), as("203.0.113.1")),
      await post("/api/documents/", one(), as("203.0.113.2")),
      await post("/api/documents", one(), as("203.0.113.3")),
      await post("/api/documents/", one(), as("203.0.113.4")),
    ];
    expect(statuses(answers)).to.deep.equal([201, 201, "RATE_LIMITED", "RATE_LIMITED"]);
  });

  it("with TRUST_PROXY, counts the client the trusted proxy names, on both paths, whatever the client wrote before it", async () => {
    await serve({ requestsPerMinute: 2, trustProxy: parseTrustProxy("1") });
    // The proxy appends the address it saw; what the client sent itself stands further left.
    const via = (forwarded: string) => ({ "x-forwarded-for": forwarded });
    const first = [await post("/api/documents", one(), via("203.0.113.7")), await post("/api/documents/", one(), via("10.9.9.9, 203.0.113.7"))];
    const spoofed = await post("/api/documents", one(), via("198.51.100.1, 203.0.113.7"));
    const other = [await post("/api/documents/", one(), via("203.0.113.8")), await post("/api/documents", one(), via("203.0.113.8"))];
    expect(statuses([...first, spoofed, ...other])).to.deep.equal([201, 201, "RATE_LIMITED", 201, 201]);
    // The proxy's own connection, without the header, is a client of its own.
    expect((await post("/api/documents", one())).status).to.equal(201);

    // A list of the proxies' addresses: the loopback proxy is believed, and the first address it does not trust is the client.
    await serve({ requestsPerMinute: 1, trustProxy: parseTrustProxy("loopback, 10.0.0.0/8") });
    const listed = [
      await post("/api/documents", one(), via("203.0.113.9, 10.1.2.3")),
      await post("/api/documents/", one(), via("203.0.113.9")),
      await post("/api/documents", one(), via("203.0.113.10, 10.1.2.3")),
    ];
    expect(statuses(listed)).to.deep.equal([201, "RATE_LIMITED", 201]);
  });

  it("counts files: an upload with more files than the client has left is refused whole, on either path", async () => {
    await serve({ filesPerMinute: 3 });
    const many = await post("/api/documents/batch", multipart([randomBytes(10), randomBytes(10), randomBytes(10), randomBytes(10), randomBytes(10)]));
    expect(many.status).to.equal(429);
    expect(many.code).to.equal("RATE_LIMITED_FILES");
    expect(many.retryAfter).to.be.within(1, 60);
    expect(reached).to.deep.equal([]);
    expect((await post("/api/documents/batch", multipart([randomBytes(10), randomBytes(10)]))).status).to.equal(201);
    expect((await post("/api/documents", one())).status).to.equal(201);
    const fast = await post("/api/documents", one());
    const viaExpress = await post("/api/documents/", one());
    expect([fast.code, viaExpress.code]).to.deep.equal(["RATE_LIMITED_FILES", "RATE_LIMITED_FILES"]);
    expect({ status: viaExpress.status, body: viaExpress.body, headers: viaExpress.headers }).to.deep.equal({ status: fast.status, body: fast.body, headers: fast.headers });
    expect(reached).to.deep.equal([2, 1]);
  });

  it("counts bytes before a body is read (its Content-Length), and a body without one as it arrives", async () => {
    await serve({ bytesPerMinute: 4000 });
    const body = one(1500);
    expect(statuses([await post("/api/documents", body), await post("/api/documents/", body)])).to.deep.equal([201, 201]);
    // 2 × ~1,700 bytes taken: the next one does not fit, whichever path; nothing of it reaches the service.
    const fast = await post("/api/documents", body);
    const viaExpress = await post("/api/documents/", body);
    expect([fast.code, viaExpress.code]).to.deep.equal(["RATE_LIMITED_BYTES", "RATE_LIMITED_BYTES"]);
    expect({ status: viaExpress.status, body: viaExpress.body, headers: viaExpress.headers }).to.deep.equal({ status: fast.status, body: fast.body, headers: fast.headers });
    expect(reached).to.deep.equal([1, 1]);
    // One body larger than the whole quota is refused before a byte is read.
    await serve({ bytesPerMinute: 4000 });
    expect((await post("/api/documents/", one(6000))).code).to.equal("RATE_LIMITED_BYTES");
    expect(reached).to.deep.equal([]);

    // Sent chunked (no Content-Length): Express reads it and counts what came.
    await serve({ bytesPerMinute: 4000 });
    const chunked = one(3000);
    const stream = new ReadableStream({ start: (c) => (c.enqueue(chunked), c.close()) });
    expect((await post("/api/documents", stream)).status).to.equal(201);
    expect((await post("/api/documents", one(1000))).code).to.equal("RATE_LIMITED_BYTES");
  });

  it("reads the settings from the environment and refuses ones that cannot work", () => {
    const defaults = readWriteLimitsConfig({}, 25);
    expect(defaults).to.deep.equal({
      perClient: { requestsPerMinute: 600, filesPerMinute: 2000, bytesPerMinute: 256 * 1024 * 1024, trustProxy: false },
      anonymousTransactionsPerHour: 600,
    });
    const set = readWriteLimitsConfig({ WRITES_PER_MINUTE: "0", WRITE_FILES_PER_MINUTE: "5", WRITE_MB_PER_MINUTE: "0", ANONYMOUS_TRANSACTIONS_PER_HOUR: "7", TRUST_PROXY: "10.0.0.0/8, loopback" }, 25);
    expect(set).to.deep.equal({
      perClient: { requestsPerMinute: 0, filesPerMinute: 5, bytesPerMinute: 0, trustProxy: ["10.0.0.0/8", "loopback"] },
      anonymousTransactionsPerHour: 7,
    });
    expect(readWriteLimitsConfig({ TRUST_PROXY: "2" }, 25).perClient.trustProxy).to.equal(2);
    expect(readWriteLimitsConfig({ TRUST_PROXY: "off" }, 25).perClient.trustProxy).to.equal(false);
    expect(() => readWriteLimitsConfig({ TRUST_PROXY: "true" }, 25)).to.throw(/TRUST_PROXY/);
    expect(() => readWriteLimitsConfig({ TRUST_PROXY: "proxy.example" }, 25)).to.throw(/TRUST_PROXY/);
    expect(() => readWriteLimitsConfig({ WRITE_MB_PER_MINUTE: "10" }, 25)).to.throw(/UPLOAD_LIMIT_MB/);
    expect(() => readWriteLimitsConfig({ WRITES_PER_MINUTE: "-1" }, 25)).to.throw(/WRITES_PER_MINUTE/);
  });
});

describe("the relayer's budget for anonymous requests (app/server/http/relayerBudget.ts)", () => {
  let server: Server;
  let base = "";
  let clock = 1_000_000;
  const budget = new RelayerBudget(2, () => clock);
  /** Each request waits for the test to let it answer with the status it is given. */
  const waiting: Array<(status: number) => void> = [];

  before(async () => {
    const app = express();
    app.post("/paid", budget.guard, (_req, res) => {
      waiting.push((status) => res.status(status).json({}));
    });
    app.use(errorHandler(pino({ level: "silent" })));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  /** Sends a request; resolves once the route holds it (or the guard has answered). */
  async function send(): Promise<{ answer: (status: number) => Promise<void>; response: Promise<Response> }> {
    const before = waiting.length;
    let answered = false;
    const response = fetch(`${base}/paid`, { method: "POST" });
    void response.then(() => (answered = true));
    while (waiting.length === before && !answered) await setImmediate();
    const settled = waiting.length > before ? "held" : "answered";
    const answer = async (status: number) => {
      if (settled !== "held") throw new Error("the guard answered it");
      waiting.shift()!(status);
      await response;
    };
    return { answer, response };
  }

  it("spends a place per success, gives back the places of refusals, holds places while requests run, and answers 503 with Retry-After once all are spent", async () => {
    const refused = await send();
    await refused.answer(400);
    const first = await send();
    const second = await send();
    // Two running hold both places: a third is refused before its route runs.
    const third = await (await send()).response;
    expect(third.status).to.equal(503);
    expect(((await third.json()) as { error: { code: string } }).error.code).to.equal("RELAYER_BUDGET_EXHAUSTED");
    expect(Number(third.headers.get("retry-after"))).to.be.within(1, 60);
    await first.answer(201);
    await second.answer(409);
    expect(budget.status()).to.include({ perHour: 2, spentLastHour: 1, running: 0, exhaustedSince: null });

    clock += 60_000;
    await (await send()).answer(200);
    const fourth = await (await send()).response;
    expect(fourth.status).to.equal(503);
    // The oldest spent place frees an hour after it was spent: 59 minutes from now.
    expect(Number(fourth.headers.get("retry-after"))).to.equal(59 * 60);
    expect(budget.status()).to.include({ spentLastHour: 2, exhaustedSince: clock, refusedSince: 1, freeAt: clock + 59 * 60_000 });

    clock += 59 * 60_000;
    expect(budget.status()).to.include({ spentLastHour: 1, exhaustedSince: null, freeAt: null });
    await (await send()).answer(201);
  });
});
