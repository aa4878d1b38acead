import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet, id } from "ethers";
import { AnvilChain } from "../../app/server/chain/anvil.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { profileDigest } from "../../app/shared/townPlan.js";
import { parseTownProfile, type TownProfileInput } from "../../app/shared/townProfile.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { PermitRegistry__factory } from "../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import { runDeploy } from "./support/deployCommand.js";
import { runLedger } from "./support/ledgerCli.js";
import { cleanUp, eventually, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * A second town goes live with the CLI alone, as a town hall's IT officer would do it on the town's own
 * chain (an anvil of chain id 7001 making a block every 2 seconds): the national admin adds Yala, Yala's
 * admin applies its town file (scripts/towns/yala.json with the town's own officers), changes it,
 * and makes and revokes Open311 keys — each change the admin's own transaction, every refusal with its
 * exit code.
 */
const CHAIN_ID = 7001;
const [nationalAdmin, yalaAdmin, relayer, successor] = devAccounts();
const OFFICERS = {
  permitOfficer: Wallet.createRandom().address,
  complaintOfficer: Wallet.createRandom().address,
  safetyOfficer: Wallet.createRandom().address,
  mayor: Wallet.createRandom().address,
};

/** scripts/towns/yala.json with this chain's accounts instead of the demo's. */
function yalaFile(): TownProfileInput {
  const file = JSON.parse(readFileSync("scripts/towns/yala.json", "utf8")) as TownProfileInput;
  const byRole: Record<string, string> = {
    ANCHOR_SERVICE: relayer.address,
    PERMIT_OFFICER: OFFICERS.permitOfficer,
    COMPLAINT_OFFICER: OFFICERS.complaintOfficer,
    SAFETY_OFFICER: OFFICERS.safetyOfficer,
    MAYOR: OFFICERS.mayor,
  };
  file.officers = file.officers!.map((officer) => ({ ...officer, address: byRole[officer.roles[0]], name: officer.name.replace(" (demo)", "") }));
  return file;
}

describe("a town with the CLI: ledger municipality and ledger town", function () {
  this.timeout(600_000);
  const chainDir = tempDataDir("ledger-town-cli-chain");
  const dataDir = tempDataDir("ledger-town-cli-data");
  const workDir = mkdtempSync(join(tmpdir(), "ledger-town-cli-work-"));
  const chain = new AnvilChain({ stateDir: chainDir, chainId: CHAIN_ID });
  let service: RunningService | undefined;
  let provider: JsonRpcProvider;
  let contracts: { directory: string; permitRegistry: string; complaintLedger: string };

  const cli = (args: string[], key?: { privateKey: string }) =>
    runLedger(args, {
      cwd: workDir,
      env: { HOME: workDir, LEDGER_API_URL: service!.url, LEDGER_RPC_URL: chain.url, ...(key ? { LEDGER_PRIVATE_KEY: key.privateKey } : {}) },
    });
  const file = (name: string, content: unknown) => {
    writeFileSync(join(workDir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return name;
  };
  const directory = () => Directory__factory.connect(contracts.directory, provider);
  const nonceOf = (address: string) => provider.getTransactionCount(address, "latest");
  const yalaId = async () => Number(await directory().municipalityIdOf("TH-95-YALA"));
  /** Yala as the API answers it, once its index has seen the profile the chain names last (it follows some blocks behind). */
  const apiTown = async () => {
    const onChain = (await directory().profileOf(await yalaId())).sha256Digest;
    return eventually(
      async () => (await (await fetch(`${service!.url}/api/municipalities/${await yalaId()}`)).json()) as any,
      (town) => town.profileSha256 === onChain,
    );
  };

  before(async () => {
    await chain.start();
    const deployed = await runDeploy(["--rpc", chain.url, "--chain-id", String(CHAIN_ID), "--national-admin", nationalAdmin.address, "--data-dir", dataDir], {
      LEDGER_PRIVATE_KEY: nationalAdmin.privateKey,
    });
    if (deployed.code !== 0) throw new Error(`npm run deploy exited with ${deployed.code}:\n${deployed.stderr}${deployed.stdout}`);
    service = await startService(dataDir, {
      CHAIN_RPC_URL: chain.url,
      CHAIN_ID: String(CHAIN_ID),
      RELAYER_PRIVATE_KEY: relayer.privateKey,
      DEPLOYMENT_FILE: join(dataDir, "deployment.json"),
    });
    contracts = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8")).contracts;
    provider = new JsonRpcProvider(chain.url, CHAIN_ID, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 100 });
    // From here on a block every 2 seconds, as on the town's own chain: nothing is mined on demand.
    await chain.rpc("evm_setAutomine", [false]);
    await chain.rpc("evm_setIntervalMining", [2]);
  });
  after(async () => {
    provider?.destroy();
    await service?.stop();
    await chain.stop();
    cleanUp(dataDir);
    cleanUp(chainDir);
    rmSync(workDir, { recursive: true, force: true });
  });

  it("refuses a bad town file with every problem listed (exit 2), and a town the Directory lacks (exit 1)", async () => {
    const bad = yalaFile() as any;
    bad.code = "yala";
    bad.name.en = "";
    bad.officers[1].address = "0x1234";
    bad.permitTypes[0].approvalRoles = [];
    bad.complaintCategories.push({ ...bad.complaintCategories[0] });
    const run = await cli(["town", "apply", file("bad.json", bad)], yalaAdmin);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.include("bad.json is not a valid town file");
    for (const problem of ["code:", "name.en:", "officers.1.address:", "permitTypes.0.approvalRoles:", "complaint category FLOODING appears twice"]) {
      expect(run.stderr).to.include(problem);
    }
    expect((await cli(["town", "apply", file("broken.json", "{ not json")], yalaAdmin)).code).to.equal(2);

    const notYet = await cli(["town", "apply", file("yala.json", yalaFile())], yalaAdmin);
    expect(notYet.code).to.equal(1);
    expect(notYet.stderr).to.include("no municipality TH-95-YALA in the Directory");
  });

  it("adds Yala with the national admin's key only, and lists it from the chain", async () => {
    const args = ["municipality", "add", "--code", "TH-95-YALA", "--name", "Yala City Municipality", "--admin", yalaAdmin.address];
    const stranger = await cli(args, yalaAdmin);
    expect(stranger.code).to.equal(1);
    expect(stranger.stderr).to.include("OwnableUnauthorizedAccount");
    expect((await cli(["municipality", "add", "--code", "yala", "--name", "Yala", "--admin", yalaAdmin.address], nationalAdmin)).code).to.equal(2);

    const added = await cli(args, nationalAdmin);
    expect(added.code, added.stderr).to.equal(0);
    expect(added.stdout).to.match(/added municipality 1: TH-95-YALA/);
    expect(await yalaId()).to.equal(1);
    const listed = await cli(["municipality", "list", "--json"]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(JSON.parse(listed.stdout).municipalities).to.deep.equal([
      { id: 1, code: "TH-95-YALA", name: "Yala City Municipality", admin: yalaAdmin.address, suspended: false },
    ]);
    expect((await cli(["municipality", "list"])).stdout).to.match(/1 +TH-95-YALA +0x\w{40} +active +Yala City Municipality/);
  });

  it("registers the BatchAnchor as the Directory's observer only when it is not yet (the national admin deployed with its own key here)", async () => {
    const observed = await cli(["municipality", "observe"], nationalAdmin);
    expect(observed.code, observed.stderr).to.equal(0);
    expect(observed.stdout).to.match(/already observes the Directory: nothing to do/);
  });

  it("plans without sending on --dry-run, and sends nothing with a key that is not the town admin's", async () => {
    const before = await nonceOf(yalaAdmin.address);
    const dry = await cli(["town", "apply", "yala.json", "--dry-run"]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include(`grant SAFETY_OFFICER to ${OFFICERS.safetyOfficer}`);
    expect(dry.stdout).to.include("define permit type SIGNBOARD: SAFETY_OFFICER → MAYOR");
    expect(dry.stdout).to.include("dry run: nothing sent");

    const stranger = await cli(["town", "apply", "yala.json"], successor);
    expect(stranger.code).to.equal(1);
    expect(stranger.stderr).to.include(`the key ${successor.address} is not the admin of TH-95-YALA`);
    expect(await nonceOf(yalaAdmin.address)).to.equal(before);
    expect(await nonceOf(successor.address)).to.equal(0);
    expect((await directory().profileOf(1)).sha256Digest).to.equal(`0x${"0".repeat(64)}`);
  });

  it("applies Yala's file with its admin's key: roles, names, permit type, categories on the chain, the profile at the API", async () => {
    const run = await cli(["town", "apply", "yala.json"], yalaAdmin);
    expect(run.code, run.stderr + run.stdout).to.equal(0);
    const profile = parseTownProfile(yalaFile());
    const roles: Array<[string, string]> = [
      ["ANCHOR_SERVICE", relayer.address],
      ["PERMIT_OFFICER", OFFICERS.permitOfficer],
      ["DOCUMENT_ISSUER", OFFICERS.permitOfficer],
      ["COMPLAINT_OFFICER", OFFICERS.complaintOfficer],
      ["SAFETY_OFFICER", OFFICERS.safetyOfficer],
      ["MAYOR", OFFICERS.mayor],
    ];
    for (const [role, account] of roles) expect(await directory().roleMembers(1, id(role))).to.deep.equal([account]);
    for (const officer of profile.officers) expect(await directory().officerName(1, officer.address)).to.equal(officer.name);
    const signboard = await PermitRegistry__factory.connect(contracts.permitRegistry, provider).permitType(1, id("SIGNBOARD"));
    expect([...signboard.approvalRoles]).to.deep.equal([id("SAFETY_OFFICER"), id("MAYOR")]);
    expect(signboard.validityDays).to.equal(365n);
    const categories = ComplaintLedger__factory.connect(contracts.complaintLedger, provider);
    expect((await categories.category(1, id("FLOODING"))).slaSeconds).to.equal(86_400n);
    expect((await categories.category(1, id("STREET_LIGHT"))).slaSeconds).to.equal(3n * 86_400n);
    expect((await directory().profileOf(1)).sha256Digest).to.equal(profileDigest(profile).sha256);
    expect(run.stdout).to.include("applied yala.json: 15 transactions");

    const town = await apiTown();
    expect(town).to.include({ id: 1, code: "TH-95-YALA", profileSha256: profileDigest(profile).sha256, profileCid: profileDigest(profile).cid });
    expect(town.profile).to.deep.equal(JSON.parse(JSON.stringify(profile)));
    const show = await cli(["town", "show", "TH-95-YALA"]);
    expect(show.code, show.stderr).to.equal(0);
    expect(show.stdout).to.include("เทศบาลนครยะลา / Yala City Municipality");
    expect(show.stdout).to.include("✓ the chain matches the published profile");
  });

  it("changes nothing when the file is applied again", async () => {
    const before = await nonceOf(yalaAdmin.address);
    const again = await cli(["town", "apply", "yala.json"], yalaAdmin);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include("nothing to change");
    expect(await nonceOf(yalaAdmin.address)).to.equal(before);
  });

  it("applies a changed SLA as one setCategory (and the new profile), and refuses a changed approval chain before sending", async () => {
    const changed = yalaFile() as any;
    changed.complaintCategories[1].slaDays = 2;
    const run = await cli(["town", "apply", file("yala-sla.json", changed)], yalaAdmin);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("2 changes:");
    expect(run.stdout.match(/set complaint category/g)).to.have.length(2); // planned and sent
    expect(run.stdout).to.include("set complaint category STREET_LIGHT: 2 days");
    expect((await ComplaintLedger__factory.connect(contracts.complaintLedger, provider).category(1, id("STREET_LIGHT"))).slaSeconds).to.equal(2n * 86_400n);

    const before = await nonceOf(yalaAdmin.address);
    changed.permitTypes[0].approvalRoles = ["MAYOR"];
    const refused = await cli(["town", "apply", file("yala-chain.json", changed)], yalaAdmin);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include("permit type SIGNBOARD is already defined with another approval chain");
    expect(refused.stderr).to.include("nothing was sent");
    expect(await nonceOf(yalaAdmin.address)).to.equal(before);
  });

  it("shows where the chain differs from the published profile", async () => {
    const renamed = await cli(["name-officer", "--municipality", "1", "--account", OFFICERS.mayor, "--name", "Someone else"], yalaAdmin);
    expect(renamed.code, renamed.stderr).to.equal(0);
    const show = await cli(["town", "show", "1", "--json"]);
    expect(show.code).to.equal(1);
    const answer = JSON.parse(show.stdout);
    expect(answer.chainMatches).to.equal(false);
    expect(answer.differences).to.deep.equal([`publish the name of ${OFFICERS.mayor}: นายกเทศมนตรี พงษ์ศักดิ์`]);
    expect((await cli(["town", "apply", "yala-sla.json"], yalaAdmin)).code).to.equal(0);
    expect((await cli(["town", "show", "1"])).code).to.equal(0);
  });

  it("makes an Open311 key into a file, lists it and revokes it, each a new profile signed by the admin", async () => {
    const keyFile = join(workDir, "fixmystreet.key");
    const created = await cli(["town", "key", "create", "TH-95-YALA", "--label", "FixMyStreet Yala", "--out-file", keyFile], yalaAdmin);
    expect(created.code, created.stderr).to.equal(0);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key).to.match(/^o311_[A-Za-z0-9_-]{32}$/);
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600);
    expect(created.stdout).not.to.include(key);
    const sha256 = `0x${createHash("sha256").update(key).digest("hex")}`;
    expect(created.stdout).to.include(sha256);
    expect((await apiTown()).profile.open311.apiKeys.map((k: any) => [k.label, k.sha256])).to.deep.equal([["FixMyStreet Yala", sha256]]);
    // The SLA change applied before is kept: the key was added to the profile published last.
    expect((await apiTown()).profile.complaintCategories[1].slaDays).to.equal(2);

    const listed = await cli(["town", "key", "list", "1"]);
    expect(listed.stdout).to.match(new RegExp(`${sha256} +\\S+ +FixMyStreet Yala`));
    expect((await cli(["town", "key", "create", "1", "--label", "again", "--out-file", keyFile], yalaAdmin)).code).to.equal(2);

    const stranger = await cli(["town", "key", "revoke", "1", "--sha256", sha256], successor);
    expect(stranger.code).to.equal(1);
    const revoked = await cli(["town", "key", "revoke", "1", "--sha256", sha256], yalaAdmin);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect((await apiTown()).profile.open311.apiKeys).to.deep.equal([]);
    expect((await cli(["town", "key", "revoke", "1", "--sha256", sha256], yalaAdmin)).code).to.equal(2);

    const shown = await cli(["town", "key", "create", "1", "--label", "Traffy Fondue"], yalaAdmin);
    expect(shown.code, shown.stderr).to.equal(0);
    expect(shown.stdout).to.match(/api key \(shown this once, kept nowhere\): o311_[A-Za-z0-9_-]{32}/);
  });

  it("suspends and reinstates Yala, and hands it to a new admin", async () => {
    const suspended = await cli(["municipality", "suspend", "TH-95-YALA", "--reason", "Audit of 2026 permits"], nationalAdmin);
    expect(suspended.code, suspended.stderr).to.equal(0);
    expect(suspended.stdout).to.include(id("Audit of 2026 permits"));
    expect(suspended.stdout).to.include("its text is stored nowhere");
    const blocked = await cli(["town", "apply", "yala-sla.json"], yalaAdmin);
    expect(blocked.code).to.equal(1);
    expect(blocked.stderr).to.include("TH-95-YALA is suspended");
    expect((await cli(["municipality", "reinstate", "1"], yalaAdmin)).code).to.equal(1);
    expect((await cli(["municipality", "reinstate", "1"], nationalAdmin)).code).to.equal(0);

    const handed = await cli(["municipality", "set-admin", "TH-95-YALA", "--admin", successor.address], yalaAdmin);
    expect(handed.code, handed.stderr).to.equal(0);
    expect((await directory().municipality(1)).admin).to.equal(successor.address);
    const changed = yalaFile() as any;
    changed.complaintCategories[1].slaDays = 4;
    const old = await cli(["town", "apply", file("yala-4.json", changed)], yalaAdmin);
    expect(old.code).to.equal(1);
    expect(old.stderr).to.include("is not the admin of TH-95-YALA");
    expect((await cli(["town", "apply", "yala-4.json"], successor)).code).to.equal(0);
    expect((await cli(["municipality", "set-admin", "99", "--admin", successor.address], nationalAdmin)).code).to.equal(2);
  });

  it("stops at the call the chain refuses, says how many went through, publishes no profile, and a re-run plans only what is missing", async () => {
    const published = (await directory().profileOf(1)).sha256Digest;
    const relayers = [0, 1, 2, 3].map(() => Wallet.createRandom().address);
    const crowded = yalaFile() as any;
    crowded.complaintCategories[1].slaDays = 4;
    // One ANCHOR_SERVICE holder more than the Directory takes (MAX_ANCHOR_SERVICE_HOLDERS, 4, with the service's own).
    crowded.officers.push(...relayers.map((address, i) => ({ address, name: `Relayer ${i + 1}`, roles: ["ANCHOR_SERVICE"] })));
    const run = await cli(["town", "apply", file("yala-crowded.json", crowded)], successor);
    expect(run.code, run.stderr + run.stdout).to.equal(1);
    for (const [i, address] of relayers.slice(0, 3).entries()) expect(run.stdout).to.include(`✓ ${i + 1}/9 grant ANCHOR_SERVICE to ${address}`);
    expect(run.stderr).to.include(`✗ 4/9 grant ANCHOR_SERVICE to ${relayers[3]} (Relayer 4): the chain refused it: DirectoryTooManyHolders(1, ${id("ANCHOR_SERVICE")}, 4)`);
    expect(run.stderr).to.include("3 of 9 went through; fix the cause and re-run: the next plan starts from what the chain holds");
    expect(await directory().roleMembers(1, id("ANCHOR_SERVICE"))).to.deep.equal([relayer.address, ...relayers.slice(0, 3)]);
    expect((await directory().profileOf(1)).sha256Digest).to.equal(published);

    const again = await cli(["town", "apply", "yala-crowded.json", "--dry-run"]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include("6 changes:");
    expect(again.stdout).to.include(`1. grant ANCHOR_SERVICE to ${relayers[3]}`);
  });
});
