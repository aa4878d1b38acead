import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();

describe("DocumentStoreReference (the gas yardstick)", () => {
  async function fixture() {
    const [owner, stranger] = await ethers.getSigners();
    const store = await ethers.deployContract("DocumentStoreReference");
    return { store, owner, stranger };
  }

  it("issues a document once, for the owner only, as OpenAttestation's DocumentStore does", async () => {
    const { store, stranger } = await networkHelpers.loadFixture(fixture);
    const document = ethers.id("certificate.pdf");
    await expect(store.issue(document)).to.emit(store, "DocumentIssued").withArgs(document);
    expect(await store.documentIssued(document)).to.equal(await ethers.provider.getBlockNumber());
    await expect(store.issue(document))
      .to.be.revertedWithCustomError(store, "DocumentStoreReferenceAlreadyIssued")
      .withArgs(document);
    await expect(store.connect(stranger).issue(ethers.id("other")))
      .to.be.revertedWithCustomError(store, "OwnableUnauthorizedAccount")
      .withArgs(stranger.address);
  });
});
