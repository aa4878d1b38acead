// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Every custom error of the ledger contracts lives in this file, one interface per contract, so that
// clients decode all of them from one place and tests assert them by name and arguments.
// Each error names its component and carries the offending values.

/// @dev Errors raised by {Directory} (and bubbled up by every contract that checks roles through it).
interface DirectoryErrors {
    /// @dev No municipality has id `municipalityId`.
    error DirectoryUnknownMunicipality(uint32 municipalityId);
    /// @dev A municipality with this `code` already exists.
    error DirectoryDuplicateCode(string code);
    /// @dev `code` or `name` is empty, or `admin` is the zero address.
    error DirectoryInvalidMunicipality(string code, string name, address admin);
    /// @dev The municipality is suspended: none of its officers can act.
    error DirectoryMunicipalitySuspended(uint32 municipalityId);
    /// @dev The municipality is already active (reinstating it again).
    error DirectoryMunicipalityActive(uint32 municipalityId);
    /// @dev `account` is not the admin of `municipalityId`.
    error DirectoryNotMunicipalityAdmin(uint32 municipalityId, address account);
    /// @dev `account` lacks `role` in `municipalityId`.
    error DirectoryUnauthorizedAccount(uint32 municipalityId, bytes32 role, address account);
    /// @dev The zero role or the zero address was given.
    error DirectoryInvalidRoleOrAccount(bytes32 role, address account);
}

/// @dev Errors raised by {PermitRegistry}.
interface PermitRegistryErrors {
}

/// @dev Errors raised by {ComplaintLedger}.
interface ComplaintLedgerErrors {
}

/// @dev Errors raised by {CivicFund}. A `phase` argument is a {CivicFund-Phase} value
/// (0 None, 1 Draft, 2 Funding, 3 Succeeded, 4 Failed, 5 Cancelled).
interface CivicFundErrors {
    /// @dev No campaign has id `campaignId`.
    error CivicFundUnknownCampaign(uint256 campaignId);
    /// @dev A new campaign's `token` or `beneficiary` is the zero address.
    error CivicFundInvalidAddress(address token, address beneficiary);
    /// @dev A campaign's goal must be more than zero.
    error CivicFundInvalidGoal(uint256 goal);
    /// @dev `deadline` is not after `currentTime`: a campaign is created and opened only before it.
    error CivicFundInvalidDeadline(uint64 deadline, uint256 currentTime);
    /// @dev A campaign has between 1 and `max` milestones; `count` were given.
    error CivicFundInvalidMilestoneCount(uint256 count, uint256 max);
    /// @dev Milestone `index` has a zero amount.
    error CivicFundZeroMilestone(uint256 index);
    /// @dev The milestone amounts add up to `sum` instead of the campaign's `goal`.
    error CivicFundMilestonesNotGoal(uint256 sum, uint256 goal);
    /// @dev Only a campaign in Draft can be opened; `campaignId` is in `phase`.
    error CivicFundNotDraft(uint256 campaignId, uint8 phase);
    /// @dev Pledges are taken only while the campaign is in Funding; `campaignId` is in `phase`.
    error CivicFundNotFunding(uint256 campaignId, uint8 phase);
    /// @dev Only a campaign in Draft or Funding can be cancelled; `campaignId` is in `phase`.
    error CivicFundNotCancellable(uint256 campaignId, uint8 phase);
    /// @dev Refunds exist only for a Failed or Cancelled campaign; `campaignId` is in `phase`.
    error CivicFundNotRefundable(uint256 campaignId, uint8 phase);
    /// @dev Milestones are released only from a Succeeded campaign; `campaignId` is in `phase`.
    error CivicFundNotSucceeded(uint256 campaignId, uint8 phase);
    /// @dev A pledge or an off-chain receipt of zero was given for `campaignId`.
    error CivicFundZeroAmount(uint256 campaignId);
    /// @dev The token moved `amount` but nothing arrived in escrow (a fee took all of it).
    error CivicFundNothingReceived(uint256 campaignId, uint256 amount);
    /// @dev An off-chain receipt hash of zero was given for `campaignId`.
    error CivicFundInvalidReceipt(uint256 campaignId, bytes32 receiptHash);
    /// @dev `receiptHash` is already recorded for `campaignId`: one receipt counts once.
    error CivicFundDuplicateReceipt(uint256 campaignId, bytes32 receiptHash);
    /// @dev `account` has no pledge left to refund in `campaignId` (never pledged, or already refunded).
    error CivicFundNothingToRefund(uint256 campaignId, address account);
    /// @dev Milestone `index` of `campaignId` was to be released without an evidence hash.
    error CivicFundMissingEvidence(uint256 campaignId, uint8 index);
    /// @dev `campaignId` has only `count` milestones, so `index` does not exist.
    error CivicFundUnknownMilestone(uint256 campaignId, uint8 index, uint256 count);
    /// @dev Milestone `index` of `campaignId` was already paid.
    error CivicFundMilestoneAlreadyReleased(uint256 campaignId, uint8 index);
    /// @dev Milestones are paid in order: `expected` is next, `given` was asked for.
    error CivicFundMilestoneOutOfOrder(uint256 campaignId, uint8 expected, uint8 given);
    /// @dev Paying `amount` would take more than the `escrowed` tokens of `campaignId`.
    error CivicFundInsufficientEscrow(uint256 campaignId, uint256 amount, uint256 escrowed);
}

/// @dev Errors raised by {BatchAnchor}.
interface BatchAnchorErrors {
}
