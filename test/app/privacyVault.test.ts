import { expect } from "chai";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { AppError } from "../../app/server/errors.js";
import { errorBody, toAppError } from "../../app/server/http/errorHandler.js";
import { openIpfsStore } from "../../app/server/ipfs/index.js";
import { readAll } from "../../app/server/ipfs/readAll.js";
import type { IpfsStore } from "../../app/server/ipfs/types.js";
import { newTrackingCode, normalizeTrackingCode, saltedHash, randomSalt, trackingSecret } from "../../app/server/privacy/commitments.js";
import { readKeyringFile } from "../../app/server/privacy/keyring.js";
import { PersonalDataVault, isSealed, sealedKeyId } from "../../app/server/privacy/vault.js";
import { PersonalDataResealer } from "../../app/server/services/resealing.js";
import { openDatabase } from "../../app/server/store/database.js";
import { runLedger } from "./support/ledgerCli.js";
import { cleanUp, tempDataDir } from "./support/service.js";

const hex = (bytes: Buffer) => bytes.toString("hex");
const idOf = (key: Buffer) => createHash("sha256").update(key).digest().subarray(0, 8).toString("hex");

/** Sealed bytes as the vault wrote them before keys had ids ("PSL1"), made here with node:crypto alone. */
function sealedV1(key: Buffer, plain: Buffer, context: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from("PSL1"), iv, cipher.getAuthTag(), body]);
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected it to throw");
}

describe("personal data: the vault and commitments", () => {
  const dataDir = tempDataDir("ledger-vault");
  // Where an operator keeps keys: apart from the data folder.
  const secretsDir = mkdtempSync(join(tmpdir(), "ledger-vault-secrets-"));
  after(() => {
    cleanUp(dataDir);
    cleanUp(secretsDir);
  });

  it("seals with a key made once in the data folder, readable by its owner only, under that key's id", () => {
    const vault = PersonalDataVault.open(dataDir, {});
    const keyFile = join(dataDir, "keys", "personal-data.key");
    expect(statSync(keyFile).mode & 0o777).to.equal(0o600);
    const [key] = readKeyringFile(keyFile);
    expect(vault.currentKeyId).to.equal(idOf(key.key));
    const plain = Buffer.from("นายสมชาย ใจดี 1-1001-00001-00-1");
    const sealed = vault.seal(plain, "complaint");
    expect(isSealed(sealed)).to.equal(true);
    expect(sealedKeyId(sealed)).to.equal(vault.currentKeyId);
    expect(Buffer.from(sealed).includes(plain)).to.equal(false);
    expect(Buffer.from(PersonalDataVault.open(dataDir, {}).open(sealed, "complaint")).equals(plain)).to.equal(true);
  });

  it("refuses another context and tampered bytes; a key it lacks is PERSONAL_DATA_KEY_MISSING (503), not a 500", () => {
    const vault = PersonalDataVault.open(dataDir, {});
    const sealed = vault.sealJson({ phone: "081-234-5678" }, "permit-application");
    expect(() => vault.open(sealed, "complaint")).to.throw();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => vault.open(tampered, "permit-application")).to.throw();
    expect(vault.openJson(sealed, "permit-application")).to.deep.equal({ phone: "081-234-5678" });

    const other = "11".repeat(32);
    // (Another data folder: this one's key file would be read as an older key.)
    const missing = thrown(() => PersonalDataVault.open(secretsDir, { PERSONAL_DATA_KEY: other }).open(sealed, "permit-application"));
    expect(missing).to.be.instanceOf(AppError);
    const answer = toAppError(missing);
    expect(answer.status).to.equal(503);
    expect(errorBody(answer).error.code).to.equal("PERSONAL_DATA_KEY_MISSING");
    expect(answer.message).to.include(vault.currentKeyId).and.not.include(other);

    const badHex = thrown(() => PersonalDataVault.open(dataDir, { PERSONAL_DATA_KEY: "not-hex-secret" })) as Error;
    expect(badHex.message).to.match(/PERSONAL_DATA_KEY/).and.not.include("not-hex-secret");
  });

  it("reads data sealed before key ids (version 1) after the upgrade and after a rotation", async () => {
    const [legacy] = readKeyringFile(join(dataDir, "keys", "personal-data.key"));
    const plain = Buffer.from("ที่อยู่ 77/7 หมู่ 3");
    const old = sealedV1(legacy.key, plain, "permit-applicant");
    expect(isSealed(old)).to.equal(true);
    expect(sealedKeyId(old)).to.equal(null);
    expect(Buffer.from(PersonalDataVault.open(dataDir, {}).open(old, "permit-applicant")).equals(plain)).to.equal(true);

    const rotated = await runLedger(["personal-data-key", "rotate"], { env: { DATA_DIR: dataDir } });
    expect(rotated.code, rotated.stderr).to.equal(0);
    const vault = PersonalDataVault.open(dataDir, {});
    expect(vault.currentKeyId).to.not.equal(legacy.id);
    expect(vault.keyIds).to.deep.equal([vault.currentKeyId, legacy.id]);
    expect(Buffer.from(vault.open(old, "permit-applicant")).equals(plain)).to.equal(true);
    // A version 1 seal no key of the keyring opens names no key: the same clear code.
    expect((thrown(() => PersonalDataVault.open(secretsDir, { PERSONAL_DATA_KEY: "22".repeat(32) }).open(old, "permit-applicant")) as AppError).code).to.equal(
      "PERSONAL_DATA_KEY_MISSING",
    );
  });

  it("rotates a keyring file outside the data folder through `ledger personal-data-key`: new seals carry the new id, old data opens", async () => {
    const ringFile = join(secretsDir, "personal-data.keys");
    const env = { DATA_DIR: dataDir, PERSONAL_DATA_KEY_FILE: ringFile };
    // No keyring file yet: rotating makes it, and takes the data folder's keys with it.
    const before = PersonalDataVault.open(dataDir, {});
    const sealedBefore = before.seal(Buffer.from("0899990123"), "complaint-photo");
    const rotated = await runLedger(["personal-data-key", "rotate"], { env });
    expect(rotated.code, rotated.stderr).to.equal(0);
    const ring = readKeyringFile(ringFile);
    expect(statSync(ringFile).mode & 0o777).to.equal(0o600);
    expect(ring.slice(1).map((k) => k.id)).to.deep.equal(before.keyIds);
    for (const key of ring) expect(rotated.stdout + rotated.stderr).to.not.include(hex(key.key));
    expect(rotated.stdout).to.include(ring[0].id);

    const listed = await runLedger(["personal-data-key", "list"], { env });
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.include(`${ring[0].id}  current`);
    for (const key of ring) expect(listed.stdout + listed.stderr).to.not.include(hex(key.key));

    const warnings: string[] = [];
    const after = PersonalDataVault.open(dataDir, env, (warning) => warnings.push(warning));
    expect(after.currentKeyId).to.equal(ring[0].id);
    expect(sealedKeyId(after.seal(Buffer.from("x"), "complaint"))).to.equal(ring[0].id);
    expect(Buffer.from(after.open(sealedBefore, "complaint-photo")).toString()).to.equal("0899990123");
    // The data folder's key file is still there: read, and the operator told to move it.
    expect(warnings.join("\n")).to.match(/still in the data folder/);

    // The same keyring from the environment: the current key and the older ones.
    const fromEnv = PersonalDataVault.open(secretsDir, {
      PERSONAL_DATA_KEY: hex(ring[0].key),
      PERSONAL_DATA_OLD_KEYS: ring.slice(1).map((k) => `0x${hex(k.key)}`).join(","),
    });
    expect(fromEnv.keyIds).to.deep.equal(ring.map((k) => k.id));
    expect(Buffer.from(fromEnv.open(sealedBefore, "complaint-photo")).toString()).to.equal("0899990123");
    expect(existsSync(join(secretsDir, "keys")), "a key from the environment writes no key file").to.equal(false);

    const both = thrown(() => PersonalDataVault.open(dataDir, { ...env, PERSONAL_DATA_KEY: hex(ring[0].key) })) as Error;
    expect(both.message).to.match(/not both/).and.not.include(hex(ring[0].key));
    expect((thrown(() => PersonalDataVault.open(dataDir, { PERSONAL_DATA_KEY_FILE: join(secretsDir, "none") })) as Error).message).to.match(/does not exist/);
    const withEnvKey = await runLedger(["personal-data-key", "rotate"], { env: { DATA_DIR: dataDir, PERSONAL_DATA_KEY: hex(ring[0].key) } });
    expect(withEnvKey.code).to.equal(1);
    expect(withEnvKey.stderr).to.match(/PERSONAL_DATA_OLD_KEYS/).and.not.include(hex(ring[0].key));
  });

  it("takes the key from a file outside a fresh data folder: nothing of it in the folder", () => {
    const fresh = tempDataDir("ledger-vault-fresh");
    try {
      const keyFile = join(secretsDir, "fresh.key");
      const key = randomBytes(32);
      writeFileSync(keyFile, `${hex(key)}\n`, { mode: 0o600 });
      const vault = PersonalDataVault.open(fresh, { PERSONAL_DATA_KEY_FILE: keyFile });
      expect(vault.keyIds).to.deep.equal([idOf(key)]);
      expect(existsSync(join(fresh, "keys"))).to.equal(false);
      const sealed = vault.seal(Buffer.from("secret"), "complaint");
      expect(sealedKeyId(sealed)).to.equal(idOf(key));
    } finally {
      cleanUp(fresh);
    }
  });

  it("makes tracking codes people can type back, and salted hashes that differ per salt", () => {
    const code = newTrackingCode();
    expect(code).to.match(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(normalizeTrackingCode(code.toLowerCase().replace(/-/g, " "))).to.equal(code);
    expect(normalizeTrackingCode("too-short")).to.equal(null);
    expect(trackingSecret(code)).to.match(/^0x[0-9a-f]{64}$/).and.equal(trackingSecret(normalizeTrackingCode(code)!));
    expect(saltedHash(randomSalt(), "3100100012345")).to.not.equal(saltedHash(randomSalt(), "3100100012345"));
  });
});

describe("personal data: re-sealing after a rotation", function () {
  this.timeout(60_000);
  const dataDir = tempDataDir("ledger-reseal");
  const oldKey = randomBytes(32);
  const newKeyBytes = randomBytes(32);
  const strayKey = randomBytes(32);
  const oldVault = PersonalDataVault.open(dataDir, { PERSONAL_DATA_KEY: hex(oldKey) });
  const strayVault = PersonalDataVault.open(dataDir, { PERSONAL_DATA_KEY: hex(strayKey) });
  const vault = PersonalDataVault.open(dataDir, { PERSONAL_DATA_KEY: hex(newKeyBytes), PERSONAL_DATA_OLD_KEYS: hex(oldKey) });
  let db: DatabaseSync;
  let ipfs: IpfsStore;
  after(async () => {
    await ipfs?.stop();
    db?.close();
    cleanUp(dataDir);
  });

  const NAME = "กนกวรรณ คานารีศรี";
  const keyOfCid = async (cid: string) => sealedKeyId(await readAll(ipfs, cid));

  it("moves what the database names to the current key, keeps complaint bundles as the chain names them, and logs nothing personal", async () => {
    db = openDatabase(dataDir);
    ipfs = await openIpfsStore({ dataDir });
    const now = Date.now();
    // SQLite-held: two off-chain pledges' payers, one sealed before key ids, one under a key nobody configured.
    db.prepare("INSERT INTO funds_offchain_pledges (receipt_hash, campaign_id, document, sealed_payer, created_at) VALUES (?, 1, '{}', ?, ?)").run(
      "0xaa",
      oldVault.sealJson({ payerName: NAME, payerSalt: "0x01" }, "funds/offchain/0xaa"),
      now,
    );
    db.prepare("INSERT INTO funds_offchain_pledges (receipt_hash, campaign_id, document, sealed_payer, created_at) VALUES (?, 1, '{}', ?, ?)").run(
      "0xbb",
      sealedV1(oldKey, Buffer.from(JSON.stringify({ payerName: NAME, payerSalt: "0x02" })), "funds/offchain/0xbb"),
      now,
    );
    const stray = strayVault.sealJson({ payerName: NAME, payerSalt: "0x03" }, "funds/offchain/0xcc");
    db.prepare("INSERT INTO funds_offchain_pledges (receipt_hash, campaign_id, document, sealed_payer, created_at) VALUES (?, 1, '{}', ?, ?)").run("0xcc", stray, now);

    // IPFS-held: a permit application's applicant data, a document and the public application (clear).
    const applicantCid = await ipfs.add(oldVault.sealJson({ name: NAME }, "permit-applicant"));
    const documentCid = await ipfs.add(oldVault.seal(Buffer.from(`plans of ${NAME}`), "permit-document"));
    const publicCid = await ipfs.add(Buffer.from('{"parcel":"4711"}'));
    db.prepare(
      `INSERT INTO permit_applications (permit_id, number, number_prefix, sequence, municipality_id, type_code, public_fields, public_cid, applicant_cid, salt, tracking_hash, created_at)
       VALUES ('0x01', 'TH/1', 'TH', 1, 1, 'BUILDING', '{}', ?, ?, '0x00', '0x00', ?)`,
    ).run(publicCid, applicantCid, now);
    const addFile = db.prepare("INSERT INTO permit_files (permit_id, kind, sha256, cid, size, created_at) VALUES ('0x01', ?, ?, ?, 1, ?)");
    addFile.run("document", "0xd0", documentCid, now);
    addFile.run("public-application", "0xd1", publicCid, now);

    // A complaint: its bundle (named on the chain by its SHA-256), its photo (in the bundle and the
    // database) and an officer's evidence.
    const photoCid = await ipfs.add(oldVault.seal(Buffer.from("jpeg of a house"), "complaint-photo"));
    const bundleCid = await ipfs.add(oldVault.sealJson({ version: 2, content: { description: NAME }, photo: { cid: photoCid } }, "complaint"));
    const evidenceCid = await ipfs.add(oldVault.seal(Buffer.from("the road fixed"), "complaint-evidence"));
    db.prepare(
      `INSERT INTO complaint_filings (complaint_id, municipality_id, bundle_cid, token, channel, created_at, photo)
       VALUES ('0xc1', 1, ?, 't1', 'web', ?, ?)`,
    ).run(bundleCid, now, JSON.stringify({ cid: photoCid, sha256: "0xp1", filename: "house.jpg", mediaType: "image/jpeg" }));
    const attach = db.prepare("INSERT INTO complaint_attachments (complaint_id, tx_hash, kind, sha256, cid, created_at) VALUES ('0xc1', ?, ?, ?, ?, ?)");
    attach.run("0xt1", "photo", "0xp1", photoCid, now);
    attach.run("0xt2", "evidence", "0xe1", evidenceCid, now);

    const lines: string[] = [];
    const resealer = new PersonalDataResealer({ db, ipfs, vault, log: (line) => lines.push(line) });
    const round = await resealer.reseal();
    expect(round).to.deep.equal({ resealed: 6, skipped: 1 });

    const payers = db.prepare("SELECT receipt_hash, sealed_payer FROM funds_offchain_pledges ORDER BY receipt_hash").all() as Array<{ receipt_hash: string; sealed_payer: Uint8Array }>;
    expect(payers.map((p) => sealedKeyId(p.sealed_payer))).to.deep.equal([vault.currentKeyId, vault.currentKeyId, strayVault.currentKeyId]);
    expect(vault.openJson(payers[1].sealed_payer, "funds/offchain/0xbb")).to.deep.equal({ payerName: NAME, payerSalt: "0x02" });
    expect(Buffer.from(payers[2].sealed_payer).equals(Buffer.from(stray)), "under a key the keyring lacks: left as it is").to.equal(true);

    const application = db.prepare("SELECT applicant_cid, public_cid FROM permit_applications").get() as { applicant_cid: string; public_cid: string };
    expect(application.applicant_cid).to.not.equal(applicantCid);
    expect(await keyOfCid(application.applicant_cid)).to.equal(vault.currentKeyId);
    expect(vault.openJson(await readAll(ipfs, application.applicant_cid), "permit-applicant")).to.deep.equal({ name: NAME });
    const files = Object.fromEntries((db.prepare("SELECT kind, cid FROM permit_files").all() as Array<{ kind: string; cid: string }>).map((f) => [f.kind, f.cid]));
    expect(await keyOfCid(files.document)).to.equal(vault.currentKeyId);
    expect(files["public-application"]).to.equal(publicCid);

    const filing = db.prepare("SELECT bundle_cid, photo FROM complaint_filings").get() as { bundle_cid: string; photo: string };
    const attachments = Object.fromEntries((db.prepare("SELECT kind, cid FROM complaint_attachments").all() as Array<{ kind: string; cid: string }>).map((a) => [a.kind, a.cid]));
    expect(filing.bundle_cid, "the chain names the bundle by its bytes").to.equal(bundleCid);
    expect(await keyOfCid(filing.bundle_cid)).to.equal(oldVault.currentKeyId);
    expect(vault.openJson<{ content: { description: string } }>(await readAll(ipfs, bundleCid), "complaint").content.description).to.equal(NAME);
    expect(JSON.parse(filing.photo).cid).to.equal(attachments.photo).and.not.equal(photoCid);
    expect(await keyOfCid(attachments.photo)).to.equal(vault.currentKeyId);
    expect(Buffer.from(vault.open(await readAll(ipfs, attachments.photo), "complaint-photo")).toString()).to.equal("jpeg of a house");
    expect(await keyOfCid(attachments.evidence)).to.equal(vault.currentKeyId);
    // The old copies stay readable: the bundle still names the old photo.
    expect(Buffer.from(vault.open(await readAll(ipfs, photoCid), "complaint-photo")).toString()).to.equal("jpeg of a house");

    // Done: a second round finds nothing to move and reads no file again.
    expect(await resealer.reseal()).to.deep.equal({ resealed: 0, skipped: 1 });
    const logged = lines.join("\n");
    expect(logged).to.include(vault.currentKeyId).and.include(strayVault.currentKeyId);
    for (const secret of [NAME, hex(oldKey), hex(newKeyBytes), hex(strayKey), "jpeg of a house"]) expect(logged).to.not.include(secret);
  });
});
