import { expect } from "chai";
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { COMPLAINT_LEDGER_TYPES, complaintLedgerDomain } from "../../app/shared/typedData.js";
import ComplaintLedgerModule from "../../scripts/ignition/modules/ComplaintLedger.js";
import { ROLES } from "./utils/roles.js";

const { ethers, ignition, networkHelpers } = await network.create();
const { time } = networkHelpers;

/** ComplaintLedger.Status, in declaration order. */
const Status = {
  None: 0,
  Filed: 1,
  Acknowledged: 2,
  InProgress: 3,
  Resolved: 4,
  Confirmed: 5,
  Reopened: 6,
  Rejected: 7,
  Duplicate: 8,
  NotResponsible: 9,
} as const;
type StatusValue = (typeof Status)[keyof typeof Status];

const MAE_HIA = 1;
const SUTHEP = 2;
const ROADS = ethers.id("ROADS");
const WASTE = ethers.id("WASTE");
const DAY = 24 * 60 * 60;
const ROADS_SLA = 3 * DAY;
const AREA = ethers.encodeBytes32String("MAEHIA-V04");
const CONTENT = ethers.id("ipfs://bafy…complaint-text-and-photo");
const SECRET = ethers.id("tracking code handed to the resident");
const NEXT_SECRET = ethers.id("rotated tracking code");
const REASON = ethers.id("reason document");
const EVIDENCE = ethers.id("photo of the repaired road");
const NOTE = ethers.id("crew dispatched");
const CONFIRM = 1;
const REOPEN = 2;
const FAR_DEADLINE = 2n ** 48n;

const coder = ethers.AbiCoder.defaultAbiCoder();
const commitSecret = (secret: string) => ethers.keccak256(coder.encode(["bytes32"], [secret]));
const commitAddress = (address: string) =>
  ethers.keccak256(coder.encode(["bytes32"], [ethers.zeroPadValue(address, 32)]));
/** The id `file` gives a complaint, computed here rather than asked of the contract. */
const complaintIdOf = (municipalityId: number, filer: string, filingId: string) =>
  ethers.keccak256(coder.encode(["uint32", "address", "bytes32"], [municipalityId, filer, filingId]));

describe("ComplaintLedger", () => {
  async function fixture() {
    const [nationalAdmin, maeHiaAdmin, officer, otherOfficer, engineer, reporter, relayer, suthepAdmin] =
      await ethers.getSigners();
    const deployed = await ignition.deploy(ComplaintLedgerModule);
    const directory = await ethers.getContractAt("Directory", await deployed.directory.getAddress());
    const ledger = await ethers.getContractAt("ComplaintLedger", await deployed.complaintLedger.getAddress());
    await directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", maeHiaAdmin.address);
    await directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", suthepAdmin.address);
    await directory.connect(maeHiaAdmin).grantRole(MAE_HIA, ROLES.COMPLAINT_OFFICER, officer.address);
    await directory.connect(maeHiaAdmin).grantRole(MAE_HIA, ROLES.ENGINEER, engineer.address);
    await directory.connect(suthepAdmin).grantRole(SUTHEP, ROLES.COMPLAINT_OFFICER, otherOfficer.address);
    await ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, ROADS, ROADS_SLA, true);
    await ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, WASTE, DAY, true);
    await ledger.connect(suthepAdmin).setCategory(SUTHEP, ROADS, 7 * DAY, true);

    // One complaint per proof mode: a tracking-code secret and the reporter's address.
    const [filing1, filing2] = [ethers.id("filing 1"), ethers.id("filing 2")];
    await ledger.connect(relayer).file(filing1, MAE_HIA, ROADS, AREA, CONTENT, commitSecret(SECRET));
    await ledger.connect(relayer).file(filing2, MAE_HIA, ROADS, AREA, CONTENT, commitAddress(reporter.address));
    const bySecret = complaintIdOf(MAE_HIA, relayer.address, filing1);
    const byAddress = complaintIdOf(MAE_HIA, relayer.address, filing2);
    return {
      directory,
      ledger,
      nationalAdmin,
      maeHiaAdmin,
      officer,
      otherOfficer,
      engineer,
      reporter,
      relayer,
      suthepAdmin,
      filing1,
      bySecret,
      byAddress,
    };
  }
  type Fixture = Awaited<ReturnType<typeof fixture>>;
  type Ledger = Fixture["ledger"];

  async function resolve(f: Pick<Fixture, "ledger" | "officer">, id: string) {
    await f.ledger.connect(f.officer).startWork(id, NOTE);
    await f.ledger.connect(f.officer).resolve(id, EVIDENCE);
  }

  async function resolvedFixture() {
    const f = await fixture();
    await resolve(f, f.bySecret);
    await resolve(f, f.byAddress);
    return f;
  }

  async function signAction(
    ledger: Ledger,
    reporter: HardhatEthersSigner,
    complaintId: string,
    action: number,
    reasonHash: string,
    deadline: bigint = FAR_DEADLINE,
  ) {
    const { chainId } = await ethers.provider.getNetwork();
    const nonce = await ledger.nonces(reporter.address);
    const domain = complaintLedgerDomain(chainId, await ledger.getAddress());
    const value = { complaintId, action, reasonHash, nonce, deadline };
    const signature = await reporter.signTypedData(domain, COMPLAINT_LEDGER_TYPES, value);
    return { signature, digest: ethers.TypedDataEncoder.hash(domain, COMPLAINT_LEDGER_TYPES, value), nonce };
  }

  describe("categories", () => {
    it("lets the municipality admin set up, change and switch off a category", async () => {
      const { ledger, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      const potholes = ethers.id("POTHOLES");
      expect(await ledger.category(MAE_HIA, potholes)).to.deep.equal([0n, false]);
      await expect(ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, potholes, DAY, true))
        .to.emit(ledger, "ComplaintCategorySet")
        .withArgs(MAE_HIA, potholes, DAY, true);
      await expect(ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, potholes, 2 * DAY, false))
        .to.emit(ledger, "ComplaintCategorySet")
        .withArgs(MAE_HIA, potholes, 2 * DAY, false);
      const category = await ledger.category(MAE_HIA, potholes);
      expect([category.slaSeconds, category.active]).to.deep.equal([BigInt(2 * DAY), false]);
    });

    it("rejects the zero category and a zero SLA", async () => {
      const { ledger, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, ethers.ZeroHash, DAY, true))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidCategory")
        .withArgs(MAE_HIA, ethers.ZeroHash, DAY);
      await expect(ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, ROADS, 0, true))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidCategory")
        .withArgs(MAE_HIA, ROADS, 0);
    });

    it("lets nobody but the admin of an active municipality set categories", async () => {
      const { directory, ledger, officer, suthepAdmin, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      for (const signer of [officer, suthepAdmin]) {
        await expect(ledger.connect(signer).setCategory(MAE_HIA, ROADS, DAY, true))
          .to.be.revertedWithCustomError(ledger, "DirectoryNotMunicipalityAdmin")
          .withArgs(MAE_HIA, signer.address);
      }
      await expect(ledger.connect(maeHiaAdmin).setCategory(3, ROADS, DAY, true))
        .to.be.revertedWithCustomError(ledger, "DirectoryUnknownMunicipality")
        .withArgs(3);
      await directory.suspendMunicipality(MAE_HIA, REASON);
      await expect(ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, ROADS, DAY, true))
        .to.be.revertedWithCustomError(ledger, "DirectoryMunicipalitySuspended")
        .withArgs(MAE_HIA);
    });
  });

  describe("filing", () => {
    it("lets anyone file a complaint, starts the SLA clock, and stores only what the ledger reads (area and content in the event)", async () => {
      const { ledger, relayer, directory } = await networkHelpers.loadFixture(fixture);
      const filingId = ethers.id("filing 3");
      const id = complaintIdOf(MAE_HIA, relayer.address, filingId);
      const commitment = commitSecret(SECRET);
      expect(await ledger.connect(relayer).file.staticCall(filingId, MAE_HIA, WASTE, AREA, CONTENT, commitment)).to.equal(id);
      const filedAt = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(filedAt);
      await expect(ledger.connect(relayer).file(filingId, MAE_HIA, WASTE, AREA, CONTENT, commitment))
        .to.emit(ledger, "ComplaintFiled")
        .withArgs(id, MAE_HIA, filingId, WASTE, AREA, CONTENT, commitment, filedAt + DAY);
      const c = await ledger.complaint(id);
      const record = {
        municipalityId: c.municipalityId,
        status: c.status,
        reopenCount: c.reopenCount,
        filedAt: c.filedAt,
        dueAt: c.dueAt,
        updatedAt: c.updatedAt,
        category: c.category,
        reporterCommitment: c.reporterCommitment,
      };
      expect(c.length).to.equal(8);
      expect(record).to.deep.equal({
        municipalityId: BigInt(MAE_HIA),
        status: BigInt(Status.Filed),
        reopenCount: 0n,
        filedAt: BigInt(filedAt),
        dueAt: BigInt(filedAt + DAY),
        updatedAt: BigInt(filedAt),
        category: WASTE,
        reporterCommitment: commitment,
      });
      expect(await ledger.isOverdue(id)).to.equal(false);
      expect(await ledger.directory()).to.equal(await directory.getAddress());
    });

    it("rejects a zero filing id, content hash or reporter commitment", async () => {
      const { ledger } = await networkHelpers.loadFixture(fixture);
      const id = ethers.id("filing 3");
      const c = commitSecret(SECRET);
      const Z = ethers.ZeroHash;
      for (const [i, h, k] of [
        [Z, CONTENT, c],
        [id, Z, c],
        [id, CONTENT, Z],
      ]) {
        await expect(ledger.file(i, MAE_HIA, ROADS, AREA, h, k))
          .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidFiling")
          .withArgs(i, h, k);
      }
    });

    it("derives the id from the municipality, the filer and the filing id", async () => {
      const { ledger, relayer, reporter, filing1, bySecret } = await networkHelpers.loadFixture(fixture);
      expect(await ledger.complaintIdOf(MAE_HIA, relayer.address, filing1)).to.equal(bySecret);
      for (const [m, filer, filingId] of [
        [SUTHEP, relayer.address, filing1],
        [MAE_HIA, reporter.address, filing1],
        [MAE_HIA, relayer.address, ethers.id("filing 3")],
      ] as const) {
        expect(await ledger.complaintIdOf(m, filer, filingId))
          .to.equal(complaintIdOf(m, filer, filingId))
          .and.not.equal(bySecret);
      }
    });

    it("rejects a filing id the same filer already used in that municipality", async () => {
      const { ledger, relayer, filing1, bySecret } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(relayer).file(filing1, MAE_HIA, WASTE, AREA, CONTENT, commitSecret(NEXT_SECRET)))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerComplaintExists")
        .withArgs(bySecret);
    });

    it("does not let a front-runner block a filing by copying its filing id, for the same town or another", async () => {
      const { ledger, relayer, reporter, suthepAdmin } = await networkHelpers.loadFixture(fixture);
      // The relayer's pending filing is seen in the mempool; a squatter, and another town's relayer, copy
      // its filing id and get mined first.
      const filingId = ethers.id("filing 3");
      const squatted = commitSecret(ethers.id("squatter's secret"));
      await ledger.connect(reporter).file(filingId, MAE_HIA, ROADS, AREA, CONTENT, squatted);
      await ledger.connect(suthepAdmin).file(filingId, SUTHEP, ROADS, AREA, CONTENT, squatted);
      await ledger.connect(relayer).file(filingId, SUTHEP, ROADS, AREA, CONTENT, squatted);

      const id = complaintIdOf(MAE_HIA, relayer.address, filingId);
      const filedAt = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(filedAt);
      await expect(ledger.connect(relayer).file(filingId, MAE_HIA, WASTE, AREA, CONTENT, commitSecret(SECRET)))
        .to.emit(ledger, "ComplaintFiled")
        .withArgs(id, MAE_HIA, filingId, WASTE, AREA, CONTENT, commitSecret(SECRET), filedAt + DAY);
      expect((await ledger.complaint(id)).reporterCommitment).to.equal(commitSecret(SECRET));
      const squatters = [
        complaintIdOf(MAE_HIA, reporter.address, filingId),
        complaintIdOf(SUTHEP, suthepAdmin.address, filingId),
        complaintIdOf(SUTHEP, relayer.address, filingId),
      ];
      expect(new Set([id, ...squatters]).size).to.equal(4);
      for (const squatter of squatters) expect((await ledger.complaint(squatter)).category).to.equal(ROADS);
    });

    it("rejects categories never set up in that municipality or switched off", async () => {
      const { ledger, maeHiaAdmin } = await networkHelpers.loadFixture(fixture);
      const id = ethers.id("filing 3");
      const noise = ethers.id("NOISE");
      await expect(ledger.file(id, MAE_HIA, noise, AREA, CONTENT, commitSecret(SECRET)))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerCategoryInactive")
        .withArgs(MAE_HIA, noise);
      await expect(ledger.file(id, SUTHEP, WASTE, AREA, CONTENT, commitSecret(SECRET)))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerCategoryInactive")
        .withArgs(SUTHEP, WASTE);
      await ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, WASTE, DAY, false);
      await expect(ledger.file(id, MAE_HIA, WASTE, AREA, CONTENT, commitSecret(SECRET)))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerCategoryInactive")
        .withArgs(MAE_HIA, WASTE);
    });

    it("rejects filing into an unknown or a suspended municipality", async () => {
      const { ledger, directory } = await networkHelpers.loadFixture(fixture);
      const id = ethers.id("filing 3");
      for (const m of [0, 3]) {
        await expect(ledger.file(id, m, ROADS, AREA, CONTENT, commitSecret(SECRET)))
          .to.be.revertedWithCustomError(ledger, "DirectoryUnknownMunicipality")
          .withArgs(m);
      }
      await directory.suspendMunicipality(MAE_HIA, REASON);
      await expect(ledger.file(id, MAE_HIA, ROADS, AREA, CONTENT, commitSecret(SECRET)))
        .to.be.revertedWithCustomError(ledger, "DirectoryMunicipalitySuspended")
        .withArgs(MAE_HIA);
    });

    it("knows no record of a complaint never filed", async () => {
      const { ledger } = await networkHelpers.loadFixture(fixture);
      const id = ethers.id("never filed");
      await expect(ledger.complaint(id))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerUnknownComplaint")
        .withArgs(id);
      expect(await ledger.isOverdue(id)).to.equal(false);
    });
  });

  describe("officer workflow", () => {
    it("records the full life cycle filed → acknowledged → in progress → resolved → confirmed", async () => {
      const { ledger, officer, relayer, bySecret } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(officer).acknowledge(bySecret))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Acknowledged, Status.Filed, officer.address, ethers.ZeroHash, 0);
      await expect(ledger.connect(officer).startWork(bySecret, NOTE))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.InProgress, Status.Acknowledged, officer.address, NOTE, 0);
      const resolvedAt = (await time.latest()) + 100;
      await time.setNextBlockTimestamp(resolvedAt);
      await expect(ledger.connect(officer).resolve(bySecret, EVIDENCE))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Resolved, Status.InProgress, officer.address, EVIDENCE, 0);
      expect((await ledger.complaint(bySecret)).updatedAt).to.equal(resolvedAt);
      await expect(ledger.connect(relayer).confirmBySecret(bySecret, SECRET))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Confirmed, Status.Resolved, relayer.address, ethers.ZeroHash, 0);
      expect((await ledger.complaint(bySecret)).status).to.equal(Status.Confirmed);
    });

    it("lets work start straight from filing", async () => {
      const { ledger, officer, bySecret } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(officer).startWork(bySecret, ethers.ZeroHash))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.InProgress, Status.Filed, officer.address, ethers.ZeroHash, 0);
    });

    it("closes open complaints as rejected, not responsible or duplicate with a reason", async () => {
      const { ledger, officer, relayer, bySecret, byAddress } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(officer).close(bySecret, Status.Rejected, 12, REASON))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Rejected, Status.Filed, officer.address, REASON, 12);

      await ledger.connect(officer).startWork(byAddress, NOTE);
      await expect(ledger.connect(officer).close(byAddress, Status.NotResponsible, 3, REASON))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(byAddress, Status.NotResponsible, Status.InProgress, officer.address, REASON, 3);

      const copy = complaintIdOf(MAE_HIA, relayer.address, ethers.id("filing 3"));
      await ledger.connect(relayer).file(ethers.id("filing 3"), MAE_HIA, ROADS, AREA, CONTENT, commitSecret(NEXT_SECRET));
      await ledger.connect(officer).acknowledge(copy);
      await expect(ledger.connect(officer).close(copy, Status.Duplicate, 1, bySecret))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(copy, Status.Duplicate, Status.Acknowledged, officer.address, bySecret, 1);
    });

    it("rejects close outcomes other than rejected, duplicate or not responsible", async () => {
      const { ledger, officer, bySecret } = await networkHelpers.loadFixture(fixture);
      for (const outcome of [Status.None, Status.Filed, Status.Resolved, Status.Confirmed, Status.Reopened]) {
        await expect(ledger.connect(officer).close(bySecret, outcome, 1, REASON))
          .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidOutcome")
          .withArgs(bySecret, outcome);
      }
    });

    it("requires a reason code to close, and a real original for a duplicate", async () => {
      const { ledger, officer, otherOfficer, relayer, bySecret } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.connect(officer).close(bySecret, Status.Rejected, 0, REASON))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerMissingReasonCode")
        .withArgs(bySecret);
      const elsewhere = complaintIdOf(SUTHEP, relayer.address, ethers.id("suthep filing"));
      await ledger.connect(relayer).file(ethers.id("suthep filing"), SUTHEP, ROADS, AREA, CONTENT, commitSecret(SECRET));
      for (const original of [bySecret, ethers.id("never filed"), elsewhere]) {
        await expect(ledger.connect(officer).close(bySecret, Status.Duplicate, 1, original))
          .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidDuplicate")
          .withArgs(bySecret, original);
      }
      await expect(ledger.connect(otherOfficer).close(elsewhere, Status.Duplicate, 1, bySecret))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidDuplicate")
        .withArgs(elsewhere, bySecret);
    });

    it("requires evidence to resolve", async () => {
      const { ledger, officer, bySecret } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(officer).startWork(bySecret, NOTE);
      await expect(ledger.connect(officer).resolve(bySecret, ethers.ZeroHash))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerMissingEvidence")
        .withArgs(bySecret);
    });

    it("refuses every transition the life cycle does not allow", async () => {
      type Action = {
        name: string;
        requested: StatusValue;
        from: StatusValue[];
        run: (f: Fixture, id: string) => Promise<unknown>;
      };
      const actions: Action[] = [
        {
          name: "acknowledge",
          requested: Status.Acknowledged,
          from: [Status.Filed, Status.Reopened],
          run: (f, id) => f.ledger.connect(f.officer).acknowledge(id),
        },
        {
          name: "startWork",
          requested: Status.InProgress,
          from: [Status.Filed, Status.Acknowledged, Status.Reopened],
          run: (f, id) => f.ledger.connect(f.officer).startWork(id, NOTE),
        },
        {
          name: "resolve",
          requested: Status.Resolved,
          from: [Status.InProgress],
          run: (f, id) => f.ledger.connect(f.officer).resolve(id, EVIDENCE),
        },
        {
          name: "close",
          requested: Status.Rejected,
          from: [Status.Filed, Status.Acknowledged, Status.InProgress, Status.Reopened],
          run: (f, id) => f.ledger.connect(f.officer).close(id, Status.Rejected, 1, REASON),
        },
        {
          name: "confirmBySecret",
          requested: Status.Confirmed,
          from: [Status.Resolved],
          run: (f, id) => f.ledger.confirmBySecret(id, SECRET),
        },
        {
          name: "reopenBySecret",
          requested: Status.Reopened,
          from: [Status.Resolved],
          run: (f, id) => f.ledger.reopenBySecret(id, SECRET, commitSecret(NEXT_SECRET), REASON),
        },
        {
          name: "confirmBySignature",
          requested: Status.Confirmed,
          from: [Status.Resolved],
          run: (f, id) => f.ledger.confirmBySignature(id, f.reporter.address, FAR_DEADLINE, "0x"),
        },
        {
          name: "reopenBySignature",
          requested: Status.Reopened,
          from: [Status.Resolved],
          run: (f, id) => f.ledger.reopenBySignature(id, f.reporter.address, REASON, FAR_DEADLINE, "0x"),
        },
      ];
      // How to bring the secret-mode complaint into each status.
      const paths: [StatusValue, (f: Fixture, id: string) => Promise<unknown>][] = [
        [Status.Filed, async () => {}],
        [Status.Acknowledged, (f, id) => f.ledger.connect(f.officer).acknowledge(id)],
        [Status.InProgress, (f, id) => f.ledger.connect(f.officer).startWork(id, NOTE)],
        [Status.Resolved, (f, id) => resolve(f, id)],
        [
          Status.Confirmed,
          async (f, id) => {
            await resolve(f, id);
            await f.ledger.confirmBySecret(id, SECRET);
          },
        ],
        [
          Status.Reopened,
          async (f, id) => {
            await resolve(f, id);
            await f.ledger.reopenBySecret(id, SECRET, commitSecret(NEXT_SECRET), REASON);
          },
        ],
        [Status.Rejected, (f, id) => f.ledger.connect(f.officer).close(id, Status.Rejected, 1, REASON)],
        [Status.Duplicate, (f, id) => f.ledger.connect(f.officer).close(id, Status.Duplicate, 1, f.byAddress)],
        [Status.NotResponsible, (f, id) => f.ledger.connect(f.officer).close(id, Status.NotResponsible, 1, REASON)],
      ];
      let refused = 0;
      for (const [status, reach] of paths) {
        const f = await networkHelpers.loadFixture(fixture);
        await reach(f, f.bySecret);
        expect((await f.ledger.complaint(f.bySecret)).status).to.equal(status);
        for (const action of actions.filter((a) => !a.from.includes(status))) {
          await expect(action.run(f, f.bySecret), `${action.name} from ${status}`)
            .to.be.revertedWithCustomError(f.ledger, "ComplaintLedgerInvalidTransition")
            .withArgs(f.bySecret, status, action.requested);
          refused++;
        }
      }
      expect(refused).to.equal(9 * 8 - 14);
    });

    it("refuses every action on a complaint never filed", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const id = ethers.id("never filed");
      const { ledger, officer, reporter } = f;
      for (const call of [
        () => ledger.connect(officer).acknowledge(id),
        () => ledger.connect(officer).startWork(id, NOTE),
        () => ledger.connect(officer).resolve(id, EVIDENCE),
        () => ledger.connect(officer).close(id, Status.Rejected, 1, REASON),
        () => ledger.confirmBySecret(id, SECRET),
        () => ledger.reopenBySecret(id, SECRET, commitSecret(NEXT_SECRET), REASON),
        () => ledger.confirmBySignature(id, reporter.address, FAR_DEADLINE, "0x"),
        () => ledger.reopenBySignature(id, reporter.address, REASON, FAR_DEADLINE, "0x"),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(ledger, "ComplaintLedgerUnknownComplaint").withArgs(id);
      }
    });
  });

  describe("officer role boundaries", () => {
    const officerCalls = (ledger: Ledger, signer: HardhatEthersSigner, id: string) => [
      () => ledger.connect(signer).acknowledge(id),
      () => ledger.connect(signer).startWork(id, NOTE),
      () => ledger.connect(signer).resolve(id, EVIDENCE),
      () => ledger.connect(signer).close(id, Status.Rejected, 1, REASON),
    ];

    it("refuses officers without the complaint role, strangers and other municipalities' officers", async () => {
      const { ledger, engineer, relayer, otherOfficer, maeHiaAdmin, bySecret } = await networkHelpers.loadFixture(
        fixture,
      );
      for (const signer of [engineer, relayer, otherOfficer, maeHiaAdmin]) {
        for (const call of officerCalls(ledger, signer, bySecret)) {
          await expect(call())
            .to.be.revertedWithCustomError(ledger, "DirectoryUnauthorizedAccount")
            .withArgs(MAE_HIA, ROLES.COMPLAINT_OFFICER, signer.address);
        }
      }
    });

    it("lets the officers of a suspended municipality do nothing", async () => {
      const { directory, ledger, officer, bySecret } = await networkHelpers.loadFixture(fixture);
      await directory.suspendMunicipality(MAE_HIA, REASON);
      for (const call of officerCalls(ledger, officer, bySecret)) {
        await expect(call()).to.be.revertedWithCustomError(ledger, "DirectoryMunicipalitySuspended").withArgs(MAE_HIA);
      }
      await directory.reinstateMunicipality(MAE_HIA);
      await ledger.connect(officer).acknowledge(bySecret);
    });
  });

  describe("reporter proof by secret", () => {
    it("confirms only with the committed secret, relayed by anyone", async () => {
      const { ledger, relayer, bySecret } = await networkHelpers.loadFixture(resolvedFixture);
      await expect(ledger.connect(relayer).confirmBySecret(bySecret, NEXT_SECRET))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerNotReporter")
        .withArgs(bySecret);
      await expect(ledger.connect(relayer).confirmBySecret(bySecret, SECRET))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Confirmed, Status.Resolved, relayer.address, ethers.ZeroHash, 0);
    });

    it("reopens as closed-not-fixed, rotates the commitment, restarts the SLA, and runs to confirmation", async () => {
      const { ledger, officer, relayer, bySecret } = await networkHelpers.loadFixture(resolvedFixture);
      const next = commitSecret(NEXT_SECRET);
      const reopenedAt = (await time.latest()) + 5 * DAY;
      await time.setNextBlockTimestamp(reopenedAt);
      const tx = ledger.connect(relayer).reopenBySecret(bySecret, SECRET, next, REASON);
      await expect(tx)
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Reopened, Status.Resolved, relayer.address, REASON, 0);
      await expect(tx)
        .to.emit(ledger, "ComplaintDeadlineReset")
        .withArgs(bySecret, reopenedAt + ROADS_SLA);
      await expect(tx).to.emit(ledger, "ComplaintCommitmentRotated").withArgs(bySecret, next);
      const c = await ledger.complaint(bySecret);
      expect([c.status, c.reopenCount, c.dueAt, c.updatedAt, c.reporterCommitment]).to.deep.equal([
        BigInt(Status.Reopened),
        1n,
        BigInt(reopenedAt + ROADS_SLA),
        BigInt(reopenedAt),
        next,
      ]);

      await expect(ledger.connect(officer).startWork(bySecret, NOTE))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.InProgress, Status.Reopened, officer.address, NOTE, 0);
      await ledger.connect(officer).resolve(bySecret, EVIDENCE);
      // The revealed secret is public now: it no longer proves anything.
      await expect(ledger.confirmBySecret(bySecret, SECRET))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerNotReporter")
        .withArgs(bySecret);
      await expect(ledger.connect(relayer).confirmBySecret(bySecret, NEXT_SECRET))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Confirmed, Status.Resolved, relayer.address, ethers.ZeroHash, 0);
    });

    it("lets an officer acknowledge a reopened complaint", async () => {
      const { ledger, officer, bySecret } = await networkHelpers.loadFixture(resolvedFixture);
      await ledger.reopenBySecret(bySecret, SECRET, commitSecret(NEXT_SECRET), ethers.ZeroHash);
      await expect(ledger.connect(officer).acknowledge(bySecret))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(bySecret, Status.Acknowledged, Status.Reopened, officer.address, ethers.ZeroHash, 0);
    });

    it("refuses a wrong secret, and a rotated commitment that is zero or unchanged", async () => {
      const { ledger, bySecret } = await networkHelpers.loadFixture(resolvedFixture);
      await expect(ledger.reopenBySecret(bySecret, NEXT_SECRET, commitSecret(NEXT_SECRET), REASON))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerNotReporter")
        .withArgs(bySecret);
      for (const next of [ethers.ZeroHash, commitSecret(SECRET)]) {
        await expect(ledger.reopenBySecret(bySecret, SECRET, next, REASON))
          .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidCommitment")
          .withArgs(bySecret, next);
      }
    });

    it("restarts a reopened complaint's clock with the category's current SLA, even if switched off", async () => {
      const { ledger, maeHiaAdmin, bySecret } = await networkHelpers.loadFixture(resolvedFixture);
      await ledger.connect(maeHiaAdmin).setCategory(MAE_HIA, ROADS, DAY, false);
      const reopenedAt = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(reopenedAt);
      await expect(ledger.reopenBySecret(bySecret, SECRET, commitSecret(NEXT_SECRET), REASON))
        .to.emit(ledger, "ComplaintDeadlineReset")
        .withArgs(bySecret, reopenedAt + DAY);
    });

    it("keeps the reporter's voice while the municipality is suspended", async () => {
      const { directory, ledger, bySecret, byAddress, reporter } = await networkHelpers.loadFixture(resolvedFixture);
      await directory.suspendMunicipality(MAE_HIA, REASON);
      await ledger.confirmBySecret(bySecret, SECRET);
      const { signature } = await signAction(ledger, reporter, byAddress, REOPEN, REASON);
      await ledger.reopenBySignature(byAddress, reporter.address, REASON, FAR_DEADLINE, signature);
      expect((await ledger.complaint(byAddress)).status).to.equal(Status.Reopened);
    });
  });

  describe("reporter proof by signature", () => {
    it("exposes the EIP-712 domain, type hash and digest that clients sign", async () => {
      const { ledger, reporter, byAddress } = await networkHelpers.loadFixture(fixture);
      const domain = await ledger.eip712Domain();
      expect([domain.name, domain.version, domain.verifyingContract]).to.deep.equal([
        "ComplaintLedger",
        "1",
        await ledger.getAddress(),
      ]);
      expect(await ledger.REPORTER_ACTION_TYPEHASH()).to.equal(
        ethers.id("ReporterAction(bytes32 complaintId,uint8 action,bytes32 reasonHash,uint256 nonce,uint256 deadline)"),
      );
      expect([await ledger.ACTION_CONFIRM(), await ledger.ACTION_REOPEN()]).to.deep.equal([
        BigInt(CONFIRM),
        BigInt(REOPEN),
      ]);
      const { digest, nonce } = await signAction(ledger, reporter, byAddress, REOPEN, REASON, 1234n);
      expect(await ledger.hashReporterAction(byAddress, REOPEN, REASON, nonce, 1234n)).to.equal(digest);
    });

    it("confirms with the reporter's signature, relayed by anyone, and uses up the nonce", async () => {
      const { ledger, reporter, relayer, byAddress } = await networkHelpers.loadFixture(resolvedFixture);
      const { signature } = await signAction(ledger, reporter, byAddress, CONFIRM, ethers.ZeroHash);
      await expect(ledger.connect(relayer).confirmBySignature(byAddress, reporter.address, FAR_DEADLINE, signature))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(byAddress, Status.Confirmed, Status.Resolved, reporter.address, ethers.ZeroHash, 0);
      expect(await ledger.nonces(reporter.address)).to.equal(1);
    });

    it("reopens with the reporter's signature, keeps the commitment, and confirms after the rework", async () => {
      const { ledger, officer, reporter, relayer, byAddress } = await networkHelpers.loadFixture(resolvedFixture);
      const { signature } = await signAction(ledger, reporter, byAddress, REOPEN, REASON);
      const reopenedAt = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(reopenedAt);
      const tx = ledger
        .connect(relayer)
        .reopenBySignature(byAddress, reporter.address, REASON, FAR_DEADLINE, signature);
      await expect(tx)
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(byAddress, Status.Reopened, Status.Resolved, reporter.address, REASON, 0);
      await expect(tx)
        .to.emit(ledger, "ComplaintDeadlineReset")
        .withArgs(byAddress, reopenedAt + ROADS_SLA);
      await expect(tx).not.to.emit(ledger, "ComplaintCommitmentRotated");
      const c = await ledger.complaint(byAddress);
      expect([c.reopenCount, c.reporterCommitment]).to.deep.equal([1n, commitAddress(reporter.address)]);

      await resolve({ ledger, officer }, byAddress);
      const confirm = await signAction(ledger, reporter, byAddress, CONFIRM, ethers.ZeroHash);
      expect(confirm.nonce).to.equal(1n);
      await expect(ledger.confirmBySignature(byAddress, reporter.address, FAR_DEADLINE, confirm.signature))
        .to.emit(ledger, "ComplaintStatusChanged")
        .withArgs(byAddress, Status.Confirmed, Status.Resolved, reporter.address, ethers.ZeroHash, 0);
    });

    it("refuses a signature by anyone but the reporter, or for another action", async () => {
      const { ledger, reporter, relayer, byAddress } = await networkHelpers.loadFixture(resolvedFixture);
      const forged = await signAction(ledger, relayer, byAddress, CONFIRM, ethers.ZeroHash);
      await expect(ledger.confirmBySignature(byAddress, reporter.address, FAR_DEADLINE, forged.signature))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidSigner")
        .withArgs(relayer.address, reporter.address);

      const confirm = await signAction(ledger, reporter, byAddress, CONFIRM, ethers.ZeroHash);
      const asReopen = await ledger.hashReporterAction(byAddress, REOPEN, REASON, 0, FAR_DEADLINE);
      await expect(ledger.reopenBySignature(byAddress, reporter.address, REASON, FAR_DEADLINE, confirm.signature))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidSigner")
        .withArgs(ethers.recoverAddress(asReopen, confirm.signature), reporter.address);
    });

    it("refuses a malformed signature, even for the zero address", async () => {
      const { ledger, reporter, relayer, officer } = await networkHelpers.loadFixture(fixture);
      const id = complaintIdOf(MAE_HIA, relayer.address, ethers.id("zero reporter"));
      await ledger.connect(relayer).file(ethers.id("zero reporter"), MAE_HIA, ROADS, AREA, CONTENT, commitAddress(ethers.ZeroAddress));
      await resolve({ ledger, officer }, id);
      await expect(ledger.confirmBySignature(id, ethers.ZeroAddress, FAR_DEADLINE, "0x1234"))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidSigner")
        .withArgs(ethers.ZeroAddress, ethers.ZeroAddress);
      await expect(ledger.confirmBySignature(id, reporter.address, FAR_DEADLINE, "0x1234"))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerNotReporter")
        .withArgs(id);
    });

    it("refuses a replayed signature", async () => {
      const { ledger, officer, reporter, byAddress } = await networkHelpers.loadFixture(resolvedFixture);
      const { signature } = await signAction(ledger, reporter, byAddress, REOPEN, REASON);
      await ledger.reopenBySignature(byAddress, reporter.address, REASON, FAR_DEADLINE, signature);
      await resolve({ ledger, officer }, byAddress);
      const replayDigest = await ledger.hashReporterAction(byAddress, REOPEN, REASON, 1, FAR_DEADLINE);
      await expect(ledger.reopenBySignature(byAddress, reporter.address, REASON, FAR_DEADLINE, signature))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerInvalidSigner")
        .withArgs(ethers.recoverAddress(replayDigest, signature), reporter.address);
    });

    it("refuses an expired signature", async () => {
      const { ledger, reporter, byAddress } = await networkHelpers.loadFixture(resolvedFixture);
      const deadline = BigInt(await time.latest()) + 60n;
      const { signature } = await signAction(ledger, reporter, byAddress, CONFIRM, ethers.ZeroHash, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(ledger.confirmBySignature(byAddress, reporter.address, deadline, signature))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerSignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("refuses an address that is not the committed reporter", async () => {
      const { ledger, reporter, relayer, bySecret, byAddress } = await networkHelpers.loadFixture(resolvedFixture);
      const own = await signAction(ledger, relayer, byAddress, REOPEN, REASON);
      await expect(ledger.reopenBySignature(byAddress, relayer.address, REASON, FAR_DEADLINE, own.signature))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerNotReporter")
        .withArgs(byAddress);
      const onSecret = await signAction(ledger, reporter, bySecret, CONFIRM, ethers.ZeroHash);
      await expect(ledger.confirmBySignature(bySecret, reporter.address, FAR_DEADLINE, onSecret.signature))
        .to.be.revertedWithCustomError(ledger, "ComplaintLedgerNotReporter")
        .withArgs(bySecret);
    });
  });

  describe("SLA", () => {
    it("becomes overdue only after the deadline, while the municipality still owes work", async () => {
      const { ledger, officer, bySecret } = await networkHelpers.loadFixture(fixture);
      const { dueAt } = await ledger.complaint(bySecret);
      await ledger.connect(officer).acknowledge(bySecret);
      await time.increaseTo(dueAt);
      expect(await ledger.isOverdue(bySecret)).to.equal(false);
      await time.increase(1);
      expect(await ledger.isOverdue(bySecret)).to.equal(true);
      await ledger.connect(officer).startWork(bySecret, NOTE);
      expect(await ledger.isOverdue(bySecret)).to.equal(true);
      await ledger.connect(officer).resolve(bySecret, EVIDENCE);
      expect(await ledger.isOverdue(bySecret)).to.equal(false);
    });

    it("is never overdue once closed or confirmed", async () => {
      const { ledger, officer, bySecret, byAddress } = await networkHelpers.loadFixture(fixture);
      await ledger.connect(officer).close(bySecret, Status.Rejected, 1, REASON);
      await resolve({ ledger, officer }, byAddress);
      await time.increase(10 * ROADS_SLA);
      expect([await ledger.isOverdue(bySecret), await ledger.isOverdue(byAddress)]).to.deep.equal([false, false]);
    });

    it("runs a fresh SLA after a reopening", async () => {
      const { ledger, officer, bySecret } = await networkHelpers.loadFixture(fixture);
      await resolve({ ledger, officer }, bySecret);
      await time.increase(10 * ROADS_SLA);
      await ledger.reopenBySecret(bySecret, SECRET, commitSecret(NEXT_SECRET), REASON);
      expect(await ledger.isOverdue(bySecret)).to.equal(false);
      await time.increase(ROADS_SLA + 1);
      expect(await ledger.isOverdue(bySecret)).to.equal(true);
    });
  });
});
