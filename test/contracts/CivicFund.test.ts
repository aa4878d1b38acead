import { expect } from "chai";
import { network } from "hardhat";
import CivicFundModule from "../../scripts/ignition/modules/CivicFund.js";
import type { CivicFund } from "../../types/ethers-contracts/index.js";
import { ROLES } from "./utils/roles.js";

const { ethers, ignition, networkHelpers } = await network.create();
const { time } = networkHelpers;

/** The CivicFund.Phase enum. */
const Phase = { None: 0, Draft: 1, Funding: 2, Succeeded: 3, Failed: 4, Cancelled: 5, Lapsed: 6 } as const;

const MAE_HIA = 1;
const SUTHEP = 2;
const DAY = 24 * 60 * 60;
/** CivicFund.RELEASE_PERIOD: a funded campaign lapses this long after its deadline or latest payment. */
const RELEASE_PERIOD = 180 * DAY;
/** THBT has 2 decimals: amounts are in satang. */
const baht = (n: number) => BigInt(n) * 100n;
const GOAL = baht(100_000);
const MILESTONES = [baht(40_000), baht(60_000)];
const RULES_DOC = ethers.id("ipfs://rules/mae-hia-playground-2026.pdf");
const EVIDENCE = [ethers.id("invoice 2026/001"), ethers.id("inspection 2026/007")];
const REASON = ethers.id("council resolution 2026/3: project moved to the provincial budget");

function rulesHashOf(campaign: CivicFund.CampaignStructOutput, milestoneAmounts: bigint[]) {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint32", "address", "address", "uint256", "uint64", "uint256[]", "bytes32"],
      [
        campaign.municipalityId,
        campaign.token,
        campaign.beneficiary,
        campaign.goal,
        campaign.deadline,
        milestoneAmounts,
        campaign.rulesDocumentHash,
      ],
    ),
  );
}

describe("CivicFund", () => {
  async function fixture() {
    const [nationalAdmin, maeHiaAdmin, treasurer, suthepTreasurer, permitOfficer, alice, bob, carol, beneficiary, stranger] =
      await ethers.getSigners();
    const { directory: d, civicFund: f } = await ignition.deploy(CivicFundModule);
    const directory = await ethers.getContractAt("Directory", await d.getAddress());
    const fund = await ethers.getContractAt("CivicFund", await f.getAddress());
    await directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", maeHiaAdmin.address);
    await directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", maeHiaAdmin.address);
    await directory.connect(maeHiaAdmin).grantRole(MAE_HIA, ROLES.TREASURER, treasurer.address);
    await directory.connect(maeHiaAdmin).grantRole(MAE_HIA, ROLES.PERMIT_OFFICER, permitOfficer.address);
    await directory.connect(maeHiaAdmin).grantRole(SUTHEP, ROLES.TREASURER, suthepTreasurer.address);

    const thbt = await ethers.deployContract("TestBahtToken");
    for (const resident of [alice, bob, carol]) {
      await thbt.mint(resident.address, baht(1_000_000));
      await thbt.connect(resident).approve(await fund.getAddress(), ethers.MaxUint256);
    }
    const deadline = (await time.latest()) + 30 * DAY;

    /** Creates a campaign in THBT with the default terms, overridable one by one. */
    async function create(overrides: Partial<{ token: string; milestones: bigint[]; goal: bigint; deadline: number }> = {}) {
      await fund
        .connect(treasurer)
        .createCampaign(
          MAE_HIA,
          overrides.token ?? (await thbt.getAddress()),
          beneficiary.address,
          overrides.goal ?? GOAL,
          overrides.deadline ?? deadline,
          overrides.milestones ?? MILESTONES,
          RULES_DOC,
        );
      return fund.campaignCount();
    }

    /** The books must balance: per campaign, and the token balance against all THBT campaigns. */
    async function expectBooksBalance() {
      let total = 0n;
      for (let id = 1n; id <= (await fund.campaignCount()); id++) {
        const c = await fund.campaign(id);
        const escrowed = await fund.escrowed(id);
        expect(escrowed).to.equal(c.pledged - c.refunded - c.released);
        if (c.token === (await thbt.getAddress())) total += escrowed;
      }
      expect(await thbt.balanceOf(await fund.getAddress())).to.equal(total);
    }

    return {
      directory,
      fund,
      thbt,
      deadline,
      create,
      expectBooksBalance,
      nationalAdmin,
      treasurer,
      suthepTreasurer,
      permitOfficer,
      alice,
      bob,
      carol,
      beneficiary,
      stranger,
    };
  }

  async function openFixture() {
    const f = await fixture();
    const id = await f.create();
    await f.fund.connect(f.treasurer).openCampaign(id);
    return { ...f, id };
  }
  type OpenFixture = Awaited<ReturnType<typeof openFixture>>;

  /** Alice 70,000 + Bob 50,000 = 120,000 baht against a 100,000 goal, deadline passed. */
  async function succeededFixture() {
    const f = await openFixture();
    await f.fund.connect(f.alice).pledge(f.id, baht(70_000));
    await f.fund.connect(f.bob).pledge(f.id, baht(50_000));
    await time.increaseTo(f.deadline + 1);
    return f;
  }

  /** Alice 30,000 + Bob 20,000 = 50,000 baht against a 100,000 goal, deadline passed. */
  async function failedFixture() {
    const f = await openFixture();
    await f.fund.connect(f.alice).pledge(f.id, baht(30_000));
    await f.fund.connect(f.bob).pledge(f.id, baht(20_000));
    await time.increaseTo(f.deadline + 1);
    return f;
  }

  describe("creating and opening", () => {
    it("runs on THBT, a baht test token counted in satang (2 decimals)", async () => {
      const { thbt } = await networkHelpers.loadFixture(fixture);
      expect([await thbt.symbol(), await thbt.decimals()]).to.deep.equal(["THBT", 2n]);
    });

    it("creates Draft campaigns with sequential ids and their full terms in the event", async () => {
      const { fund, thbt, treasurer, beneficiary, deadline, directory } = await networkHelpers.loadFixture(fixture);
      expect(await fund.directory()).to.equal(await directory.getAddress());
      expect(await fund.campaignCount()).to.equal(0);
      await expect(
        fund
          .connect(treasurer)
          .createCampaign(MAE_HIA, await thbt.getAddress(), beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC),
      )
        .to.emit(fund, "CampaignCreated")
        .withArgs(1, MAE_HIA, await thbt.getAddress(), beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC, treasurer.address);
      expect(await fund.campaignCount()).to.equal(1);
      expect(await fund.phase(1)).to.equal(Phase.Draft);
      expect(await fund.milestones(1)).to.deep.equal(MILESTONES);
      const c = await fund.campaign(1);
      expect([c.municipalityId, c.token, c.beneficiary, c.goal, c.deadline, c.rulesDocumentHash]).to.deep.equal([
        BigInt(MAE_HIA),
        await thbt.getAddress(),
        beneficiary.address,
        GOAL,
        BigInt(deadline),
        RULES_DOC,
      ]);
      expect([c.rulesHash, c.opened, c.cancelled, c.pledged, c.refunded, c.released, c.offchainTotal, c.nextMilestone])
        .to.deep.equal([ethers.ZeroHash, false, false, 0n, 0n, 0n, 0n, 0n]);
      await fund
        .connect(treasurer)
        .createCampaign(MAE_HIA, await thbt.getAddress(), beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC);
      expect(await fund.campaignCount()).to.equal(2);
    });

    it("rejects zero addresses, a goal of zero or of 2^96 and more, and a deadline not in the future or past 2^40", async () => {
      const { fund, thbt, treasurer, beneficiary, deadline } = await networkHelpers.loadFixture(fixture);
      const token = await thbt.getAddress();
      const asTreasurer = fund.connect(treasurer);
      await expect(asTreasurer.createCampaign(MAE_HIA, ethers.ZeroAddress, beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidAddress")
        .withArgs(ethers.ZeroAddress, beneficiary.address);
      await expect(asTreasurer.createCampaign(MAE_HIA, token, ethers.ZeroAddress, GOAL, deadline, MILESTONES, RULES_DOC))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidAddress")
        .withArgs(token, ethers.ZeroAddress);
      await expect(asTreasurer.createCampaign(MAE_HIA, token, beneficiary.address, 0, deadline, MILESTONES, RULES_DOC))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidGoal")
        .withArgs(0);
      const tooBig = 2n ** 96n;
      await expect(asTreasurer.createCampaign(MAE_HIA, token, beneficiary.address, tooBig, deadline, [tooBig], RULES_DOC))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidGoal")
        .withArgs(tooBig);
      const largest = tooBig - 1n;
      await expect(asTreasurer.createCampaign(MAE_HIA, token, beneficiary.address, largest, deadline, [largest], RULES_DOC)).to.emit(
        fund,
        "CampaignCreated",
      );
      expect((await fund.campaign(1)).goal).to.equal(largest);
      const farFuture = 2n ** 40n;
      const at = (await time.latest()) + 5;
      await time.setNextBlockTimestamp(at);
      await expect(asTreasurer.createCampaign(MAE_HIA, token, beneficiary.address, GOAL, farFuture, MILESTONES, RULES_DOC))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidDeadline")
        .withArgs(farFuture, at);
      const now = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(now);
      await expect(asTreasurer.createCampaign(MAE_HIA, token, beneficiary.address, GOAL, now, MILESTONES, RULES_DOC))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidDeadline")
        .withArgs(now, now);
    });

    it("requires 1 to 32 non-zero milestones adding up exactly to the goal", async () => {
      const { fund, create } = await networkHelpers.loadFixture(fixture);
      await expect(create({ milestones: [] }))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidMilestoneCount")
        .withArgs(0, 32);
      await expect(create({ milestones: Array<bigint>(33).fill(1n), goal: 33n }))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidMilestoneCount")
        .withArgs(33, 32);
      await expect(create({ milestones: [GOAL, 0n] }))
        .to.be.revertedWithCustomError(fund, "CivicFundZeroMilestone")
        .withArgs(1);
      await expect(create({ milestones: [baht(40_000), baht(59_999)] }))
        .to.be.revertedWithCustomError(fund, "CivicFundMilestonesNotGoal")
        .withArgs(baht(99_999), GOAL);
      await create({ milestones: Array<bigint>(32).fill(1n), goal: 32n });
      expect(await fund.milestones(1)).to.have.length(32);
    });

    it("opens a Draft campaign and freezes the hash of its rules", async () => {
      const { fund, treasurer, create } = await networkHelpers.loadFixture(fixture);
      const id = await create();
      const expected = rulesHashOf(await fund.campaign(id), MILESTONES);
      await expect(fund.connect(treasurer).openCampaign(id))
        .to.emit(fund, "CampaignOpened")
        .withArgs(id, expected, treasurer.address);
      const c = await fund.campaign(id);
      expect([c.opened, c.rulesHash]).to.deep.equal([true, expected]);
      expect(await fund.phase(id)).to.equal(Phase.Funding);
    });

    it("opens a campaign only once, only from Draft, and only before its deadline", async () => {
      const { fund, treasurer, create, deadline } = await networkHelpers.loadFixture(fixture);
      const id = await create();
      await fund.connect(treasurer).openCampaign(id);
      await expect(fund.connect(treasurer).openCampaign(id))
        .to.be.revertedWithCustomError(fund, "CivicFundNotDraft")
        .withArgs(id, Phase.Funding);
      const cancelled = await create();
      await fund.connect(treasurer).cancelCampaign(cancelled, REASON);
      await expect(fund.connect(treasurer).openCampaign(cancelled))
        .to.be.revertedWithCustomError(fund, "CivicFundNotDraft")
        .withArgs(cancelled, Phase.Cancelled);
      const late = await create();
      await time.setNextBlockTimestamp(deadline);
      await expect(fund.connect(treasurer).openCampaign(late))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidDeadline")
        .withArgs(deadline, deadline);
      expect(await fund.phase(late)).to.equal(Phase.Draft);
    });
  });

  describe("pledging", () => {
    it("escrows pledges, keeps per-pledger and campaign totals, and emits the resident's receipt", async () => {
      const { fund, thbt, id, alice, bob, expectBooksBalance } = await networkHelpers.loadFixture(openFixture);
      await expect(fund.connect(alice).pledge(id, baht(500)))
        .to.emit(fund, "Pledged")
        .withArgs(id, alice.address, baht(500), baht(500), baht(500));
      await expect(fund.connect(bob).pledge(id, baht(1_000)))
        .to.emit(fund, "Pledged")
        .withArgs(id, bob.address, baht(1_000), baht(1_000), baht(1_500));
      await expect(fund.connect(alice).pledge(id, baht(250)))
        .to.emit(fund, "Pledged")
        .withArgs(id, alice.address, baht(250), baht(750), baht(1_750))
        .and.to.emit(thbt, "Transfer")
        .withArgs(alice.address, await fund.getAddress(), baht(250));
      expect(await fund.pledgeOf(id, alice.address)).to.equal(baht(750));
      expect(await fund.pledgeOf(id, bob.address)).to.equal(baht(1_000));
      expect((await fund.campaign(id)).pledged).to.equal(baht(1_750));
      expect(await fund.escrowed(id)).to.equal(baht(1_750));
      await expectBooksBalance();
    });

    it("rejects zero pledges", async () => {
      const { fund, id, alice } = await networkHelpers.loadFixture(openFixture);
      await expect(fund.connect(alice).pledge(id, 0)).to.be.revertedWithCustomError(fund, "CivicFundZeroAmount").withArgs(id);
    });

    it("takes pledges up to and including the deadline second, never after it", async () => {
      const { fund, id, alice, deadline } = await networkHelpers.loadFixture(openFixture);
      await time.setNextBlockTimestamp(deadline);
      await fund.connect(alice).pledge(id, GOAL);
      await expect(fund.connect(alice).pledge(id, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundNotFunding")
        .withArgs(id, Phase.Succeeded);
    });

    it("takes no pledges in Draft, after a missed goal, or once cancelled", async () => {
      const { fund, treasurer, alice, create, deadline } = await networkHelpers.loadFixture(fixture);
      const draft = await create();
      await expect(fund.connect(alice).pledge(draft, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundNotFunding")
        .withArgs(draft, Phase.Draft);
      const cancelled = await create();
      await fund.connect(treasurer).openCampaign(cancelled);
      await fund.connect(treasurer).cancelCampaign(cancelled, REASON);
      await expect(fund.connect(alice).pledge(cancelled, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundNotFunding")
        .withArgs(cancelled, Phase.Cancelled);
      const failed = await create();
      await fund.connect(treasurer).openCampaign(failed);
      await time.increaseTo(deadline + 1);
      await expect(fund.connect(alice).pledge(failed, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundNotFunding")
        .withArgs(failed, Phase.Failed);
    });

    it("takes no new pledges while the municipality is suspended, yet keeps refunds open", async () => {
      const { fund, directory, id, alice, deadline, expectBooksBalance } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, baht(100));
      await directory.suspendMunicipality(MAE_HIA, ethers.id("audit finding 2026/14"));
      await expect(fund.connect(alice).pledge(id, 1))
        .to.be.revertedWithCustomError(fund, "DirectoryMunicipalitySuspended")
        .withArgs(MAE_HIA);
      await time.increaseTo(deadline + 1);
      await expect(fund.connect(alice).refund(id)).to.emit(fund, "Refunded").withArgs(id, alice.address, baht(100));
      await expectBooksBalance();
    });

    it("credits only what arrived from a fee-on-transfer token", async () => {
      const { fund, create, treasurer, alice, deadline } = await networkHelpers.loadFixture(fixture);
      const fot = await ethers.deployContract("FeeOnTransferToken", [100]); // 1 %
      await fot.mint(alice.address, 10_000);
      await fot.connect(alice).approve(await fund.getAddress(), ethers.MaxUint256);
      const id = await create({ token: await fot.getAddress(), goal: 10_000n, milestones: [10_000n] });
      await fund.connect(treasurer).openCampaign(id);
      await expect(fund.connect(alice).pledge(id, 10_000))
        .to.emit(fund, "Pledged")
        .withArgs(id, alice.address, 9_900, 9_900, 9_900);
      expect(await fot.balanceOf(await fund.getAddress())).to.equal(9_900);
      expect(await fund.escrowed(id)).to.equal(9_900);

      // 9,900 < 10,000: the fee made the campaign miss its goal, and the refund is what was credited.
      await time.increaseTo(deadline + 1);
      expect(await fund.phase(id)).to.equal(Phase.Failed);
      await expect(fund.connect(alice).refund(id)).to.emit(fund, "Refunded").withArgs(id, alice.address, 9_900);
      expect(await fot.balanceOf(await fund.getAddress())).to.equal(0);
      expect(await fot.balanceOf(alice.address)).to.equal(9_900 - 99);
    });

    it("refuses a pledge of which nothing arrives", async () => {
      const { fund, create, treasurer, alice } = await networkHelpers.loadFixture(fixture);
      const fot = await ethers.deployContract("FeeOnTransferToken", [10_000]); // takes everything
      await fot.mint(alice.address, 500);
      await fot.connect(alice).approve(await fund.getAddress(), ethers.MaxUint256);
      const id = await create({ token: await fot.getAddress() });
      await fund.connect(treasurer).openCampaign(id);
      await expect(fund.connect(alice).pledge(id, 500))
        .to.be.revertedWithCustomError(fund, "CivicFundNothingReceived")
        .withArgs(id, 500);
      await fot.setFeeBasisPoints(0);
      await expect(fund.connect(alice).pledge(id, 500)).to.emit(fund, "Pledged").withArgs(id, alice.address, 500, 500, 500);
    });
  });

  describe("off-chain pledges", () => {
    const RECEIPT = ethers.id("salted hash of cash receipt MH-2026-000123");

    it("records cash and bank receipts in a separate total that never counts toward the goal", async () => {
      const { fund, treasurer, id, deadline } = await networkHelpers.loadFixture(openFixture);
      await expect(fund.connect(treasurer).recordOffchainPledge(id, RECEIPT, GOAL))
        .to.emit(fund, "OffchainPledgeRecorded")
        .withArgs(id, RECEIPT, GOAL, GOAL, treasurer.address);
      const second = ethers.id("bank transfer 2026-05-01 ref 88");
      await expect(fund.connect(treasurer).recordOffchainPledge(id, second, baht(5)))
        .to.emit(fund, "OffchainPledgeRecorded")
        .withArgs(id, second, baht(5), GOAL + baht(5), treasurer.address);
      expect(await fund.offchainReceipt(id, RECEIPT)).to.equal(GOAL);
      expect(await fund.offchainReceipt(id, ethers.id("never recorded"))).to.equal(0);
      const c = await fund.campaign(id);
      expect([c.offchainTotal, c.pledged]).to.deep.equal([GOAL + baht(5), 0n]);
      await time.increaseTo(deadline + 1);
      expect(await fund.phase(id)).to.equal(Phase.Failed);
    });

    it("rejects a zero receipt hash, a receipt recorded twice and a zero amount", async () => {
      const { fund, treasurer, id } = await networkHelpers.loadFixture(openFixture);
      const asTreasurer = fund.connect(treasurer);
      await expect(asTreasurer.recordOffchainPledge(id, ethers.ZeroHash, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundInvalidReceipt")
        .withArgs(id, ethers.ZeroHash);
      await expect(asTreasurer.recordOffchainPledge(id, RECEIPT, 0))
        .to.be.revertedWithCustomError(fund, "CivicFundZeroAmount")
        .withArgs(id);
      await asTreasurer.recordOffchainPledge(id, RECEIPT, 1);
      await expect(asTreasurer.recordOffchainPledge(id, RECEIPT, 2))
        .to.be.revertedWithCustomError(fund, "CivicFundDuplicateReceipt")
        .withArgs(id, RECEIPT);
    });

    it("records receipts only while the campaign is in Funding", async () => {
      const { fund, treasurer, create, deadline } = await networkHelpers.loadFixture(fixture);
      const draft = await create();
      await expect(fund.connect(treasurer).recordOffchainPledge(draft, RECEIPT, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundNotFunding")
        .withArgs(draft, Phase.Draft);
      await fund.connect(treasurer).openCampaign(draft);
      await time.increaseTo(deadline + 1);
      await expect(fund.connect(treasurer).recordOffchainPledge(draft, RECEIPT, 1))
        .to.be.revertedWithCustomError(fund, "CivicFundNotFunding")
        .withArgs(draft, Phase.Failed);
    });
  });

  describe("a missed goal", () => {
    it("lets each pledger refund their own whole pledge, once", async () => {
      const { fund, thbt, id, alice, bob, expectBooksBalance } = await networkHelpers.loadFixture(failedFixture);
      expect(await fund.phase(id)).to.equal(Phase.Failed);
      const before = await thbt.balanceOf(alice.address);
      await expect(fund.connect(alice).refund(id))
        .to.emit(fund, "Refunded")
        .withArgs(id, alice.address, baht(30_000))
        .and.to.emit(thbt, "Transfer")
        .withArgs(await fund.getAddress(), alice.address, baht(30_000));
      expect(await thbt.balanceOf(alice.address)).to.equal(before + baht(30_000));
      expect(await fund.pledgeOf(id, alice.address)).to.equal(0);
      expect(await fund.escrowed(id)).to.equal(baht(20_000));
      await expectBooksBalance();

      await expect(fund.connect(alice).refund(id))
        .to.be.revertedWithCustomError(fund, "CivicFundNothingToRefund")
        .withArgs(id, alice.address);
      await fund.connect(bob).refund(id);
      const c = await fund.campaign(id);
      expect([c.pledged, c.refunded, c.released]).to.deep.equal([baht(50_000), baht(50_000), 0n]);
      expect(await fund.escrowed(id)).to.equal(0);
      await expectBooksBalance();
    });

    it("refunds nothing to someone who never pledged", async () => {
      const { fund, id, carol } = await networkHelpers.loadFixture(failedFixture);
      await expect(fund.connect(carol).refund(id))
        .to.be.revertedWithCustomError(fund, "CivicFundNothingToRefund")
        .withArgs(id, carol.address);
    });

    it("allows no refund while funding, from a Draft, or after success", async () => {
      const { fund, id, alice, create } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, GOAL);
      await expect(fund.connect(alice).refund(id))
        .to.be.revertedWithCustomError(fund, "CivicFundNotRefundable")
        .withArgs(id, Phase.Funding);
      const draft = await create();
      await expect(fund.connect(alice).refund(draft))
        .to.be.revertedWithCustomError(fund, "CivicFundNotRefundable")
        .withArgs(draft, Phase.Draft);
      const { fund: f2, id: succeeded, alice: a2 } = await networkHelpers.loadFixture(succeededFixture);
      await expect(f2.connect(a2).refund(succeeded))
        .to.be.revertedWithCustomError(f2, "CivicFundNotRefundable")
        .withArgs(succeeded, Phase.Succeeded);
    });

    it("releases no milestone from a failed campaign", async () => {
      const { fund, treasurer, id } = await networkHelpers.loadFixture(failedFixture);
      await expect(fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "CivicFundNotSucceeded")
        .withArgs(id, Phase.Failed);
    });
  });

  describe("cancellation", () => {
    it("cancels a Draft campaign", async () => {
      const { fund, treasurer, create } = await networkHelpers.loadFixture(fixture);
      const id = await create();
      await expect(fund.connect(treasurer).cancelCampaign(id, REASON))
        .to.emit(fund, "CampaignCancelled")
        .withArgs(id, REASON, treasurer.address);
      expect(await fund.phase(id)).to.equal(Phase.Cancelled);
      expect((await fund.campaign(id)).cancelled).to.equal(true);
    });

    it("cancels a funding campaign below its goal, after which pledgers refund and nothing is released", async () => {
      const { fund, treasurer, id, alice, bob, deadline, expectBooksBalance } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, GOAL - baht(2));
      await fund.connect(bob).pledge(id, baht(1));
      await expect(fund.connect(treasurer).cancelCampaign(id, REASON))
        .to.emit(fund, "CampaignCancelled")
        .withArgs(id, REASON, treasurer.address);
      const c = await fund.campaign(id);
      expect([c.opened, c.cancelled]).to.deep.equal([true, true]);
      await expect(fund.connect(alice).refund(id)).to.emit(fund, "Refunded").withArgs(id, alice.address, GOAL - baht(2));
      await time.increaseTo(deadline + 1);
      expect(await fund.phase(id)).to.equal(Phase.Cancelled);
      await expect(fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "CivicFundNotSucceeded")
        .withArgs(id, Phase.Cancelled);
      await expect(fund.connect(bob).refund(id)).to.emit(fund, "Refunded").withArgs(id, bob.address, baht(1));
      await expectBooksBalance();
    });

    it("refuses to cancel a campaign whose pledges reached its goal, saying how much was pledged", async () => {
      const { fund, treasurer, id, alice, bob, deadline } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, GOAL - 1n);
      await fund.connect(bob).pledge(id, 1n);
      await expect(fund.connect(treasurer).cancelCampaign(id, REASON))
        .to.be.revertedWithCustomError(fund, "CivicFundGoalReached")
        .withArgs(id, GOAL, GOAL);
      await fund.connect(bob).pledge(id, baht(5));
      await expect(fund.connect(treasurer).cancelCampaign(id, REASON))
        .to.be.revertedWithCustomError(fund, "CivicFundGoalReached")
        .withArgs(id, GOAL + baht(5), GOAL);
      expect(await fund.phase(id)).to.equal(Phase.Funding);
      await time.increaseTo(deadline + 1);
      expect(await fund.phase(id)).to.equal(Phase.Succeeded);
    });

    it("cannot cancel twice, nor once the deadline has decided the outcome", async () => {
      const { fund, treasurer, id } = await networkHelpers.loadFixture(succeededFixture);
      await expect(fund.connect(treasurer).cancelCampaign(id, REASON))
        .to.be.revertedWithCustomError(fund, "CivicFundNotCancellable")
        .withArgs(id, Phase.Succeeded);
      const { fund: f2, treasurer: t2, id: failed } = await networkHelpers.loadFixture(failedFixture);
      await expect(f2.connect(t2).cancelCampaign(failed, REASON))
        .to.be.revertedWithCustomError(f2, "CivicFundNotCancellable")
        .withArgs(failed, Phase.Failed);
      const { fund: f3, treasurer: t3, id: open } = await networkHelpers.loadFixture(openFixture);
      await f3.connect(t3).cancelCampaign(open, REASON);
      await expect(f3.connect(t3).cancelCampaign(open, REASON))
        .to.be.revertedWithCustomError(f3, "CivicFundNotCancellable")
        .withArgs(open, Phase.Cancelled);
    });
  });

  describe("a met goal", () => {
    it("pays the milestones in order against evidence, the last one taking the surplus", async () => {
      const { fund, thbt, treasurer, id, beneficiary, expectBooksBalance } = await networkHelpers.loadFixture(succeededFixture);
      expect(await fund.phase(id)).to.equal(Phase.Succeeded);
      await expect(fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]))
        .to.emit(fund, "MilestoneReleased")
        .withArgs(id, 0, MILESTONES[0], EVIDENCE[0], beneficiary.address, treasurer.address)
        .and.to.emit(thbt, "Transfer")
        .withArgs(await fund.getAddress(), beneficiary.address, MILESTONES[0]);
      expect(await fund.escrowed(id)).to.equal(baht(120_000) - MILESTONES[0]);
      expect((await fund.campaign(id)).nextMilestone).to.equal(1);
      // Still Succeeded although the escrow is now below the goal.
      expect(await fund.phase(id)).to.equal(Phase.Succeeded);
      await expectBooksBalance();

      const rest = baht(120_000) - MILESTONES[0];
      await expect(fund.connect(treasurer).releaseMilestone(id, 1, EVIDENCE[1]))
        .to.emit(fund, "MilestoneReleased")
        .withArgs(id, 1, rest, EVIDENCE[1], beneficiary.address, treasurer.address);
      expect(await thbt.balanceOf(beneficiary.address)).to.equal(baht(120_000));
      const c = await fund.campaign(id);
      expect([c.pledged, c.refunded, c.released, c.nextMilestone]).to.deep.equal([baht(120_000), 0n, baht(120_000), 2n]);
      expect(await fund.escrowed(id)).to.equal(0);
      await expectBooksBalance();
    });

    it("pays exactly the goal when exactly the goal was pledged", async () => {
      const { fund, thbt, treasurer, id, alice, beneficiary, deadline } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, GOAL);
      await time.increaseTo(deadline + 1);
      await fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]);
      await expect(fund.connect(treasurer).releaseMilestone(id, 1, EVIDENCE[1]))
        .to.emit(fund, "MilestoneReleased")
        .withArgs(id, 1, MILESTONES[1], EVIDENCE[1], beneficiary.address, treasurer.address);
      expect(await thbt.balanceOf(beneficiary.address)).to.equal(GOAL);
    });

    it("refuses to release twice, out of order, past the last milestone, or without evidence", async () => {
      const { fund, treasurer, id } = await networkHelpers.loadFixture(succeededFixture);
      const asTreasurer = fund.connect(treasurer);
      await expect(asTreasurer.releaseMilestone(id, 0, ethers.ZeroHash))
        .to.be.revertedWithCustomError(fund, "CivicFundMissingEvidence")
        .withArgs(id, 0);
      await expect(asTreasurer.releaseMilestone(id, 1, EVIDENCE[1]))
        .to.be.revertedWithCustomError(fund, "CivicFundMilestoneOutOfOrder")
        .withArgs(id, 0, 1);
      await expect(asTreasurer.releaseMilestone(id, 2, EVIDENCE[1]))
        .to.be.revertedWithCustomError(fund, "CivicFundUnknownMilestone")
        .withArgs(id, 2, 2);
      await asTreasurer.releaseMilestone(id, 0, EVIDENCE[0]);
      await expect(asTreasurer.releaseMilestone(id, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "CivicFundMilestoneAlreadyReleased")
        .withArgs(id, 0);
      await asTreasurer.releaseMilestone(id, 1, EVIDENCE[1]);
      await expect(asTreasurer.releaseMilestone(id, 1, EVIDENCE[1]))
        .to.be.revertedWithCustomError(fund, "CivicFundMilestoneAlreadyReleased")
        .withArgs(id, 1);
      await expect(asTreasurer.releaseMilestone(id, 2, EVIDENCE[1]))
        .to.be.revertedWithCustomError(fund, "CivicFundUnknownMilestone")
        .withArgs(id, 2, 2);
    });

    it("releases nothing while the campaign is still funding or in Draft", async () => {
      const { fund, treasurer, id, alice, create } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, GOAL);
      await expect(fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "CivicFundNotSucceeded")
        .withArgs(id, Phase.Funding);
      const draft = await create();
      await expect(fund.connect(treasurer).releaseMilestone(draft, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "CivicFundNotSucceeded")
        .withArgs(draft, Phase.Draft);
    });

    it("keeps campaigns in the same token apart", async () => {
      const { fund, thbt, treasurer, alice, bob, beneficiary, create, deadline, expectBooksBalance } =
        await networkHelpers.loadFixture(fixture);
      const winning = await create();
      const losing = await create();
      await fund.connect(treasurer).openCampaign(winning);
      await fund.connect(treasurer).openCampaign(losing);
      await fund.connect(alice).pledge(winning, GOAL + baht(1));
      await fund.connect(bob).pledge(losing, baht(10));
      await time.increaseTo(deadline + 1);
      await fund.connect(treasurer).releaseMilestone(winning, 0, EVIDENCE[0]);
      await fund.connect(treasurer).releaseMilestone(winning, 1, EVIDENCE[1]);
      expect(await thbt.balanceOf(beneficiary.address)).to.equal(GOAL + baht(1));
      expect(await fund.escrowed(losing)).to.equal(baht(10));
      await fund.connect(bob).refund(losing);
      await expectBooksBalance();
    });
  });

  describe("an unpaid success: the release period", () => {
    it("lapses RELEASE_PERIOD after the deadline when nothing was paid, and gives every pledger their whole pledge back", async () => {
      const { fund, thbt, treasurer, id, alice, bob, deadline, expectBooksBalance } = await networkHelpers.loadFixture(succeededFixture);
      expect(await fund.RELEASE_PERIOD()).to.equal(RELEASE_PERIOD);
      expect(await fund.releaseDeadline(id)).to.equal(deadline + RELEASE_PERIOD);
      await time.increaseTo(deadline + RELEASE_PERIOD - 1);
      expect(await fund.refundableOf(id, alice.address)).to.equal(0);
      // The last second of the period still belongs to the treasurer.
      await time.setNextBlockTimestamp(deadline + RELEASE_PERIOD);
      await expect(fund.connect(alice).refund(id))
        .to.be.revertedWithCustomError(fund, "CivicFundNotRefundable")
        .withArgs(id, Phase.Succeeded);
      await time.increaseTo(deadline + RELEASE_PERIOD + 1);
      expect(await fund.phase(id)).to.equal(Phase.Lapsed);
      await expect(fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "CivicFundNotSucceeded")
        .withArgs(id, Phase.Lapsed);
      await expect(fund.connect(treasurer).cancelCampaign(id, REASON))
        .to.be.revertedWithCustomError(fund, "CivicFundNotCancellable")
        .withArgs(id, Phase.Lapsed);
      expect(await fund.refundableOf(id, alice.address)).to.equal(baht(70_000));
      await expect(fund.connect(alice).refund(id))
        .to.emit(fund, "Refunded")
        .withArgs(id, alice.address, baht(70_000))
        .and.to.emit(thbt, "Transfer")
        .withArgs(await fund.getAddress(), alice.address, baht(70_000));
      await expect(fund.connect(bob).refund(id)).to.emit(fund, "Refunded").withArgs(id, bob.address, baht(50_000));
      expect(await fund.escrowed(id)).to.equal(0);
      expect(await fund.phase(id)).to.equal(Phase.Lapsed);
      await expectBooksBalance();
    });

    it("restarts the period at each payment, then shares what was not released pro rata to the pledges", async () => {
      const { fund, thbt, treasurer, id, alice, bob, beneficiary, deadline, expectBooksBalance } =
        await networkHelpers.loadFixture(succeededFixture);
      const paidAt = deadline + 100 * DAY;
      await time.setNextBlockTimestamp(paidAt);
      await fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]);
      expect(await fund.releaseDeadline(id)).to.equal(paidAt + RELEASE_PERIOD);
      await time.increaseTo(deadline + RELEASE_PERIOD + 1);
      expect(await fund.phase(id)).to.equal(Phase.Succeeded);
      await time.increaseTo(paidAt + RELEASE_PERIOD + 1);
      expect(await fund.phase(id)).to.equal(Phase.Lapsed);

      // 120,000 pledged, 40,000 paid: 80,000 left, 7/12 of it Alice's and 5/12 Bob's, in satang rounded down.
      const left = baht(120_000) - MILESTONES[0];
      const aliceShare = (baht(70_000) * left) / baht(120_000);
      expect(aliceShare).to.equal(4_666_666n);
      expect(await fund.refundableOf(id, alice.address)).to.equal(aliceShare);
      expect(await fund.refundableOf(id, bob.address)).to.equal((baht(50_000) * left) / baht(120_000));
      await expect(fund.connect(alice).refund(id)).to.emit(fund, "Refunded").withArgs(id, alice.address, aliceShare);
      expect(await fund.pledgeOf(id, alice.address)).to.equal(0);
      expect(await fund.refundableOf(id, alice.address)).to.equal(0);
      await expectBooksBalance();
      // Bob is the last: he takes what rounding left, so nothing stays locked.
      await expect(fund.connect(bob).refund(id)).to.emit(fund, "Refunded").withArgs(id, bob.address, left - aliceShare);
      await expect(fund.connect(bob).refund(id))
        .to.be.revertedWithCustomError(fund, "CivicFundNothingToRefund")
        .withArgs(id, bob.address);
      const c = await fund.campaign(id);
      expect([c.pledged, c.refunded, c.released]).to.deep.equal([baht(120_000), left, MILESTONES[0]]);
      expect(await fund.escrowed(id)).to.equal(0);
      expect(await thbt.balanceOf(beneficiary.address)).to.equal(MILESTONES[0]);
      await expectBooksBalance();
    });

    it("lets pledgers take back what was not released while the municipality stays suspended past the period", async () => {
      const { fund, directory, treasurer, id, alice, bob, deadline, expectBooksBalance } = await networkHelpers.loadFixture(succeededFixture);
      await directory.suspendMunicipality(MAE_HIA, ethers.id("audit finding 2026/14"));
      await expect(fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]))
        .to.be.revertedWithCustomError(fund, "DirectoryMunicipalitySuspended")
        .withArgs(MAE_HIA);
      await time.increaseTo(deadline + RELEASE_PERIOD + 1);
      expect(await fund.phase(id)).to.equal(Phase.Lapsed);
      await expect(fund.connect(alice).refund(id)).to.emit(fund, "Refunded").withArgs(id, alice.address, baht(70_000));
      await expect(fund.connect(bob).refund(id)).to.emit(fund, "Refunded").withArgs(id, bob.address, baht(50_000));
      await expectBooksBalance();
    });

    it("never lapses once every milestone is paid", async () => {
      const { fund, treasurer, id, deadline } = await networkHelpers.loadFixture(succeededFixture);
      await fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]);
      await fund.connect(treasurer).releaseMilestone(id, 1, EVIDENCE[1]);
      await time.increaseTo(deadline + 10 * RELEASE_PERIOD);
      expect(await fund.phase(id)).to.equal(Phase.Succeeded);
    });

    it("settles a pledge whose share rounds down to nothing without a transfer, and the last pledger takes the rest", async () => {
      const { fund, thbt, treasurer, alice, bob, create, deadline } = await networkHelpers.loadFixture(fixture);
      const id = await create({ goal: 3n, milestones: [2n, 1n] });
      await fund.connect(treasurer).openCampaign(id);
      await fund.connect(alice).pledge(id, 2n);
      await fund.connect(bob).pledge(id, 1n);
      await time.increaseTo(deadline + 1);
      await fund.connect(treasurer).releaseMilestone(id, 0, EVIDENCE[0]);
      await time.increase(RELEASE_PERIOD + 1);
      // 1 satang left for 3 pledged: Bob's third of it is 0.
      await expect(fund.connect(bob).refund(id)).to.emit(fund, "Refunded").withArgs(id, bob.address, 0).and.not.to.emit(thbt, "Transfer");
      expect(await fund.pledgeOf(id, bob.address)).to.equal(0);
      await expect(fund.connect(alice).refund(id)).to.emit(fund, "Refunded").withArgs(id, alice.address, 1n);
      expect(await fund.escrowed(id)).to.equal(0);
    });

    it("answers nothing refundable while a campaign funds or succeeds, and to someone who never pledged", async () => {
      const { fund, id, alice, carol, deadline } = await networkHelpers.loadFixture(openFixture);
      await fund.connect(alice).pledge(id, baht(10));
      expect(await fund.refundableOf(id, alice.address)).to.equal(0);
      await time.increaseTo(deadline + 1);
      expect(await fund.phase(id)).to.equal(Phase.Failed);
      expect(await fund.refundableOf(id, alice.address)).to.equal(baht(10));
      expect(await fund.refundableOf(id, carol.address)).to.equal(0);
    });
  });

  describe("totals beyond 128 bits", () => {
    it("refuses a pledge or an off-chain receipt that would take a campaign's total to 2^128", async () => {
      const { fund, thbt, treasurer, id, alice } = await networkHelpers.loadFixture(openFixture);
      const limit = 2n ** 128n;
      await thbt.mint(alice.address, limit);
      await fund.connect(alice).pledge(id, limit - 1n);
      await expect(fund.connect(alice).pledge(id, 1n))
        .to.be.revertedWithCustomError(fund, "CivicFundAmountTooLarge")
        .withArgs(id, limit);
      await fund.connect(treasurer).recordOffchainPledge(id, ethers.id("first"), limit - 1n);
      await expect(fund.connect(treasurer).recordOffchainPledge(id, ethers.id("second"), 1n))
        .to.be.revertedWithCustomError(fund, "CivicFundAmountTooLarge")
        .withArgs(id, limit);
    });
  });

  describe("role boundaries", () => {
    /** Every treasurer action, sent by `signer`: create a campaign, open the Draft `draft`, act on the open campaign `id`. */
    const treasurerCalls = (
      { fund, id, beneficiary, deadline }: Pick<OpenFixture, "fund" | "id" | "beneficiary" | "deadline">,
      signer: OpenFixture["treasurer"],
      token: string,
      draft: bigint,
    ) => {
      const as = fund.connect(signer);
      return [
        () => as.createCampaign(MAE_HIA, token, beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC),
        () => as.openCampaign(draft),
        () => as.cancelCampaign(id, REASON),
        () => as.recordOffchainPledge(id, ethers.id("r"), 1),
        () => as.releaseMilestone(id, 0, EVIDENCE[0]),
      ];
    };

    it("lets only a TREASURER of the campaign's own municipality act for it", async () => {
      const { fund, thbt, id, create, suthepTreasurer, permitOfficer, stranger, beneficiary, deadline } =
        await networkHelpers.loadFixture(openFixture);
      const draft = await create();
      const token = await thbt.getAddress();
      for (const signer of [suthepTreasurer, permitOfficer, stranger]) {
        for (const call of treasurerCalls({ fund, id, beneficiary, deadline }, signer, token, draft)) {
          await expect(call())
            .to.be.revertedWithCustomError(fund, "DirectoryUnauthorizedAccount")
            .withArgs(MAE_HIA, ROLES.TREASURER, signer.address);
        }
      }
      // The other municipality's treasurer acts for their own municipality.
      await expect(fund.connect(suthepTreasurer).createCampaign(SUTHEP, token, beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC))
        .to.emit(fund, "CampaignCreated");
    });

    it("stops every treasurer action while the municipality is suspended", async () => {
      const { fund, directory, thbt, id, create, treasurer, beneficiary, deadline } = await networkHelpers.loadFixture(openFixture);
      const draft = await create();
      await directory.suspendMunicipality(MAE_HIA, ethers.id("audit finding 2026/14"));
      const token = await thbt.getAddress();
      for (const call of treasurerCalls({ fund, id, beneficiary, deadline }, treasurer, token, draft)) {
        await expect(call()).to.be.revertedWithCustomError(fund, "DirectoryMunicipalitySuspended").withArgs(MAE_HIA);
      }
    });

    it("rejects campaigns for a municipality that does not exist", async () => {
      const { fund, thbt, treasurer, beneficiary, deadline } = await networkHelpers.loadFixture(fixture);
      await expect(
        fund.connect(treasurer).createCampaign(7, await thbt.getAddress(), beneficiary.address, GOAL, deadline, MILESTONES, RULES_DOC),
      )
        .to.be.revertedWithCustomError(fund, "DirectoryUnknownMunicipality")
        .withArgs(7);
    });

    it("answers None for unknown campaign ids and reverts every other call on them", async () => {
      const { fund, treasurer, alice } = await networkHelpers.loadFixture(fixture);
      expect(await fund.phase(99)).to.equal(Phase.None);
      expect(await fund.pledgeOf(99, alice.address)).to.equal(0);
      const calls = [
        () => fund.campaign(99),
        () => fund.milestones(99),
        () => fund.escrowed(99),
        () => fund.releaseDeadline(99),
        () => fund.refundableOf(99, alice.address),
        () => fund.connect(treasurer).openCampaign(99),
        () => fund.connect(treasurer).cancelCampaign(99, REASON),
        () => fund.connect(alice).pledge(99, 1),
        () => fund.connect(treasurer).recordOffchainPledge(99, ethers.id("r"), 1),
        () => fund.connect(alice).refund(99),
        () => fund.connect(treasurer).releaseMilestone(99, 0, EVIDENCE[0]),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(fund, "CivicFundUnknownCampaign").withArgs(99);
      }
    });
  });

  describe("reentrancy through the token", () => {
    const Attack = { None: 0, Pledge: 1, Refund: 2, Release: 3 } as const;

    async function reentrantFixture() {
      const f = await fixture();
      const evil = await ethers.deployContract("ReentrantToken");
      for (const resident of [f.alice, f.bob]) {
        await evil.mint(resident.address, GOAL);
        await evil.connect(resident).approve(await f.fund.getAddress(), ethers.MaxUint256);
      }
      const succeeded = await f.create({ token: await evil.getAddress() });
      const failed = await f.create({ token: await evil.getAddress() });
      await f.fund.connect(f.treasurer).openCampaign(succeeded);
      await f.fund.connect(f.treasurer).openCampaign(failed);
      await evil.arm(f.fund, Attack.None, 0); // armed at the fund but disarmed: transfers pass through
      await f.fund.connect(f.alice).pledge(succeeded, GOAL);
      await f.fund.connect(f.bob).pledge(failed, baht(10));
      return { ...f, evil, succeeded, failed };
    }

    it("stops a token re-entering pledge, refund or release from inside transferFrom", async () => {
      const { fund, evil, bob, failed, succeeded } = await networkHelpers.loadFixture(reentrantFixture);
      for (const [attack, target] of [
        [Attack.Pledge, failed],
        [Attack.Refund, failed],
        [Attack.Release, succeeded],
      ] as const) {
        await evil.arm(fund, attack, target);
        await expect(fund.connect(bob).pledge(failed, 1)).to.be.revertedWithCustomError(fund, "ReentrancyGuardReentrantCall");
      }
      expect(await fund.pledgeOf(failed, bob.address)).to.equal(baht(10));
    });

    it("stops a token re-entering refund from inside the refund's transfer", async () => {
      const { fund, evil, bob, failed, deadline } = await networkHelpers.loadFixture(reentrantFixture);
      await time.increaseTo(deadline + 1);
      await evil.arm(fund, Attack.Refund, failed);
      await expect(fund.connect(bob).refund(failed)).to.be.revertedWithCustomError(fund, "ReentrancyGuardReentrantCall");
      expect(await fund.pledgeOf(failed, bob.address)).to.equal(baht(10));
      expect(await evil.balanceOf(await fund.getAddress())).to.equal(GOAL + baht(10));
    });

    it("stops a token re-entering release from inside the milestone's transfer", async () => {
      const { fund, evil, treasurer, succeeded, deadline, beneficiary } = await networkHelpers.loadFixture(reentrantFixture);
      await time.increaseTo(deadline + 1);
      await evil.arm(fund, Attack.Release, succeeded);
      await expect(fund.connect(treasurer).releaseMilestone(succeeded, 0, EVIDENCE[0])).to.be.revertedWithCustomError(
        fund,
        "ReentrancyGuardReentrantCall",
      );
      expect(await evil.balanceOf(beneficiary.address)).to.equal(0);
      expect((await fund.campaign(succeeded)).released).to.equal(0);
    });
  });
});
