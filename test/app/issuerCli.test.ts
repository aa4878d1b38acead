import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Wallet } from "ethers";
import { DocumentIssuer, devWallet, signRecordRevocation } from "./support/issuer.js";
import { runLedger } from "./support/ledgerCli.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";
import { reasonHashOf } from "../../app/shared/issuance.js";

/**
 * The issuer's side of the CLI as an e-Office system or a clerk runs it — `ledger issue`, `ledger revoke`,
 * `ledger compromise` in a child process with their own keystore or key — and the revocation route they
 * use, against the service as `npm start` runs it. The service never holds these keys.
 */
const PASSWORD = "correct horse battery staple";

describe("issuing, revoking and disowning with the CLI (officers' and admins' own keys)", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-issuer-cli");
  const workDir = mkdtempSync(join(tmpdir(), "ledger-issuer-cli-work-"));
  let service: RunningService;
  let keystore: string;

  const cli = (args: string[], env: Record<string, string>) => runLedger(args, { cwd: workDir, env: { HOME: workDir, LEDGER_API_URL: service.url, ...env } });
  const keyOf = (wallet: Wallet) => ({ LEDGER_PRIVATE_KEY: wallet.privateKey });
  const file = (name: string, text: string) => {
    writeFileSync(join(workDir, name), text);
    return { name, sha256: sha256Of(text) };
  };
  const verdictOf = async (sha256: string) => (await (await fetch(`${service.url}/api/verify?sha256=${sha256}`)).json()) as any;
  const settled = (sha256: string, verdict: string) => eventually(() => verdictOf(sha256), (answer) => answer.verdict === verdict, 60_000);

  before(async () => {
    service = await startService(dataDir);
    keystore = join(workDir, "issuer.json");
    writeFileSync(keystore, await devWallet("permitOfficer").encrypt(PASSWORD));
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("issues files with the issuer's keystore: one signature over their list, each then valid and naming the issuer", async () => {
    const letter = file("letter.txt", "Letter TH-50-MAEHIA/2026/0311 on the road closure");
    const notice = file("notice.txt", "Notification certificate TH-50-MAEHIA/NC/2026/0042");
    const run = await cli(["issue", letter.name, notice.name, "--municipality", "1", "--keystore", keystore], { LEDGER_KEYSTORE_PASSWORD: PASSWORD });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(devWallet("permitOfficer").address);
    for (const { name, sha256 } of [letter, notice]) {
      expect(run.stdout).to.match(new RegExp(`${name.replace(".", "\\.")} +${sha256} +rec_`));
      const answer = await settled(sha256, "valid");
      expect(answer.issuer).to.include({ address: devWallet("permitOfficer").address, role: "DOCUMENT_ISSUER", municipalityId: 1 });
      expect(answer.issuer.name).to.be.a("string").and.not.be.empty;
    }
    const again = await cli(["issue", letter.name, "--municipality", "1", "--keystore", keystore], { LEDGER_KEYSTORE_PASSWORD: PASSWORD });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include("already issued");
  });

  it("refuses a key without DOCUMENT_ISSUER, a wrong keystore password and a missing key, with codes", async () => {
    const forged = file("forged.txt", "Building permit MH-BLD-2026-000777, holder นายปลอม เอกสาร");
    const engineer = await cli(["issue", forged.name, "--municipality", "1"], keyOf(devWallet("engineer")));
    expect(engineer.code).to.equal(1);
    expect(engineer.stderr).to.include("403 ISSUER_NOT_AUTHORISED");
    expect((await verdictOf(forged.sha256)).verdict).to.equal("unknown");

    const wrong = await cli(["issue", forged.name, "--municipality", "1", "--keystore", keystore], { LEDGER_KEYSTORE_PASSWORD: "not it" });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.include("cannot open the keystore");
    const none = await cli(["issue", forged.name, "--municipality", "1"], {});
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include("--keystore");
    const noTown = await cli(["issue", forged.name], keyOf(devWallet("permitOfficer")));
    expect(noTown.code).to.equal(2);
  });

  it("revokes only with a DOCUMENT_ISSUER's own signature, checked by the chain; the verdict then says why, when and who", async () => {
    const memo = file("memo.txt", "Memo TH-50-MAEHIA/2026/0400, sent to the wrong office");
    expect((await cli(["issue", memo.name, "--municipality", "1"], keyOf(devWallet("permitOfficer")))).code).to.equal(0);
    await settled(memo.sha256, "valid");

    const args = ["revoke", memo.name, "--reason-code", "1", "--reason", "Sent to the wrong office"];
    const engineer = await cli(args, keyOf(devWallet("engineer")));
    expect(engineer.code).to.equal(1);
    expect(engineer.stderr).to.include("403 ROLE_REQUIRED");
    expect((await verdictOf(memo.sha256)).verdict).to.equal("valid");

    const revoked = await cli(args, keyOf(devWallet("permitOfficer")));
    expect(revoked.code, revoked.stderr).to.equal(0);
    const answer = await settled(memo.sha256, "revoked");
    expect(answer.revocation).to.include({
      reasonCode: 1,
      reason: "Sent to the wrong office",
      reasonHash: reasonHashOf("Sent to the wrong office"),
      revokedBy: devWallet("permitOfficer").address,
    });
    expect(Date.parse(answer.revocation.revokedAt)).to.be.greaterThan(0);

    const twice = await cli(args, keyOf(devWallet("permitOfficer")));
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.include("409");
  });

  it("answers the revocation route's refusals with codes, before anything is sent", async () => {
    const issuer = await DocumentIssuer.of(service.url);
    const order = file("order.txt", "Order TH-50-MAEHIA/2026/0500");
    expect((await cli(["issue", order.name, "--municipality", "1"], keyOf(issuer.wallet))).code).to.equal(0);
    await settled(order.sha256, "valid");
    // The verdict names its proof bundle (proofUrl); the bundle holds where the record is anchored.
    const { proofUrl } = await verdictOf(order.sha256);
    const proof = (await (await fetch(`${service.url}${proofUrl}`)).json()) as { municipalityId: number; root: string; leaf: string };
    const post = async (body: unknown, sha256 = order.sha256) => {
      const response = await fetch(`${service.url}/api/documents/${sha256}/revocation`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      // A public write like an upload: counted by the same limits (WRITES_PER_MINUTE's default first).
      expect(response.headers.get("ratelimit")).to.match(/^"600-in-1min"; r=\d+; t=\d+, /);
      return { status: response.status, code: ((await response.json()) as any).error?.code };
    };
    const reason = "Issued twice";
    const signed = (wallet: Wallet, validSeconds = 600) =>
      signRecordRevocation(wallet, issuer.chain, { municipalityId: proof.municipalityId, root: proof.root, leaf: proof.leaf, reasonCode: 2, reasonHash: reasonHashOf(reason), validSeconds });

    // Another key's signature naming the issuer as the officer: the chain's signature check refuses it.
    const stranger = await signed(devWallet("resident"));
    expect(await post({ reasonCode: 2, reason, ...stranger, officer: issuer.address })).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    // Signed for other words than those sent.
    const mine = await signed(issuer.wallet);
    expect(await post({ reasonCode: 2, reason: "Another reason", ...mine })).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    const expired = await signed(issuer.wallet, -10);
    expect(await post({ reasonCode: 2, reason, ...expired })).to.deep.equal({ status: 409, code: "SIGNATURE_EXPIRED" });
    expect(await post({ reasonCode: 42, reason, ...mine })).to.deep.equal({ status: 400, code: "BODY_INVALID" });
    expect(await post({ reasonCode: 2, reason, ...mine }, `0x${"ab".repeat(32)}`)).to.deep.equal({ status: 404, code: "PROOF_NOT_FOUND" });
    expect((await verdictOf(order.sha256)).verdict).to.equal("valid");
    expect(await post({ reasonCode: 2, reason, ...mine })).to.deep.equal({ status: 200, code: undefined });
  });

  it("shows the name the municipality's admin publishes for an officer, and no one else's", async () => {
    const letter = file("named.txt", "Letter signed by a named officer");
    expect((await cli(["issue", letter.name, "--municipality", "1"], keyOf(devWallet("permitOfficer")))).code).to.equal(0);
    await settled(letter.sha256, "valid");
    const name = "นางสาวสมศรี ใจดี (Ms Somsri Jaidee)";
    const args = ["name-officer", "--municipality", "1", "--account", devWallet("permitOfficer").address, "--name", name, "--rpc", service.rpcUrl];
    const stranger = await cli(args, keyOf(devWallet("permitOfficer")));
    expect(stranger.code).to.equal(1);
    expect(stranger.stderr).to.include("refused");
    const named = await cli(args, keyOf(devWallet("municipalityAdmin")));
    expect(named.code, named.stderr).to.equal(0);
    const answer = await eventually(() => verdictOf(letter.sha256), (a) => a.issuer?.name === name, 30_000);
    expect(answer.verdict).to.equal("valid");
    const verify = await cli(["verify", letter.name, "--rpc", service.rpcUrl], {});
    expect(verify.code).to.equal(0);
    expect(verify.stdout).to.include(`issuer   ${name}, ${devWallet("permitOfficer").address} (DOCUMENT_ISSUER) of Mae Hia Town Municipality (1)`);
  });

  it("lets the municipality's admin disown a lost key from a time on: what it signed since then is not valid", async () => {
    const before = file("before.txt", "Certificate signed before the laptop was lost");
    expect((await cli(["issue", before.name, "--municipality", "1"], keyOf(devWallet("permitOfficer")))).code).to.equal(0);
    const earlier = await settled(before.sha256, "valid");
    const after = file("after.txt", "Certificate signed with the lost laptop");
    expect((await cli(["issue", after.name, "--municipality", "1"], keyOf(devWallet("permitOfficer")))).code).to.equal(0);
    const later = await settled(after.sha256, "valid");
    expect(Date.parse(later.issuer.signedAt)).to.be.greaterThan(Date.parse(earlier.issuer.signedAt));

    const since = Date.parse(later.issuer.signedAt) / 1000;
    const args = ["compromise", "--municipality", "1", "--account", devWallet("permitOfficer").address, "--since", String(since), "--rpc", service.rpcUrl];
    const stranger = await cli(args, keyOf(devWallet("engineer")));
    expect(stranger.code).to.equal(1);
    expect(stranger.stderr).to.include("refused");

    const marked = await cli(args, keyOf(devWallet("municipalityAdmin")));
    expect(marked.code, marked.stderr).to.equal(0);
    const disowned = await settled(after.sha256, "unauthorised");
    expect(disowned.issuer.compromisedSince).to.equal(new Date(since * 1000).toISOString());
    expect((await verdictOf(before.sha256)).verdict).to.equal("valid");

    // The same verdict from the chain alone: `ledger verify` asks the node, not the service.
    const verify = await cli(["verify", after.name, "--rpc", service.rpcUrl], {});
    expect(verify.code).to.equal(1);
    expect(verify.stdout).to.match(/✗ issuer-key-not-compromised/);
    expect(verify.stdout).to.include("NOT ISSUED");
    // And the key can issue nothing more, once the upload gate's few seconds of Directory answers run out.
    const more = file("more.txt", "Anything new");
    const refused = await eventually(
      () => cli(["issue", more.name, "--municipality", "1"], keyOf(devWallet("permitOfficer"))),
      (run) => run.stderr.includes("403 ISSUER_NOT_AUTHORISED"),
      30_000,
    );
    expect(refused.code).to.equal(1);
  });
});
