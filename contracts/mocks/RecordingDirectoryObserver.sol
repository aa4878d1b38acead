// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IDirectoryObserver} from "../interfaces/IDirectoryObserver.sol";

/**
 * @title RecordingDirectoryObserver
 * @dev Test double of a {Directory} observer: re-emits every notification so tests can assert what the
 * Directory told it, and can be set to refuse them to show that a refusal reverts the change.
 */
contract RecordingDirectoryObserver is IDirectoryObserver {
    /// @dev When true, every notification reverts.
    bool public refuse;

    /// @dev Re-emitted {IDirectoryObserver-onRoleChanged} notification.
    event RoleChangeObserved(uint32 municipalityId, bytes32 role, address account, bool granted);
    /// @dev Re-emitted {IDirectoryObserver-onMunicipalityStatusChanged} notification.
    event StatusChangeObserved(uint32 municipalityId, bool suspended);
    /// @dev Raised for every notification while {refuse} is set.
    error ObserverRefused();

    /// @dev Makes every later notification revert (or not).
    function setRefuse(bool value) external {
        refuse = value;
    }

    /// @inheritdoc IDirectoryObserver
    function onRoleChanged(uint32 municipalityId, bytes32 role, address account, bool granted) external {
        if (refuse) revert ObserverRefused();
        emit RoleChangeObserved(municipalityId, role, account, granted);
    }

    /// @inheritdoc IDirectoryObserver
    function onMunicipalityStatusChanged(uint32 municipalityId, bool suspended) external {
        if (refuse) revert ObserverRefused();
        emit StatusChangeObserved(municipalityId, suspended);
    }
}
