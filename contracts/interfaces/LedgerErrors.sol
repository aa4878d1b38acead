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
    /// @dev `code` is not 1 to 32 of A–Z, 0–9 and "-", `name` is empty, or `admin` is the zero address.
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
    /// @dev The national admin cannot renounce: the Directory would be frozen for good.
    error DirectoryRenounceDisabled();
    /// @dev An officer's name needs a non-zero `account` and at most 200 bytes.
    error DirectoryInvalidOfficerName(address account, string name);
    /// @dev A profile needs a non-zero SHA-256 and a CID of 1 to 128 bytes.
    error DirectoryInvalidProfile(uint32 municipalityId, bytes32 sha256Digest, string cid);
    /// @dev `role` of `municipalityId` already has `max` holders: every holder of a role its observers copy
    /// is visited when the municipality is suspended, so the list is kept short.
    error DirectoryTooManyHolders(uint32 municipalityId, bytes32 role, uint256 max);
    /// @dev `observer` has no code (the zero address included), is already an observer, or is one too many
    /// (at most `max`).
    error DirectoryInvalidObserver(address observer, uint256 max);
    /// @dev A key can be marked compromised only from a time that has come (`since` ≤ `now`), and only earlier
    /// than it is marked already (`current`, 0 when not marked).
    error DirectoryInvalidCompromise(uint32 municipalityId, address account, uint64 since, uint64 current, uint256 now);
}

/// @dev Errors raised by {PermitRegistry}. Permit states are carried as the uint8 of `PermitRegistry.PermitState`.
interface PermitRegistryErrors {
    /// @dev A permit type needs a non-zero `typeId` and 1 to 16 approval roles, none of them zero.
    error PermitRegistryInvalidPermitType(bytes32 typeId, bytes32[] approvalRoles);
    /// @dev `typeId` is already defined in `municipalityId`; types are immutable once defined.
    error PermitRegistryPermitTypeExists(uint32 municipalityId, bytes32 typeId);
    /// @dev `typeId` was never defined in `municipalityId`.
    error PermitRegistryUnknownPermitType(uint32 municipalityId, bytes32 typeId);
    /// @dev `typeId` of `municipalityId` is retired: it takes no new applications and cannot be retired twice.
    error PermitRegistryPermitTypeRetired(uint32 municipalityId, bytes32 typeId);
    /// @dev The permit number is empty.
    error PermitRegistryInvalidPermitNumber(string number);
    /// @dev A permit with this public `number` (and so this `permitId`) already exists.
    error PermitRegistryPermitNumberTaken(string number, bytes32 permitId);
    /// @dev `number` does not begin with the {Directory} code of `municipalityId` followed by "/" and more: a
    /// municipality numbers only its own permits. `numberedBy` is the municipality whose code precedes the
    /// number's first "/" (0 when none does).
    error PermitRegistryNumberOutsideMunicipality(string number, uint32 municipalityId, uint32 numberedBy);
    /// @dev No document hash was given, or one of `documentHashes` is zero.
    error PermitRegistryInvalidDocuments(bytes32 permitId, bytes32[] documentHashes);
    /// @dev The applicant commitment (a salted hash) is zero.
    error PermitRegistryInvalidCommitment(bytes32 permitId, bytes32 applicantCommitment);
    /// @dev No permit has id `permitId`.
    error PermitRegistryUnknownPermit(bytes32 permitId);
    /// @dev The permit is in `state` but the action needs `expected`.
    error PermitRegistryWrongState(bytes32 permitId, uint8 state, uint8 expected);
    /// @dev A decision was submitted for step `given` while step `expected` awaits one.
    error PermitRegistryWrongStep(bytes32 permitId, uint8 expected, uint8 given);
    /// @dev The signed `deadline` passed before the signature was submitted at `now`.
    error PermitRegistrySignatureExpired(uint256 deadline, uint256 now);
    /// @dev The signature recovers to `recovered` (zero when malformed), not to `officer`, or it was made for
    /// another nonce, chain or contract.
    error PermitRegistryInvalidSigner(address recovered, address officer);
    /// @dev A step decision must be Approve or Reject.
    error PermitRegistryInvalidDecision(bytes32 permitId, uint8 stepIndex);
    /// @dev `officer` already decided a step of `permitId`: each step needs a different person.
    error PermitRegistryOfficerAlreadyDecided(bytes32 permitId, address officer);
    /// @dev The certificate hash is zero or the CID is empty.
    error PermitRegistryInvalidCertificate(bytes32 certificateHash, string cid);
    /// @dev `certificateHash` was already issued, for `permitId`; a certificate hash names one version only.
    error PermitRegistryCertificateExists(bytes32 certificateHash, bytes32 permitId);
    /// @dev A revocation needs a non-zero reason code.
    error PermitRegistryInvalidReasonCode(bytes32 permitId, uint16 reasonCode);
}

/// @dev Errors raised by {ComplaintLedger}. Statuses are carried as the `uint8` of `ComplaintLedger.Status`.
interface ComplaintLedgerErrors {
    /// @dev A category needs a non-zero id and a non-zero SLA: a zero SLA would make every complaint overdue at once.
    error ComplaintLedgerInvalidCategory(uint32 municipalityId, bytes32 category, uint32 slaSeconds);
    /// @dev `category` was never set up in `municipalityId`, or the municipality switched it off for new filings.
    error ComplaintLedgerCategoryInactive(uint32 municipalityId, bytes32 category);
    /// @dev The filing id, the content hash or the reporter commitment is zero.
    error ComplaintLedgerInvalidFiling(bytes32 filingId, bytes32 contentHash, bytes32 reporterCommitment);
    /// @dev A complaint with this id was already filed: its filer used the same filing id in the same municipality.
    error ComplaintLedgerComplaintExists(bytes32 complaintId);
    /// @dev No complaint was filed with this id.
    error ComplaintLedgerUnknownComplaint(bytes32 complaintId);
    /// @dev The complaint is in status `current`, from which status `requested` cannot be reached.
    error ComplaintLedgerInvalidTransition(bytes32 complaintId, uint8 current, uint8 requested);
    /// @dev `close` accepts only Rejected, Duplicate or NotResponsible as its `outcome`.
    error ComplaintLedgerInvalidOutcome(bytes32 complaintId, uint8 outcome);
    /// @dev Closing without resolving needs a non-zero reason code from the municipality's catalogue.
    error ComplaintLedgerMissingReasonCode(bytes32 complaintId);
    /// @dev `originalId` is not another complaint filed in the same municipality.
    error ComplaintLedgerInvalidDuplicate(bytes32 complaintId, bytes32 originalId);
    /// @dev A complaint cannot be resolved without an evidence hash.
    error ComplaintLedgerMissingEvidence(bytes32 complaintId);
    /// @dev The revealed secret or the reporter's address does not open the complaint's reporter commitment.
    error ComplaintLedgerNotReporter(bytes32 complaintId);
    /// @dev The rotated commitment is zero or equals the one just revealed (which would stay publicly openable).
    error ComplaintLedgerInvalidCommitment(bytes32 complaintId, bytes32 nextCommitment);
    /// @dev The signature recovers to `recovered` (zero when malformed), not to `reporter`.
    error ComplaintLedgerInvalidSigner(address recovered, address reporter);
    /// @dev The reporter's signature was valid until `deadline`; the block time is `timestamp`.
    error ComplaintLedgerSignatureExpired(uint256 deadline, uint256 timestamp);
}

/// @dev Errors raised by {CivicFund}. A `phase` argument is a {CivicFund-Phase} value
/// (0 None, 1 Draft, 2 Funding, 3 Succeeded, 4 Failed, 5 Cancelled, 6 Lapsed).
interface CivicFundErrors {
    /// @dev No campaign has id `campaignId`.
    error CivicFundUnknownCampaign(uint256 campaignId);
    /// @dev A new campaign's `token` or `beneficiary` is the zero address.
    error CivicFundInvalidAddress(address token, address beneficiary);
    /// @dev A campaign's goal must be more than zero and less than 2^96 (the width it is stored in).
    error CivicFundInvalidGoal(uint256 goal);
    /// @dev `deadline` is not after `currentTime` (a campaign is created and opened only before it), or is
    /// not below 2^40 seconds (the year 36812, the width it is stored in).
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
    /// @dev `campaignId` has `pledged` of its `goal` already: residents have funded it, so it cannot be cancelled.
    error CivicFundGoalReached(uint256 campaignId, uint256 pledged, uint256 goal);
    /// @dev Refunds exist only for a Failed, Cancelled or Lapsed campaign; `campaignId` is in `phase`.
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
    /// @dev A total of `campaignId` (pledged, or recorded off chain) would reach `total`, not below 2^128.
    error CivicFundAmountTooLarge(uint256 campaignId, uint256 total);
}

/// @dev Errors raised by {BatchAnchor}.
interface BatchAnchorErrors {
    /// @dev The zero root was given: no leaf hashes to it, so it could never prove a record.
    error BatchAnchorZeroRoot();
    /// @dev A batch must hold at least one record; `root` was sent with a count of 0.
    error BatchAnchorEmptyBatch(bytes32 root);
    /// @dev `municipalityId` has already anchored `root`: a root is anchored once per municipality, so its
    /// time and block never change.
    error BatchAnchorRootExists(uint32 municipalityId, bytes32 root);
    /// @dev `municipalityId` never anchored `root`.
    error BatchAnchorUnknownRoot(uint32 municipalityId, bytes32 root);
    /// @dev The proof does not show that `leaf` belongs to the batch anchored as `root`.
    error BatchAnchorInvalidProof(bytes32 root, bytes32 leaf);
    /// @dev `leaf` inside the batch `root` of `municipalityId` is already revoked.
    error BatchAnchorRecordAlreadyRevoked(uint32 municipalityId, bytes32 root, bytes32 leaf);
    /// @dev A revocation of `leaf` inside `root` came without a reason code (0 is reserved for "none").
    error BatchAnchorMissingReason(bytes32 root, bytes32 leaf);
    /// @dev Only the Directory may tell this contract of role changes; `caller` is not it.
    error BatchAnchorNotDirectory(address caller);
    /// @dev The signed `deadline` passed before the signature was submitted at `now`.
    error BatchAnchorSignatureExpired(uint256 deadline, uint256 now);
    /// @dev The signature recovers to `recovered` (zero when malformed), not to `officer`, or it was made for
    /// another record, chain or contract.
    error BatchAnchorInvalidSigner(address recovered, address officer);
}
