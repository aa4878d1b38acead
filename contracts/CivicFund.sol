// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {CivicFundErrors, DirectoryErrors} from "./interfaces/LedgerErrors.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title CivicFund
 * @dev Participatory fundraising for city projects, all-or-nothing: residents pledge an ERC-20 into
 * escrow until the campaign's deadline. If the escrowed pledges reach the goal, the municipality's
 * TREASURER pays the beneficiary milestone by milestone, each payment tied to an evidence hash (invoice,
 * inspection report); if not, or if the campaign is cancelled, every pledger takes back their own pledge.
 *
 * A funded campaign cannot hold the money for good: when {RELEASE_PERIOD} passes after the deadline, or
 * after the latest milestone payment, with milestones still unpaid — the treasurer gone, or the
 * municipality suspended so that nobody can pay — the campaign is Lapsed and every pledger takes back
 * their share of what was not released, in proportion to their pledge ({refund}). A campaign whose goal
 * is reached can no longer be cancelled.
 *
 * A campaign's terms are fixed when it is created (there is no setter; to change terms, cancel and create
 * again) and sealed into `rulesHash` when it opens, so anyone can check that the rules a resident pledged
 * under are the rules the money was paid out under. {RELEASE_PERIOD} is a constant of this contract, so
 * it is part of every campaign's rules without being one of its terms.
 *
 * Pledges paid in cash or by bank transfer are recorded as receipt hashes in a separate total that never
 * counts toward the goal: the escrow guarantees of this contract cover only the tokens it holds.
 *
 * Invariant: for every campaign `escrowed == pledged - refunded - released`, and each token's balance
 * held here equals the sum of `escrowed` over the campaigns in that token. While a municipality is
 * suspended no pledge enters and nothing is paid out to a beneficiary; the only tokens that move are
 * refunds to pledgers, which never depend on the municipality's standing.
 */
contract CivicFund is ReentrancyGuard, CivicFundErrors, DirectoryErrors {
    using SafeERC20 for IERC20;

    /**
     * @dev Where a campaign stands. Funding, Succeeded, Failed and Lapsed follow from the clock and the
     * escrowed total, so no transaction is needed when a deadline passes. Phases only move forward:
     * Draft → Funding → Succeeded → Lapsed, Funding → Failed, Draft or Funding → Cancelled.
     */
    enum Phase {
        None,
        Draft,
        Funding,
        Succeeded,
        Failed,
        Cancelled,
        Lapsed
    }

    /**
     * @dev A campaign's public record, as {campaign} answers it. `rulesHash` is zero until it opens.
     * `pledged`, `refunded` and `released` are on-chain token amounts; `offchainTotal` is the sum of
     * recorded cash/bank receipts. `nextMilestone` is the index of the next milestone to pay.
     */
    struct Campaign {
        uint32 municipalityId;
        IERC20 token;
        address beneficiary;
        uint256 goal;
        uint64 deadline;
        bytes32 rulesDocumentHash;
        bytes32 rulesHash;
        bool opened;
        bool cancelled;
        uint256 pledged;
        uint256 refunded;
        uint256 released;
        uint256 offchainTotal;
        uint8 nextMilestone;
    }

    /// @dev A campaign's life before the clock: created, opened for pledges, or cancelled.
    enum Stage {
        Draft,
        Opened,
        Cancelled
    }

    /**
     * @dev A campaign as stored, packed so that creating one writes three slots (and one per two
     * milestones): the terms in slots 0–2, then one slot per kind of movement, so that a pledge, a refund
     * and a payment each write one slot. Amounts are bounded by {CivicFundInvalidGoal} (goal < 2^96) and
     * {CivicFundAmountTooLarge} (totals < 2^128); `deadline` by {CivicFundInvalidDeadline} (< 2^40 s).
     */
    struct StoredCampaign {
        // slot 0: written at creation
        IERC20 token;
        uint32 municipalityId;
        uint40 deadline;
        uint8 milestoneCount;
        uint8 nextMilestone;
        Stage stage;
        // slot 1: written at creation
        address beneficiary;
        uint96 goal;
        // slot 2: written at creation
        bytes32 rulesDocumentHash;
        // slot 3: written at opening
        bytes32 rulesHash;
        // slot 4: pledges, on chain and off
        uint128 pledged;
        uint128 offchainTotal;
        // slot 5: refunds. `settledPledges` sums the pledges of those who took theirs back; it differs from
        // `refunded` only in a Lapsed campaign, where each takes back a share of what was not released.
        uint128 refunded;
        uint128 settledPledges;
        // slot 6: milestone payments
        uint128 released;
        uint40 lastReleaseAt;
    }

    /// @dev Enough for any real project plan, and small enough that `uint8` indexes never overflow.
    uint256 public constant MAX_MILESTONES = 32;

    /**
     * @dev How long a funded campaign waits for its next milestone payment before it lapses: counted from
     * the deadline, then from each payment. Half a year lets a project's phases be paid months apart,
     * while the pledgers of a campaign whose treasurer is gone (or whose municipality stays suspended)
     * get their money back within that time.
     */
    uint256 public constant RELEASE_PERIOD = 180 days;

    IDirectory private immutable _directory;

    /// @dev Ids start at 1 so that 0 means "none" off-chain.
    mapping(uint256 campaignId => StoredCampaign) private _campaigns;
    /// @dev Milestone amounts, two to a slot and no length slot (the count is in the campaign).
    mapping(uint256 campaignId => uint128[MAX_MILESTONES]) private _milestones;
    mapping(uint256 campaignId => mapping(address pledger => uint256)) private _pledges;
    mapping(uint256 campaignId => mapping(bytes32 receiptHash => uint256 amount)) private _receipts;
    uint256 private _count;

    /**
     * @dev Emitted when `officer` (a TREASURER) creates a campaign in Draft with all of its terms.
     */
    event CampaignCreated(
        uint256 indexed campaignId,
        uint32 indexed municipalityId,
        IERC20 token,
        address beneficiary,
        uint256 goal,
        uint64 deadline,
        uint256[] milestoneAmounts,
        bytes32 rulesDocumentHash,
        address officer
    );

    /**
     * @dev Emitted when `officer` opens a campaign for pledges, sealing its terms into `rulesHash`.
     */
    event CampaignOpened(uint256 indexed campaignId, bytes32 rulesHash, address officer);

    /**
     * @dev Emitted when `officer` cancels a campaign; `reasonHash` points at the decision. Pledgers may refund.
     */
    event CampaignCancelled(uint256 indexed campaignId, bytes32 reasonHash, address officer);

    /**
     * @dev Emitted when `pledger` escrows `amount` (what actually arrived). The resident's on-chain receipt.
     */
    event Pledged(
        uint256 indexed campaignId,
        address indexed pledger,
        uint256 amount,
        uint256 pledgerTotal,
        uint256 campaignTotal
    );

    /**
     * @dev Emitted when `officer` records a cash or bank pledge of `amount` by the hash of its receipt.
     */
    event OffchainPledgeRecorded(
        uint256 indexed campaignId,
        bytes32 indexed receiptHash,
        uint256 amount,
        uint256 offchainTotal,
        address officer
    );

    /**
     * @dev Emitted when `pledger` takes back `amount`: their whole pledge from a Failed or Cancelled
     * campaign, their share of what was not released from a Lapsed one.
     */
    event Refunded(uint256 indexed campaignId, address indexed pledger, uint256 amount);

    /**
     * @dev Emitted when `officer` pays milestone `index` (`amount` tokens) to `beneficiary` against `evidenceHash`.
     */
    event MilestoneReleased(
        uint256 indexed campaignId,
        uint8 index,
        uint256 amount,
        bytes32 evidenceHash,
        address beneficiary,
        address officer
    );

    /**
     * @dev `directory` answers who is TREASURER of which municipality.
     */
    constructor(IDirectory directory_) {
        _directory = directory_;
    }

    /**
     * @dev Creates a campaign in Draft for `municipalityId`, paid in `token` to `beneficiary`. The
     * `milestoneAmounts` (1 to {MAX_MILESTONES}, none zero) must add up to `goal` (above zero, below
     * 2^96); `deadline` must be in the future (and below 2^40); `rulesDocumentHash` is the hash of the
     * published campaign rules. Only a TREASURER of that municipality. Emits {CampaignCreated}.
     */
    function createCampaign(
        uint32 municipalityId,
        IERC20 token,
        address beneficiary,
        uint256 goal,
        uint64 deadline,
        uint256[] calldata milestoneAmounts,
        bytes32 rulesDocumentHash
    ) external returns (uint256 campaignId) {
        _directory.checkRole(municipalityId, Roles.TREASURER, msg.sender);
        if (address(token) == address(0) || beneficiary == address(0)) {
            revert CivicFundInvalidAddress(address(token), beneficiary);
        }
        if (goal == 0 || goal > type(uint96).max) revert CivicFundInvalidGoal(goal);
        if (deadline <= block.timestamp || deadline > type(uint40).max) {
            revert CivicFundInvalidDeadline(deadline, block.timestamp);
        }
        _checkMilestones(milestoneAmounts, goal);

        campaignId = ++_count;
        StoredCampaign storage c = _campaigns[campaignId];
        c.token = token;
        c.municipalityId = municipalityId;
        c.deadline = uint40(deadline);
        c.milestoneCount = uint8(milestoneAmounts.length);
        c.beneficiary = beneficiary;
        c.goal = uint96(goal);
        c.rulesDocumentHash = rulesDocumentHash;
        // Each amount is at most the goal, so it fits.
        uint128[MAX_MILESTONES] storage amounts = _milestones[campaignId];
        for (uint256 i; i < milestoneAmounts.length; ++i) {
            amounts[i] = uint128(milestoneAmounts[i]);
        }
        emit CampaignCreated(
            campaignId, municipalityId, token, beneficiary, goal, deadline, milestoneAmounts, rulesDocumentHash, msg.sender
        );
    }

    /**
     * @dev Opens a Draft campaign for pledges while its deadline is still ahead, and seals its terms:
     * `rulesHash = keccak256(abi.encode(municipalityId, token, beneficiary, goal, deadline,
     * milestoneAmounts, rulesDocumentHash))`, the values as {CampaignCreated} gave them (`goal` as a
     * uint256, `deadline` as a uint64). Only a TREASURER of its municipality. Emits {CampaignOpened}.
     */
    function openCampaign(uint256 campaignId) external {
        StoredCampaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Draft) revert CivicFundNotDraft(campaignId, uint8(p));
        if (c.deadline <= block.timestamp) revert CivicFundInvalidDeadline(c.deadline, block.timestamp);
        bytes32 rulesHash = keccak256(
            abi.encode(
                c.municipalityId,
                c.token,
                c.beneficiary,
                uint256(c.goal),
                uint64(c.deadline),
                _milestoneAmounts(campaignId, c.milestoneCount),
                c.rulesDocumentHash
            )
        );
        c.stage = Stage.Opened;
        c.rulesHash = rulesHash;
        emit CampaignOpened(campaignId, rulesHash, msg.sender);
    }

    /**
     * @dev Cancels a campaign in Draft or Funding whose goal is not reached; from then on every pledger may
     * {refund}. Once the pledges reach the goal the residents have funded the project and the treasurer
     * cannot take that back ({CivicFundGoalReached}); once the deadline has passed the outcome is final.
     * Only a TREASURER of its municipality. Emits {CampaignCancelled}.
     */
    function cancelCampaign(uint256 campaignId, bytes32 reasonHash) external {
        StoredCampaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Draft && p != Phase.Funding) revert CivicFundNotCancellable(campaignId, uint8(p));
        if (c.pledged >= c.goal) revert CivicFundGoalReached(campaignId, c.pledged, c.goal);
        c.stage = Stage.Cancelled;
        emit CampaignCancelled(campaignId, reasonHash, msg.sender);
    }

    /**
     * @dev Escrows `amount` of the campaign's token from the caller (who must have approved it). Only in
     * Funding and while the municipality is not suspended. Credits what actually arrived, so a token that
     * takes a fee on transfer cannot inflate the escrow. Emits {Pledged}.
     */
    function pledge(uint256 campaignId, uint256 amount) external nonReentrant {
        StoredCampaign storage c = _existing(campaignId);
        Phase p = _phase(c);
        if (p != Phase.Funding) revert CivicFundNotFunding(campaignId, uint8(p));
        // No new money for a municipality whose officers are frozen; refunds stay open regardless.
        if (!_directory.isActive(c.municipalityId)) revert DirectoryMunicipalitySuspended(c.municipalityId);
        if (amount == 0) revert CivicFundZeroAmount(campaignId);

        // Measuring the balance forces the effects after the transfer; nonReentrant makes that safe.
        IERC20 token = c.token;
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received == 0) revert CivicFundNothingReceived(campaignId, amount);

        uint256 campaignTotal = _checkedTotal(campaignId, c.pledged + received);
        uint256 pledgerTotal = _pledges[campaignId][msg.sender] + received;
        _pledges[campaignId][msg.sender] = pledgerTotal;
        c.pledged = uint128(campaignTotal);
        emit Pledged(campaignId, msg.sender, received, pledgerTotal, campaignTotal);
    }

    /**
     * @dev Records a pledge paid in cash or by bank transfer, by the hash of its receipt (unique per
     * campaign). Only in Funding; only a TREASURER of its municipality. The amount goes to `offchainTotal`
     * and does NOT count toward the goal: that money sits with the city treasury, outside this escrow,
     * so neither the all-or-nothing rule nor the refunds of this contract cover it. Emits
     * {OffchainPledgeRecorded}.
     */
    function recordOffchainPledge(uint256 campaignId, bytes32 receiptHash, uint256 amount) external {
        StoredCampaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Funding) revert CivicFundNotFunding(campaignId, uint8(p));
        if (receiptHash == bytes32(0)) revert CivicFundInvalidReceipt(campaignId, receiptHash);
        if (_receipts[campaignId][receiptHash] != 0) revert CivicFundDuplicateReceipt(campaignId, receiptHash);
        if (amount == 0) revert CivicFundZeroAmount(campaignId);
        uint256 total = _checkedTotal(campaignId, c.offchainTotal + amount);
        _receipts[campaignId][receiptHash] = amount;
        c.offchainTotal = uint128(total);
        emit OffchainPledgeRecorded(campaignId, receiptHash, amount, total, msg.sender);
    }

    /**
     * @dev Pays the caller back from a Failed, Cancelled or Lapsed campaign, once: their whole pledge
     * from a Failed or Cancelled one; from a Lapsed one their share of what was not released,
     * `pledge × escrowed / (pledges not yet taken back)` rounded down — at least `pledge × (pledged −
     * released) / pledged`, and the last pledger takes what rounding left, so the escrow ends at zero.
     * Open while the municipality is suspended: a pledger's money never depends on its standing.
     * Emits {Refunded}.
     */
    function refund(uint256 campaignId) external nonReentrant {
        StoredCampaign storage c = _existing(campaignId);
        Phase p = _phase(c);
        if (!_refundable(p)) revert CivicFundNotRefundable(campaignId, uint8(p));
        uint256 pledgeAmount = _pledges[campaignId][msg.sender];
        if (pledgeAmount == 0) revert CivicFundNothingToRefund(campaignId, msg.sender);
        uint256 amount = _refundOf(c, pledgeAmount);
        _pledges[campaignId][msg.sender] = 0;
        // Both at most `pledged`, which fits in 128 bits.
        c.settledPledges += uint128(pledgeAmount);
        c.refunded += uint128(amount);
        emit Refunded(campaignId, msg.sender, amount);
        if (amount != 0) c.token.safeTransfer(msg.sender, amount);
    }

    /**
     * @dev Pays milestone `index` of a Succeeded campaign to its beneficiary against `evidenceHash`.
     * Milestones are paid in order, each once; the last one pays all that remains in escrow, so pledges
     * above the goal reach the project instead of staying locked here. Each payment restarts the
     * {RELEASE_PERIOD} within which the next one is due. Only a TREASURER of its municipality.
     * Emits {MilestoneReleased}.
     */
    function releaseMilestone(uint256 campaignId, uint8 index, bytes32 evidenceHash) external nonReentrant {
        StoredCampaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Succeeded) revert CivicFundNotSucceeded(campaignId, uint8(p));
        if (evidenceHash == bytes32(0)) revert CivicFundMissingEvidence(campaignId, index);
        uint8 count = c.milestoneCount;
        if (index >= count) revert CivicFundUnknownMilestone(campaignId, index, count);
        uint8 next = c.nextMilestone;
        if (index < next) revert CivicFundMilestoneAlreadyReleased(campaignId, index);
        if (index > next) revert CivicFundMilestoneOutOfOrder(campaignId, next, index);

        uint256 available = _escrowed(c);
        uint256 amount = index == count - 1 ? available : _milestones[campaignId][index];
        // Unreachable while the books balance (pledged >= goal = sum of milestones); kept as the last line
        // of defence so that no bug elsewhere can pay out other campaigns' escrow.
        if (amount > available) revert CivicFundInsufficientEscrow(campaignId, amount, available);
        c.nextMilestone = next + 1;
        c.released += uint128(amount);
        c.lastReleaseAt = uint40(block.timestamp);
        emit MilestoneReleased(campaignId, index, amount, evidenceHash, c.beneficiary, msg.sender);
        c.token.safeTransfer(c.beneficiary, amount);
    }

    /**
     * @dev The {Phase} of `campaignId`; None for an id never created.
     */
    function phase(uint256 campaignId) external view returns (Phase) {
        StoredCampaign storage c = _campaigns[campaignId];
        if (c.municipalityId == 0) return Phase.None;
        return _phase(c);
    }

    /**
     * @dev The public record of `campaignId`. Reverts with {CivicFundUnknownCampaign} for an id never created.
     */
    function campaign(uint256 campaignId) external view returns (Campaign memory) {
        StoredCampaign storage c = _existing(campaignId);
        return Campaign({
            municipalityId: c.municipalityId,
            token: c.token,
            beneficiary: c.beneficiary,
            goal: c.goal,
            deadline: c.deadline,
            rulesDocumentHash: c.rulesDocumentHash,
            rulesHash: c.rulesHash,
            // Opening is what writes `rulesHash`, and a cancelled campaign may have been opened or not.
            opened: c.rulesHash != bytes32(0),
            cancelled: c.stage == Stage.Cancelled,
            pledged: c.pledged,
            refunded: c.refunded,
            released: c.released,
            offchainTotal: c.offchainTotal,
            nextMilestone: c.nextMilestone
        });
    }

    /**
     * @dev The milestone amounts of `campaignId`, in payment order.
     */
    function milestones(uint256 campaignId) external view returns (uint256[] memory) {
        return _milestoneAmounts(campaignId, _existing(campaignId).milestoneCount);
    }

    /**
     * @dev The time after which `campaignId`, once Succeeded, is Lapsed if a milestone is still unpaid:
     * {RELEASE_PERIOD} after its deadline, or after its latest milestone payment.
     */
    function releaseDeadline(uint256 campaignId) external view returns (uint256) {
        return _releaseDeadline(_existing(campaignId));
    }

    /**
     * @dev What {refund} would pay `account` from `campaignId` now: zero when the campaign is not Failed,
     * Cancelled or Lapsed, or when `account` has nothing (left) pledged.
     */
    function refundableOf(uint256 campaignId, address account) external view returns (uint256) {
        StoredCampaign storage c = _existing(campaignId);
        Phase p = _phase(c);
        uint256 pledgeAmount = _pledges[campaignId][account];
        if (!_refundable(p) || pledgeAmount == 0) return 0;
        return _refundOf(c, pledgeAmount);
    }

    /**
     * @dev What `account` has in escrow for `campaignId` (zero after its refund).
     */
    function pledgeOf(uint256 campaignId, address account) external view returns (uint256) {
        return _pledges[campaignId][account];
    }

    /**
     * @dev The amount recorded for the off-chain receipt `receiptHash` of `campaignId`, or zero when it
     * was never recorded: lets a resident holding a paper receipt check that it was counted.
     */
    function offchainReceipt(uint256 campaignId, bytes32 receiptHash) external view returns (uint256) {
        return _receipts[campaignId][receiptHash];
    }

    /**
     * @dev Tokens held for `campaignId`: pledged − refunded − released.
     */
    function escrowed(uint256 campaignId) external view returns (uint256) {
        return _escrowed(_existing(campaignId));
    }

    /**
     * @dev How many campaigns were ever created; ids run from 1 to this number.
     */
    function campaignCount() external view returns (uint256) {
        return _count;
    }

    /**
     * @dev The {Directory} consulted for TREASURER roles and suspensions.
     */
    function directory() external view returns (IDirectory) {
        return _directory;
    }

    function _checkMilestones(uint256[] calldata amounts, uint256 goal) private pure {
        uint256 count = amounts.length;
        if (count == 0 || count > MAX_MILESTONES) revert CivicFundInvalidMilestoneCount(count, MAX_MILESTONES);
        uint256 sum;
        for (uint256 i; i < count; ++i) {
            if (amounts[i] == 0) revert CivicFundZeroMilestone(i);
            sum += amounts[i];
        }
        if (sum != goal) revert CivicFundMilestonesNotGoal(sum, goal);
    }

    function _checkTreasurer(uint32 municipalityId) private view {
        _directory.checkRole(municipalityId, Roles.TREASURER, msg.sender);
    }

    /// @dev `total` as a campaign total, refused above 2^128 − 1 (no real token supply comes near).
    function _checkedTotal(uint256 campaignId, uint256 total) private pure returns (uint256) {
        if (total > type(uint128).max) revert CivicFundAmountTooLarge(campaignId, total);
        return total;
    }

    function _existing(uint256 campaignId) private view returns (StoredCampaign storage c) {
        c = _campaigns[campaignId];
        if (c.municipalityId == 0) revert CivicFundUnknownCampaign(campaignId);
    }

    function _milestoneAmounts(uint256 campaignId, uint256 count) private view returns (uint256[] memory amounts) {
        uint128[MAX_MILESTONES] storage stored = _milestones[campaignId];
        amounts = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            amounts[i] = stored[i];
        }
    }

    function _phase(StoredCampaign storage c) private view returns (Phase) {
        Stage stage = c.stage;
        if (stage == Stage.Cancelled) return Phase.Cancelled;
        if (stage == Stage.Draft) return Phase.Draft;
        if (block.timestamp <= c.deadline) return Phase.Funding;
        // `pledged`, not `escrowed`: releases lower the escrow of a Succeeded campaign without undoing its success.
        if (c.pledged < c.goal) return Phase.Failed;
        if (c.nextMilestone < c.milestoneCount && block.timestamp > _releaseDeadline(c)) return Phase.Lapsed;
        return Phase.Succeeded;
    }

    /// @dev Whether pledgers may take back their money in phase `p`: the rule {refund} and {refundableOf} share.
    function _refundable(Phase p) private pure returns (bool) {
        return p == Phase.Failed || p == Phase.Cancelled || p == Phase.Lapsed;
    }

    function _releaseDeadline(StoredCampaign storage c) private view returns (uint256) {
        uint256 lastReleaseAt = c.lastReleaseAt;
        return (lastReleaseAt == 0 ? c.deadline : lastReleaseAt) + RELEASE_PERIOD;
    }

    /// @dev The share of the escrow that `pledgeAmount` (one pledger's, not yet taken back) may take back now.
    /// Outside a Lapsed campaign nothing was released and every earlier refund was a whole pledge, so the
    /// escrow equals the pledges not yet taken back and the share is the whole pledge.
    function _refundOf(StoredCampaign storage c, uint256 pledgeAmount) private view returns (uint256) {
        // Both factors are below 2^128, so the product cannot overflow.
        return (pledgeAmount * _escrowed(c)) / (c.pledged - c.settledPledges);
    }

    function _escrowed(StoredCampaign storage c) private view returns (uint256) {
        return uint256(c.pledged) - c.refunded - c.released;
    }
}
