// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IDirectoryObserver
 * @dev A contract that keeps a copy of part of the {Directory} (to save a cross-contract call on a hot
 * path) and is told of every change, so that the copy is never stale. The Directory calls it inside
 * the same transaction as the change; if the observer reverts, the change reverts too.
 */
interface IDirectoryObserver {
    /**
     * @dev `account` gained (`granted`) or lost `role` in `municipalityId`.
     */
    function onRoleChanged(uint32 municipalityId, bytes32 role, address account, bool granted) external;

    /**
     * @dev `municipalityId` was suspended (`suspended`) or reinstated.
     */
    function onMunicipalityStatusChanged(uint32 municipalityId, bool suspended) external;
}
