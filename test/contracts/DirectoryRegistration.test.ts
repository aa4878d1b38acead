import { expect } from "chai";
import { network } from "hardhat";
import DirectoryModule from "../../scripts/ignition/modules/Directory.js";

const { ethers, ignition, networkHelpers } = await network.create();

describe("Directory: officers' names", () => {
  async function fixture() {
    const [nationalAdmin, maeHiaAdmin, officer, stranger, otherAdmin] = await ethers.getSigners();
    const { directory: deployed } = await ignition.deploy(DirectoryModule);
    const directory = await ethers.getContractAt("Directory", await deployed.getAddress());
    await directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", maeHiaAdmin.address);
    await directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", otherAdmin.address);
    return { directory, nationalAdmin, maeHiaAdmin, officer, stranger, otherAdmin };
  }

  it("publishes the name the municipality's admin gives an officer, per municipality", async () => {
    const { directory, maeHiaAdmin, officer } = await networkHelpers.loadFixture(fixture);
    await expect(directory.connect(maeHiaAdmin).setOfficerName(1, officer.address, "นางสาวสมศรี ใจดี (Ms Somsri Jaidee)"))
      .to.emit(directory, "OfficerNamed")
      .withArgs(1, officer.address, "นางสาวสมศรี ใจดี (Ms Somsri Jaidee)");
    expect(await directory.officerName(1, officer.address)).to.equal("นางสาวสมศรี ใจดี (Ms Somsri Jaidee)");
    expect(await directory.officerName(2, officer.address)).to.equal("");
  });

  it("withdraws a name with the empty string", async () => {
    const { directory, maeHiaAdmin, officer } = await networkHelpers.loadFixture(fixture);
    await directory.connect(maeHiaAdmin).setOfficerName(1, officer.address, "Somsri");
    await expect(directory.connect(maeHiaAdmin).setOfficerName(1, officer.address, "")).to.emit(directory, "OfficerNamed").withArgs(1, officer.address, "");
    expect(await directory.officerName(1, officer.address)).to.equal("");
  });

  it("lets only that municipality's admin name its officers", async () => {
    const { directory, nationalAdmin, officer, stranger, otherAdmin } = await networkHelpers.loadFixture(fixture);
    for (const caller of [nationalAdmin, stranger, otherAdmin, officer]) {
      await expect(directory.connect(caller).setOfficerName(1, officer.address, "Impostor"))
        .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
        .withArgs(1, caller.address);
    }
  });

  it("refuses the zero address, a name over 200 bytes, and a suspended municipality", async () => {
    const { directory, maeHiaAdmin, officer } = await networkHelpers.loadFixture(fixture);
    await expect(directory.connect(maeHiaAdmin).setOfficerName(1, ethers.ZeroAddress, "Nobody"))
      .to.be.revertedWithCustomError(directory, "DirectoryInvalidOfficerName")
      .withArgs(ethers.ZeroAddress, "Nobody");
    const long = "ก".repeat(67); // 201 bytes of UTF-8
    await expect(directory.connect(maeHiaAdmin).setOfficerName(1, officer.address, long))
      .to.be.revertedWithCustomError(directory, "DirectoryInvalidOfficerName")
      .withArgs(officer.address, long);
    await directory.connect(maeHiaAdmin).setOfficerName(1, officer.address, "ก".repeat(66) + "xx");
    await directory.suspendMunicipality(1, ethers.ZeroHash);
    await expect(directory.connect(maeHiaAdmin).setOfficerName(1, officer.address, "Somsri"))
      .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
      .withArgs(1);
  });
});

describe("Directory: municipality codes", () => {
  async function fixture() {
    const [nationalAdmin, admin] = await ethers.getSigners();
    const { directory: deployed } = await ignition.deploy(DirectoryModule);
    const directory = await ethers.getContractAt("Directory", await deployed.getAddress());
    return { directory, nationalAdmin, admin };
  }

  it("takes codes of A–Z, 0–9 and dashes, up to 32 characters", async () => {
    const { directory, admin } = await networkHelpers.loadFixture(fixture);
    await expect(directory.addMunicipality("TH-95-YALA", "Yala City Municipality", admin.address)).to.emit(directory, "MunicipalityAdded");
    await expect(directory.addMunicipality("A".repeat(32), "Long", admin.address)).to.emit(directory, "MunicipalityAdded");
  });

  it("refuses a code with a slash (permit numbers begin with the code and a slash), lowercase, spaces, or over 32 characters", async () => {
    const { directory, admin } = await networkHelpers.loadFixture(fixture);
    for (const code of ["TH-50-MAEHIA/X", "th-50-maehia", "TH 50", "A".repeat(33), "TH_50", "ทม-แม่เหียะ"]) {
      await expect(directory.addMunicipality(code, "Name", admin.address))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidMunicipality")
        .withArgs(code, "Name", admin.address);
    }
  });
});

describe("Directory: observers that would refuse its notifications", () => {
  it("refuses a BatchAnchor built for another Directory, which would block every later role change for good", async () => {
    const [nationalAdmin, admin, officer] = await ethers.getSigners();
    const directory = await ethers.deployContract("Directory", [nationalAdmin.address]);
    const otherDirectory = await ethers.deployContract("Directory", [nationalAdmin.address]);
    const foreign = await ethers.deployContract("BatchAnchor", [await otherDirectory.getAddress()]);
    const own = await ethers.deployContract("BatchAnchor", [await directory.getAddress()]);
    await expect(directory.addObserver(await foreign.getAddress()))
      .to.be.revertedWithCustomError(foreign, "BatchAnchorNotDirectory")
      .withArgs(await directory.getAddress());
    expect(await directory.observers()).to.deep.equal([]);
    await expect(directory.addObserver(await own.getAddress())).to.emit(directory, "ObserverAdded").withArgs(await own.getAddress());
    await directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", admin.address);
    await expect(directory.connect(admin).grantRole(1, ethers.id("ENGINEER"), officer.address)).to.emit(directory, "OfficerRoleGranted");
  });
});
