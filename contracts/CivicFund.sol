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
 * A campaign's terms are fixed when it is created (there is no setter; to change terms, cancel and create
 * again) and sealed into `rulesHash` when it opens, so anyone can check that the rules a resident pledged
 * under are the rules the money was paid out under.
 *
 * Pledges paid in cash or by bank transfer are recorded as receipt hashes in a separate total that never
 * counts toward the goal: the escrow guarantees of this contract cover only the tokens it holds.
 *
 * Invariant: for every campaign `escrowed == pledged - refunded - released`, and each token's balance
 * held here equals the sum of `escrowed` over the campaigns in that token.
 */
contract CivicFund is ReentrancyGuard, CivicFundErrors, DirectoryErrors {
    using SafeERC20 for IERC20;

    /**
     * @dev Where a campaign stands. Funding, Succeeded and Failed follow from the clock and the escrowed
     * total, so no transaction is needed when the deadline passes.
     */
    enum Phase {
        None,
        Draft,
        Funding,
        Succeeded,
        Failed,
        Cancelled
    }

    /**
     * @dev A campaign's public record. `rulesHash` is zero until it opens. `pledged`, `refunded` and
     * `released` are on-chain token amounts; `offchainTotal` is the sum of recorded cash/bank receipts.
     * `nextMilestone` is the index of the next milestone to pay.
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

    /// @dev Enough for any real project plan, and small enough that `uint8` indexes never overflow.
    uint256 public constant MAX_MILESTONES = 32;

    IDirectory private immutable _directory;

    /// @dev Ids start at 1 so that 0 means "none" off-chain.
    mapping(uint256 campaignId => Campaign) private _campaigns;
    mapping(uint256 campaignId => uint256[]) private _milestones;
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
     * @dev Emitted when `pledger` takes back their whole pledge of `amount` from a Failed or Cancelled campaign.
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
     * `milestoneAmounts` (1 to {MAX_MILESTONES}, none zero) must add up to `goal`; `deadline` must be in
     * the future; `rulesDocumentHash` is the hash of the published campaign rules. Only a TREASURER of
     * that municipality. Emits {CampaignCreated}.
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
        if (goal == 0) revert CivicFundInvalidGoal(goal);
        if (deadline <= block.timestamp) revert CivicFundInvalidDeadline(deadline, block.timestamp);
        _checkMilestones(milestoneAmounts, goal);

        campaignId = ++_count;
        Campaign storage c = _campaigns[campaignId];
        c.municipalityId = municipalityId;
        c.token = token;
        c.beneficiary = beneficiary;
        c.goal = goal;
        c.deadline = deadline;
        c.rulesDocumentHash = rulesDocumentHash;
        _milestones[campaignId] = milestoneAmounts;
        emit CampaignCreated(
            campaignId, municipalityId, token, beneficiary, goal, deadline, milestoneAmounts, rulesDocumentHash, msg.sender
        );
    }

    /**
     * @dev Opens a Draft campaign for pledges while its deadline is still ahead, and seals its terms:
     * `rulesHash = keccak256(abi.encode(municipalityId, token, beneficiary, goal, deadline,
     * milestoneAmounts, rulesDocumentHash))`. Only a TREASURER of its municipality. Emits {CampaignOpened}.
     */
    function openCampaign(uint256 campaignId) external {
        Campaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Draft) revert CivicFundNotDraft(campaignId, uint8(p));
        if (c.deadline <= block.timestamp) revert CivicFundInvalidDeadline(c.deadline, block.timestamp);
        bytes32 rulesHash = keccak256(
            abi.encode(
                c.municipalityId, c.token, c.beneficiary, c.goal, c.deadline, _milestones[campaignId], c.rulesDocumentHash
            )
        );
        c.opened = true;
        c.rulesHash = rulesHash;
        emit CampaignOpened(campaignId, rulesHash, msg.sender);
    }

    /**
     * @dev Cancels a campaign in Draft or Funding; from then on every pledger may {refund}. Once the
     * deadline has passed the outcome is final and cannot be cancelled. Only a TREASURER of its
     * municipality. Emits {CampaignCancelled}.
     */
    function cancelCampaign(uint256 campaignId, bytes32 reasonHash) external {
        Campaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Draft && p != Phase.Funding) revert CivicFundNotCancellable(campaignId, uint8(p));
        c.cancelled = true;
        emit CampaignCancelled(campaignId, reasonHash, msg.sender);
    }

    /**
     * @dev Escrows `amount` of the campaign's token from the caller (who must have approved it). Only in
     * Funding and while the municipality is not suspended. Credits what actually arrived, so a token that
     * takes a fee on transfer cannot inflate the escrow. Emits {Pledged}.
     */
    function pledge(uint256 campaignId, uint256 amount) external nonReentrant {
        Campaign storage c = _existing(campaignId);
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

        uint256 pledgerTotal = _pledges[campaignId][msg.sender] + received;
        _pledges[campaignId][msg.sender] = pledgerTotal;
        c.pledged += received;
        emit Pledged(campaignId, msg.sender, received, pledgerTotal, c.pledged);
    }

    /**
     * @dev Records a pledge paid in cash or by bank transfer, by the hash of its receipt (unique per
     * campaign). Only in Funding; only a TREASURER of its municipality. The amount goes to `offchainTotal`
     * and does NOT count toward the goal: that money sits with the city treasury, outside this escrow,
     * so neither the all-or-nothing rule nor the refunds of this contract cover it. Emits
     * {OffchainPledgeRecorded}.
     */
    function recordOffchainPledge(uint256 campaignId, bytes32 receiptHash, uint256 amount) external {
        Campaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Funding) revert CivicFundNotFunding(campaignId, uint8(p));
        if (receiptHash == bytes32(0)) revert CivicFundInvalidReceipt(campaignId, receiptHash);
        if (_receipts[campaignId][receiptHash] != 0) revert CivicFundDuplicateReceipt(campaignId, receiptHash);
        if (amount == 0) revert CivicFundZeroAmount(campaignId);
        _receipts[campaignId][receiptHash] = amount;
        c.offchainTotal += amount;
        emit OffchainPledgeRecorded(campaignId, receiptHash, amount, c.offchainTotal, msg.sender);
    }

    /**
     * @dev Pays the caller back their whole pledge to a Failed or Cancelled campaign. Each pledger
     * refunds their own, once. Emits {Refunded}.
     */
    function refund(uint256 campaignId) external nonReentrant {
        Campaign storage c = _existing(campaignId);
        Phase p = _phase(c);
        if (p != Phase.Failed && p != Phase.Cancelled) revert CivicFundNotRefundable(campaignId, uint8(p));
        uint256 amount = _pledges[campaignId][msg.sender];
        if (amount == 0) revert CivicFundNothingToRefund(campaignId, msg.sender);
        _pledges[campaignId][msg.sender] = 0;
        c.refunded += amount;
        emit Refunded(campaignId, msg.sender, amount);
        c.token.safeTransfer(msg.sender, amount);
    }

    /**
     * @dev Pays milestone `index` of a Succeeded campaign to its beneficiary against `evidenceHash`.
     * Milestones are paid in order, each once; the last one pays all that remains in escrow, so pledges
     * above the goal reach the project instead of staying locked here. Only a TREASURER of its
     * municipality. Emits {MilestoneReleased}.
     */
    function releaseMilestone(uint256 campaignId, uint8 index, bytes32 evidenceHash) external nonReentrant {
        Campaign storage c = _existing(campaignId);
        _checkTreasurer(c.municipalityId);
        Phase p = _phase(c);
        if (p != Phase.Succeeded) revert CivicFundNotSucceeded(campaignId, uint8(p));
        if (evidenceHash == bytes32(0)) revert CivicFundMissingEvidence(campaignId, index);
        uint256[] storage amounts = _milestones[campaignId];
        uint256 count = amounts.length;
        if (index >= count) revert CivicFundUnknownMilestone(campaignId, index, count);
        uint8 next = c.nextMilestone;
        if (index < next) revert CivicFundMilestoneAlreadyReleased(campaignId, index);
        if (index > next) revert CivicFundMilestoneOutOfOrder(campaignId, next, index);

        uint256 available = _escrowed(c);
        uint256 amount = index == count - 1 ? available : amounts[index];
        // Unreachable while the books balance (pledged >= goal = sum of milestones); kept as the last line
        // of defence so that no bug elsewhere can pay out other campaigns' escrow.
        if (amount > available) revert CivicFundInsufficientEscrow(campaignId, amount, available);
        c.nextMilestone = next + 1;
        c.released += amount;
        emit MilestoneReleased(campaignId, index, amount, evidenceHash, c.beneficiary, msg.sender);
        c.token.safeTransfer(c.beneficiary, amount);
    }

    /**
     * @dev The {Phase} of `campaignId`; None for an id never created.
     */
    function phase(uint256 campaignId) external view returns (Phase) {
        Campaign storage c = _campaigns[campaignId];
        if (c.municipalityId == 0) return Phase.None;
        return _phase(c);
    }

    /**
     * @dev The public record of `campaignId`. Reverts with {CivicFundUnknownCampaign} for an id never created.
     */
    function campaign(uint256 campaignId) external view returns (Campaign memory) {
        return _existing(campaignId);
    }

    /**
     * @dev The milestone amounts of `campaignId`, in payment order.
     */
    function milestones(uint256 campaignId) external view returns (uint256[] memory) {
        _existing(campaignId);
        return _milestones[campaignId];
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

    function _existing(uint256 campaignId) private view returns (Campaign storage c) {
        c = _campaigns[campaignId];
        if (c.municipalityId == 0) revert CivicFundUnknownCampaign(campaignId);
    }

    function _phase(Campaign storage c) private view returns (Phase) {
        if (c.cancelled) return Phase.Cancelled;
        if (!c.opened) return Phase.Draft;
        if (block.timestamp <= c.deadline) return Phase.Funding;
        // `pledged`, not `escrowed`: releases lower the escrow of a Succeeded campaign without undoing its success.
        return c.pledged >= c.goal ? Phase.Succeeded : Phase.Failed;
    }

    function _escrowed(Campaign storage c) private view returns (uint256) {
        return c.pledged - c.refunded - c.released;
    }
}
