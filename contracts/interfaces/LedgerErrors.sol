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

/// @dev Errors raised by {ComplaintLedger}.
interface ComplaintLedgerErrors {
}

/// @dev Errors raised by {CivicFund}.
interface CivicFundErrors {
}

/// @dev Errors raised by {BatchAnchor}.
interface BatchAnchorErrors {
}
