// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IDirectory
 * @dev What the ledger contracts ask the {Directory}: may this account act in this role for this
 * municipality? The `check…` views revert with the {DirectoryErrors} that explain why not, so every
 * contract reports the same errors for the same refusal.
 */
interface IDirectory {
    /**
     * @dev Whether `account` holds `role` in `municipalityId` and that municipality is active.
     */
    function hasRole(uint32 municipalityId, bytes32 role, address account) external view returns (bool);

    /**
     * @dev Reverts unless `municipalityId` is active and `account` holds `role` there.
     */
    function checkRole(uint32 municipalityId, bytes32 role, address account) external view;

    /**
     * @dev Reverts unless `municipalityId` is active and `account` holds `role` or `otherRole` there.
     * The revert names `role`.
     */
    function checkEitherRole(uint32 municipalityId, bytes32 role, bytes32 otherRole, address account) external view;

    /**
     * @dev Reverts unless `municipalityId` is active and `account` is its admin.
     */
    function checkAdmin(uint32 municipalityId, address account) external view;

    /**
     * @dev Whether `municipalityId` exists and is not suspended.
     */
    function isActive(uint32 municipalityId) external view returns (bool);

    /**
     * @dev The id of the municipality with the unique public `code` (e.g. "TH-50-MAEHIA", what its permit
     * numbers begin with), or 0 when there is none.
     */
    function municipalityIdOf(string calldata code) external view returns (uint32);

    /**
     * @dev Every account holding `role` in `municipalityId`, whether or not the municipality is suspended.
     */
    function roleMembers(uint32 municipalityId, bytes32 role) external view returns (address[] memory);

    /**
     * @dev Whether `account` is told of every role change and suspension (an observer is never removed).
     */
    function isObserver(address account) external view returns (bool);

    /**
     * @dev Whether `account` held `role` in `municipalityId` at `timestamp` (s since epoch), from the history
     * of its grants and revocations: what a verifier asks of a signature anchored at that time, without an
     * archive node. Suspension is not part of the answer (nothing can be anchored for a suspended municipality).
     */
    function roleHeldAt(uint32 municipalityId, bytes32 role, address account, uint64 timestamp) external view returns (bool);

    /**
     * @dev The time from which `account`'s key is marked compromised in `municipalityId`, or 0.
     */
    function compromisedSince(uint32 municipalityId, address account) external view returns (uint64);
}
