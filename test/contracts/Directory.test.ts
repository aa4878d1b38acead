import { expect } from "chai";
import { network } from "hardhat";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import DirectoryModule from "../../scripts/ignition/modules/Directory.js";
import { ROLES } from "./utils/roles.js";

const { ethers, ignition, networkHelpers } = await network.create();
const { time } = networkHelpers;
const DAY = 24n * 60n * 60n;

/** The timestamp of the block that mined `tx`. */
async function timeOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
}

/** Sends the transactions into a single block, so that they share its timestamp. */
async function inOneBlock(...sends: (() => Promise<ContractTransactionResponse>)[]): Promise<ContractTransactionReceipt[]> {
  await ethers.provider.send("evm_setAutomine", [false]);
  try {
    const sent: ContractTransactionResponse[] = [];
    for (const send of sends) sent.push(await send());
    await networkHelpers.mine();
    return (await Promise.all(sent.map((tx) => tx.wait()))).map((receipt) => receipt!);
  } finally {
    await ethers.provider.send("evm_setAutomine", [true]);
  }
}

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

  describe("role members and observers", () => {
    async function observedFixture() {
      const f = await fixture();
      const observer = await ethers.deployContract("RecordingDirectoryObserver");
      await expect(f.directory.addObserver(await observer.getAddress()))
        .to.emit(f.directory, "ObserverAdded")
        .withArgs(await observer.getAddress());
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
      expect(await directory.isObserver(await observer.getAddress())).to.equal(true);
      expect(await directory.observers()).to.deep.equal([await observer.getAddress()]);
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

    it("tells every observer, and lists them in the order they were added", async () => {
      const { directory, observer, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(observedFixture);
      const second = await ethers.deployContract("RecordingDirectoryObserver");
      await directory.addObserver(await second.getAddress());
      expect(await directory.observers()).to.deep.equal([await observer.getAddress(), await second.getAddress()]);
      const grant = directory.connect(maeHiaAdmin).grantRole(1, ROLES.ENGINEER, engineer.address);
      for (const told of [observer, second]) {
        await expect(grant).to.emit(told, "RoleChangeObserved").withArgs(1, ROLES.ENGINEER, engineer.address, true);
      }
      const suspension = directory.suspendMunicipality(1, ethers.ZeroHash);
      for (const told of [observer, second]) {
        await expect(suspension).to.emit(told, "StatusChangeObserved").withArgs(1, true);
      }
    });

    it("reverts the change when an observer refuses it", async () => {
      const { directory, observer, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(observedFixture);
      const second = await ethers.deployContract("RecordingDirectoryObserver");
      await directory.addObserver(await second.getAddress());
      // The second observer refuses: what the first was told is undone with the change.
      await second.setRefuse(true);
      await expect(
        directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, engineer.address),
      ).to.be.revertedWithCustomError(second, "ObserverRefused");
      expect(await directory.hasRole(1, ROLES.ANCHOR_SERVICE, engineer.address)).to.equal(false);
      expect(await directory.roleHistory(1, ROLES.ANCHOR_SERVICE, engineer.address)).to.deep.equal([]);
      await expect(directory.suspendMunicipality(1, ethers.ZeroHash)).to.be.revertedWithCustomError(
        second,
        "ObserverRefused",
      );
      expect(await directory.isActive(1)).to.equal(true);
      await second.setRefuse(false);
      await observer.setRefuse(true);
      await expect(directory.suspendMunicipality(1, ethers.ZeroHash)).to.be.revertedWithCustomError(
        observer,
        "ObserverRefused",
      );
    });

    it("never adds the same observer twice", async () => {
      const { directory, observer } = await networkHelpers.loadFixture(observedFixture);
      await expect(directory.addObserver(await observer.getAddress()))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidObserver")
        .withArgs(await observer.getAddress(), 4);
      expect(await directory.observers()).to.deep.equal([await observer.getAddress()]);
    });

    it("rejects the zero address and an address without code as an observer", async () => {
      const { directory, stranger } = await networkHelpers.loadFixture(fixture);
      // An observer is never removed, and a call to an account without code reverts: such an observer would
      // freeze every later grant, revocation and suspension for good.
      for (const account of [ethers.ZeroAddress, stranger.address]) {
        await expect(directory.addObserver(account))
          .to.be.revertedWithCustomError(directory, "DirectoryInvalidObserver")
          .withArgs(account, 4);
      }
      expect(await directory.observers()).to.deep.equal([]);
      expect(await directory.isObserver(stranger.address)).to.equal(false);
    });

    it("accepts at most MAX_OBSERVERS observers", async () => {
      const { directory } = await networkHelpers.loadFixture(fixture);
      expect(await directory.MAX_OBSERVERS()).to.equal(4n);
      const added: string[] = [];
      for (let i = 0; i < 4; i++) {
        const observer = await ethers.deployContract("RecordingDirectoryObserver");
        added.push(await observer.getAddress());
        await expect(directory.addObserver(added[i])).to.emit(directory, "ObserverAdded").withArgs(added[i]);
      }
      const fifth = await ethers.deployContract("RecordingDirectoryObserver");
      await expect(directory.addObserver(await fifth.getAddress()))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidObserver")
        .withArgs(await fifth.getAddress(), 4);
      expect(await directory.observers()).to.deep.equal(added);
      expect(await directory.isObserver(await fifth.getAddress())).to.equal(false);
    });

    it("lets only the national admin add an observer", async () => {
      const { directory, maeHiaAdmin, stranger } = await networkHelpers.loadFixture(fixture);
      const observer = await ethers.deployContract("RecordingDirectoryObserver");
      for (const signer of [stranger, maeHiaAdmin]) {
        await expect(directory.connect(signer).addObserver(await observer.getAddress()))
          .to.be.revertedWithCustomError(directory, "OwnableUnauthorizedAccount")
          .withArgs(signer.address);
      }
      expect(await directory.isObserver(await observer.getAddress())).to.equal(false);
    });
  });

  describe("anchoring keys", () => {
    it("caps the holders of ANCHOR_SERVICE in a municipality at MAX_ANCHOR_SERVICE_HOLDERS", async () => {
      const { directory, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      expect(await directory.MAX_ANCHOR_SERVICE_HOLDERS()).to.equal(4n);
      const signers = await ethers.getSigners();
      const keys = signers.slice(10, 15).map((s) => s.address);
      for (const key of keys.slice(0, 4)) await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, key);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, keys[4]))
        .to.be.revertedWithCustomError(directory, "DirectoryTooManyHolders")
        .withArgs(1, ROLES.ANCHOR_SERVICE, 4);
      // Granting a key it already holds is still a no-op, not an error.
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, keys[0])).not.to.emit(
        directory,
        "OfficerRoleGranted",
      );
      expect(await directory.roleMembers(1, ROLES.ANCHOR_SERVICE)).to.deep.equal(keys.slice(0, 4));
    });

    it("frees a place when a key is revoked, and counts each municipality apart", async () => {
      const { directory, maeHiaAdmin, otherAdmin } = await networkHelpers.loadFixture(fixture);
      const keys = (await ethers.getSigners()).slice(10, 15).map((s) => s.address);
      for (const key of keys.slice(0, 4)) await directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, key);
      await directory.connect(maeHiaAdmin).revokeRole(1, ROLES.ANCHOR_SERVICE, keys[0]);
      await expect(directory.connect(maeHiaAdmin).grantRole(1, ROLES.ANCHOR_SERVICE, keys[4]))
        .to.emit(directory, "OfficerRoleGranted")
        .withArgs(1, ROLES.ANCHOR_SERVICE, keys[4], maeHiaAdmin.address);
      await expect(directory.connect(otherAdmin).grantRole(2, ROLES.ANCHOR_SERVICE, keys[0]))
        .to.emit(directory, "OfficerRoleGranted")
        .withArgs(2, ROLES.ANCHOR_SERVICE, keys[0], otherAdmin.address);
    });

    it("does not cap other roles", async () => {
      const { directory, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      const keys = (await ethers.getSigners()).slice(10, 16).map((s) => s.address);
      for (const key of keys) await directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, key);
      expect(await directory.roleMembers(1, ROLES.DOCUMENT_ISSUER)).to.have.length(6);
    });
  });

  describe("role history", () => {
    it("records each grant and revocation with its block time, and answers roleHeldAt from it", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      const granted = await timeOf(directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address));
      await time.increase(100);
      const revoked = await timeOf(directory.connect(maeHiaAdmin).revokeRole(1, ROLES.DOCUMENT_ISSUER, engineer.address));
      await time.increase(100);
      const regranted = await timeOf(
        directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address),
      );
      expect(await directory.roleHistory(1, ROLES.DOCUMENT_ISSUER, engineer.address)).to.deep.equal([
        granted,
        revoked,
        regranted,
      ]);
      const heldAt = (t: bigint) => directory.roleHeldAt(1, ROLES.DOCUMENT_ISSUER, engineer.address, t);
      expect(await heldAt(0n)).to.equal(false);
      expect(await heldAt(granted - 1n)).to.equal(false);
      expect(await heldAt(granted)).to.equal(true);
      expect(await heldAt(revoked - 1n)).to.equal(true);
      expect(await heldAt(revoked)).to.equal(false);
      expect(await heldAt(regranted - 1n)).to.equal(false);
      expect(await heldAt(regranted)).to.equal(true);
      expect(await heldAt(2n ** 64n - 1n)).to.equal(true);
    });

    it("answers false with an empty history before any grant, and keeps roles and municipalities apart", async () => {
      const { directory, maeHiaAdmin, engineer, stranger } = await networkHelpers.loadFixture(fixture);
      expect(await directory.roleHistory(1, ROLES.DOCUMENT_ISSUER, engineer.address)).to.deep.equal([]);
      expect(await directory.roleHeldAt(1, ROLES.DOCUMENT_ISSUER, engineer.address, await time.latest())).to.equal(false);
      const granted = await timeOf(directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address));
      for (const [id, role, account] of [
        [2, ROLES.DOCUMENT_ISSUER, engineer.address],
        [1, ROLES.ENGINEER, engineer.address],
        [1, ROLES.DOCUMENT_ISSUER, stranger.address],
        [3, ROLES.DOCUMENT_ISSUER, engineer.address],
      ] as const) {
        expect(await directory.roleHistory(id, role, account)).to.deep.equal([]);
        expect(await directory.roleHeldAt(id, role, account, granted)).to.equal(false);
      }
    });

    it("records nothing for a no-op grant or revocation", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).revokeRole(1, ROLES.DOCUMENT_ISSUER, engineer.address);
      const granted = await timeOf(directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address));
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address);
      expect(await directory.roleHistory(1, ROLES.DOCUMENT_ISSUER, engineer.address)).to.deep.equal([granted]);
    });

    it("holds a role granted and revoked in the same second as not held at that second", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      const [grant, revoke] = await inOneBlock(
        () => directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address, { gasLimit: 500_000 }),
        () => directory.connect(maeHiaAdmin).revokeRole(1, ROLES.DOCUMENT_ISSUER, engineer.address, { gasLimit: 500_000 }),
      );
      expect(grant.blockNumber).to.equal(revoke.blockNumber);
      const at = BigInt((await ethers.provider.getBlock(grant.blockNumber))!.timestamp);
      expect(await directory.roleHistory(1, ROLES.DOCUMENT_ISSUER, engineer.address)).to.deep.equal([at, at]);
      expect(await directory.roleHeldAt(1, ROLES.DOCUMENT_ISSUER, engineer.address, at - 1n)).to.equal(false);
      expect(await directory.roleHeldAt(1, ROLES.DOCUMENT_ISSUER, engineer.address, at)).to.equal(false);
      expect(await directory.roleHeldAt(1, ROLES.DOCUMENT_ISSUER, engineer.address, at + 1n)).to.equal(false);
    });

    it("records a revocation made while the municipality is suspended", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      const granted = await timeOf(directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address));
      await directory.suspendMunicipality(1, ethers.ZeroHash);
      const revoked = await timeOf(directory.revokeRole(1, ROLES.DOCUMENT_ISSUER, engineer.address));
      expect(await directory.roleHistory(1, ROLES.DOCUMENT_ISSUER, engineer.address)).to.deep.equal([granted, revoked]);
      expect(await directory.roleHeldAt(1, ROLES.DOCUMENT_ISSUER, engineer.address, revoked)).to.equal(false);
    });
  });

  describe("compromised keys", () => {
    it("lets the municipality admin mark a key compromised from a past time on, with an event", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await directory.connect(maeHiaAdmin).grantRole(1, ROLES.DOCUMENT_ISSUER, engineer.address);
      expect(await directory.compromisedSince(1, engineer.address)).to.equal(0n);
      const since = BigInt(await time.latest()) - 7n * DAY;
      await expect(directory.connect(maeHiaAdmin).markKeyCompromised(1, engineer.address, since))
        .to.emit(directory, "KeyCompromised")
        .withArgs(1, engineer.address, since, maeHiaAdmin.address);
      expect(await directory.compromisedSince(1, engineer.address)).to.equal(since);
      expect(await directory.compromisedSince(2, engineer.address)).to.equal(0n);
      // Marking does not revoke: the admin revokes the roles too.
      expect(await directory.hasRole(1, ROLES.DOCUMENT_ISSUER, engineer.address)).to.equal(true);
    });

    it("accepts the current second and lets the national admin mark too", async () => {
      const { directory, nationalAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      const now = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(now);
      await expect(directory.connect(nationalAdmin).markKeyCompromised(2, engineer.address, now))
        .to.emit(directory, "KeyCompromised")
        .withArgs(2, engineer.address, now, nationalAdmin.address);
    });

    it("moves a mark only earlier", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      const first = BigInt(await time.latest()) - 100n;
      await directory.connect(maeHiaAdmin).markKeyCompromised(1, engineer.address, first);
      for (const since of [first, first + 1n]) {
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        await expect(directory.connect(maeHiaAdmin).markKeyCompromised(1, engineer.address, since))
          .to.be.revertedWithCustomError(directory, "DirectoryInvalidCompromise")
          .withArgs(1, engineer.address, since, first, now);
      }
      await expect(directory.connect(maeHiaAdmin).markKeyCompromised(1, engineer.address, first - 1n))
        .to.emit(directory, "KeyCompromised")
        .withArgs(1, engineer.address, first - 1n, maeHiaAdmin.address);
      expect(await directory.compromisedSince(1, engineer.address)).to.equal(first - 1n);
    });

    it("rejects a time still to come, time zero and the zero address", async () => {
      const { directory, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      for (const [account, since] of [
        [engineer.address, "future"],
        [engineer.address, 0n],
        [ethers.ZeroAddress, "past"],
      ] as const) {
        const now = BigInt(await time.latest()) + 10n;
        const value = since === "future" ? now + 1n : since === "past" ? now - 1n : since;
        await time.setNextBlockTimestamp(now);
        await expect(directory.connect(maeHiaAdmin).markKeyCompromised(1, account, value))
          .to.be.revertedWithCustomError(directory, "DirectoryInvalidCompromise")
          .withArgs(1, account, value, 0, now);
      }
    });

    it("lets only the municipality's admin or the national admin mark a key", async () => {
      const { directory, otherAdmin, engineer, stranger } = await networkHelpers.loadFixture(fixture);
      const since = BigInt(await time.latest());
      for (const signer of [otherAdmin, engineer, stranger]) {
        await expect(directory.connect(signer).markKeyCompromised(1, engineer.address, since))
          .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
          .withArgs(1, signer.address);
      }
      await expect(directory.markKeyCompromised(3, engineer.address, since))
        .to.be.revertedWithCustomError(directory, "DirectoryUnknownMunicipality")
        .withArgs(3);
    });

    it("still lets the admins mark a key while the municipality is suspended", async () => {
      const { directory, nationalAdmin, maeHiaAdmin, engineer } = await networkHelpers.loadFixture(fixture);
      await directory.suspendMunicipality(1, ethers.ZeroHash);
      const since = BigInt(await time.latest()) - 60n;
      await expect(directory.connect(maeHiaAdmin).markKeyCompromised(1, engineer.address, since))
        .to.emit(directory, "KeyCompromised")
        .withArgs(1, engineer.address, since, maeHiaAdmin.address);
      await expect(directory.connect(nationalAdmin).markKeyCompromised(1, engineer.address, since - 60n))
        .to.emit(directory, "KeyCompromised")
        .withArgs(1, engineer.address, since - 60n, nationalAdmin.address);
    });
  });

  describe("profiles", () => {
    const DIGEST = `0x${"ab".repeat(32)}`;
    const CID = "bafkreif2pall7dybz7vecqka3zo24irdwabwdi4wc55jznaq75q7eaavvu";

    it("lets the municipality admin publish its profile, with an event and the time", async () => {
      const { directory, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      expect(await directory.profileOf(1)).to.deep.equal([ethers.ZeroHash, 0n]);
      const published = directory.connect(maeHiaAdmin).publishProfile(1, DIGEST, CID);
      await expect(published).to.emit(directory, "MunicipalityProfilePublished").withArgs(1, DIGEST, CID, maeHiaAdmin.address);
      const at = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      expect(await directory.profileOf(1)).to.deep.equal([DIGEST, at]);
      expect(await directory.profileOf(2)).to.deep.equal([ethers.ZeroHash, 0n]);
    });

    it("prevents anyone but that municipality's admin, and a suspended municipality, from publishing", async () => {
      const { directory, nationalAdmin, maeHiaAdmin, otherAdmin, stranger } = await networkHelpers.loadFixture(fixture);
      for (const signer of [nationalAdmin, otherAdmin, stranger]) {
        await expect(directory.connect(signer).publishProfile(1, DIGEST, CID))
          .to.be.revertedWithCustomError(directory, "DirectoryNotMunicipalityAdmin")
          .withArgs(1, signer.address);
      }
      await directory.suspendMunicipality(1, ethers.ZeroHash);
      await expect(directory.connect(maeHiaAdmin).publishProfile(1, DIGEST, CID))
        .to.be.revertedWithCustomError(directory, "DirectoryMunicipalitySuspended")
        .withArgs(1);
    });

    it("rejects a zero digest and an empty or overlong CID", async () => {
      const { directory, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      const admin = directory.connect(maeHiaAdmin);
      await expect(admin.publishProfile(1, ethers.ZeroHash, CID))
        .to.be.revertedWithCustomError(directory, "DirectoryInvalidProfile")
        .withArgs(1, ethers.ZeroHash, CID);
      await expect(admin.publishProfile(1, DIGEST, "")).to.be.revertedWithCustomError(directory, "DirectoryInvalidProfile").withArgs(1, DIGEST, "");
      const long = "b".repeat(129);
      await expect(admin.publishProfile(1, DIGEST, long)).to.be.revertedWithCustomError(directory, "DirectoryInvalidProfile").withArgs(1, DIGEST, long);
      await expect(admin.publishProfile(1, DIGEST, "b".repeat(128))).to.emit(directory, "MunicipalityProfilePublished");
    });
  });
});
