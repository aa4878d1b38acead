// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDirectoryObserver} from "./IDirectoryObserver.sol";

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
     * @dev Every account holding `role` in `municipalityId`, whether or not the municipality is suspended.
     */
    function roleMembers(uint32 municipalityId, bytes32 role) external view returns (address[] memory);

    /**
     * @dev The contract told of role changes and suspensions, or the zero address.
     */
    function observer() external view returns (IDirectoryObserver);
}
