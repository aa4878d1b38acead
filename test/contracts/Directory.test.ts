import { expect } from "chai";
import { network } from "hardhat";
import DirectoryModule from "../../scripts/ignition/modules/Directory.js";
import { ROLES } from "./utils/roles.js";

const { ethers, ignition, networkHelpers } = await network.create();

describe("Directory", () => {
  async function fixture() {
    const [nationalAdmin, maeHiaAdmin, engineer, stranger, otherAdmin] = await ethers.getSigners();
    const { directory: deployed } = await ignition.deploy(DirectoryModule);
    const directory = await ethers.getContractAt("Directory", await deployed.getAddress());
    await directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", maeHiaAdmin.address);
    await directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", otherAdmin.address);
    return { directory, nationalAdmin, maeHiaAdmin, engineer, stranger, otherAdmin };
  }

  describe("municipalities", () => {
    it("makes the deployer the national admin", async () => {
      const { directory, nationalAdmin } = await networkHelpers.loadFixture(fixture);
      expect(await directory.owner()).to.equal(nationalAdmin.address);
    });

    it("adds municipalities with sequential ids and public records", async () => {
      const { directory, maeHiaAdmin, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(directory.addMunicipality("TH-50-NONGHOI", "Nong Hoi", stranger.address))
        .to.emit(directory, "MunicipalityAdded")
        .withArgs(3, "TH-50-NONGHOI", "Nong Hoi", stranger.address);
      expect(await directory.municipalityCount()).to.equal(3);
      expect(await directory.municipalityIdOf("TH-50-MAEHIA")).to.equal(1);
      expect(await directory.municipalityIdOf("nowhere")).to.equal(0);
      const [code, name, admin, suspended] = await directory.municipality(1);
      expect([code, name, admin, suspended]).to.deep.equal([
        "TH-50-MAEHIA",
        "Mae Hia Town Municipality",
        maeHiaAdmin.address,
        false,
      ]);
    });

    it("prevents anyone but the national admin from adding a municipality", async () => {
      const { directory, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(stranger).addMunicipality("X", "X", stranger.address))
        .to.be.revertedWithCustomError(directory, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("never lets the national admin renounce, which would freeze the Directory", async () => {
      const { directory, nationalAdmin, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(directory.renounceOwnership()).to.be.revertedWithCustomError(directory, "DirectoryRenounceDisabled");
      await expect(directory.connect(stranger).renounceOwnership())
        .to.be.revertedWithCustomError(directory, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      expect(await directory.owner()).to.equal(nationalAdmin.address);
    });

    it("rejects empty codes, empty names, a zero admin and duplicate codes", async () => {
      const { directory, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(directory.addMunicipality("", "Name", stranger.address))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidMunicipality")
        .withArgs("", "Name", stranger.address);
      await expect(directory.addMunicipality("C", "", stranger.address))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidMunicipality")
        .withArgs("C", "", stranger.address);
      await expect(directory.addMunicipality("C", "Name", ethers.ZeroAddress))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidMunicipality")
        .withArgs("C", "Name", ethers.ZeroAddress);
      await expect(directory.addMunicipality("TH-50-MAEHIA", "Again", stranger.address))
        .to.be.revertedWithCustomError(directory, "DirectoryDuplicateCode")
        .withArgs("TH-50-MAEHIA");
    });

    it("reverts on unknown municipality ids", async () => {
      const { directory, engineer } = await networkHelpers.loadFixture(fixture);
      for (const id of [0, 3]) {
        await expect(directory.municipality(id))
          .to.be.revertedWithCustomError(directory, "DirectoryUnknownMunicipality")
          .withArgs(id);
        await expect(directory.checkRole(id, ROLES.ENGINEER, engineer.address))
          .to.be.revertedWithCustomError(directory, "DirectoryUnknownMunicipality")
          .withArgs(id);
        expect(await directory.isActive(id)).to.equal(false);
      }
    });
  });

  describe("officer roles", () => {
    it("lets the municipality admin grant and revoke roles, with events", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address))
        .to.emit(directory, "OfficerRoleGranted")
        .withArgs(1, ROLES.ENGINEER, engineer.address, maeHiaAdmin.address);
      expect(await directory.hasRole(1, ROLES.ENGINEER, engineer.address)).to.equal(true);
      await directory.checkRole(1, ROLES.ENGINEER, engineer.address);

      await expect(directory.connect(maeHiaAdmin).revokeRole(1, ROLES.ENGINEER, engineer.address))
        .to.emit(directory, "OfficerRoleRevoked")
        .withArgs(1, ROLES.ENGINEER, engineer.address, maeHiaAdmin.address);
      expect(await directory.hasRole(1, ROLES.ENGINEER, engineer.address)).to.equal(false);
    });

    it("treats granting a held role and revoking a missing one as no-ops without events", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address)).not.to.emit(
        directory,
        "OfficerRoleGranted",
      );
      await expect(directory.connect(maeHiaAdmin).revokeRole(1, ROLES.MAYOR, engineer.address)).not.to.emit(
        directory,
        "OfficerRoleRevoked",
      );
    });

    it("scopes roles to one municipality", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address);
      expect(await directory.hasRole(2, ROLES.ENGINEER, engineer.address)).to.equal(false);
      await expect(directory.checkRole(2, ROLES.ENGINEER, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryUnauthorizedAccount")
        .withArgs(2, ROLES.ENGINEER, engineer.address);
    });

    it("prevents other municipalities' admins, officers and the national admin from granting roles", async () => {
      const { directory, nationalAdmin, otherAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      for (const signer of [otherAdmin, engineer, nationalAdmin]) {
        await expect(directory.connect(signer).grantRole(1, ROLES.ENGINEER, engineer.address))
          .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
          .withArgs(1, signer.address);
      }
      for (const signer of [otherAdmin, engineer]) {
        await expect(directory.connect(signer).revokeRole(1, ROLES.ENGINEER, engineer.address))
          .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
          .withArgs(1, signer.address);
      }
      await expect(directory.revokeRole(3, ROLES.ENGINEER, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryUnknownMunicipality")
        .withArgs(3);
    });

    it("lets the national admin revoke an officer's role in an emergency", async () => {
      const { directory, nationalAdmin, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address);
      await expect(directory.connect(nationalAdmin).revokeRole(1, ROLES.ENGINEER, engineer.address))
        .to.emit(directory, "OfficerRoleRevoked")
        .withArgs(1, ROLES.ENGINEER, engineer.address, nationalAdmin.address);
    });

    it("rejects the zero role and the zero address", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ethers.ZeroHash, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidRoleOrAccount")
        .withArgs(ethers.ZeroHash, engineer.address);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.MAYOR, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidRoleOrAccount")
        .withArgs(ROLES.MAYOR, ethers.ZeroAddress);
    });

    it("accepts either of two roles in checkEitherRole and names the first when neither is held", async () => {
      const { directory, maeHiaAdmin, engineer, stranger } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, engineer.address);
      await directory.checkEitherRole(1, ROLES.PERMIT_OFFICER, ROLES.ANCHOR_SERVICE, engineer.address);
      await directory.checkEitherRole(1, ROLES.ANCHOR_SERVICE, ROLES.PERMIT_OFFICER, engineer.address);
      await expect(directory.checkEitherRole(1, ROLES.PERMIT_OFFICER, ROLES.ANCHOR_SERVICE, stranger.address))
        .to.be.revertedWithCustomError(directory, "DirectoryUnauthorizedAccount")
        .withArgs(1, ROLES.PERMIT_OFFICER, stranger.address);
    });

    it("answers checkAdmin for the admin only", async () => {
      const { directory, maeHiaAdmin, stranger } = await networkHelpers.loadFixture(fixture);
      await directory.checkAdmin(1, maeHiaAdmin.address);
      await expect(directory.checkAdmin(1, stranger.address))
        .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
        .withArgs(1, stranger.address);
    });
  });

  describe("admin hand-over", () => {
    it("lets the current admin or the national admin hand the municipality to a new admin", async () => {
      const { directory, nationalAdmin, maeHiaAdmin, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(maeHiaAdmin).setMunicipalityAdmin(1, stranger.address))
        .to.emit(directory, "MunicipalityAdminChanged")
        .withArgs(1, maeHiaAdmin.address, stranger.address);
      await expect(directory.connect(nationalAdmin).setMunicipalityAdmin(1, maeHiaAdmin.address))
        .to.emit(directory, "MunicipalityAdminChanged")
        .withArgs(1, stranger.address, maeHiaAdmin.address);
    });

    it("prevents others from changing the admin and rejects the zero address", async () => {
      const { directory, maeHiaAdmin, otherAdmin } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(otherAdmin).setMunicipalityAdmin(1, otherAdmin.address))
        .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
        .withArgs(1, otherAdmin.address);
      await expect(directory.connect(maeHiaAdmin).setMunicipalityAdmin(1, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidRoleOrAccount")
        .withArgs(ethers.ZeroHash, ethers.ZeroAddress);
    });
  });

  describe("suspension", () => {
    async function suspendedFixture() {
      const f = await fixture();
      await f.directory.connect(f.maeHiaAdmin).grantRole(1, ROLES.ENGINEER, f.engineer.address);
      const reason = ethers.id("audit finding 2026/14");
      await expect(f.directory.suspendMunicipality(1, reason))
        .to.emit(f.directory, "MunicipalitySuspended")
        .withArgs(1, reason);
      return f;
    }

    it("makes a suspended municipality's officers unable to act anywhere", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(suspendedFixture);
      expect(await directory.isActive(1)).to.equal(false);
      expect(await directory.hasRole(1, ROLES.ENGINEER, engineer.address)).to.equal(false);
      await expect(directory.checkRole(1, ROLES.ENGINEER, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
      await expect(directory.checkEitherRole(1, ROLES.ENGINEER, ROLES.MAYOR, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
      await expect(directory.checkAdmin(1, maeHiaAdmin.address))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.MAYOR, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
      await expect(directory.connect(maeHiaAdmin).setMunicipalityAdmin(1, engineer.address))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
      await expect(directory.suspendMunicipality(1, ethers.ZeroHash))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
    });

    it("still lets the admin revoke a compromised key, so that reinstatement does not bring it back", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(suspendedFixture);
      await expect(directory.connect(maeHiaAdmin).revokeRole(1, ROLES.ENGINEER, engineer.address))
        .to.emit(directory, "OfficerRoleRevoked")
        .withArgs(1, ROLES.ENGINEER, engineer.address, maeHiaAdmin.address);
      await directory.reinstateMunicipality(1);
      expect(await directory.hasRole(1, ROLES.ENGINEER, engineer.address)).to.equal(false);
    });

    it("restores the officers' roles on reinstatement", async () => {
      const { directory, engineer } = await networkHelpers.loadFixture(suspendedFixture);
      await expect(directory.reinstateMunicipality(1)).to.emit(directory, "MunicipalityReinstated").withArgs(1);
      expect(await directory.hasRole(1, ROLES.ENGINEER, engineer.address)).to.equal(true);
      await expect(directory.reinstateMunicipality(1))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalityActive")
        .withArgs(1);
    });

    it("lets only the national admin suspend and reinstate", async () => {
      const { directory, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(maeHiaAdmin).suspendMunicipality(1, ethers.ZeroHash))
        .to.be.revertedWithCustomError(directory, "OwnableUnauthorizedAccount")
        .withArgs(maeHiaAdmin.address);
      await expect(directory.connect(maeHiaAdmin).reinstateMunicipality(1))
        .to.be.revertedWithCustomError(directory, "OwnableUnauthorizedAccount")
        .withArgs(maeHiaAdmin.address);
    });
  });

  describe("role members and the observer", () => {
    async function observedFixture() {
      const f = await fixture();
      const observer = await ethers.deployContract("RecordingDirectoryObserver");
      await expect(f.directory.setObserver(await observer.getAddress()))
        .to.emit(f.directory, "ObserverChanged")
        .withArgs(ethers.ZeroAddress, await observer.getAddress());
      return { ...f, observer };
    }

    it("lists the holders of a role", async () => {
      const { directory, maeHiaAdmin, engineer, stranger } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, stranger.address);
      await directory.connect(maeHiaAdmin).revokeRole(1, ROLES.ENGINEER, engineer.address);
      expect(await directory.roleMembers(1, ROLES.ENGINEER)).to.deep.equal([stranger.address]);
      expect(await directory.roleMembers(2, ROLES.ENGINEER)).to.deep.equal([]);
    });

    it("tells the observer of every grant, revocation, suspension and reinstatement", async () => {
      const { directory, observer, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(observedFixture);
      expect(await directory.observer()).to.equal(await observer.getAddress());
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, engineer.address))
        .to.emit(observer, "RoleChangeObserved")
        .withArgs(1, ROLES.ANCHOR_SERVICE, engineer.address, true);
      await expect(directory.connect(maeHiaAdmin).revokeRole(1, ROLES.ANCHOR_SERVICE, engineer.address))
        .to.emit(observer, "RoleChangeObserved")
        .withArgs(1, ROLES.ANCHOR_SERVICE, engineer.address, false);
      await expect(directory.suspendMunicipality(1, ethers.ZeroHash))
        .to.emit(observer, "StatusChangeObserved")
        .withArgs(1, true);
      await expect(directory.reinstateMunicipality(1)).to.emit(observer, "StatusChangeObserved").withArgs(1, false);
    });

    it("reverts the change when the observer refuses it", async () => {
      const { directory, observer, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(observedFixture);
      await observer.setRefuse(true);
      await expect(
        directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, engineer.address),
      ).to.be.revertedWithCustomError(observer, "ObserverRefused");
      expect(await directory.hasRole(1, ROLES.ANCHOR_SERVICE, engineer.address)).to.equal(false);
      await expect(directory.suspendMunicipality(1, ethers.ZeroHash)).to.be.revertedWithCustomError(
        observer,
        "ObserverRefused",
      );
      expect(await directory.isActive(1)).to.equal(true);
    });

    it("lets only the national admin set the observer", async () => {
      const { directory, stranger } = await networkHelpers.loadFixture(fixture);
      await expect(directory.connect(stranger).setObserver(stranger.address))
        .to.be.revertedWithCustomError(directory, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });
  });
});
