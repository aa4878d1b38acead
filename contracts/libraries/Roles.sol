// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title Roles
 * @dev The officer roles a municipality can grant in the {Directory}. A role is the keccak256 of its
 * name, so off-chain code computes the same value with `ethers.id("ENGINEER")`. Permit types chain
 * these roles into approval steps; the other ledgers require one of them for each action.
 */
library Roles {
    /// @dev Receives applications, marks them complete, issues certificates.
    bytes32 internal constant PERMIT_OFFICER = keccak256("PERMIT_OFFICER");
    /// @dev Technical review step of a building permit.
    bytes32 internal constant ENGINEER = keccak256("ENGINEER");
    /// @dev Division director's approval step.
    bytes32 internal constant DIRECTOR = keccak256("DIRECTOR");
    /// @dev The mayor's (or deputy's) final approval step.
    bytes32 internal constant MAYOR = keccak256("MAYOR");
    /// @dev Public-health officer: approval step of health-hazard business licences.
    bytes32 internal constant HEALTH_OFFICER = keccak256("HEALTH_OFFICER");
    /// @dev Moves complaints through their statuses.
    bytes32 internal constant COMPLAINT_OFFICER = keccak256("COMPLAINT_OFFICER");
    /// @dev Runs civic fund campaigns: opens them, records off-chain pledges, releases milestones.
    bytes32 internal constant TREASURER = keccak256("TREASURER");
    /// @dev Internal audit: read-only today, named so that audit tooling can recognise its holders.
    bytes32 internal constant AUDITOR = keccak256("AUDITOR");
    /// @dev Issues official documents (e-Office letters, notification certificates, any official paper):
    /// signs the lists of document hashes that the ledger anchors, and revokes what it issued.
    bytes32 internal constant DOCUMENT_ISSUER = keccak256("DOCUMENT_ISSUER");
    /// @dev The ledger service's relayer key: anchors Merkle batches and relays applications.
    bytes32 internal constant ANCHOR_SERVICE = keccak256("ANCHOR_SERVICE");
}
