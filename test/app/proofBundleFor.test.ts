import { expect } from "chai";
import { Wallet, hexlify, randomBytes } from "ethers";
import { PROOF_BUNDLE_FORMAT } from "../../app/shared/proofBundle.js";
import { ProofBundleError, parseProofBundle, proofBundleFor } from "../../app/shared/proofBundleFormat.js";

/**
 * proofBundleFor normalizes a well-formed record without running the bundle schema (it runs on every
 * verification): what it returns must be exactly what the schema returns, and what the schema refuses
 * it must refuse the same way.
 */
const random32 = () => hexlify(randomBytes(32));
const upper = (hash: string) => `0x${hash.slice(2).toUpperCase()}`;

describe("proofBundleFor without the schema (app/shared/proofBundleFormat.ts)", () => {
  const record = {
    recordId: "rec_01JQ0000000000000000000000",
    sha256: upper(random32()),
    cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    municipalityId: 7,
    leaf: upper(random32()),
    root: upper(random32()),
    proof: [upper(random32()), random32()],
    txHash: upper(random32()),
    blockNumber: 0,
    anchoredAt: 1_790_000_000,
  };
  const address = Wallet.createRandom().address;
  const asTheSchemaReads = ({ recordId, cid, ...fields }: typeof record, contract: string) =>
    parseProofBundle({ format: PROOF_BUNDLE_FORMAT, ...fields, chainId: 31337, contract, ...(recordId ? { recordId } : {}), ...(cid ? { cid } : {}) });

  it("returns what the schema returns, key order included, for any spelling of the hashes and the address", () => {
    for (const contract of [address, address.toLowerCase(), upper(address).replace("0X", "0x")]) {
      for (const fields of [record, { ...record, proof: [] }, { ...record, recordId: null, cid: null } as never]) {
        const built = proofBundleFor(fields, { chainId: 31337, contract });
        expect(JSON.stringify(built)).to.equal(JSON.stringify(asTheSchemaReads(fields, contract)));
      }
    }
  });

  it("refuses what the schema refuses, naming the field (INVALID_PROOF_BUNDLE)", () => {
    const bad: [Record<string, unknown>, { chainId: number; contract: string }, string][] = [
      [{ leaf: "0x1234" }, { chainId: 31337, contract: address }, "leaf"],
      [{ proof: ["nope"] }, { chainId: 31337, contract: address }, "proof[0]"],
      [{ proof: Array.from({ length: 65 }, random32) }, { chainId: 31337, contract: address }, "proof"],
      [{ municipalityId: 2 ** 32 }, { chainId: 31337, contract: address }, "municipalityId"],
      [{ blockNumber: 1.5 }, { chainId: 31337, contract: address }, "blockNumber"],
      [{ recordId: "x".repeat(201) }, { chainId: 31337, contract: address }, "recordId"],
      [{}, { chainId: 0, contract: address }, "chainId"],
      [{}, { chainId: 31337, contract: "0x1234" }, "contract"],
    ];
    for (const [change, location, path] of bad) {
      expect(() => proofBundleFor({ ...record, ...change } as typeof record, location), path)
        .to.throw(ProofBundleError)
        .that.satisfies((error: ProofBundleError) => error.code === "INVALID_PROOF_BUNDLE" && error.issues.some((i) => i.path === path));
    }
  });
});
