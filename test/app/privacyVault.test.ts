import { expect } from "chai";
import { statSync } from "node:fs";
import { join } from "node:path";
import { newTrackingCode, normalizeTrackingCode, saltedHash, randomSalt, trackingSecret } from "../../app/server/privacy/commitments.js";
import { PersonalDataVault, isSealed } from "../../app/server/privacy/vault.js";
import { cleanUp, tempDataDir } from "./support/service.js";

describe("personal data: the vault and commitments", () => {
  const dataDir = tempDataDir("ledger-vault");
  after(() => cleanUp(dataDir));

  it("seals with a key made once in the data folder, readable by its owner only", () => {
    const vault = PersonalDataVault.open(dataDir, "");
    const mode = statSync(join(dataDir, "keys", "personal-data.key")).mode & 0o777;
    expect(mode).to.equal(0o600);
    const plain = Buffer.from("นายสมชาย ใจดี 1-1001-00001-00-1");
    const sealed = vault.seal(plain, "complaint");
    expect(isSealed(sealed)).to.equal(true);
    expect(Buffer.from(sealed).includes(plain)).to.equal(false);
    expect(Buffer.from(PersonalDataVault.open(dataDir, "").open(sealed, "complaint")).equals(plain)).to.equal(true);
  });

  it("refuses another context, another key and tampered bytes", () => {
    const vault = PersonalDataVault.open(dataDir, "");
    const sealed = vault.sealJson({ phone: "081-234-5678" }, "permit-application");
    expect(() => vault.open(sealed, "complaint")).to.throw();
    expect(() => PersonalDataVault.open(dataDir, "11".repeat(32)).open(sealed, "permit-application")).to.throw();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => vault.open(tampered, "permit-application")).to.throw();
    expect(vault.openJson(sealed, "permit-application")).to.deep.equal({ phone: "081-234-5678" });
    expect(() => PersonalDataVault.open(dataDir, "not-hex")).to.throw(/PERSONAL_DATA_KEY/);
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
