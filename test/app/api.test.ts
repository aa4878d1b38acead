import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DocumentIssuer, uploadForm } from "./support/issuer.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * The HTTP API of issue 3 against the service as `npm start` runs it: real anvil, Helia on disk and
 * SQLite in a temporary data folder. Uploads are capped at 1 MB here to test the limit cheaply. Every
 * upload is signed by the demo's DOCUMENT_ISSUER (test/app/issuance.test.ts tests the signature itself).
 */

describe("the ledger API", function () {
  this.timeout(240_000);
  const dataDir = tempDataDir("ledger-api");
  let service: RunningService;
  let issuer: DocumentIssuer;
  /** An upload form signed over its file, or without a file (nothing to sign) when `bytes` is null. */
  const form = async (bytes: Uint8Array | null, meta?: string, field = "file") =>
    bytes ? issuer.form(bytes, { meta, fileField: field }) : uploadForm([], { meta });
  const get = (path: string, init?: RequestInit) => fetch(`${service.url}${path}`, init);
  const json = async (path: string, init?: RequestInit) => {
    const response = await get(path, init);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const upload = (body: FormData) => json("/api/documents", { method: "POST", body });
  const expectError = async (pending: Promise<{ status: number; body: Record<string, any> }>, status: number, code: string) => {
    const { status: actual, body } = await pending;
    expect({ status: actual, code: body.error?.code }).to.deep.equal({ status, code });
    expect(body.error.message).to.be.a("string").and.not.equal("");
  };
  // Every record the service holds, whatever its state (the queue's depth moves as records become final).
  const recordCount = async () =>
    Object.values((await json("/api/health")).body.queue.records as Record<string, number>).reduce((sum, n) => sum + n, 0);

  before(async () => {
    service = await startService(dataDir, { UPLOAD_LIMIT_MB: "1", ANCHOR_BATCH_MS: "200" });
    issuer = await DocumentIssuer.of(service.url);
  });
  after(async () => {
    await service?.kill();
    cleanUp(dataDir);
  });

  it("reports its engines, chain, contracts and the development keys in /api/health", async () => {
    const { status, body } = await json("/api/health");
    expect(status).to.equal(200);
    expect(body.ok).to.equal(true);
    expect(body.chain.chainId).to.equal(31337);
    expect(body.chain.rpcUrl).to.equal(service.rpcUrl);
    expect(body.chain.latestBlock).to.be.a("number");
    expect(body.chain.devKeys).to.equal(true);
    expect(Object.keys(body.chain.contracts)).to.have.members([
      "directory",
      "permitRegistry",
      "complaintLedger",
      "civicFund",
      "batchAnchor",
    ]);
    expect(body.engines.ipfs.ok).to.equal(true);
    expect(body.engines.store).to.deep.equal({ ok: true, engine: "sqlite" });
    expect(body.queue.depth).to.be.a("number");
    // Anyone may read it: no filesystem path (the data folder, the database, the IPFS blocks).
    expect(JSON.stringify(body)).not.to.include(dataDir);
    expect(JSON.stringify(body)).not.to.include(tmpdir());
  });

  it("serves its OpenAPI document", async () => {
    const { status, body } = await json("/openapi.json");
    expect(status).to.equal(200);
    expect(body.openapi).to.equal("3.1.0");
    expect(Object.keys(body.paths)).to.include.members(["/api/documents", "/api/verify", "/api/proofs/{sha256}", "/ipfs/{cid}"]);
  });

  describe("a document, from upload to verdict", () => {
    const bytes = randomBytes(5000);
    const sha256 = sha256Of(bytes);
    let accepted: Record<string, any>;

    it("accepts an upload once it is queued, answering 201 with its hash, CID and record id", async () => {
      const { status, body } = await upload(await form(bytes, JSON.stringify({ title: "Building permit TH-50-MAEHIA/BP/2026/0001" })));
      expect(status).to.equal(201);
      expect(body.sha256).to.equal(sha256);
      expect(body.cid).to.match(/^bafk/);
      expect(body.recordId).to.match(/^rec_/);
      expect(body.status).to.be.oneOf(["pending", "submitted", "anchored", "final"]);
      expect(body.issuer).to.equal(issuer.address);
      accepted = body;
    });

    it("anchors it, then shows its transaction, block and proof", async () => {
      const record = await eventually(
        async () => (await json(`/api/records/${accepted.recordId}`)).body,
        (r) => r.status === "anchored" || r.status === "final",
      );
      expect(record.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(record.blockNumber).to.be.a("number");
      expect(record.proof.sha256).to.equal(sha256);
      // The public metadata, and the link to the issuer's signed statement (the document's proof into it is the bundle's).
      expect(record.meta).to.deep.include({ title: "Building permit TH-50-MAEHIA/BP/2026/0001" });
      expect(record.meta.issuance).to.have.keys(["sha256"]);
      expect(record.proof.issuance.documentProof).to.deep.equal([]);
    });

    it("answers a second upload of the same bytes with the first record (200), never a second one", async () => {
      const { status, body } = await upload(await form(bytes));
      expect(status).to.equal(200);
      expect(body.recordId).to.equal(accepted.recordId);
    });

    it("verifies it by hash and by file, with its trail and where its proof bundle is", async () => {
      // Valid once the index has read the anchor's block too (it asks who held DOCUMENT_ISSUER then).
      const byHash = await eventually(
        () => json(`/api/verify?sha256=${sha256.slice(2).toUpperCase()}`),
        (answer) => answer.body.verdict !== "pending",
      );
      expect(byHash.status).to.equal(200);
      expect(byHash.body.verdict).to.equal("valid");
      expect(byHash.body.issuer).to.deep.include({ municipalityId: 1, address: issuer.address, role: "DOCUMENT_ISSUER", heldRole: true, compromisedSince: null });
      expect(byHash.body.trail.map((step: { step: string }) => step.step)).to.include.members(["accepted", "anchored"]);
      // The proof bundle is not in the verdict: it names where it is (GET /api/proofs, next).
      expect(byHash.body.proofUrl).to.equal(`/api/proofs/${sha256}`);
      expect(byHash.body).to.not.have.property("proof");
      const byFile = await json("/api/verify", { method: "POST", body: uploadForm([bytes]) });
      expect(byFile.body.verdict).to.equal("valid");
      expect(byFile.body.record.recordId).to.equal(accepted.recordId);
    });

    it("serves the proof bundle", async () => {
      const { status, body } = await json(`/api/proofs/${sha256}`);
      expect(status).to.equal(200);
      expect(body).to.include({ format: "public-service-ledger/proof-bundle@1", sha256, chainId: 31337, municipalityId: 1 });
      expect(body.proof).to.be.an("array");
      expect(body.issuance).to.deep.include({ municipalityId: 1, signer: issuer.address, count: 1, documentProof: [] });
    });

    it("verifies directly against the chain through the CLI: by file, by hash and by proof bundle", async () => {
      const file = join(dataDir, "document.pdf");
      writeFileSync(file, bytes);
      const bundle = join(dataDir, "proof.json");
      writeFileSync(bundle, JSON.stringify((await json(`/api/proofs/${sha256}`)).body));
      for (const target of [file, sha256, bundle]) {
        const cli = spawnSync(
          process.execPath,
          ["app/cli/ledger.mjs", "verify", target, "--rpc", service.rpcUrl, "--api", service.url],
          { encoding: "utf8" },
        );
        expect(cli.status, cli.stdout + cli.stderr).to.equal(0);
        expect(cli.stdout).to.include("VALID");
        expect(cli.stdout).to.include(`rpc      ${service.rpcUrl}`);
      }
      const changed = join(dataDir, "changed.pdf");
      writeFileSync(changed, Buffer.concat([bytes, Buffer.from("!")]));
      const cli = spawnSync(process.execPath, ["app/cli/ledger.mjs", "verify", changed, "--rpc", service.rpcUrl, "--api", service.url], {
        encoding: "utf8",
      });
      expect(cli.status).to.equal(1);
    });

    it("serves the stored bytes at /ipfs/:cid, whole and by Range", async () => {
      const whole = await get(`/ipfs/${accepted.cid}`);
      expect(whole.status).to.equal(200);
      expect(whole.headers.get("accept-ranges")).to.equal("bytes");
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).to.equal(true);
      const part = await get(`/ipfs/${accepted.cid}`, { headers: { Range: "bytes=100-199" } });
      expect(part.status).to.equal(206);
      expect(part.headers.get("content-range")).to.equal(`bytes 100-199/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).to.equal(true);
      const tail = await get(`/ipfs/${accepted.cid}`, { headers: { Range: "bytes=-10" } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).to.equal(true);
      await expectError(
        json(`/ipfs/${accepted.cid}`, { headers: { Range: `bytes=${bytes.length}-` } }),
        416,
        "RANGE_NOT_SATISFIABLE",
      );
    });
  });

  describe("several documents in one upload (POST /api/documents/batch)", () => {
    const files = Array.from({ length: 40 }, (_, i) => randomBytes(800 + i));
    const bulk = async (parts: Uint8Array[], meta?: string) =>
      json("/api/documents/batch", { method: "POST", body: parts.length > 0 ? await issuer.form(parts, { meta }) : uploadForm([], { meta }) });

    it("accepts each file as its own record, in the order sent, and anchors them all", async () => {
      // One file repeated: one record for both copies, the second not "created".
      const { status, body } = await bulk([...files, files[3]], JSON.stringify({ title: "Archive 2562" }));
      expect(status).to.equal(201);
      expect({ created: body.created, existing: body.existing }).to.deep.equal({ created: 40, existing: 1 });
      expect(body.issuer).to.equal(issuer.address);
      expect(body.documents.map((d: { sha256: string }) => d.sha256)).to.deep.equal([...files, files[3]].map(sha256Of));
      expect(body.documents[40]).to.include({ recordId: body.documents[3].recordId, created: false });
      expect(new Set(body.documents.map((d: { recordId: string }) => d.recordId)).size).to.equal(40);
      for (const document of body.documents) expect(document.cid).to.match(/^bafkrei/);

      await eventually(
        async () => Promise.all(files.map(async (bytes) => (await json(`/api/verify?sha256=${sha256Of(bytes)}`)).body.verdict)),
        (verdicts) => verdicts.every((verdict) => verdict === "valid"),
      );
      const stored = await get(`/ipfs/${body.documents[7].cid}`);
      expect(Buffer.from(await stored.arrayBuffer()).equals(files[7])).to.equal(true);
    });

    it("answers 200 with the first records when every file is already on the ledger", async () => {
      const single = await upload(await form(files[0]));
      const { status, body } = await bulk(files.slice(0, 3));
      expect(status).to.equal(200);
      expect(body).to.include({ created: 0, existing: 3 });
      expect(body.documents[0].recordId).to.equal(single.body.recordId);
    });

    it("accepts nothing when one file is empty or the upload breaks a limit", async () => {
      const before = await recordCount();
      const fresh = [randomBytes(100), randomBytes(100)];
      await expectError(bulk([fresh[0], new Uint8Array(0), fresh[1]]), 400, "FILE_EMPTY");
      await expectError(bulk([]), 400, "FILE_MISSING");
      await expectError(bulk([fresh[0], randomBytes(1024 * 1024 + 1)]), 413, "FILE_TOO_LARGE");
      await expectError(bulk(Array.from({ length: 1001 }, () => randomBytes(4))), 413, "FILES_TOO_MANY");
      await expectError(
        json("/api/documents/batch", { method: "POST", body: await issuer.form(fresh, { meta: { municipalityId: 999 }, issuance: await issuer.sign(fresh, { municipalityId: 999 }) }) }),
        400,
        "MUNICIPALITY_UNKNOWN",
      );
      const chunked = await new Promise<{ status: number; body: Record<string, any> }>((resolve, reject) => {
        // fetch always sends a length for a FormData; node:http can send a body without one.
        const request = httpRequest(`${service.url}/api/documents/batch`, {
          method: "POST",
          headers: { "content-type": "multipart/form-data; boundary=XYZ" },
        });
        request.on("response", async (response) => {
          const chunks: Buffer[] = [];
          for await (const chunk of response) chunks.push(chunk as Buffer);
          resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) });
        });
        request.on("error", reject);
        // Written before end(), so Node cannot compute a Content-Length and sends it chunked.
        request.write('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc\r\n--XYZ--\r\n');
        request.end();
      });
      await expectError(Promise.resolve(chunked), 411, "LENGTH_REQUIRED");
      expect(await recordCount()).to.equal(before);
      for (const bytes of fresh) expect((await json(`/api/verify?sha256=${sha256Of(bytes)}`)).body.verdict).to.equal("unknown");
    });
  });

  it("says unknown for a hash it never saw", async () => {
    const { body } = await json(`/api/verify?sha256=${sha256Of(randomBytes(32))}`);
    expect(body).to.deep.equal({ verdict: "unknown", record: null, trail: [], proof: null });
  });

  describe("bad input gets its status and stable code, and leaves nothing behind", () => {
    it("rejects uploads without a file, with an empty file, over the limit, or malformed", async () => {
      const before = await recordCount();
      await expectError(upload(await form(null, "{}")), 400, "FILE_MISSING");
      await expectError(upload(await form(new Uint8Array(0))), 400, "FILE_EMPTY");
      await expectError(upload(await form(randomBytes(1024 * 1024 + 1))), 413, "FILE_TOO_LARGE");
      await expectError(upload(await form(randomBytes(10), undefined, "attachment")), 400, "BAD_MULTIPART");
      await expectError(
        json("/api/documents", {
          method: "POST",
          headers: { "content-type": "multipart/form-data; boundary=XYZ" },
          body: "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nunterminated",
        }),
        400,
        "BAD_MULTIPART",
      );
      await expectError(upload(await form(randomBytes(10), "{not json")), 400, "META_INVALID");
      await expectError(upload(await form(randomBytes(10), JSON.stringify({ citizenName: "Somchai" }))), 400, "META_INVALID");
      const elsewhere = randomBytes(10);
      await expectError(
        upload(await issuer.form(elsewhere, { meta: { municipalityId: 999 }, issuance: await issuer.sign([elsewhere], { municipalityId: 999 }) })),
        400,
        "MUNICIPALITY_UNKNOWN",
      );
      expect(await recordCount()).to.equal(before);
    });

    it("rejects malformed hashes, CIDs and record ids, and unknown ones", async () => {
      await expectError(json("/api/verify?sha256=1234"), 400, "SHA256_INVALID");
      await expectError(json("/api/verify"), 400, "QUERY_INVALID");
      await expectError(json("/api/proofs/not-a-hash"), 400, "SHA256_INVALID");
      await expectError(json(`/api/proofs/${sha256Of(randomBytes(8))}`), 404, "PROOF_NOT_FOUND");
      await expectError(json("/ipfs/not-a-cid"), 400, "CID_INVALID");
      await expectError(json("/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"), 404, "CONTENT_NOT_FOUND");
      await expectError(json("/api/records/nonsense"), 400, "RECORD_ID_INVALID");
      await expectError(json("/api/records/rec_0000000000000000000000"), 404, "RECORD_NOT_FOUND");
      await expectError(json("/api/nowhere"), 404, "ROUTE_NOT_FOUND");
      await expectError(json("/api/verify", { method: "POST", body: uploadForm([new Uint8Array(0)]) }), 400, "FILE_EMPTY");
    });
  });

  it("keeps every record across a restart", async () => {
    const bytes = randomBytes(2000);
    const { body: accepted } = await upload(await form(bytes));
    await eventually(async () => (await json(`/api/verify?sha256=${sha256Of(bytes)}`)).body, (r) => r.verdict === "valid");
    expect(await service.stop()).to.equal(0);
    service = await startService(dataDir, { UPLOAD_LIMIT_MB: "1", ANCHOR_BATCH_MS: "200" });
    const { body } = await json(`/api/verify?sha256=${sha256Of(bytes)}`);
    expect(body.verdict).to.equal("valid");
    const stored = await get(`/ipfs/${accepted.cid}`);
    expect(Buffer.from(await stored.arrayBuffer()).equals(bytes)).to.equal(true);
  });
});
