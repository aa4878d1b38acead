import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hexlify, randomBytes } from "ethers";
import { freeLoopbackPort } from "../../app/server/chain/anvil.js";
import type { ProofBundle } from "../../app/shared/proofBundle.js";
import { CHECK_NAMES } from "../../app/shared/verifyBundle.js";
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
    expect(run.stdout.trimEnd().split("\n").pop()).to.equal("VALID: every check passed");
  });

  it("says REVOKED (exit 1) for the revoked record and UNKNOWN (exit 1) for a tampered bundle", async () => {
    const revoked = await cli(["verify", bundleFile("revoked.json", ledger.batch[ledger.revokedIndex].bundle), "--rpc", ledger.rpcUrl]);
    expect(revoked.code).to.equal(1);
    expect(checkLines(revoked.stdout).filter((line) => line.startsWith("  ✗"))).to.have.length(1);
    expect(revoked.stdout).to.match(/✗ not-revoked +verifyRecord\(root, leaf, proof\): Revoked/);
    expect(revoked.stdout).to.include("REVOKED:");

    const tampered = { ...ledger.batch[7].bundle, proof: [hexlify(randomBytes(32)), ...ledger.batch[7].bundle.proof.slice(1)] };
    const unknown = await cli(["verify", bundleFile("tampered.json", tampered), "--rpc", ledger.rpcUrl]);
    expect(unknown.code).to.equal(1);
    expect(checkLines(unknown.stdout).filter((line) => line.startsWith("  ✗")).map((line) => line.split(/ +/)[2])).to.deep.equal([
      "proof-valid",
      "not-revoked",
    ]);
    expect(unknown.stdout).to.include("UNKNOWN: this proves nothing on the chain (2 of 11 checks failed)");
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
    expect(run.stdout.trimEnd().split("\n").pop()).to.equal("VALID: every check passed");
  });
});
