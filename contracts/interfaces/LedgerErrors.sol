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

/// @dev Errors raised by {CivicFund}.
interface CivicFundErrors {
}

/// @dev Errors raised by {BatchAnchor}.
interface BatchAnchorErrors {
    /// @dev The zero root was given: no leaf hashes to it, so it could never prove a record.
    error BatchAnchorZeroRoot();
    /// @dev A batch must hold at least one record; `root` was sent with a count of 0.
    error BatchAnchorEmptyBatch(bytes32 root);
    /// @dev `root` is already anchored: a root is anchored once, so its time and block never change.
    error BatchAnchorRootExists(bytes32 root);
    /// @dev `root` was never anchored.
    error BatchAnchorUnknownRoot(bytes32 root);
    /// @dev The proof does not show that `leaf` belongs to the batch anchored as `root`.
    error BatchAnchorInvalidProof(bytes32 root, bytes32 leaf);
    /// @dev `leaf` inside `root` is already revoked.
    error BatchAnchorRecordAlreadyRevoked(bytes32 root, bytes32 leaf);
    /// @dev A revocation of `leaf` inside `root` came without a reason code (0 is reserved for "none").
    error BatchAnchorMissingReason(bytes32 root, bytes32 leaf);
    /// @dev Only the Directory may tell this contract of role changes; `caller` is not it.
    error BatchAnchorNotDirectory(address caller);
}
