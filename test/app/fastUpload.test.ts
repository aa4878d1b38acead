import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import express from "express";
import helmet from "helmet";
import pino from "pino";
import { ClientLimits, NO_CLIENT_LIMITS } from "../../app/server/http/clientLimits.js";
import { withFastUploads } from "../../app/server/http/fastUpload.js";
import { formDataBoundary, formDataParts } from "../../app/server/http/multipartBody.js";
import type { DocumentService } from "../../app/server/services/documents.js";
import { DocumentIssuer } from "./support/issuer.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * POST /api/documents is answered in front of Express for the common upload (app/server/http/fastUpload.ts);
 * `/api/documents/` reaches the same Express route. Both must give the same status, code and headers for
 * the same request, and the same body wherever the body does not name a new record. Uploads carry the
 * demo issuer's signature (the field `issuance`); test/app/issuance.test.ts runs its every case through both.
 */
/** Headers that legitimately differ from one answer to the next (RateLimit counts down; its presence is checked). */
const PER_RESPONSE = new Set(["date", "keep-alive", "connection", "ratelimit"]);
const BOUNDARY = "----ledger-test-boundary";

interface Part {
  name: string;
  filename?: string;
  body: string | Buffer;
}
function multipart(parts: Part[], boundary = BOUNDARY): Buffer {
  return Buffer.concat([
    ...parts.flatMap((part) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"` +
          (part.filename === undefined ? "" : `; filename="${part.filename}"\r\nContent-Type: application/pdf`) +
          "\r\n\r\n",
      ),
      Buffer.from(part.body),
      Buffer.from("\r\n"),
    ]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
}

describe("the fast upload path, against the service as npm start runs it", function () {
  this.timeout(240_000);
  const dataDir = tempDataDir("ledger-fast-upload");
  let service: RunningService;
  let issuer: DocumentIssuer;
  /** The part `issuance`: the demo issuer's statement over exactly `files`. */
  const signed = async (...files: Buffer[]): Promise<Part> => ({ name: "issuance", body: JSON.stringify(await issuer.sign(files)) });

  const post = async (path: string, body: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) => {
    const response = await fetch(`${service.url}${path}`, { method: "POST", body, headers: { "content-type": contentType } });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!PER_RESPONSE.has(name)) headers[name] = value;
    });
    // The service's own limits on writes (their defaults: requests, files, bytes per client) apply on both paths.
    expect(response.headers.get("ratelimit")).to.match(/^"600-in-1min"; r=\d+; t=\d+, "2000-files-in-1min"; r=\d+; t=\d+, "268435456-bytes-in-1min"; r=\d+; t=\d+$/);
    return { status: response.status, headers, body: await response.text() };
  };
  /** The fast path's and Express's answers to the same body, sent once each. */
  const both = async (body: Buffer, contentType?: string) => ({
    fast: await post("/api/documents", body, contentType),
    viaExpress: await post("/api/documents/", body, contentType),
  });
  const expectSameError = async (body: Buffer, status: number, code: string, contentType?: string) => {
    const { fast, viaExpress } = await both(body, contentType);
    expect(fast.status).to.equal(status);
    expect(JSON.parse(fast.body).error.code).to.equal(code);
    expect(viaExpress.status).to.equal(status);
    expect(JSON.parse(viaExpress.body).error.code).to.equal(code);
    const { etag: _fastTag, ...fastHeaders } = fast.headers;
    const { etag: _expressTag, ...expressHeaders } = viaExpress.headers;
    expect(fastHeaders).to.deep.equal({ ...expressHeaders, "content-length": fastHeaders["content-length"] });
    return { fast: JSON.parse(fast.body).error.message as string, viaExpress: JSON.parse(viaExpress.body).error.message as string };
  };

  before(async () => {
    service = await startService(dataDir);
    issuer = await DocumentIssuer.of(service.url);
  });
  after(async () => {
    await service?.kill();
    cleanUp(dataDir);
  });

  it("accepts a document as the Express route does: 201 with its record, then 200 with the same record by either path", async () => {
    const bytes = randomBytes(1500);
    const first = await post("/api/documents", multipart([{ name: "file", filename: "a.pdf", body: bytes }, await signed(bytes)]));
    expect(first.status).to.equal(201);
    const record = JSON.parse(first.body);
    expect(record).to.include({ sha256: sha256Of(bytes), status: "pending", issuer: issuer.address });
    expect(Object.keys(record)).to.deep.equal(["sha256", "cid", "recordId", "status", "issuer"]);
    const otherBytes = randomBytes(1500);
    const other = await post("/api/documents/", multipart([{ name: "file", filename: "b.pdf", body: otherBytes }, await signed(otherBytes)]));
    expect(other.status).to.equal(201);
    expect(Object.keys(first.headers).sort()).to.deep.equal(Object.keys(other.headers).sort());

    // Sent again under a new signature each: the same signature twice is a replay (409).
    const again = async () => multipart([{ name: "file", filename: "again.pdf", body: bytes }, await signed(bytes)]);
    const fast = await post("/api/documents", await again());
    const viaExpress = await post("/api/documents/", await again());
    expect(fast).to.deep.equal(viaExpress);
    expect(fast.status).to.equal(200);
    expect(JSON.parse(fast.body)).to.deep.equal(record);
    const stored = await fetch(`${service.url}/ipfs/${record.cid}`);
    expect(Buffer.from(await stored.arrayBuffer()).equals(bytes)).to.equal(true);
  });

  it("reads the meta field and the file in any order, beside other text fields", async () => {
    const bytes = randomBytes(800);
    const answer = await post(
      "/api/documents",
      multipart([
        { name: "note", body: "ignored" },
        { name: "meta", body: JSON.stringify({ title: "Building permit 42" }) },
        { name: "file", filename: "permit.pdf", body: bytes },
        await signed(bytes),
      ]),
    );
    expect(answer.status).to.equal(201);
    const { recordId } = JSON.parse(answer.body);
    const record = await (await fetch(`${service.url}/api/records/${recordId}`)).json();
    expect(record).to.deep.include({ sha256: sha256Of(bytes) });
    expect(JSON.stringify(record)).to.include("Building permit 42");
  });

  it("refuses what the Express route refuses, with the same status, code and headers", async () => {
    const file = { name: "file", filename: "x.pdf", body: randomBytes(64) };
    const issuance = await signed(file.body);
    let messages = await expectSameError(multipart([{ name: "meta", body: "{not json" }, file, issuance]), 400, "META_INVALID");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([{ name: "meta", body: JSON.stringify({ municipalityId: "one" }) }, file, issuance]), 400, "META_INVALID");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([file]), 401, "ISSUANCE_REQUIRED");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([file, { name: "issuance", body: "{not json" }]), 400, "ISSUANCE_INVALID");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([file, { ...issuance, body: JSON.stringify({ ...JSON.parse(String(issuance.body)), count: 0 }) }]), 400, "ISSUANCE_INVALID");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([{ name: "file", filename: "empty.pdf", body: "" }]), 400, "FILE_EMPTY");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([{ name: "meta", body: "{}" }]), 400, "FILE_MISSING");
    expect(messages.fast).to.equal(messages.viaExpress);
    messages = await expectSameError(multipart([{ ...file, name: "document" }]), 400, "BAD_MULTIPART");
    expect(messages.fast).to.equal(messages.viaExpress);
    await expectSameError(multipart([file, { ...file, body: randomBytes(64) }]), 413, "FILES_TOO_MANY");
    await expectSameError(multipart([...Array.from({ length: 9 }, (_, i) => ({ name: `f${i}`, body: "x" })), file]), 400, "BAD_MULTIPART");
    // Cut short, and a boundary the body does not use.
    await expectSameError(multipart([file]).subarray(0, 120), 400, "BAD_MULTIPART");
    await expectSameError(multipart([file], "another-boundary"), 400, "BAD_MULTIPART");
  });

  it("leaves larger bodies to Express, which still answers them", async () => {
    const bytes = randomBytes(1024 * 1024 + 10);
    const answer = await post("/api/documents", multipart([{ name: "file", filename: "big.pdf", body: bytes }, await signed(bytes)]));
    expect(answer.status).to.equal(201);
    expect(JSON.parse(answer.body).sha256).to.equal(sha256Of(bytes));
  });
});

describe("which uploads the fast path takes (app/server/http/fastUpload.ts)", () => {
  let server: Server;
  let base = "";
  const fellThrough: string[] = [];
  const accepted: number[] = [];

  before(async () => {
    const app = express();
    // Only the routing is under test here: a document service that answers a fixed record.
    const documents = {
      accept: async (bytes: Uint8Array) => {
        accepted.push(bytes.length);
        return { created: true, record: { sha256: "0x00", cid: null, recordId: "r", status: "pending" }, issuer: "0x00" };
      },
    } as unknown as DocumentService;
    const listener = withFastUploads(
      (req, res) => {
        fellThrough.push(`${req.method} ${req.url}`);
        res.writeHead(299).end();
      },
      app,
      { documents, limits: new ClientLimits(NO_CLIENT_LIMITS), securityHeaders: helmet(), uploadLimitBytes: 25 * 1024 * 1024, logger: pino({ level: "silent" }) },
    );
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => server.close());

  it("answers a multipart upload with a Content-Length itself, and hands every other request to Express", async () => {
    const small = multipart([{ name: "file", filename: "a.pdf", body: randomBytes(100) }]);
    const form = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
    expect((await fetch(`${base}/api/documents`, { method: "POST", body: small, headers: form })).status).to.equal(201);
    expect(accepted).to.deep.equal([100]);
    expect(fellThrough).to.deep.equal([]);

    const chunked = new ReadableStream({ start: (c) => (c.enqueue(small), c.close()) });
    const others: [string, RequestInit][] = [
      ["/api/documents/", { method: "POST", body: small, headers: form }],
      ["/api/documents?x=1", { method: "POST", body: small, headers: form }],
      ["/api/documents", { method: "POST", body: small, headers: { "content-type": "application/octet-stream" } }],
      ["/api/documents", { method: "POST", body: multipart([{ name: "file", filename: "big.pdf", body: randomBytes(1024 * 1024) }]), headers: form }],
      ["/api/documents", { method: "POST", body: chunked, headers: form, duplex: "half" } as RequestInit],
      // An encoded body is inflated by Express's reader only: the fast path never reads it as it is.
      ["/api/documents", { method: "POST", body: small, headers: { ...form, "content-encoding": "gzip" } }],
      ["/api/documents", { method: "GET" }],
    ];
    for (const [path, init] of others) expect((await fetch(`${base}${path}`, init)).status).to.equal(299);
    expect(fellThrough).to.have.length(others.length);
    expect(accepted).to.deep.equal([100]);
  });
});

describe("multipart bodies in memory (app/server/http/multipartBody.ts)", () => {
  it("finds the boundary of a form-data Content-Type, quoted or not, and nothing in other types", () => {
    expect(formDataBoundary("multipart/form-data; boundary=abc")).to.equal("abc");
    expect(formDataBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b;c"')).to.equal("a b;c");
    expect(formDataBoundary("multipart/mixed; boundary=abc")).to.equal(null);
    expect(formDataBoundary("application/json")).to.equal(null);
    expect(formDataBoundary(undefined)).to.equal(null);
  });

  it("splits a body into its parts, after a preamble, with escaped quotes in names", () => {
    const body = Buffer.from(
      `preamble\r\n--b\r\nContent-Disposition: form-data; name="a\\"q"\r\n\r\none\r\n` +
        `--b\r\ncontent-disposition: form-data; filename="f.txt"; name=file\r\nContent-Type: text/plain\r\n\r\n--b-not-yet\r\n--b--\r\nepilogue`,
    );
    const parts = formDataParts(body, "b");
    expect(parts.map((p) => ({ name: p.name, filename: p.filename, body: p.body.toString() }))).to.deep.equal([
      { name: 'a"q', filename: undefined, body: "one" },
      { name: "file", filename: "f.txt", body: "--b-not-yet" },
    ]);
  });

  it("refuses a body without the closing boundary or a part without a name", () => {
    expect(() => formDataParts(Buffer.from("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx"), "b")).to.throw(/Unexpected end/);
    expect(() => formDataParts(Buffer.from("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--"), "b")).to.throw(/no form-data name/);
    expect(() => formDataParts(Buffer.from("nothing here"), "b")).to.throw(/no boundary/);
  });

  it("reads part headers as HTTP writes them: padding after a boundary, folded lines, filename*; refuses any other header line", () => {
    const part = (headers: string) => Buffer.from(`--b \t\r\n${headers}\r\n\r\nx\r\n--b--`);
    const [padded] = formDataParts(part('Content-Disposition: form-data;\r\n name="f"; filename*=UTF-8\'\'%E0%B8%81.pdf\r\nX-Note: caf\u00e9'), "b");
    expect(padded).to.deep.include({ name: "f", filename: "UTF-8''%E0%B8%81.pdf" });
    // What busboy calls a malformed part header: refused with the same code whichever path reads the body.
    for (const bad of ["X Scanner: 4", ": empty name", "no colon at all", "X-Note: a\u0001b"]) {
      expect(() => formDataParts(part(`Content-Disposition: form-data; name="f"\r\n${bad}`), "b"), bad).to.throw(/Malformed part header/);
    }
    expect(() => formDataParts(Buffer.from("--b\r\n\r\nheaderless\r\n--b--"), "b")).to.throw(/no headers/);
    expect(() => formDataParts(Buffer.from('--b junk\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n--b--'), "b")).to.throw(/not followed by a line break/);
  });
});
