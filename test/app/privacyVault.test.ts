import { expect } from "chai";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../app/server/errors.js";
import { errorBody, toAppError } from "../../app/server/http/errorHandler.js";
import { newTrackingCode, normalizeTrackingCode, saltedHash, randomSalt, trackingSecret } from "../../app/server/privacy/commitments.js";
import { readKeyringFile } from "../../app/server/privacy/keyring.js";
import { PersonalDataVault, isSealed, sealedKeyId } from "../../app/server/privacy/vault.js";
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
