import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();

/** The gas yardsticks of docs/gas.md behave as OpenAttestation's DocumentStore does, so their `issue` is a fair measure. */
describe("DocumentStoreReference (OpenAttestation's current DocumentStore, the gas yardstick)", () => {
  async function fixture() {
    const [owner, stranger] = await ethers.getSigners();
    const store = await ethers.deployContract("DocumentStoreReference", ["Mae Hia certificates", owner.address]);
    return { store, owner, stranger };
  }

  it("issues a single document as a root, once, for an issuer only", async () => {
    const { store, stranger } = await networkHelpers.loadFixture(fixture);
    expect(await store.name()).to.equal("Mae Hia certificates");
    const document = ethers.id("certificate.pdf");
    expect(await store["isIssued(bytes32)"](document)).to.equal(false);
    await expect(store.issue(document)).to.emit(store, "DocumentIssued").withArgs(document);
    expect(await store["isIssued(bytes32)"](document)).to.equal(true);
    expect(await store["isActive(bytes32)"](document)).to.equal(true);
    await expect(store.issue(document)).to.be.revertedWithCustomError(store, "DocumentExists").withArgs(document);
    await expect(store.issue(ethers.ZeroHash)).to.be.revertedWithCustomError(store, "ZeroDocument");
    await expect(store.connect(stranger).issue(ethers.id("other")))
      .to.be.revertedWithCustomError(store, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, await store.ISSUER_ROLE());
  });

  it("revokes a document of a batch by its proof, or a single document, for a revoker only", async () => {
    const { store, stranger } = await networkHelpers.loadFixture(fixture);
    const tree = StandardMerkleTree.of([[ethers.id("a")], [ethers.id("b")], [ethers.id("c")]], ["bytes32"]);
    const leaf = tree.leafHash([ethers.id("b")]);
    const proof = tree.getProof([ethers.id("b")]);
    await expect(store["isRevoked(bytes32)"](tree.root)).to.be.revertedWithCustomError(store, "DocumentNotIssued");
    await expect(store["isActive(bytes32)"](tree.root)).to.be.revertedWithCustomError(store, "DocumentNotIssued");
    await store.issue(tree.root);
    expect(await store["isIssued(bytes32,bytes32,bytes32[])"](tree.root, leaf, proof)).to.equal(true);
    await expect(store["isIssued(bytes32,bytes32,bytes32[])"](tree.root, leaf, []))
      .to.be.revertedWithCustomError(store, "InvalidDocument")
      .withArgs(tree.root, leaf);
    await expect(store.connect(stranger)["revoke(bytes32,bytes32,bytes32[])"](tree.root, leaf, proof))
      .to.be.revertedWithCustomError(store, "AccessControlUnauthorizedAccount")
      .withArgs(stranger.address, await store.REVOKER_ROLE());
    await expect(store["revoke(bytes32,bytes32,bytes32[])"](tree.root, leaf, proof))
      .to.emit(store, "DocumentRevoked")
      .withArgs(tree.root, leaf);
    expect(await store["isRevoked(bytes32,bytes32,bytes32[])"](tree.root, leaf, proof)).to.equal(true);
    expect(await store["isActive(bytes32,bytes32,bytes32[])"](tree.root, leaf, proof)).to.equal(false);
    expect(await store["isRevoked(bytes32)"](tree.root)).to.equal(false);
    await expect(store["revoke(bytes32,bytes32,bytes32[])"](tree.root, leaf, proof))
      .to.be.revertedWithCustomError(store, "InactiveDocument")
      .withArgs(tree.root, leaf);
    await expect(store["revoke(bytes32)"](tree.root)).to.emit(store, "DocumentRevoked").withArgs(tree.root, tree.root);
    expect(await store["isRevoked(bytes32)"](tree.root)).to.equal(true);
  });

  it("needs an admin to name its issuer", async () => {
    await expect(ethers.deployContract("DocumentStoreReference", ["x", ethers.ZeroAddress])).to.be.revertedWith("Owner is zero");
  });
});

describe("DocumentStoreLegacyReference (OpenAttestation's DocumentStore 2.x, the second yardstick)", () => {
  async function fixture() {
    const [owner, stranger] = await ethers.getSigners();
    const store = await ethers.deployContract("DocumentStoreLegacyReference", ["Mae Hia certificates"]);
    return { store, owner, stranger };
  }

  it("issues a document once, for the owner only, and dates it by block", async () => {
    const { store, stranger } = await networkHelpers.loadFixture(fixture);
    expect([await store.name(), await store.version()]).to.deep.equal(["Mae Hia certificates", "2.3.0"]);
    const document = ethers.id("certificate.pdf");
    await expect(store.getIssuedBlock(document)).to.be.revertedWith("Error: Only issued document hashes can be revoked");
    await expect(store.issue(document)).to.emit(store, "DocumentIssued").withArgs(document);
    const block = await ethers.provider.getBlockNumber();
    expect(await store.documentIssued(document)).to.equal(block);
    expect(await store.getIssuedBlock(document)).to.equal(block);
    expect([await store.isIssuedBefore(document, block), await store.isIssuedBefore(document, block - 1)]).to.deep.equal([true, false]);
    await expect(store.issue(document)).to.be.revertedWith("Error: Only hashes that have not been issued can be issued");
    await expect(store.connect(stranger).issue(ethers.id("other")))
      .to.be.revertedWithCustomError(store, "OwnableUnauthorizedAccount")
      .withArgs(stranger.address);
    await store.bulkIssue([ethers.id("x"), ethers.id("y")]);
    expect(await store.isIssued(ethers.id("y"))).to.equal(true);
  });

  it("revokes a document once, alone or in bulk", async () => {
    const { store } = await networkHelpers.loadFixture(fixture);
    const document = ethers.id("certificate.pdf");
    await expect(store.revoke(document)).to.emit(store, "DocumentRevoked").withArgs(document);
    const block = await ethers.provider.getBlockNumber();
    expect([await store.isRevoked(document), await store.documentRevoked(document)]).to.deep.equal([true, BigInt(block)]);
    expect([await store.isRevokedBefore(document, block), await store.isRevokedBefore(document, block - 1)]).to.deep.equal([true, false]);
    await expect(store.revoke(document)).to.be.revertedWith("Error: Hash has been revoked previously");
    await store.bulkRevoke([ethers.id("x"), ethers.id("y")]);
    expect(await store.isRevoked(ethers.id("x"))).to.equal(true);
  });
});
