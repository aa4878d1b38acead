import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Signature, TypedDataEncoder, id, recoverAddress } from "ethers";
import { PERMIT_REGISTRY_TYPES, permitRegistryDomain } from "../../app/shared/typedData.js";
import PermitRegistryModule from "../../scripts/ignition/modules/PermitRegistry.js";
import { ROLES } from "./utils/roles.js";

const { ethers, ignition, networkHelpers } = await network.create();
const { time } = networkHelpers;

/** PermitRegistry.PermitState, Decision and Verdict, in declaration order. */
const State = { None: 0, Applied: 1, UnderReview: 2, Approved: 3, Rejected: 4, Issued: 5, Revoked: 6 } as const;
const Decision = { None: 0, Approve: 1, Reject: 2 } as const;
const Verdict = { Unknown: 0, Valid: 1, Revoked: 2, Superseded: 3, Expired: 4 } as const;

const MAEHIA = 1;
const SUTHEP = 2;
const BUILDING = id("BUILDING_PERMIT");
const HEALTH = id("HEALTH_HAZARD_LICENCE");
const BUILDING_CHAIN = [ROLES.ENGINEER, ROLES.DIRECTOR, ROLES.MAYOR];
const HEALTH_CHAIN = [ROLES.HEALTH_OFFICER, ROLES.DIRECTOR];
const NUMBER = "TH-50-MAEHIA/BP/2026/0001";
const PERMIT_ID = id(NUMBER);
const DOCS = [id("site plan.pdf"), id("structural calculation.pdf")];
const COMMITMENT = id("salt:applicant national id");
const CERT = id("certificate v1.pdf");
const CERT2 = id("certificate v2.pdf");
const CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const CID2 = "bafkreidivzimqfqtoqxkrpge6bjyhlvxqs3rhe73owtmdulaxr5do5in7u";
const NOTE = id("engineer's review note");
const REASON = id("amendment order 2026/7");
const DAY = 24n * 60n * 60n;

describe("PermitRegistry", () => {
  async function fixture() {
    const [
      nationalAdmin,
      maeHiaAdmin,
      suthepAdmin,
      permitOfficer,
      anchorService,
      engineer,
      director,
      mayor,
      healthOfficer,
      relayer,
      stranger,
      suthepOfficer,
    ] = await ethers.getSigners();
    const deployed = await ignition.deploy(PermitRegistryModule);
    const directory = await ethers.getContractAt("Directory", await deployed.directory.getAddress());
    const registry = await ethers.getContractAt("PermitRegistry", await deployed.permitRegistry.getAddress());
    await directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", maeHiaAdmin.address);
    await directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", suthepAdmin.address);
    const grants: [HardhatEthersSigner, string][] = [
      [permitOfficer, ROLES.PERMIT_OFFICER],
      [anchorService, ROLES.ANCHOR_SERVICE],
      [engineer, ROLES.ENGINEER],
      [director, ROLES.DIRECTOR],
      [mayor, ROLES.MAYOR],
      [healthOfficer, ROLES.HEALTH_OFFICER],
    ];
    for (const [signer, role] of grants) await directory.connect(maeHiaAdmin).grantRole(MAEHIA, role, signer.address);
    // The same roles in the neighbouring municipality must not count in Mae Hia.
    for (const role of [ROLES.PERMIT_OFFICER, ROLES.ENGINEER, ROLES.DIRECTOR, ROLES.MAYOR]) {
      await directory.connect(suthepAdmin).grantRole(SUTHEP, role, suthepOfficer.address);
    }
    await registry.connect(maeHiaAdmin).definePermitType(MAEHIA, BUILDING, BUILDING_CHAIN, 365);
    await registry.connect(maeHiaAdmin).definePermitType(MAEHIA, HEALTH, HEALTH_CHAIN, 0);
    await registry.connect(suthepAdmin).definePermitType(SUTHEP, BUILDING, BUILDING_CHAIN, 365);

    const { chainId } = await ethers.provider.getNetwork();
    const domain = permitRegistryDomain(chainId, await registry.getAddress());

    async function deadlineIn(seconds: bigint): Promise<bigint> {
      return BigInt(await time.latest()) + seconds;
    }

    async function signDecision(
      signer: HardhatEthersSigner,
      permitId: string,
      stepIndex: number,
      decision: number,
      opts: { role?: string; nonce?: bigint; deadline?: bigint; noteHash?: string } = {},
    ) {
      const value = {
        permitId,
        stepIndex,
        role: opts.role ?? BUILDING_CHAIN[stepIndex] ?? ethers.ZeroHash,
        decision,
        noteHash: opts.noteHash ?? NOTE,
        nonce: opts.nonce ?? (await registry.nonces(signer.address)),
        deadline: opts.deadline ?? (await deadlineIn(3600n)),
      };
      const signature = await signer.signTypedData(domain, { StepDecision: PERMIT_REGISTRY_TYPES.StepDecision }, value);
      return { ...value, signature };
    }

    /** The officer signs, the relayer submits: the officer never pays gas. */
    async function decide(signer: HardhatEthersSigner, permitId: string, stepIndex: number, decision: number, role?: string) {
      const s = await signDecision(signer, permitId, stepIndex, decision, { role });
      return registry
        .connect(relayer)
        .decide(permitId, stepIndex, decision, s.noteHash, signer.address, s.deadline, s.signature);
    }

    async function signCompletion(
      signer: HardhatEthersSigner,
      permitId: string,
      opts: { nonce?: bigint; deadline?: bigint } = {},
    ) {
      const value = {
        permitId,
        documentCount: BigInt((await registry.documents(permitId)).length),
        nonce: opts.nonce ?? (await registry.nonces(signer.address)),
        deadline: opts.deadline ?? (await deadlineIn(3600n)),
      };
      return { ...value, signature: await signer.signTypedData(domain, { Completion: PERMIT_REGISTRY_TYPES.Completion }, value) };
    }

    /** The permit officer signs the completion, the relayer submits it. */
    async function complete(permitId: string, signer: HardhatEthersSigner = permitOfficer) {
      const s = await signCompletion(signer, permitId);
      return registry.connect(relayer).markComplete(permitId, signer.address, s.deadline, s.signature);
    }

    async function signIssuance(
      signer: HardhatEthersSigner,
      permitId: string,
      certificateHash: string,
      cid: string,
      opts: { nonce?: bigint; deadline?: bigint } = {},
    ) {
      const value = {
        permitId,
        certificateHash,
        cid,
        nonce: opts.nonce ?? (await registry.nonces(signer.address)),
        deadline: opts.deadline ?? (await deadlineIn(3600n)),
      };
      return { ...value, signature: await signer.signTypedData(domain, { Issuance: PERMIT_REGISTRY_TYPES.Issuance }, value) };
    }

    /** The permit officer signs the certificate hash and CID, the relayer submits them. */
    async function issue(permitId: string, certificateHash: string, cid: string, signer: HardhatEthersSigner = permitOfficer) {
      const s = await signIssuance(signer, permitId, certificateHash, cid);
      return registry.connect(relayer).issue(permitId, certificateHash, cid, signer.address, s.deadline, s.signature);
    }

    async function signAmendment(
      signer: HardhatEthersSigner,
      permitId: string,
      certificateHash: string,
      deadline?: bigint,
      cid: string = CID2,
    ) {
      const value = {
        permitId,
        certificateHash,
        cid,
        reasonHash: REASON,
        nonce: await registry.nonces(signer.address),
        deadline: deadline ?? (await deadlineIn(3600n)),
      };
      return { ...value, signature: await signer.signTypedData(domain, { Amendment: PERMIT_REGISTRY_TYPES.Amendment }, value) };
    }

    async function signRevocation(signer: HardhatEthersSigner, permitId: string, reasonCode: number, deadline?: bigint) {
      const value = {
        permitId,
        reasonCode,
        reasonHash: REASON,
        nonce: await registry.nonces(signer.address),
        deadline: deadline ?? (await deadlineIn(3600n)),
      };
      return { ...value, signature: await signer.signTypedData(domain, { Revocation: PERMIT_REGISTRY_TYPES.Revocation }, value) };
    }

    async function applyFor(number = NUMBER, typeId = BUILDING) {
      await registry.connect(permitOfficer).applyForPermit(number, MAEHIA, typeId, DOCS, COMMITMENT);
      return id(number);
    }

    return {
      directory,
      registry,
      domain,
      nationalAdmin,
      maeHiaAdmin,
      suthepAdmin,
      permitOfficer,
      anchorService,
      engineer,
      director,
      mayor,
      healthOfficer,
      relayer,
      stranger,
      suthepOfficer,
      deadlineIn,
      signDecision,
      decide,
      signCompletion,
      complete,
      signIssuance,
      issue,
      signAmendment,
      signRevocation,
      applyFor,
    };
  }

  async function appliedFixture() {
    const f = await fixture();
    await f.applyFor();
    return f;
  }

  async function underReviewFixture() {
    const f = await appliedFixture();
    await f.complete(PERMIT_ID);
    return f;
  }

  async function approvedFixture() {
    const f = await underReviewFixture();
    await f.decide(f.engineer, PERMIT_ID, 0, Decision.Approve);
    await f.decide(f.director, PERMIT_ID, 1, Decision.Approve);
    await f.decide(f.mayor, PERMIT_ID, 2, Decision.Approve);
    return f;
  }

  async function issuedFixture() {
    const f = await approvedFixture();
    await f.issue(PERMIT_ID, CERT, CID);
    return f;
  }

  describe("deployment", () => {
    it("binds the Directory and exposes its EIP-712 domain", async () => {
      const { registry, directory, domain } = await networkHelpers.loadFixture(fixture);
      expect(await registry.directory()).to.equal(await directory.getAddress());
      const [, name, version, chainId, verifyingContract] = await registry.eip712Domain();
      expect([name, version, chainId, verifyingContract]).to.deep.equal([
        domain.name,
        domain.version,
        domain.chainId,
        domain.verifyingContract,
      ]);
      expect(await registry.STEP_DECISION_TYPEHASH()).to.equal(
        id(
          "StepDecision(bytes32 permitId,uint8 stepIndex,bytes32 role,uint8 decision,bytes32 noteHash,uint256 nonce,uint256 deadline)",
        ),
      );
      expect(await registry.COMPLETION_TYPEHASH()).to.equal(
        id("Completion(bytes32 permitId,uint256 documentCount,uint256 nonce,uint256 deadline)"),
      );
      expect(await registry.ISSUANCE_TYPEHASH()).to.equal(
        id("Issuance(bytes32 permitId,bytes32 certificateHash,string cid,uint256 nonce,uint256 deadline)"),
      );
      expect(await registry.AMENDMENT_TYPEHASH()).to.equal(
        id("Amendment(bytes32 permitId,bytes32 certificateHash,string cid,bytes32 reasonHash,uint256 nonce,uint256 deadline)"),
      );
    });
  });

  describe("permit types", () => {
    it("lets the municipality admin define a type with its chain of approval roles", async () => {
      const { registry, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      const typeId = id("SIGN_PERMIT");
      await expect(registry.connect(maeHiaAdmin).definePermitType(MAEHIA, typeId, [ROLES.DIRECTOR], 30))
        .to.emit(registry, "PermitTypeDefined")
        .withArgs(MAEHIA, typeId, [ROLES.DIRECTOR], 30);
      const [roles, validityDays, retired] = await registry.permitType(MAEHIA, BUILDING);
      expect([roles, validityDays, retired]).to.deep.equal([BUILDING_CHAIN, 365n, false]);
      const [unknownRoles] = await registry.permitType(MAEHIA, id("NOTHING"));
      expect(unknownRoles).to.deep.equal([]);
    });

    it("prevents anyone but that municipality's admin from defining or retiring types", async () => {
      const { registry, nationalAdmin, suthepAdmin, permitOfficer } = await networkHelpers.loadFixture(fixture);
      for (const signer of [suthepAdmin, permitOfficer, nationalAdmin]) {
        await expect(registry.connect(signer).definePermitType(MAEHIA, id("X"), [ROLES.MAYOR], 0))
          .to.be.revertedWithCustomError(registry, "DirectoryNotMunicipalityAdmin")
          .withArgs(MAEHIA, signer.address);
        await expect(registry.connect(signer).retirePermitType(MAEHIA, BUILDING))
          .to.be.revertedWithCustomError(registry, "DirectoryNotMunicipalityAdmin")
          .withArgs(MAEHIA, signer.address);
      }
    });

    it("rejects a zero type id, an empty or too long chain and a zero role", async () => {
      const { registry, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      const x = id("X");
      const tooLong = Array.from({ length: 17 }, (_, i) => id(`ROLE_${i}`));
      const cases: [string, string[]][] = [
        [ethers.ZeroHash, [ROLES.MAYOR]],
        [x, []],
        [x, tooLong],
        [x, [ROLES.ENGINEER, ethers.ZeroHash]],
      ];
      for (const [typeId, roles] of cases) {
        await expect(registry.connect(maeHiaAdmin).definePermitType(MAEHIA, typeId, roles, 0))
          .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidPermitType")
          .withArgs(typeId, roles);
      }
      await registry.connect(maeHiaAdmin).definePermitType(MAEHIA, x, tooLong.slice(0, 16), 0);
    });

    it("keeps types immutable: defining one twice fails, the same id in another municipality is separate", async () => {
      const { registry, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(maeHiaAdmin).definePermitType(MAEHIA, BUILDING, [ROLES.MAYOR], 1))
        .to.be.revertedWithCustomError(registry, "PermitRegistryPermitTypeExists")
        .withArgs(MAEHIA, BUILDING);
      const [roles] = await registry.permitType(SUTHEP, BUILDING);
      expect(roles).to.deep.equal(BUILDING_CHAIN);
    });

    it("retires a type: no new applications, permits already applied for continue", async () => {
      const { registry, maeHiaAdmin, permitOfficer, applyFor, complete } = await networkHelpers.loadFixture(fixture);
      const permitId = await applyFor();
      await expect(registry.connect(maeHiaAdmin).retirePermitType(MAEHIA, BUILDING))
        .to.emit(registry, "PermitTypeRetired")
        .withArgs(MAEHIA, BUILDING);
      expect((await registry.permitType(MAEHIA, BUILDING))[2]).to.equal(true);
      await expect(registry.connect(permitOfficer).applyForPermit("TH-50-MAEHIA/BP/2026/0002", MAEHIA, BUILDING, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "PermitRegistryPermitTypeRetired")
        .withArgs(MAEHIA, BUILDING);
      await expect(registry.connect(maeHiaAdmin).retirePermitType(MAEHIA, BUILDING))
        .to.be.revertedWithCustomError(registry, "PermitRegistryPermitTypeRetired")
        .withArgs(MAEHIA, BUILDING);
      await complete(permitId);
    });

    it("cannot retire an undefined type", async () => {
      const { registry, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(maeHiaAdmin).retirePermitType(MAEHIA, id("NOTHING")))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermitType")
        .withArgs(MAEHIA, id("NOTHING"));
    });
  });

  describe("applications", () => {
    it("records an application by a permit officer, with its documents and the applicant's commitment", async () => {
      const { registry, permitOfficer } = await networkHelpers.loadFixture(fixture);
      const tx = registry.connect(permitOfficer).applyForPermit(NUMBER, MAEHIA, BUILDING, DOCS, COMMITMENT);
      await expect(tx)
        .to.emit(registry, "PermitApplied")
        .withArgs(PERMIT_ID, MAEHIA, BUILDING, NUMBER, COMMITMENT, DOCS, permitOfficer.address);
      const appliedAt = await time.latest();
      expect(await registry.permitIdOf(NUMBER)).to.equal(PERMIT_ID);
      const p = await registry.permit(PERMIT_ID);
      expect(p.number).to.equal(NUMBER);
      expect(p.municipalityId).to.equal(MAEHIA);
      expect(p.typeId).to.equal(BUILDING);
      expect(p.state).to.equal(State.Applied);
      expect(p.applicantCommitment).to.equal(COMMITMENT);
      expect(p.appliedAt).to.equal(appliedAt);
      expect([p.completedAt, p.currentStep, p.stepCount, p.version]).to.deep.equal([0n, 0n, 3n, 0n]);
      expect(await registry.documents(PERMIT_ID)).to.deep.equal(DOCS);
      const steps = await registry.steps(PERMIT_ID);
      expect(steps.map((s) => [s.role, s.decision, s.officer])).to.deep.equal(
        BUILDING_CHAIN.map((role) => [role, BigInt(Decision.None), ethers.ZeroAddress]),
      );
    });

    it("returns the permit id to the caller", async () => {
      const { registry, permitOfficer } = await networkHelpers.loadFixture(fixture);
      expect(
        await registry.connect(permitOfficer).applyForPermit.staticCall(NUMBER, MAEHIA, BUILDING, DOCS, COMMITMENT),
      ).to.equal(PERMIT_ID);
    });

    it("lets the ledger service relay online applications", async () => {
      const { registry, anchorService } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(anchorService).applyForPermit(NUMBER, MAEHIA, HEALTH, DOCS, COMMITMENT))
        .to.emit(registry, "PermitApplied")
        .withArgs(PERMIT_ID, MAEHIA, HEALTH, NUMBER, COMMITMENT, DOCS, anchorService.address);
    });

    it("refuses officers without the intake roles, and intake officers of other municipalities", async () => {
      const { registry, engineer, suthepOfficer } = await networkHelpers.loadFixture(fixture);
      for (const signer of [engineer, suthepOfficer]) {
        await expect(registry.connect(signer).applyForPermit(NUMBER, MAEHIA, BUILDING, DOCS, COMMITMENT))
          .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
          .withArgs(MAEHIA, ROLES.PERMIT_OFFICER, signer.address);
      }
      await expect(registry.connect(suthepOfficer).applyForPermit(NUMBER, 9, BUILDING, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "DirectoryUnknownMunicipality")
        .withArgs(9);
    });

    it("rejects an undefined type, also one defined only by another municipality", async () => {
      const { registry, permitOfficer, suthepAdmin, suthepOfficer } = await networkHelpers.loadFixture(fixture);
      const suthepOnly = id("SUTHEP_ONLY");
      await registry.connect(suthepAdmin).definePermitType(SUTHEP, suthepOnly, [ROLES.MAYOR], 0);
      await registry.connect(suthepOfficer).applyForPermit("TH-50-SUTHEP/S/2026/0001", SUTHEP, suthepOnly, DOCS, COMMITMENT);
      await expect(registry.connect(permitOfficer).applyForPermit(NUMBER, MAEHIA, suthepOnly, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermitType")
        .withArgs(MAEHIA, suthepOnly);
    });

    it("rejects an empty or already used permit number", async () => {
      const { registry, permitOfficer, suthepOfficer, applyFor } = await networkHelpers.loadFixture(fixture);
      await expect(registry.connect(permitOfficer).applyForPermit("", MAEHIA, BUILDING, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidPermitNumber")
        .withArgs("");
      await applyFor();
      await expect(registry.connect(permitOfficer).applyForPermit(NUMBER, MAEHIA, HEALTH, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "PermitRegistryPermitNumberTaken")
        .withArgs(NUMBER, PERMIT_ID);
    });

    it("scopes numbers by municipality: each begins with its Directory code and a slash", async () => {
      const { registry, permitOfficer, anchorService, suthepOfficer } = await networkHelpers.loadFixture(fixture);
      // Suthep cannot take a Mae Hia number (squatting it before Mae Hia reaches it), nor Mae Hia a Suthep one.
      await expect(registry.connect(suthepOfficer).applyForPermit(NUMBER, SUTHEP, BUILDING, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "PermitRegistryNumberOutsideMunicipality")
        .withArgs(NUMBER, SUTHEP, MAEHIA);
      const suthepNumber = "TH-50-SUTHEP/BP/2026/0001";
      await expect(registry.connect(anchorService).applyForPermit(suthepNumber, MAEHIA, BUILDING, DOCS, COMMITMENT))
        .to.be.revertedWithCustomError(registry, "PermitRegistryNumberOutsideMunicipality")
        .withArgs(suthepNumber, MAEHIA, SUTHEP);
      for (const number of ["TH-50-MAEHIA", "TH-50-MAEHIA/", "TH-50-MAEHIA-BP-2026-0001", "MH-BLD-2026-000001", "th-50-maehia/BP/1"]) {
        await expect(registry.connect(permitOfficer).applyForPermit(number, MAEHIA, BUILDING, DOCS, COMMITMENT))
          .to.be.revertedWithCustomError(registry, "PermitRegistryNumberOutsideMunicipality")
          .withArgs(number, MAEHIA, 0);
      }
      await expect(registry.connect(suthepOfficer).applyForPermit(suthepNumber, SUTHEP, BUILDING, DOCS, COMMITMENT))
        .to.emit(registry, "PermitApplied")
        .withArgs(id(suthepNumber), SUTHEP, BUILDING, suthepNumber, COMMITMENT, DOCS, suthepOfficer.address);
    });

    it("requires at least one document, no zero document hash and a non-zero commitment", async () => {
      const { registry, permitOfficer } = await networkHelpers.loadFixture(fixture);
      for (const docs of [[], [DOCS[0], ethers.ZeroHash]]) {
        await expect(registry.connect(permitOfficer).applyForPermit(NUMBER, MAEHIA, BUILDING, docs, COMMITMENT))
          .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidDocuments")
          .withArgs(PERMIT_ID, docs);
      }
      await expect(registry.connect(permitOfficer).applyForPermit(NUMBER, MAEHIA, BUILDING, DOCS, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidCommitment")
        .withArgs(PERMIT_ID, ethers.ZeroHash);
    });

    it("adds documents while the application is incomplete", async () => {
      const { registry, anchorService } = await networkHelpers.loadFixture(appliedFixture);
      const more = [id("fire safety plan.pdf")];
      await expect(registry.connect(anchorService).addDocuments(PERMIT_ID, more))
        .to.emit(registry, "PermitDocumentsAdded")
        .withArgs(PERMIT_ID, more, anchorService.address);
      expect(await registry.documents(PERMIT_ID)).to.deep.equal([...DOCS, ...more]);
      await expect(registry.connect(anchorService).addDocuments(PERMIT_ID, []))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidDocuments")
        .withArgs(PERMIT_ID, []);
    });

    it("refuses documents from other roles, for unknown permits and after completion", async () => {
      const { registry, permitOfficer, engineer, suthepOfficer, complete } = await networkHelpers.loadFixture(appliedFixture);
      for (const signer of [engineer, suthepOfficer]) {
        await expect(registry.connect(signer).addDocuments(PERMIT_ID, DOCS))
          .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
          .withArgs(MAEHIA, ROLES.PERMIT_OFFICER, signer.address);
      }
      await expect(registry.connect(permitOfficer).addDocuments(id("nothing"), DOCS))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermit")
        .withArgs(id("nothing"));
      await complete(PERMIT_ID);
      await expect(registry.connect(permitOfficer).addDocuments(PERMIT_ID, DOCS))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.UnderReview, State.Applied);
    });
  });

  describe("completion", () => {
    it("marks an application complete by the permit officer's signature, relayed, starting the legal clock", async () => {
      const { registry, permitOfficer, relayer, signCompletion } = await networkHelpers.loadFixture(appliedFixture);
      const s = await signCompletion(permitOfficer, PERMIT_ID);
      expect(s.documentCount).to.equal(2n);
      const completedAt = (await time.latest()) + 100;
      await time.setNextBlockTimestamp(completedAt);
      await expect(registry.connect(relayer).markComplete(PERMIT_ID, permitOfficer.address, s.deadline, s.signature))
        .to.emit(registry, "PermitCompleted")
        .withArgs(PERMIT_ID, completedAt, permitOfficer.address);
      const p = await registry.permit(PERMIT_ID);
      expect([p.state, p.completedAt]).to.deep.equal([BigInt(State.UnderReview), BigInt(completedAt)]);
      expect(await registry.nonces(permitOfficer.address)).to.equal(1n);
      expect(await registry.nonces(relayer.address)).to.equal(0n);
      const again = await signCompletion(permitOfficer, PERMIT_ID);
      await expect(registry.connect(relayer).markComplete(PERMIT_ID, permitOfficer.address, again.deadline, again.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.UnderReview, State.Applied);
    });

    it("computes the same digest that officers sign", async () => {
      const { registry, domain } = await networkHelpers.loadFixture(fixture);
      const value = { permitId: PERMIT_ID, documentCount: 3n, nonce: 2n, deadline: 77n };
      expect(await registry.hashCompletion(PERMIT_ID, 3, 2, 77)).to.equal(
        TypedDataEncoder.hash(domain, { Completion: PERMIT_REGISTRY_TYPES.Completion }, value),
      );
    });

    it("no longer lets the relayer complete on its own: the ledger service holds no permit officer role", async () => {
      const { registry, anchorService, relayer, signCompletion } = await networkHelpers.loadFixture(appliedFixture);
      const s = await signCompletion(anchorService, PERMIT_ID);
      await expect(registry.connect(anchorService).markComplete(PERMIT_ID, anchorService.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
        .withArgs(MAEHIA, ROLES.PERMIT_OFFICER, anchorService.address);
      await expect(registry.connect(relayer).markComplete(PERMIT_ID, anchorService.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
        .withArgs(MAEHIA, ROLES.PERMIT_OFFICER, anchorService.address);
    });

    it("refuses officers without the permit officer role, and permit officers of other municipalities", async () => {
      const { registry, engineer, mayor, suthepOfficer, relayer, signCompletion } = await networkHelpers.loadFixture(appliedFixture);
      for (const signer of [engineer, mayor, suthepOfficer]) {
        const s = await signCompletion(signer, PERMIT_ID);
        await expect(registry.connect(relayer).markComplete(PERMIT_ID, signer.address, s.deadline, s.signature))
          .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
          .withArgs(MAEHIA, ROLES.PERMIT_OFFICER, signer.address);
      }
    });

    it("refuses another signer than the named officer, a spent nonce, a passed deadline and unknown permits", async () => {
      const { registry, permitOfficer, stranger, relayer, signCompletion, complete, applyFor, deadlineIn } =
        await networkHelpers.loadFixture(appliedFixture);
      const byStranger = await signCompletion(stranger, PERMIT_ID, { nonce: await registry.nonces(permitOfficer.address) });
      await expect(
        registry.connect(relayer).markComplete(PERMIT_ID, permitOfficer.address, byStranger.deadline, byStranger.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(stranger.address, permitOfficer.address);

      // Signed with nonce 0 for a second application, then nonce 0 is spent on the first.
      const second = await applyFor("TH-50-MAEHIA/BP/2026/0002");
      const early = await signCompletion(permitOfficer, second);
      await complete(PERMIT_ID);
      const digestNow = await registry.hashCompletion(second, early.documentCount, 1, early.deadline);
      await expect(registry.connect(relayer).markComplete(second, permitOfficer.address, early.deadline, early.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(digestNow, early.signature), permitOfficer.address);

      const deadline = await deadlineIn(60n);
      const late = await signCompletion(permitOfficer, second, { deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(relayer).markComplete(second, permitOfficer.address, deadline, late.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);
      const unknown = await signCompletion(permitOfficer, id("nothing"));
      await expect(registry.connect(relayer).markComplete(id("nothing"), permitOfficer.address, unknown.deadline, unknown.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermit")
        .withArgs(id("nothing"));
    });

    it("covers the documents: one added after the officer signed voids the signature", async () => {
      const { registry, permitOfficer, anchorService, relayer, signCompletion } = await networkHelpers.loadFixture(appliedFixture);
      const s = await signCompletion(permitOfficer, PERMIT_ID);
      await registry.connect(anchorService).addDocuments(PERMIT_ID, [id("late.pdf")]);
      const digestNow = await registry.hashCompletion(PERMIT_ID, 3, s.nonce, s.deadline);
      await expect(registry.connect(relayer).markComplete(PERMIT_ID, permitOfficer.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(digestNow, s.signature), permitOfficer.address);
    });
  });

  describe("approval steps", () => {
    it("walks the building permit chain ENGINEER → DIRECTOR → MAYOR by signatures a relayer submits", async () => {
      const { registry, engineer, director, mayor, relayer, decide } = await networkHelpers.loadFixture(underReviewFixture);
      const officers = [engineer, director, mayor];
      for (const [i, officer] of officers.entries()) {
        const tx = decide(officer, PERMIT_ID, i, Decision.Approve);
        await expect(tx)
          .to.emit(registry, "PermitStepDecided")
          .withArgs(PERMIT_ID, i, BUILDING_CHAIN[i], officer.address, Decision.Approve, NOTE);
        if (i < 2) await expect(tx).not.to.emit(registry, "PermitApproved");
        else await expect(tx).to.emit(registry, "PermitApproved").withArgs(PERMIT_ID);
        expect(await registry.nonces(officer.address)).to.equal(1);
      }
      const p = await registry.permit(PERMIT_ID);
      expect([p.state, p.currentStep]).to.deep.equal([BigInt(State.Approved), 3n]);
      const steps = await registry.steps(PERMIT_ID);
      expect(steps.map((s) => [s.role, s.decision, s.officer, s.noteHash])).to.deep.equal(
        officers.map((o, i) => [BUILDING_CHAIN[i], BigInt(Decision.Approve), o.address, NOTE]),
      );
      // The legal clock: every step is timestamped, so the time from completion to approval is provable.
      expect(steps[2].decidedAt - p.completedAt < 45n * DAY).to.equal(true);
      expect(await registry.nonces(relayer.address)).to.equal(0);
    });

    it("walks the health-hazard licence chain HEALTH_OFFICER → DIRECTOR", async () => {
      const { registry, healthOfficer, director, applyFor, decide, complete } = await networkHelpers.loadFixture(fixture);
      const permitId = await applyFor("TH-50-MAEHIA/HL/2026/0001", HEALTH);
      await complete(permitId);
      await decide(healthOfficer, permitId, 0, Decision.Approve, ROLES.HEALTH_OFFICER);
      await expect(decide(director, permitId, 1, Decision.Approve, ROLES.DIRECTOR))
        .to.emit(registry, "PermitApproved")
        .withArgs(permitId);
    });

    it("ends the permit when a step rejects it", async () => {
      const { registry, engineer, director, mayor, decide } = await networkHelpers.loadFixture(underReviewFixture);
      await decide(engineer, PERMIT_ID, 0, Decision.Approve);
      await expect(decide(director, PERMIT_ID, 1, Decision.Reject))
        .to.emit(registry, "PermitStepDecided")
        .withArgs(PERMIT_ID, 1, ROLES.DIRECTOR, director.address, Decision.Reject, NOTE)
        .and.to.emit(registry, "PermitRejected")
        .withArgs(PERMIT_ID, 1);
      expect((await registry.permit(PERMIT_ID)).state).to.equal(State.Rejected);
      await expect(decide(mayor, PERMIT_ID, 2, Decision.Approve))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.Rejected, State.UnderReview);
    });

    it("computes the same digest that officers sign", async () => {
      const { registry, domain, deadlineIn } = await networkHelpers.loadFixture(underReviewFixture);
      const value = {
        permitId: PERMIT_ID,
        stepIndex: 1,
        role: ROLES.DIRECTOR,
        decision: Decision.Reject,
        noteHash: NOTE,
        nonce: 7n,
        deadline: await deadlineIn(60n),
      };
      expect(
        await registry.hashStepDecision(PERMIT_ID, 1, Decision.Reject, NOTE, value.nonce, value.deadline),
      ).to.equal(TypedDataEncoder.hash(domain, { StepDecision: PERMIT_REGISTRY_TYPES.StepDecision }, value));
      await expect(registry.hashStepDecision(PERMIT_ID, 3, Decision.Approve, NOTE, 0, 0))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongStep")
        .withArgs(PERMIT_ID, 0, 3);
      await expect(registry.hashStepDecision(id("nothing"), 0, Decision.Approve, NOTE, 0, 0))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermit")
        .withArgs(id("nothing"));
    });

    it("refuses decisions before the application is complete and on unknown permits", async () => {
      const { registry, engineer, decide } = await networkHelpers.loadFixture(appliedFixture);
      await expect(decide(engineer, PERMIT_ID, 0, Decision.Approve))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.Applied, State.UnderReview);
      await expect(decide(engineer, id("nothing"), 0, Decision.Approve))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermit")
        .withArgs(id("nothing"));
    });

    it("refuses a decision for a step that is not the current one", async () => {
      const { registry, engineer, director, mayor, relayer, signDecision, decide } =
        await networkHelpers.loadFixture(underReviewFixture);
      await expect(decide(mayor, PERMIT_ID, 2, Decision.Approve))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongStep")
        .withArgs(PERMIT_ID, 0, 2);
      await decide(engineer, PERMIT_ID, 0, Decision.Approve);
      // A fresh, valid signature for the step already decided.
      const s = await signDecision(director, PERMIT_ID, 0, Decision.Approve);
      await expect(
        registry.connect(relayer).decide(PERMIT_ID, 0, Decision.Approve, NOTE, director.address, s.deadline, s.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongStep")
        .withArgs(PERMIT_ID, 1, 0);
    });

    it("refuses a replayed signature because its nonce is spent", async () => {
      const { registry, engineer, relayer, signDecision } = await networkHelpers.loadFixture(underReviewFixture);
      const s = await signDecision(engineer, PERMIT_ID, 0, Decision.Approve);
      const submit = () =>
        registry.connect(relayer).decide(PERMIT_ID, 0, Decision.Approve, NOTE, engineer.address, s.deadline, s.signature);
      await submit();
      const digestNow = await registry.hashStepDecision(PERMIT_ID, 0, Decision.Approve, NOTE, 1, s.deadline);
      await expect(submit())
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(digestNow, s.signature), engineer.address);
    });

    it("refuses a signature after its deadline", async () => {
      const { registry, engineer, relayer, signDecision, deadlineIn } = await networkHelpers.loadFixture(underReviewFixture);
      const deadline = await deadlineIn(60n);
      const s = await signDecision(engineer, PERMIT_ID, 0, Decision.Approve, { deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(
        registry.connect(relayer).decide(PERMIT_ID, 0, Decision.Approve, NOTE, engineer.address, deadline, s.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("refuses the None decision", async () => {
      const { registry, engineer, decide } = await networkHelpers.loadFixture(underReviewFixture);
      await expect(decide(engineer, PERMIT_ID, 0, Decision.None))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidDecision")
        .withArgs(PERMIT_ID, 0);
    });

    it("refuses signatures by someone else than the named officer, altered values and malformed signatures", async () => {
      const { registry, engineer, stranger, relayer, signDecision } = await networkHelpers.loadFixture(underReviewFixture);
      const byStranger = await signDecision(stranger, PERMIT_ID, 0, Decision.Approve, { nonce: 0n });
      await expect(
        registry
          .connect(relayer)
          .decide(PERMIT_ID, 0, Decision.Approve, NOTE, engineer.address, byStranger.deadline, byStranger.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(stranger.address, engineer.address);

      // The relayer turns an approval into a rejection: the signature no longer matches.
      const s = await signDecision(engineer, PERMIT_ID, 0, Decision.Approve);
      const altered = await registry.hashStepDecision(PERMIT_ID, 0, Decision.Reject, NOTE, 0, s.deadline);
      await expect(
        registry.connect(relayer).decide(PERMIT_ID, 0, Decision.Reject, NOTE, engineer.address, s.deadline, s.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(altered, s.signature), engineer.address);

      const truncated = Signature.from(s.signature).compactSerialized;
      await expect(
        registry.connect(relayer).decide(PERMIT_ID, 0, Decision.Approve, NOTE, engineer.address, s.deadline, truncated),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(ethers.ZeroAddress, engineer.address);
    });

    it("refuses officers without the step's role, and holders of that role in another municipality", async () => {
      const { registry, director, suthepOfficer, decide } = await networkHelpers.loadFixture(underReviewFixture);
      for (const signer of [director, suthepOfficer]) {
        await expect(decide(signer, PERMIT_ID, 0, Decision.Approve))
          .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
          .withArgs(MAEHIA, ROLES.ENGINEER, signer.address);
      }
    });

    it("separates duties: one officer cannot decide two steps of one permit", async () => {
      const { registry, directory, maeHiaAdmin, engineer, decide } = await networkHelpers.loadFixture(underReviewFixture);
      await directory.connect(maeHiaAdmin).grantRole(MAEHIA, ROLES.DIRECTOR, engineer.address);
      await decide(engineer, PERMIT_ID, 0, Decision.Approve);
      await expect(decide(engineer, PERMIT_ID, 1, Decision.Approve))
        .to.be.revertedWithCustomError(registry, "PermitRegistryOfficerAlreadyDecided")
        .withArgs(PERMIT_ID, engineer.address);
    });
  });

  describe("issuance and verification", () => {
    it("issues version 1 by the permit officer's signature, relayed, with its validity, and verifies it as Valid", async () => {
      const { registry, permitOfficer, relayer, signIssuance } = await networkHelpers.loadFixture(approvedFixture);
      const s = await signIssuance(permitOfficer, PERMIT_ID, CERT, CID);
      const issuedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(issuedAt);
      const validUntil = issuedAt + 365n * DAY;
      await expect(registry.connect(relayer).issue(PERMIT_ID, CERT, CID, permitOfficer.address, s.deadline, s.signature))
        .to.emit(registry, "PermitIssued")
        .withArgs(PERMIT_ID, 1, CERT, CID, validUntil, permitOfficer.address);
      const p = await registry.permit(PERMIT_ID);
      expect([p.state, p.version, p.certificateHash, p.validUntil]).to.deep.equal([
        BigInt(State.Issued),
        1n,
        CERT,
        validUntil,
      ]);
      const c = await registry.certificate(CERT);
      expect([c.permitId, c.version, c.supersedes, c.supersededBy]).to.deep.equal([
        PERMIT_ID,
        1n,
        ethers.ZeroHash,
        ethers.ZeroHash,
      ]);
      expect(await registry.verify(CERT)).to.deep.equal([PERMIT_ID, 1n, BigInt(Verdict.Valid)]);
      expect(await registry.nonces(permitOfficer.address)).to.equal(2n);
    });

    it("computes the same digest that officers sign", async () => {
      const { registry, domain } = await networkHelpers.loadFixture(fixture);
      const value = { permitId: PERMIT_ID, certificateHash: CERT, cid: CID, nonce: 4n, deadline: 123n };
      expect(await registry.hashIssuance(PERMIT_ID, CERT, CID, 4, 123)).to.equal(
        TypedDataEncoder.hash(domain, { Issuance: PERMIT_REGISTRY_TYPES.Issuance }, value),
      );
    });

    it("answers Unknown for a hash never issued", async () => {
      const { registry } = await networkHelpers.loadFixture(issuedFixture);
      expect(await registry.verify(id("forged.pdf"))).to.deep.equal([ethers.ZeroHash, 0n, BigInt(Verdict.Unknown)]);
    });

    it("answers Expired after the validity ends, and never expires a type without validity", async () => {
      const { registry, permitOfficer, healthOfficer, director, applyFor, decide, complete, issue } =
        await networkHelpers.loadFixture(issuedFixture);
      const licenceId = await applyFor("TH-50-MAEHIA/HL/2026/0001", HEALTH);
      await complete(licenceId);
      await decide(healthOfficer, licenceId, 0, Decision.Approve, ROLES.HEALTH_OFFICER);
      await decide(director, licenceId, 1, Decision.Approve, ROLES.DIRECTOR);
      const licence = id("licence.pdf");
      await expect(issue(licenceId, licence, CID2))
        .to.emit(registry, "PermitIssued")
        .withArgs(licenceId, 1, licence, CID2, 0, permitOfficer.address);

      const { validUntil } = await registry.permit(PERMIT_ID);
      await time.increaseTo(validUntil);
      expect((await registry.verify(CERT))[2]).to.equal(Verdict.Valid);
      await time.increase(1);
      expect((await registry.verify(CERT))[2]).to.equal(Verdict.Expired);
      await time.increase(50n * 365n * DAY);
      expect((await registry.verify(licence))[2]).to.equal(Verdict.Valid);
    });

    it("issues only approved permits", async () => {
      const { registry, issue } = await networkHelpers.loadFixture(underReviewFixture);
      await expect(issue(PERMIT_ID, CERT, CID))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.UnderReview, State.Approved);
      await expect(issue(id("nothing"), CERT, CID))
        .to.be.revertedWithCustomError(registry, "PermitRegistryUnknownPermit")
        .withArgs(id("nothing"));
    });

    it("refuses the relayer on its own, officers without the permit officer role and those of other municipalities", async () => {
      const { registry, anchorService, mayor, suthepOfficer, issue } = await networkHelpers.loadFixture(approvedFixture);
      // The mayor signed the last step; issuing is still the permit officer's act.
      for (const signer of [anchorService, mayor, suthepOfficer]) {
        await expect(issue(PERMIT_ID, CERT, CID, signer))
          .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
          .withArgs(MAEHIA, ROLES.PERMIT_OFFICER, signer.address);
      }
    });

    it("refuses another signer, another certificate or CID than signed, a spent nonce and a passed deadline", async () => {
      const { registry, permitOfficer, stranger, relayer, signIssuance, deadlineIn, applyFor, complete } =
        await networkHelpers.loadFixture(approvedFixture);
      const byStranger = await signIssuance(stranger, PERMIT_ID, CERT, CID, { nonce: await registry.nonces(permitOfficer.address) });
      await expect(
        registry.connect(relayer).issue(PERMIT_ID, CERT, CID, permitOfficer.address, byStranger.deadline, byStranger.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(stranger.address, permitOfficer.address);

      // The relayer swaps the CID (or the certificate) the officer signed for another.
      const s = await signIssuance(permitOfficer, PERMIT_ID, CERT, CID);
      const otherCid = await registry.hashIssuance(PERMIT_ID, CERT, CID2, s.nonce, s.deadline);
      await expect(registry.connect(relayer).issue(PERMIT_ID, CERT, CID2, permitOfficer.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(otherCid, s.signature), permitOfficer.address);
      const otherCertificate = await registry.hashIssuance(PERMIT_ID, CERT2, CID, s.nonce, s.deadline);
      await expect(registry.connect(relayer).issue(PERMIT_ID, CERT2, CID, permitOfficer.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(otherCertificate, s.signature), permitOfficer.address);

      const deadline = await deadlineIn(60n);
      const late = await signIssuance(permitOfficer, PERMIT_ID, CERT, CID, { deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(relayer).issue(PERMIT_ID, CERT, CID, permitOfficer.address, deadline, late.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);

      // A valid signature whose nonce the officer spent first on another act (completing another application).
      await complete(await applyFor("TH-50-MAEHIA/BP/2026/0002"));
      const digestNow = await registry.hashIssuance(PERMIT_ID, CERT, CID, s.nonce + 1n, s.deadline);
      await expect(registry.connect(relayer).issue(PERMIT_ID, CERT, CID, permitOfficer.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(digestNow, s.signature), permitOfficer.address);
    });

    it("requires a certificate hash and CID, and never reuses a certificate hash", async () => {
      const { registry, engineer, director, mayor, applyFor, decide, complete, issue } =
        await networkHelpers.loadFixture(issuedFixture);
      const otherId = await applyFor("TH-50-MAEHIA/BP/2026/0002");
      await complete(otherId);
      for (const [i, o] of [engineer, director, mayor].entries()) await decide(o, otherId, i, Decision.Approve);
      await expect(issue(otherId, ethers.ZeroHash, CID))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidCertificate")
        .withArgs(ethers.ZeroHash, CID);
      await expect(issue(otherId, CERT2, ""))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidCertificate")
        .withArgs(CERT2, "");
      await expect(issue(otherId, CERT, CID))
        .to.be.revertedWithCustomError(registry, "PermitRegistryCertificateExists")
        .withArgs(CERT, PERMIT_ID);
    });
  });

  describe("amendment", () => {
    it("issues a new version that supersedes the old, linked both ways, signed by the issuing authority", async () => {
      const { registry, mayor, relayer, signAmendment } = await networkHelpers.loadFixture(issuedFixture);
      const before = await registry.permit(PERMIT_ID);
      const s = await signAmendment(mayor, PERMIT_ID, CERT2);
      await expect(
        registry.connect(relayer).amend(PERMIT_ID, CERT2, CID2, REASON, mayor.address, s.deadline, s.signature),
      )
        .to.emit(registry, "PermitAmended")
        .withArgs(PERMIT_ID, 2, CERT2, CERT, CID2, REASON, mayor.address);
      const after = await registry.permit(PERMIT_ID);
      expect([after.state, after.version, after.certificateHash, after.validUntil]).to.deep.equal([
        BigInt(State.Issued),
        2n,
        CERT2,
        before.validUntil,
      ]);
      expect((await registry.certificate(CERT)).supersededBy).to.equal(CERT2);
      const c2 = await registry.certificate(CERT2);
      expect([c2.permitId, c2.version, c2.supersedes, c2.supersededBy]).to.deep.equal([
        PERMIT_ID,
        2n,
        CERT,
        ethers.ZeroHash,
      ]);
      expect(await registry.verify(CERT)).to.deep.equal([PERMIT_ID, 1n, BigInt(Verdict.Superseded)]);
      expect(await registry.verify(CERT2)).to.deep.equal([PERMIT_ID, 2n, BigInt(Verdict.Valid)]);

      const cert3 = id("certificate v3.pdf");
      const s3 = await signAmendment(mayor, PERMIT_ID, cert3, undefined, CID);
      await expect(
        registry.connect(relayer).amend(PERMIT_ID, cert3, CID, REASON, mayor.address, s3.deadline, s3.signature),
      )
        .to.emit(registry, "PermitAmended")
        .withArgs(PERMIT_ID, 3, cert3, CERT2, CID, REASON, mayor.address);
      expect((await registry.verify(CERT2))[2]).to.equal(Verdict.Superseded);
    });

    it("computes the same digest that officers sign", async () => {
      const { registry, domain } = await networkHelpers.loadFixture(fixture);
      const value = { permitId: PERMIT_ID, certificateHash: CERT2, cid: CID2, reasonHash: REASON, nonce: 3n, deadline: 99n };
      expect(await registry.hashAmendment(PERMIT_ID, CERT2, CID2, REASON, 3, 99)).to.equal(
        TypedDataEncoder.hash(domain, { Amendment: PERMIT_REGISTRY_TYPES.Amendment }, value),
      );
    });

    it("covers the new certificate's CID: the relayer cannot point the amendment at other bytes", async () => {
      const { registry, mayor, relayer, signAmendment } = await networkHelpers.loadFixture(issuedFixture);
      const s = await signAmendment(mayor, PERMIT_ID, CERT2, undefined, CID2);
      const swapped = await registry.hashAmendment(PERMIT_ID, CERT2, CID, REASON, s.nonce, s.deadline);
      await expect(registry.connect(relayer).amend(PERMIT_ID, CERT2, CID, REASON, mayor.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(recoverAddress(swapped, s.signature), mayor.address);
    });

    it("amends only issued permits, before the deadline, with a new certificate", async () => {
      const { registry, mayor, relayer, signAmendment, deadlineIn } = await networkHelpers.loadFixture(issuedFixture);
      const s = await signAmendment(mayor, PERMIT_ID, CERT);
      await expect(registry.connect(relayer).amend(PERMIT_ID, CERT, CID, REASON, mayor.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryCertificateExists")
        .withArgs(CERT, PERMIT_ID);
      await expect(registry.connect(relayer).amend(PERMIT_ID, CERT2, "", REASON, mayor.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidCertificate")
        .withArgs(CERT2, "");
      const deadline = await deadlineIn(10n);
      const late = await signAmendment(mayor, PERMIT_ID, CERT2, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(
        registry.connect(relayer).amend(PERMIT_ID, CERT2, CID2, REASON, mayor.address, deadline, late.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);

      const { registry: r2, mayor: m2, relayer: rel2, signAmendment: sign2 } =
        await networkHelpers.loadFixture(approvedFixture);
      const s2 = await sign2(m2, PERMIT_ID, CERT2);
      await expect(r2.connect(rel2).amend(PERMIT_ID, CERT2, CID2, REASON, m2.address, s2.deadline, s2.signature))
        .to.be.revertedWithCustomError(r2, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.Approved, State.Issued);
    });

    it("requires the officer's own signature and the type's last approval role", async () => {
      const { registry, mayor, director, suthepOfficer, relayer, signAmendment } =
        await networkHelpers.loadFixture(issuedFixture);
      const byDirector = await signAmendment(director, PERMIT_ID, CERT2);
      await expect(
        registry
          .connect(relayer)
          .amend(PERMIT_ID, CERT2, CID2, REASON, mayor.address, byDirector.deadline, byDirector.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(director.address, mayor.address);
      for (const signer of [director, suthepOfficer]) {
        const s = await signAmendment(signer, PERMIT_ID, CERT2);
        await expect(
          registry.connect(relayer).amend(PERMIT_ID, CERT2, CID2, REASON, signer.address, s.deadline, s.signature),
        )
          .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
          .withArgs(MAEHIA, ROLES.MAYOR, signer.address);
      }
    });
  });

  describe("revocation", () => {
    it("revokes every version of a permit with a reason code, signed by the issuing authority", async () => {
      const { registry, mayor, relayer, signAmendment, signRevocation } = await networkHelpers.loadFixture(issuedFixture);
      const a = await signAmendment(mayor, PERMIT_ID, CERT2);
      await registry.connect(relayer).amend(PERMIT_ID, CERT2, CID2, REASON, mayor.address, a.deadline, a.signature);
      const s = await signRevocation(mayor, PERMIT_ID, 3);
      await expect(registry.connect(relayer).revoke(PERMIT_ID, 3, REASON, mayor.address, s.deadline, s.signature))
        .to.emit(registry, "PermitRevoked")
        .withArgs(PERMIT_ID, 3, REASON, mayor.address);
      const p = await registry.permit(PERMIT_ID);
      expect([p.state, p.revocationReason]).to.deep.equal([BigInt(State.Revoked), 3n]);
      expect(await registry.verify(CERT2)).to.deep.equal([PERMIT_ID, 2n, BigInt(Verdict.Revoked)]);
      expect(await registry.verify(CERT)).to.deep.equal([PERMIT_ID, 1n, BigInt(Verdict.Revoked)]);
      const again = await signRevocation(mayor, PERMIT_ID, 3);
      await expect(
        registry.connect(relayer).revoke(PERMIT_ID, 3, REASON, mayor.address, again.deadline, again.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.Revoked, State.Issued);
    });

    it("computes the same digest that officers sign", async () => {
      const { registry, domain } = await networkHelpers.loadFixture(fixture);
      const value = { permitId: PERMIT_ID, reasonCode: 4, reasonHash: REASON, nonce: 1n, deadline: 5n };
      expect(await registry.hashRevocation(PERMIT_ID, 4, REASON, 1, 5)).to.equal(
        TypedDataEncoder.hash(domain, { Revocation: PERMIT_REGISTRY_TYPES.Revocation }, value),
      );
    });

    it("requires a reason code, a live deadline, the officer's signature and the last approval role", async () => {
      const { registry, mayor, director, relayer, signRevocation, deadlineIn } =
        await networkHelpers.loadFixture(issuedFixture);
      const zero = await signRevocation(mayor, PERMIT_ID, 0);
      await expect(registry.connect(relayer).revoke(PERMIT_ID, 0, REASON, mayor.address, zero.deadline, zero.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidReasonCode")
        .withArgs(PERMIT_ID, 0);
      const byDirector = await signRevocation(director, PERMIT_ID, 1);
      await expect(
        registry.connect(relayer).revoke(PERMIT_ID, 1, REASON, mayor.address, byDirector.deadline, byDirector.signature),
      )
        .to.be.revertedWithCustomError(registry, "PermitRegistryInvalidSigner")
        .withArgs(director.address, mayor.address);
      await expect(
        registry
          .connect(relayer)
          .revoke(PERMIT_ID, 1, REASON, director.address, byDirector.deadline, byDirector.signature),
      )
        .to.be.revertedWithCustomError(registry, "DirectoryUnauthorizedAccount")
        .withArgs(MAEHIA, ROLES.MAYOR, director.address);
      const deadline = await deadlineIn(10n);
      const late = await signRevocation(mayor, PERMIT_ID, 1, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(relayer).revoke(PERMIT_ID, 1, REASON, mayor.address, deadline, late.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistrySignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("revokes only issued permits", async () => {
      const { registry, mayor, relayer, signRevocation } = await networkHelpers.loadFixture(approvedFixture);
      const s = await signRevocation(mayor, PERMIT_ID, 1);
      await expect(registry.connect(relayer).revoke(PERMIT_ID, 1, REASON, mayor.address, s.deadline, s.signature))
        .to.be.revertedWithCustomError(registry, "PermitRegistryWrongState")
        .withArgs(PERMIT_ID, State.Approved, State.Issued);
    });
  });

  describe("suspended municipality", () => {
    /** One permit in each state an action needs, then the national admin suspends Mae Hia. */
    async function suspendedFixture() {
      const f = await fixture();
      const { permitOfficer, engineer, director, mayor, applyFor, decide, complete, issue } = f;
      const applied = await applyFor("TH-50-MAEHIA/A");
      const underReview = await applyFor("TH-50-MAEHIA/R");
      await complete(underReview);
      const approved = await applyFor("TH-50-MAEHIA/P");
      const issued = await applyFor("TH-50-MAEHIA/I");
      for (const permitId of [approved, issued]) {
        await complete(permitId);
        for (const [i, o] of [engineer, director, mayor].entries()) await decide(o, permitId, i, Decision.Approve);
      }
      await issue(issued, CERT, CID);
      // Signatures made before the suspension must not work during it.
      const completion = await f.signCompletion(permitOfficer, applied);
      const issuance = await f.signIssuance(permitOfficer, approved, CERT2, CID2);
      const decision = await f.signDecision(engineer, underReview, 0, Decision.Approve);
      const amendment = await f.signAmendment(mayor, issued, CERT2);
      const revocation = await f.signRevocation(mayor, issued, 1);
      await f.directory.connect(f.nationalAdmin).suspendMunicipality(MAEHIA, id("audit finding 2026/14"));
      return { ...f, applied, underReview, approved, issued, completion, issuance, decision, amendment, revocation };
    }

    it("refuses every action on its permits and types", async () => {
      const f = await networkHelpers.loadFixture(suspendedFixture);
      const { registry, maeHiaAdmin, permitOfficer, engineer, mayor, relayer } = f;
      const actions = [
        () => registry.connect(maeHiaAdmin).definePermitType(MAEHIA, id("NEW"), [ROLES.MAYOR], 0),
        () => registry.connect(maeHiaAdmin).retirePermitType(MAEHIA, BUILDING),
        () => registry.connect(permitOfficer).applyForPermit("TH-50-MAEHIA/N", MAEHIA, BUILDING, DOCS, COMMITMENT),
        () => registry.connect(permitOfficer).addDocuments(f.applied, DOCS),
        () =>
          registry
            .connect(relayer)
            .markComplete(f.applied, permitOfficer.address, f.completion.deadline, f.completion.signature),
        () =>
          registry
            .connect(relayer)
            .decide(f.underReview, 0, Decision.Approve, NOTE, engineer.address, f.decision.deadline, f.decision.signature),
        () =>
          registry
            .connect(relayer)
            .issue(f.approved, CERT2, CID2, permitOfficer.address, f.issuance.deadline, f.issuance.signature),
        () =>
          registry
            .connect(relayer)
            .amend(f.issued, CERT2, CID2, REASON, mayor.address, f.amendment.deadline, f.amendment.signature),
        () =>
          registry
            .connect(relayer)
            .revoke(f.issued, 1, REASON, mayor.address, f.revocation.deadline, f.revocation.signature),
      ];
      for (const action of actions) {
        await expect(action()).to.be.revertedWithCustomError(registry, "DirectoryMunicipalitySuspended").withArgs(MAEHIA);
      }
    });

    it("keeps verification working, and the officers act again once reinstated", async () => {
      const { registry, directory, nationalAdmin, relayer, engineer, decision, underReview } =
        await networkHelpers.loadFixture(suspendedFixture);
      expect((await registry.verify(CERT))[2]).to.equal(Verdict.Valid);
      await directory.connect(nationalAdmin).reinstateMunicipality(MAEHIA);
      await expect(
        registry
          .connect(relayer)
          .decide(underReview, 0, Decision.Approve, NOTE, engineer.address, decision.deadline, decision.signature),
      ).to.emit(registry, "PermitStepDecided");
    });
  });
});
