import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hexlify, Interface, randomBytes, type FunctionFragment } from "ethers";
import { freeLoopbackPort } from "../../app/server/chain/anvil.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import type { ProofBundle } from "../../app/shared/proofBundle.js";
import { BATCH_ANCHOR_ABI, CHECK_NAMES } from "../../app/shared/verifyBundle.js";
import { PERMIT_REGISTRY_ABI } from "../../app/shared/verifyCertificate.js";
import { COMPLAINT_LEDGER_ABI } from "../../app/shared/verifyComplaint.js";
import { documentVerifyLink, unpackBundle } from "../../app/shared/verifyLink.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";
import { permitPath, WorkflowActors } from "./support/workflowData.js";
import { startAnchoredLedger, type AnchoredLedger } from "./utils/anchoredLedger.js";

/**
 * `ledger verify` as a user runs it: a child process started from another folder, asking a real anvil
 * chain. The file and SHA-256 modes need the API's GET /api/proofs/:sha256, which is being built in
 * parallel: a small HTTP server here serves the bundles produced against the chain (it only says where
 * to look; every check still asks the chain, and a lying server is caught).
 */
const LEDGER = resolve("app/cli/ledger.mjs");
const SYSTEM_NODE = "/usr/bin/node";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("ledger verify (the CLI, against a real chain)", function () {
  this.timeout(120_000);
  let ledger: AnchoredLedger;
  let api: Server;
  let apiUrl: string;
  const workDir = mkdtempSync(join(tmpdir(), "ledger-cli-"));
  /** What the test API serves, by lowercase sha256. */
  const served = new Map<string, ProofBundle>();
  const pending = new Set<string>();

  function cli(args: string[], options: { node?: string; env?: Record<string, string> } = {}): Promise<Run> {
    // A clean environment, as in a user's shell: nothing of the test runner's leaks into the child.
    const child = spawn(options.node ?? process.execPath, [LEDGER, ...args], {
      cwd: workDir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? workDir, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    return new Promise((resolveRun) => child.once("close", (code) => resolveRun({ code, stdout, stderr })));
  }

  const bundleFile = (name: string, bundle: unknown) => {
    writeFileSync(join(workDir, name), JSON.stringify(bundle, null, 2));
    return name;
  };
  const checkLines = (stdout: string) => stdout.split("\n").filter((line) => /^ {2}[✓✗] /.test(line));

  before(async () => {
    ledger = await startAnchoredLedger();
    api = createServer((request, response) => {
      const sha = request.url?.match(/^\/api\/proofs\/(0x[0-9a-f]{64})$/)?.[1];
      const bundle = sha ? served.get(sha) : undefined;
      const [status, body] = bundle
        ? [200, bundle]
        : sha && pending.has(sha)
          ? [409, { error: { code: "PROOF_PENDING", message: "accepted, waiting for its batch" } }]
          : [404, { error: { code: "PROOF_NOT_FOUND", message: "no record of this document" } }];
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    const port = await freeLoopbackPort();
    await new Promise<void>((ready) => api.listen(port, "127.0.0.1", ready));
    apiUrl = `http://127.0.0.1:${port}`;
    for (const record of [ledger.single, ...ledger.batch]) served.set(record.sha256, record.bundle);
    bundleFile("proof.json", ledger.batch[7].bundle);
  });

  after(async () => {
    await new Promise((closed) => (api ? api.close(closed) : closed(undefined)));
    await ledger?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it("verifies a proof.json against the RPC node alone: exit 0, VALID and every check", async () => {
    const run = await cli(["verify", "proof.json", "--rpc", ledger.rpcUrl]);
    expect(run.stderr).to.equal("");
    expect(run.code).to.equal(0);
    expect(checkLines(run.stdout).map((line) => line.trim().split(/ +/).slice(0, 2).join(" "))).to.deep.equal(
      CHECK_NAMES.filter((name) => name !== "document-unchanged").map((name) => `✓ ${name}`),
    );
    expect(run.stdout).to.include(`rpc      ${ledger.rpcUrl}`);
    expect(run.stdout.split("\n")).to.include("VALID: every check passed");
    // Who issued it: the signer the chain's Directory names, with its role.
    expect(run.stdout).to.match(new RegExp(`^issuer .*${ledger.issuer}.*DOCUMENT_ISSUER`, "m"));
  });

  it("says REVOKED (exit 1) for the revoked record and UNKNOWN (exit 1) for a tampered bundle", async () => {
    const revoked = await cli(["verify", bundleFile("revoked.json", ledger.batch[ledger.revokedIndex].bundle), "--rpc", ledger.rpcUrl]);
    expect(revoked.code).to.equal(1);
    expect(checkLines(revoked.stdout).filter((line) => line.startsWith("  ✗"))).to.have.length(1);
    expect(revoked.stdout).to.match(/✗ not-revoked +verifyRecord\(municipalityId, root, leaf, proof\): Revoked/);
    expect(revoked.stdout).to.include("REVOKED:");

    const tampered = { ...ledger.batch[7].bundle, proof: [hexlify(randomBytes(32)), ...ledger.batch[7].bundle.proof.slice(1)] };
    const unknown = await cli(["verify", bundleFile("tampered.json", tampered), "--rpc", ledger.rpcUrl]);
    expect(unknown.code).to.equal(1);
    expect(checkLines(unknown.stdout).filter((line) => line.startsWith("  ✗")).map((line) => line.split(/ +/)[2])).to.deep.equal([
      "proof-valid",
      "not-revoked",
    ]);
    expect(unknown.stdout).to.include(`UNKNOWN: this proves nothing on the chain (2 of ${CHECK_NAMES.length - 1} checks failed)`);
  });

  it("verifies a document by its bytes, with the bundle the API serves, and checks it is the anchored one", async () => {
    writeFileSync(join(workDir, "receipt-8.txt"), ledger.batch[8].bytes);
    const run = await cli(["verify", "receipt-8.txt", "--rpc", ledger.rpcUrl, "--api", apiUrl]);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.include(`from ${apiUrl}/api/proofs/${ledger.batch[8].sha256}`);
    expect(run.stdout).to.match(/✓ document-unchanged +the document's SHA-256 is 0x/);
    expect(checkLines(run.stdout)).to.have.length(CHECK_NAMES.length);
  });

  it("never takes the API's word: a bundle of another document, or a forged one, is UNKNOWN (exit 1)", async () => {
    const [victim, other] = [ledger.batch[9], ledger.batch[10]];
    writeFileSync(join(workDir, "receipt-10.txt"), victim.bytes);
    served.set(victim.sha256, other.bundle);
    try {
      const byFile = await cli(["verify", "receipt-10.txt", "--rpc", ledger.rpcUrl, "--api", apiUrl]);
      expect(byFile.code).to.equal(1);
      expect(byFile.stdout).to.match(/✗ document-unchanged/);
      const byHash = await cli(["verify", victim.sha256, "--rpc", ledger.rpcUrl, "--api", apiUrl]);
      expect(byHash.code).to.equal(1);
      expect(byHash.stdout).to.match(/✗ document-unchanged +the SHA-256 asked about/);
      served.set(victim.sha256, { ...victim.bundle, root: ledger.single.bundle.root });
      const forged = await cli(["verify", victim.sha256, "--rpc", ledger.rpcUrl, "--api", apiUrl]);
      expect(forged.code).to.equal(1);
      expect(forged.stdout).to.match(/✗ proof-valid/);
    } finally {
      served.set(victim.sha256, victim.bundle);
    }
  });

  it("verifies by SHA-256 (0x optional) and reads --rpc and --api from LEDGER_RPC_URL and LEDGER_API_URL", async () => {
    const hash = ledger.single.sha256;
    const byFlags = await cli(["verify", hash, "--rpc", ledger.rpcUrl, "--api", apiUrl]);
    expect(byFlags.code).to.equal(0);
    expect(byFlags.stdout).to.match(/✓ proof-valid +empty proof/);
    const byEnv = await cli(["verify", hash.slice(2).toUpperCase()], { env: { LEDGER_RPC_URL: ledger.rpcUrl, LEDGER_API_URL: apiUrl } });
    expect(byEnv.code).to.equal(0);
    expect(byEnv.stdout).to.include(`rpc      ${ledger.rpcUrl}`);
  });

  it("says UNKNOWN (exit 1) when the API holds no record, PENDING (exit 1) when it is not anchored yet", async () => {
    const unknownHash = hexlify(randomBytes(32));
    const notFound = await cli(["verify", unknownHash, "--rpc", ledger.rpcUrl, "--api", apiUrl]);
    expect(notFound.code).to.equal(1);
    expect(notFound.stdout).to.include(`UNKNOWN: this proves nothing on the chain: the API at ${apiUrl} holds no anchored record of ${unknownHash}`);
    pending.add(unknownHash);
    const waiting = await cli(["verify", unknownHash, "--rpc", ledger.rpcUrl, "--api", apiUrl]);
    expect(waiting.code).to.equal(1);
    expect(waiting.stdout).to.include("PENDING:");
  });

  it("verifies a QR code's link that carries the bundle itself: VALID with no API; another document's or a changed byte is not", async () => {
    const bundle = ledger.batch[11].bundle;
    const link = documentVerifyLink("https://ledger.maehia.go.th", bundle);
    // Packed small enough for a QR code, and read back as the same bundle (the API's record id and CID left out).
    expect(link.length).to.be.below(1000);
    const { recordId: _recordId, cid: _cid, ...carried } = bundle;
    expect(unpackBundle(new URL(link).hash.slice(3))).to.deep.equal(carried);
    const run = await cli(["verify", link, "--rpc", ledger.rpcUrl]);
    expect(run.stderr).to.equal("");
    expect(run.code, run.stdout).to.equal(0);
    expect(run.stdout).to.include("bundle   carried by the link (no API is asked)");
    expect(checkLines(run.stdout)).to.have.length(CHECK_NAMES.length);
    expect(run.stdout).to.match(new RegExp(`^issuer .*${ledger.issuer}.*DOCUMENT_ISSUER`, "m"));
    // The link's SHA-256 is the document asked about: a bundle of another document fails.
    const other = await cli(["verify", link.replace(bundle.sha256, ledger.batch[12].sha256), "--rpc", ledger.rpcUrl]);
    expect(other.code).to.equal(1);
    expect(other.stdout).to.match(/✗ document-unchanged/);
    // What the verifier derives from the packed bytes is checked too: a changed byte is never VALID.
    const at = link.indexOf("#b=") + 3 + 50;
    const changed = `${link.slice(0, at)}${link[at] === "A" ? "B" : "A"}${link.slice(at + 1)}`;
    const tampered = await cli(["verify", changed, "--rpc", ledger.rpcUrl]);
    expect(tampered.code).to.be.oneOf([1, 2]);
    expect(tampered.stdout).to.not.include("VALID: every check passed");
  });

  it("exits 2 with a message, and no verdict, for bad arguments and malformed bundles", async () => {
    const malformed = bundleFile("malformed.json", { ...ledger.single.bundle, sha256: "0x12", blockNumber: -1 });
    const cases: [string[], RegExp][] = [
      [["verify"], /expected one file, SHA-256 or proof.json, got 0/],
      [["verify", "a.json", "b.json"], /got 2/],
      [["verify", "proof.json", "--rpc"], /--rpc/],
      [["verify", "proof.json", "--bogus"], /--bogus/],
      [["verify", "no-such-file.pdf"], /neither a file nor a SHA-256/],
      [["verify", "proof.json", "--rpc", "ftp://127.0.0.1"], /--rpc "ftp:\/\/127.0.0.1" is not an http\(s\) URL/],
      [["verify", malformed], /malformed.json: not a valid proof bundle: sha256: .*blockNumber: /],
      [["frobnicate"], /unknown command "frobnicate"/],
      [[], /Usage: ledger <command>/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(" ")).to.equal(2);
      expect(run.stderr, args.join(" ")).to.match(message);
      expect(run.stdout, args.join(" ")).to.not.match(/VALID|UNKNOWN|REVOKED/);
    }
    const help = await cli(["verify", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include("Verdicts and exit codes:");
  });

  it("exits 2 when the RPC node or the API cannot be reached", async () => {
    const deadUrl = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const rpcDown = await cli(["verify", "proof.json", "--rpc", deadUrl]);
    expect(rpcDown.code).to.equal(2);
    expect(rpcDown.stderr).to.include(`the RPC node failed to answer eth_chainId`);
    expect(rpcDown.stderr).to.include("no verdict");
    const apiDown = await cli(["verify", ledger.single.sha256, "--rpc", ledger.rpcUrl, "--api", deadUrl]);
    expect(apiDown.code).to.equal(2);
    expect(apiDown.stderr).to.include(`the API at ${deadUrl} did not answer`);
  });

  it("runs on the system's Node 20 too, as `npx ledger` would there", async function () {
    if (!existsSync(SYSTEM_NODE)) this.skip();
    const version = spawnSync(SYSTEM_NODE, ["--version"], { encoding: "utf8" }).stdout.trim();
    const run = await cli(["verify", "proof.json", "--rpc", ledger.rpcUrl], { node: SYSTEM_NODE });
    expect(run.stderr, version).to.equal("");
    expect(run.code, version).to.equal(0);
    expect(run.stdout.split("\n")).to.include("VALID: every check passed");
  });
});

/**
 * `ledger verify` for the records that are not Merkle-batch documents, against the service as `npm start`
 * runs it: a permit certificate (issued by the demo permit officer's own signature, then amended by the
 * mayor and revoked), a resident's pledge receipt and a complaint moved by the complaint officer — by
 * file, by permit number, by QR link and by id. The API only says where to look; every verdict is the
 * chain's.
 */
describe("ledger verify: certificates, receipts and complaints (against a real service)", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-cli-records");
  const workDir = mkdtempSync(join(tmpdir(), "ledger-cli-records-"));
  let service: RunningService;
  let actors: WorkflowActors;
  let permit: Awaited<ReturnType<WorkflowActors["issuedBuildingPermit"]>>;
  let complaintId: string;
  let receipt: Record<string, any>;
  const permitOfficer = devAccounts().find((a) => a.role === "permitOfficer")!;
  const mayor = devAccounts().find((a) => a.role === "mayor")!;
  const complaintOfficer = devAccounts().find((a) => a.role === "complaintOfficer")!;

  const cli = (args: string[]) => runCli(args, workDir);
  const write = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(workDir, name), content);
    return name;
  };
  const lines = (stdout: string) => stdout.split("\n").filter((line) => /^ {2}[✓✗] /.test(line));
  const failed = (stdout: string) => lines(stdout).filter((line) => line.startsWith("  ✗")).map((line) => line.trim().split(/ +/)[1]);

  before(async () => {
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200" });
    actors = await WorkflowActors.signIn(service);
    permit = await actors.issuedBuildingPermit("Parcel 4321, Mae Hia");
    write("certificate-v1.pdf", await actors.certificatePdf(permit.number, permit.trackingCode));

    complaintId = (await actors.fileComplaint("ROAD")).complaintId;
    await actors.actOnComplaint(complaintId, "acknowledge");

    const campaignId = await actors.openCampaign("1000000");
    await actors.pledge(campaignId, 50_000n);
    const campaign = (await actors.resident.get(`/api/funds/campaigns/${campaignId}`)).body;
    const pledged = campaign.pledges.find((p: { kind: string }) => p.kind === "pledge");
    receipt = (await actors.resident.post(`/api/funds/campaigns/${campaignId}/pledges`, { txHash: pledged.txHash })).body;
    expect(receipt.format).to.equal("public-service-ledger/pledge-receipt@1");
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("keeps the verifiers' PermitRegistry, ComplaintLedger and BatchAnchor fragments equal to the compiled contracts'", () => {
    for (const [fragments, artifact] of [
      [PERMIT_REGISTRY_ABI, "artifacts/contracts/PermitRegistry.sol/PermitRegistry.json"],
      [COMPLAINT_LEDGER_ABI, "artifacts/contracts/ComplaintLedger.sol/ComplaintLedger.json"],
      [BATCH_ANCHOR_ABI, "artifacts/contracts/BatchAnchor.sol/BatchAnchor.json"],
    ] as const) {
      const compiled = new Interface(JSON.parse(readFileSync(artifact, "utf8")).abi);
      for (const fragment of new Interface(fragments).fragments) {
        const name = (fragment as unknown as { name: string }).name;
        const same = fragment.type === "event" ? compiled.getEvent(name) : compiled.getFunction(name);
        expect(same?.format("sighash"), name).to.equal(fragment.format("sighash"));
        if (fragment.type === "function") {
          const [ours, theirs] = [fragment as FunctionFragment, same as FunctionFragment];
          expect(ours.outputs.map((o) => o.format("sighash")), name).to.deep.equal(theirs.outputs.map((o) => o.format("sighash")));
        } else {
          expect(fragment.format("full"), name).to.equal(same!.format("full"));
        }
      }
    }
  });

  it("says VALID for a permit certificate PDF, naming the permit officer who signed it, with their role and name", async () => {
    const run = await cli(["verify", "certificate-v1.pdf", "--rpc", service.rpcUrl, "--api", service.url]);
    expect(run.stderr).to.equal("");
    expect(run.code, run.stdout).to.equal(0);
    expect(run.stdout).to.include(`proof    from ${service.url}/api/proofs/${permit.certificateSha256}: a permit certificate`);
    expect(run.stdout).to.include(`permit   ${permit.number}, version 1 of 1 (Issued), municipality Mae Hia Town Municipality (1)`);
    expect(lines(run.stdout).map((line) => line.trim().split(/ +/).slice(0, 2).join(" "))).to.deep.equal(
      ["chain-id", "registry-deployed", "certificate-known", "document-unchanged", "issued-event", "issuer-role", "issuer-key-not-compromised", "not-revoked", "current-version", "not-expired"].map(
        (name) => `✓ ${name}`,
      ),
    );
    expect(run.stdout).to.match(new RegExp(`✓ issuer-role +the Directory \\(0x[0-9a-fA-F]{40}\\) says ${permitOfficer.address} held PERMIT_OFFICER in municipality 1`));
    expect(run.stdout.split("\n")).to.include("VALID: every check passed");
    // Who: the name the municipality's admin published on the chain, the address, the role.
    expect(run.stdout).to.match(new RegExp(`^issuer {3}เจ้าหน้าที่ สมหญิง \\(demo\\), ${permitOfficer.address} \\(PERMIT_OFFICER\\) of Mae Hia Town Municipality \\(1\\), signed 20`, "m"));
    expect(run.stdout).to.match(/^valid {4}until 20\d\d-/m);
  });

  it("verifies a permit by its number, and a certificate's QR link with its data hash compared", async () => {
    const byNumber = await cli(["verify", permit.number, "--rpc", service.rpcUrl, "--api", service.url]);
    expect(byNumber.code, byNumber.stdout + byNumber.stderr).to.equal(0);
    expect(byNumber.stdout).to.include(`config   ${service.url}/ledger-config.json`);
    expect(byNumber.stdout).to.include(`permit   ${permit.number}, version 1 of 1 (Issued)`);
    expect(byNumber.stdout).to.match(new RegExp(`^issuer .*${permitOfficer.address} \\(PERMIT_OFFICER\\)`, "m"));

    // What the certificate's QR code holds; the link names the ledger to ask, no --api needed.
    const qr = `${service.url}/verify?permit=${encodeURIComponent(permit.number)}&v=1&h=${permit.dataHash}`;
    const byLink = await cli(["verify", qr, "--rpc", service.rpcUrl]);
    expect(byLink.code, byLink.stdout + byLink.stderr).to.equal(0);
    expect(byLink.stdout).to.match(/✓ paper-data-hash +the QR code's data hash is the one the issuing service holds for version 1/);
    const forged = await cli(["verify", qr.replace(permit.dataHash, `0x${"ab".repeat(32)}`), "--rpc", service.rpcUrl]);
    expect(forged.code).to.equal(1);
    expect(failed(forged.stdout)).to.deep.equal(["paper-data-hash"]);
    expect(forged.stdout).to.include("UNKNOWN:");
  });

  it("verifies a certificate with the API down, from the chain's addresses (--config) and the RPC node alone", async () => {
    const config = (await actors.resident.get("/ledger-config.json")).body;
    expect(config.format).to.equal("public-service-ledger/verifier-config@1");
    write("ledger-config.json", JSON.stringify(config));
    const deadApi = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const run = await cli(["verify", "certificate-v1.pdf", "--rpc", service.rpcUrl, "--api", deadApi, "--config", "ledger-config.json"]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.include(`api      ${deadApi} did not answer; asking the chain's PermitRegistry`);
    expect(run.stdout.split("\n")).to.include("VALID: every check passed");
    const byNumber = await cli(["verify", permit.number, "--rpc", service.rpcUrl, "--api", deadApi, "--config", "ledger-config.json"]);
    expect(byNumber.code, byNumber.stdout + byNumber.stderr).to.equal(0);
    // Any other document needs its bundle: no verdict without the API.
    const other = await cli(["verify", write("letter.txt", "not a certificate"), "--rpc", service.rpcUrl, "--api", deadApi, "--config", "ledger-config.json"]);
    expect(other.code).to.equal(2);
    expect(other.stderr).to.include("give the document's proof bundle");
  });

  it("says VALID for a pledge receipt, by file and by its QR link, and NOT VALID when its amount was changed", async () => {
    const run = await cli(["verify", write("receipt.json", JSON.stringify(receipt)), "--rpc", service.rpcUrl]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(lines(run.stdout).map((line) => line.trim().split(/ +/)[1])).to.deep.equal(["format-known", "chain-id", "campaign", "tx-receipt", "event-log", "block-time"]);
    expect(run.stdout.split("\n")).to.include("VALID: every check passed");
    const byLink = await cli(["verify", receipt.verifyUrl, "--rpc", service.rpcUrl]);
    expect(byLink.code, byLink.stdout + byLink.stderr).to.equal(0);
    // The link names the service's public address (the embedded demo's http://localhost:PORT).
    expect(byLink.stdout).to.include(`receipt  from ${receipt.verifyUrl}`);
    expect(receipt.verifyUrl).to.equal(`http://localhost:${new URL(service.url).port}/api/funds/receipts/${receipt.receiptId}`);
    const changed = await cli(["verify", write("receipt-changed.json", JSON.stringify({ ...receipt, amount: "5000000" })), "--rpc", service.rpcUrl]);
    expect(changed.code).to.equal(1);
    expect(failed(changed.stdout)).to.deep.equal(["event-log"]);
    expect(changed.stdout).to.include("NOT VALID:");
  });

  it("verifies a complaint by its id and by its Open311 record, each officer's step with its role; a changed record is UNKNOWN", async () => {
    const byId = await cli(["verify", `complaint:${complaintId}`, "--rpc", service.rpcUrl, "--api", service.url]);
    expect(byId.code, byId.stdout + byId.stderr).to.equal(0);
    expect(byId.stdout).to.include(`complaint ${complaintId} of Mae Hia Town Municipality (1): acknowledged`);
    expect(byId.stdout).to.match(new RegExp(`acknowledged +by เจ้าหน้าที่รับเรื่องร้องเรียน สมบัติ \\(demo\\), ${complaintOfficer.address} \\(COMPLAINT_OFFICER\\)`));
    expect(lines(byId.stdout).map((line) => line.trim().split(/ +/)[1])).to.deep.equal(["chain-id", "ledger-deployed", "complaint-filed", "status-history", "officer-roles"]);
    expect(byId.stdout.split("\n")).to.include("VALID: every check passed");

    const record = (await actors.resident.get(`/open311/v2/requests/${complaintId}.json?extensions=true&jurisdiction_id=maehia.go.th`)).body;
    const byFile = await cli(["verify", write("complaint.json", JSON.stringify(record)), "--rpc", service.rpcUrl, "--api", service.url]);
    expect(byFile.code, byFile.stdout + byFile.stderr).to.equal(0);
    expect(byFile.stdout).to.match(/✓ record-matches-chain +the file tells what the chain tells \(id, status, content hash, reopen count, filed at, due at, filing transaction, 2 notes\)/);

    const changed = structuredClone(record);
    changed[0].extended_attributes.detailed_status = "resolved";
    const byChanged = await cli(["verify", write("complaint-changed.json", JSON.stringify(changed)), "--rpc", service.rpcUrl, "--api", service.url]);
    expect(byChanged.code).to.equal(1);
    expect(failed(byChanged.stdout)).to.deep.equal(["record-matches-chain"]);
    expect(byChanged.stdout).to.include("status: the file says resolved, the chain acknowledged");
  });

  it("says SUPERSEDED for version 1 once the mayor amends the permit, and REVOKED with the reason once revoked", async () => {
    const amended = await actors.amendPermit(permit.number, "Parcel 4322, Mae Hia");
    await eventually(() => actors.resident.get(`/api/proofs/${amended.certificateSha256}`), (answer) => answer.status === 200);
    const superseded = await cli(["verify", "certificate-v1.pdf", "--rpc", service.rpcUrl, "--api", service.url]);
    expect(superseded.code).to.equal(1);
    expect(failed(superseded.stdout)).to.deep.equal(["current-version"]);
    expect(superseded.stdout).to.include("SUPERSEDED:");
    // Version 2 was signed by the mayor, the permit type's issuing authority.
    const current = await cli(["verify", permit.number, "--rpc", service.rpcUrl, "--api", service.url]);
    expect(current.code, current.stdout).to.equal(0);
    expect(current.stdout).to.match(new RegExp(`^issuer .*${mayor.address} \\(MAYOR\\)`, "m"));

    await revokePermit(actors, permit.number, 1, "Building started before the permit's conditions were met");
    const revoked = await cli(["verify", permit.number, "--rpc", service.rpcUrl, "--api", service.url]);
    expect(revoked.code).to.equal(1);
    expect(failed(revoked.stdout)).to.deep.equal(["not-revoked"]);
    expect(revoked.stdout).to.include("REVOKED:");
    expect(revoked.stdout).to.match(new RegExp(`^revoked  20\\S+ by นายกเทศมนตรี สมพร \\(demo\\), ${mayor.address}: reason 1 \\(Conditions of the permit not met\\)`, "m"));
  });
});

/** The mayor (the type's issuing authority) revokes a permit with their own signature; the service relays it. */
async function revokePermit(actors: WorkflowActors, number: string, reasonCode: number, reason: string): Promise<void> {
  const path = `${permitPath(number)}/revocation`;
  const draft = await actors.mayor.post(`${path}/drafts`, { reasonCode, reason });
  expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
  const typed = draft.body.typedData;
  const signature = await actors.mayor.wallet.signTypedData(typed.domain, typed.types, typed.message);
  const done = await actors.mayor.post(path, { draftId: draft.body.draftId, nonce: typed.message.nonce, deadline: typed.message.deadline, signature });
  expect(done.status, JSON.stringify(done.body)).to.be.oneOf([200, 201]);
}

/** `ledger verify` as a user runs it: a child process in `cwd`, a clean environment. */
function runCli(args: string[], cwd: string): Promise<Run> {
  const child = spawn(process.execPath, [LEDGER, ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolveRun) => child.once("close", (code) => resolveRun({ code, stdout, stderr })));
}
