import { expect } from "chai";
import { readFileSync } from "node:fs";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { Interface, Wallet, getAddress, hexlify, randomBytes, sha256, toUtf8Bytes, type FunctionFragment } from "ethers";
import { freeLoopbackPort } from "../../app/server/chain/anvil.js";
import { hashPair, leafOf, rootFromProof } from "../../app/shared/merkleProof.js";
import { PROOF_BUNDLE_FORMAT, type ProofBundle } from "../../app/shared/proofBundle.js";
import { ProofBundleError, parseProofBundle, proofBundleFor } from "../../app/shared/proofBundleFormat.js";
import { BATCH_ANCHOR_ABI, CHECK_NAMES, RpcFailedError, verifyProofBundle } from "../../app/shared/verifyBundle.js";
import { rpcProvider, startAnchoredLedger, type AnchoredLedger } from "./utils/anchoredLedger.js";

/**
 * Proof bundles checked against a real anvil chain (npm start's, with the demo seed): records anchored
 * alone and in a batch of 50 by the demo ledger service key, one of them revoked, every one issued under
 * the demo DOCUMENT_ISSUER's anchored signature.
 */
const random32 = () => hexlify(randomBytes(32));
const failedChecks = (result: { checks: { name: string; ok: boolean }[] }) =>
  result.checks.filter((check) => !check.ok).map((check) => check.name);
const CHAIN_CHECKS = CHECK_NAMES.filter((name) => name !== "document-unchanged");
/** What fails once the issuer's signature no longer recovers (its EIP-712 domain is the bundle's chain and contract). */
const SIGNATURE_CHECKS = ["issuer-signature", "issuance-anchored", "issuer-role", "issuer-key-not-compromised"];
/** The checksummed address with the case of one letter flipped: mixed case, wrong checksum. */
function badChecksum(address: string): string {
  const checksummed = getAddress(address);
  const i = checksummed.slice(2).search(/[a-fA-F]/) + 2;
  const c = checksummed[i];
  return checksummed.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + checksummed.slice(i + 1);
}

describe("Merkle hashing of BatchAnchor records (app/shared/merkleProof.ts)", () => {
  const values = Array.from({ length: 13 }, () => [random32()]);
  const tree = StandardMerkleTree.of(values, ["bytes32"]);

  it("computes the same leaves as StandardMerkleTree over [\"bytes32\"]", () => {
    for (const [value] of values) expect(leafOf(value)).to.equal(tree.leafHash([value]));
  });

  it("follows every proof of an odd-sized tree to the tree's root, as MerkleProof.processProof", () => {
    for (let i = 0; i < values.length; i++) expect(rootFromProof(tree.leafHash(values[i]), tree.getProof(i))).to.equal(tree.root);
  });

  it("hashes pairs in ascending order, whatever their case, and an empty proof gives the leaf", () => {
    const [a, b] = [random32(), random32()];
    expect(hashPair(a, b)).to.equal(hashPair(b.toUpperCase().replace("0X", "0x"), a));
    const leaf = leafOf(random32());
    expect(rootFromProof(leaf, [])).to.equal(leaf);
  });

  it("keeps a BatchAnchor ABI fragment equal to the compiled contract's", () => {
    const compiled = new Interface(JSON.parse(readFileSync("artifacts/contracts/BatchAnchor.sol/BatchAnchor.json", "utf8")).abi);
    const fragment = new Interface(BATCH_ANCHOR_ABI);
    for (const name of ["batch", "verifyRecord"]) {
      const [ours, theirs] = [fragment.getFunction(name)!, compiled.getFunction(name)!] as FunctionFragment[];
      expect(ours.selector).to.equal(theirs.selector);
      expect(ours.outputs.map((o) => o.format("sighash"))).to.deep.equal(theirs.outputs.map((o) => o.format("sighash")));
    }
    for (const name of ["BatchAnchored", "RecordRevoked"]) {
      expect(fragment.getEvent(name)!.format("full")).to.equal(compiled.getEvent(name)!.format("full"));
    }
  });
});

describe("proof bundle format (app/shared/proofBundleFormat.ts)", () => {
  const record = {
    recordId: "rec_1",
    sha256: random32(),
    cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    municipalityId: 1,
    leaf: random32(),
    root: random32(),
    proof: [random32(), random32()],
    txHash: random32(),
    blockNumber: 12,
    anchoredAt: 1_790_000_000,
  };
  const location = { chainId: 31337, contract: Wallet.createRandom().address.toLowerCase() };

  it("builds a bundle from an anchored record that reads back unchanged, the address checksummed", () => {
    const bundle = proofBundleFor(record, location);
    expect(bundle).to.deep.equal({ format: PROOF_BUNDLE_FORMAT, ...record, proof: record.proof, chainId: 31337, contract: getAddress(location.contract) });
    expect(parseProofBundle(JSON.stringify(bundle))).to.deep.equal(bundle);
    const keys = Object.keys(proofBundleFor({ ...record, recordId: null, cid: null }, location));
    expect(keys).to.not.include("recordId");
    expect(keys).to.not.include("cid");
  });

  it("refuses to build a bundle of a record that is not anchored yet (RECORD_NOT_ANCHORED)", () => {
    for (const missing of ["root", "proof", "txHash", "blockNumber", "anchoredAt"]) {
      expect(() => proofBundleFor({ ...record, [missing]: null }, location))
        .to.throw(ProofBundleError)
        .with.property("code", "RECORD_NOT_ANCHORED");
    }
  });

  it("normalizes hashes to lowercase and drops unknown fields", () => {
    const bundle = proofBundleFor(record, location);
    const parsed = parseProofBundle({ ...bundle, root: bundle.root.toUpperCase().replace("0X", "0x"), verdict: "valid" });
    expect(parsed).to.deep.equal(bundle);
  });

  it("names every malformed field (INVALID_PROOF_BUNDLE)", () => {
    const bundle: Record<string, unknown> = { ...proofBundleFor(record, location) };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ sha256: "0x1234" }, ["sha256"]],
      [{ leaf: undefined, root: 7 }, ["leaf", "root"]],
      [{ proof: [random32(), "0xzz"] }, ["proof[1]"]],
      [{ proof: "0x" }, ["proof"]],
      [{ proof: Array.from({ length: 65 }, random32) }, ["proof"]],
      [{ contract: "0x1234" }, ["contract"]],
      [{ contract: badChecksum(location.contract) }, ["contract"]],
      [{ format: "public-service-ledger/proof-bundle@2" }, ["format"]],
      [{ chainId: 0, blockNumber: -1, anchoredAt: 1.5, municipalityId: 2 ** 32 }, ["chainId", "municipalityId", "blockNumber", "anchoredAt"]],
    ];
    for (const [change, paths] of cases) {
      try {
        parseProofBundle({ ...bundle, ...change });
        expect.fail(`accepted ${JSON.stringify(change)}`);
      } catch (error) {
        expect(error).to.be.instanceOf(ProofBundleError);
        expect((error as ProofBundleError).code).to.equal("INVALID_PROOF_BUNDLE");
        expect((error as ProofBundleError).issues.map((issue) => issue.path), JSON.stringify(change)).to.have.members(paths);
      }
    }
    for (const notABundle of ["{not json", "[1,2]", "null", 42]) {
      expect(() => parseProofBundle(notABundle)).to.throw(ProofBundleError).with.property("code", "INVALID_PROOF_BUNDLE");
    }
  });
});

describe("verifyProofBundle against a real chain (app/shared/verifyBundle.ts)", function () {
  this.timeout(120_000);
  let ledger: AnchoredLedger;

  before(async () => {
    ledger = await startAnchoredLedger();
  });
  after(async () => {
    await ledger?.stop();
  });

  const verify = (bundle: ProofBundle, options?: Parameters<typeof verifyProofBundle>[2]) =>
    verifyProofBundle(bundle, ledger.provider, options);

  it("finds a record anchored alone valid, by its bundle and with its bytes", async () => {
    const { bundle, bytes } = ledger.single;
    expect(bundle.proof).to.deep.equal([]);
    const withoutBytes = await verify(bundle);
    expect(withoutBytes.verdict).to.equal("valid");
    expect(withoutBytes.checks.map((check) => check.name)).to.deep.equal(CHAIN_CHECKS);
    expect(failedChecks(withoutBytes)).to.deep.equal([]);
    const withBytes = await verify(bundle, { documentBytes: bytes });
    expect(withBytes.verdict).to.equal("valid");
    expect(withBytes.checks.map((check) => check.name)).to.deep.equal([...CHECK_NAMES]);
  });

  it("finds every record of a batch of 50 valid but the revoked one, which is revoked", async () => {
    for (const [i, { bundle, bytes }] of ledger.batch.entries()) {
      const result = await verify(bundle, { documentBytes: bytes });
      if (i === ledger.revokedIndex) {
        expect(result.verdict).to.equal("revoked");
        expect(failedChecks(result)).to.deep.equal(["not-revoked"]);
        expect(result.checks.find((check) => check.name === "not-revoked")!.detail).to.include("Revoked");
      } else {
        expect(result.verdict, `record ${i}`).to.equal("valid");
        expect(result.checks).to.have.length(CHECK_NAMES.length);
      }
    }
    expect((await verify(ledger.batch[3].bundle)).verdict).to.equal("valid");
  });

  it("says unknown, and which checks failed, for every tampered field", async () => {
    const bundle = ledger.batch[7].bundle;
    const other = ledger.batch[8].bundle;
    const cases: [string, Partial<ProofBundle>, string[]][] = [
      ["wrong leaf", { leaf: other.leaf }, ["leaf-matches-document"]],
      ["another document's sha256", { sha256: other.sha256 }, ["leaf-matches-document", "proof-valid", "not-revoked", "issuance-covers-document"]],
      ["a wrong proof element", { proof: [random32(), ...bundle.proof.slice(1)] }, ["proof-valid", "not-revoked"]],
      ["a shortened proof", { proof: bundle.proof.slice(0, -1) }, ["proof-valid", "not-revoked"]],
      ["a root never anchored", { root: random32() }, ["proof-valid", "root-anchored", "not-revoked", "anchor-event"]],
      ["another root that is anchored", { root: ledger.single.bundle.root }, ["proof-valid", "root-anchored", "not-revoked", "anchor-event"]],
      ["another chain id", { chainId: 1 }, ["chain-id", ...SIGNATURE_CHECKS]],
      ["a contract that is not a BatchAnchor", { contract: ledger.deployment.contracts.directory }, ["root-anchored", "not-revoked", "anchor-event", ...SIGNATURE_CHECKS]],
      ["an address without code", { contract: Wallet.createRandom().address }, ["contract-deployed", "root-anchored", "not-revoked", "anchor-event", ...SIGNATURE_CHECKS]],
      [
        // Roots are scoped by municipality: municipality 2 never anchored this root, so verifyRecord knows no record.
        "another municipality",
        { municipalityId: 2 },
        ["root-anchored", "not-revoked", "anchor-event", "issuance-covers-document", "issuance-anchored", "issuer-role", "issuer-key-not-compromised"],
      ],
      ["the block before", { blockNumber: bundle.blockNumber - 1 }, ["root-anchored", "anchor-block", "anchored-at"]],
      ["a block that does not exist", { blockNumber: bundle.blockNumber + 1000 }, ["root-anchored", "anchor-block", "anchored-at"]],
      ["another transaction (the revocation)", { txHash: ledger.revokeTxHash }, ["anchor-block", "anchor-event"]],
      ["another record's anchor transaction", { txHash: ledger.single.bundle.txHash }, ["anchor-block", "anchor-event"]],
      ["a transaction that does not exist", { txHash: random32() }, ["tx-receipt", "anchor-block", "anchor-event"]],
      ["another time", { anchoredAt: bundle.anchoredAt + 1 }, ["root-anchored", "anchored-at"]],
    ];
    for (const [what, change, failing] of cases) {
      const result = await verify({ ...bundle, ...change });
      expect(result.verdict, what).to.equal("unknown");
      expect(failedChecks(result), what).to.deep.equal(failing);
    }
  });

  it("says unknown for a revoked record whose bundle is also tampered", async () => {
    const revoked = ledger.batch[ledger.revokedIndex].bundle;
    const result = await verify({ ...revoked, chainId: 5 });
    expect(result.verdict).to.equal("unknown");
    expect(failedChecks(result)).to.deep.equal(["chain-id", "not-revoked", ...SIGNATURE_CHECKS]);
  });

  it("says unauthorised when only who issued it fails: no signature, another signer named, another list, another anchor", async () => {
    const bundle = ledger.batch[7].bundle;
    const issuance = bundle.issuance!;
    const cases: [string, ProofBundle, string[]][] = [
      ["no issuance", { ...bundle, issuance: undefined }, ["issuer-signature"]],
      ["another signer named", { ...bundle, issuance: { ...issuance, signer: Wallet.createRandom().address } }, ["issuer-signature", "issuer-role", "issuer-key-not-compromised"]],
      ["the single document's issuance", { ...bundle, issuance: ledger.single.bundle.issuance }, ["issuance-covers-document"]],
      [
        "the signature's anchor moved to another record",
        { ...bundle, issuance: { ...issuance, anchor: { ...issuance.anchor, proof: [random32()] } } },
        ["issuance-anchored", "issuer-role", "issuer-key-not-compromised"],
      ],
    ];
    for (const [what, tampered, failing] of cases) {
      const result = await verify(tampered);
      expect(result.verdict, what).to.equal("unauthorised");
      expect(failedChecks(result), what).to.deep.equal(failing);
    }
    // A record that is not an issued document (a pledge receipt) is asked for no issuer.
    const receipt = await verify({ ...bundle, issuance: undefined }, { withoutIssuer: true });
    expect(receipt.verdict).to.equal("valid");
    expect(receipt.checks.map((check) => check.name)).to.not.include("issuer-signature");
  });

  it("names the issuer of a valid document: its address, role, municipality and the signature's anchor time", async () => {
    const result = await verify(ledger.batch[3].bundle);
    expect(result.issuer).to.deep.include({
      address: ledger.issuer,
      municipalityId: 1,
      role: "DOCUMENT_ISSUER",
      signedAt: ledger.batch[3].bundle.issuance!.anchor.anchoredAt,
    });
  });

  it("reads no field of a bundle in an unknown format", async () => {
    const result = await verify({ ...ledger.single.bundle, format: "public-service-ledger/proof-bundle@2" as typeof PROOF_BUNDLE_FORMAT });
    expect(result).to.deep.equal({
      verdict: "unknown",
      checks: [{ name: "format-known", ok: false, detail: result.checks[0].detail }],
    });
  });

  it("says document changed when the bytes or the hash asked about are not the anchored document's", async () => {
    const { bundle, bytes } = ledger.batch[7];
    const changed = Uint8Array.from(bytes);
    changed[0] ^= 1;
    const byBytes = await verify(bundle, { documentBytes: changed });
    expect(byBytes.verdict).to.equal("unknown");
    expect(failedChecks(byBytes)).to.deep.equal(["document-unchanged"]);
    const byHash = await verify(bundle, { documentSha256: sha256(toUtf8Bytes("another document")) });
    expect(failedChecks(byHash)).to.deep.equal(["document-unchanged"]);
    expect((await verify(bundle, { documentSha256: bundle.sha256.toUpperCase().replace("0X", "0x") })).verdict).to.equal("valid");
  });

  it("gives no verdict when the RPC node does not answer (RpcFailedError)", async () => {
    const dead = rpcProvider(`http://127.0.0.1:${await freeLoopbackPort()}`);
    try {
      await verifyProofBundle(ledger.single.bundle, dead);
      expect.fail("verified without a node");
    } catch (error) {
      expect(error).to.be.instanceOf(RpcFailedError);
      expect((error as RpcFailedError).code).to.equal("RPC_FAILED");
    } finally {
      dead.destroy();
    }
  });
});
