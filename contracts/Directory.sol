// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {DirectoryErrors} from "./interfaces/LedgerErrors.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IDirectoryObserver} from "./interfaces/IDirectoryObserver.sol";

/**
 * @title Directory
 * @dev Which municipalities exist and which officer addresses may act for which municipality in which
 * role: the on-chain issuer identity every other ledger contract checks.
 *
 * The owner is the national admin: it adds municipalities and suspends or reinstates them. Each
 * municipality has its own admin (a person's key or a multisig) who grants and revokes its officers'
 * roles. While a municipality is suspended {hasRole} answers false for all of its officers and
 * {checkRole} reverts, so nothing can be done in its name anywhere in the ledger.
 *
 * Roles are scoped per municipality, which is why this contract keeps its own role table instead of
 * inheriting OpenZeppelin's AccessControl: its global `hasRole(bytes32,address)` would overload
 * {hasRole} and force every client to call by full signature. Members of each role are enumerable
 * ({roleMembers}) so that anyone can list who may act for a municipality.
 *
 * An optional {observer} (the {BatchAnchor}) is told of every role change and suspension, so that it
 * can keep its own copy of who may anchor and save a cross-contract call on every batch.
 */
contract Directory is Ownable2Step, IDirectory, DirectoryErrors {
    using EnumerableSet for EnumerableSet.AddressSet;

    struct Municipality {
        address admin;
        bool suspended;
        string code;
        string name;
    }

    /// @dev Ids start at 1 so that 0 means "none" in every contract that stores one.
    mapping(uint32 municipalityId => Municipality) private _municipalities;
    mapping(bytes32 codeHash => uint32 municipalityId) private _idByCode;
    mapping(uint32 municipalityId => mapping(bytes32 role => EnumerableSet.AddressSet)) private _members;
    uint32 private _count;
    IDirectoryObserver private _observer;

    /**
     * @dev Emitted when the national admin adds a municipality.
     */
    event MunicipalityAdded(uint32 indexed municipalityId, string code, string name, address indexed admin);

    /**
     * @dev Emitted when the national admin suspends a municipality; `reasonHash` points at the decision.
     */
    event MunicipalitySuspended(uint32 indexed municipalityId, bytes32 reasonHash);

    /**
     * @dev Emitted when the national admin lifts a suspension.
     */
    event MunicipalityReinstated(uint32 indexed municipalityId);

    /**
     * @dev Emitted when a municipality's admin changes.
     */
    event MunicipalityAdminChanged(uint32 indexed municipalityId, address indexed previousAdmin, address indexed newAdmin);

    /**
     * @dev Emitted when `account` receives `role` in `municipalityId` from `sender`.
     */
    event OfficerRoleGranted(uint32 indexed municipalityId, bytes32 indexed role, address indexed account, address sender);

    /**
     * @dev Emitted when `account` loses `role` in `municipalityId`, revoked by `sender`.
     */
    event OfficerRoleRevoked(uint32 indexed municipalityId, bytes32 indexed role, address indexed account, address sender);

    /**
     * @dev Emitted when the national admin sets (or clears, with the zero address) the observer.
     */
    event ObserverChanged(address indexed previousObserver, address indexed newObserver);

    /**
     * @dev `nationalAdmin` becomes the owner, who alone adds, suspends and reinstates municipalities.
     */
    constructor(address nationalAdmin) Ownable(nationalAdmin) {}

    /**
     * @dev Adds a municipality with a unique public `code` (e.g. "TH-50-MAEHIA"), its display `name`
     * and its `admin`. Only the national admin. Returns the new id. Emits {MunicipalityAdded}.
     */
    function addMunicipality(string calldata code, string calldata name, address admin)
        external
        onlyOwner
        returns (uint32 municipalityId)
    {
        if (bytes(code).length == 0 || bytes(name).length == 0 || admin == address(0)) {
            revert DirectoryInvalidMunicipality(code, name, admin);
        }
        bytes32 codeHash = keccak256(bytes(code));
        if (_idByCode[codeHash] != 0) revert DirectoryDuplicateCode(code);
        municipalityId = ++_count;
        _idByCode[codeHash] = municipalityId;
        _municipalities[municipalityId] = Municipality({admin: admin, suspended: false, code: code, name: name});
        emit MunicipalityAdded(municipalityId, code, name, admin);
    }

    /**
     * @dev Suspends `municipalityId`: none of its officers can act until {reinstateMunicipality}.
     * Only the national admin. Emits {MunicipalitySuspended}.
     */
    function suspendMunicipality(uint32 municipalityId, bytes32 reasonHash) external onlyOwner {
        _requireActive(municipalityId);
        _municipalities[municipalityId].suspended = true;
        emit MunicipalitySuspended(municipalityId, reasonHash);
        if (address(_observer) != address(0)) _observer.onMunicipalityStatusChanged(municipalityId, true);
    }

    /**
     * @dev Lifts the suspension of `municipalityId`. Only the national admin. Emits {MunicipalityReinstated}.
     */
    function reinstateMunicipality(uint32 municipalityId) external onlyOwner {
        Municipality storage m = _existing(municipalityId);
        if (!m.suspended) revert DirectoryMunicipalityActive(municipalityId);
        m.suspended = false;
        emit MunicipalityReinstated(municipalityId);
        if (address(_observer) != address(0)) _observer.onMunicipalityStatusChanged(municipalityId, false);
    }

    /**
     * @dev Sets the contract told of every role change and suspension (zero clears it). Only the
     * national admin. Replacing an observer retires the old one: it is told nothing more, so its copy
     * must no longer be trusted. Emits {ObserverChanged}.
     */
    function setObserver(IDirectoryObserver newObserver) external onlyOwner {
        address previous = address(_observer);
        _observer = newObserver;
        emit ObserverChanged(previous, address(newObserver));
    }

    /**
     * @dev Hands the admin of an active `municipalityId` to `newAdmin`. The national admin or the current
     * municipality admin. Emits {MunicipalityAdminChanged}.
     */
    function setMunicipalityAdmin(uint32 municipalityId, address newAdmin) external {
        Municipality storage m = _requireActive(municipalityId);
        if (msg.sender != m.admin && msg.sender != owner()) {
            revert DirectoryNotMunicipalityAdmin(municipalityId, msg.sender);
        }
        if (newAdmin == address(0)) revert DirectoryInvalidRoleOrAccount(bytes32(0), newAdmin);
        address previous = m.admin;
        m.admin = newAdmin;
        emit MunicipalityAdminChanged(municipalityId, previous, newAdmin);
    }

    /**
     * @dev Grants `role` in `municipalityId` to `account`. Only that municipality's admin, while it is
     * active. Granting a role already held changes nothing and emits nothing. Emits {OfficerRoleGranted}.
     */
    function grantRole(uint32 municipalityId, bytes32 role, address account) external {
        _requireAdmin(municipalityId);
        if (role == bytes32(0) || account == address(0)) revert DirectoryInvalidRoleOrAccount(role, account);
        if (!_members[municipalityId][role].add(account)) return;
        emit OfficerRoleGranted(municipalityId, role, account, msg.sender);
        if (address(_observer) != address(0)) _observer.onRoleChanged(municipalityId, role, account, true);
    }

    /**
     * @dev Revokes `role` in `municipalityId` from `account`. That municipality's admin or the national
     * admin, even while the municipality is suspended: a compromised key must be removable before the
     * municipality is reinstated, or reinstatement would bring it back. Revoking a role not held changes
     * nothing and emits nothing. Emits {OfficerRoleRevoked}.
     */
    function revokeRole(uint32 municipalityId, bytes32 role, address account) external {
        if (msg.sender != _existing(municipalityId).admin && msg.sender != owner()) {
            revert DirectoryNotMunicipalityAdmin(municipalityId, msg.sender);
        }
        if (!_members[municipalityId][role].remove(account)) return;
        emit OfficerRoleRevoked(municipalityId, role, account, msg.sender);
        if (address(_observer) != address(0)) _observer.onRoleChanged(municipalityId, role, account, false);
    }

    /**
     * @dev Always reverts: a Directory without a national admin could never add or suspend a municipality
     * again. Hand the role over with {transferOwnership} instead.
     */
    function renounceOwnership() public view override onlyOwner {
        revert DirectoryRenounceDisabled();
    }

    /// @inheritdoc IDirectory
    function hasRole(uint32 municipalityId, bytes32 role, address account) public view returns (bool) {
        return _members[municipalityId][role].contains(account) && isActive(municipalityId);
    }

    /// @inheritdoc IDirectory
    function checkRole(uint32 municipalityId, bytes32 role, address account) external view {
        _requireActive(municipalityId);
        if (!_members[municipalityId][role].contains(account)) {
            revert DirectoryUnauthorizedAccount(municipalityId, role, account);
        }
    }

    /// @inheritdoc IDirectory
    function checkEitherRole(uint32 municipalityId, bytes32 role, bytes32 otherRole, address account) external view {
        _requireActive(municipalityId);
        if (!_members[municipalityId][role].contains(account) && !_members[municipalityId][otherRole].contains(account)) {
            revert DirectoryUnauthorizedAccount(municipalityId, role, account);
        }
    }

    /// @inheritdoc IDirectory
    function checkAdmin(uint32 municipalityId, address account) external view {
        if (_requireActive(municipalityId).admin != account) {
            revert DirectoryNotMunicipalityAdmin(municipalityId, account);
        }
    }

    /// @inheritdoc IDirectory
    function isActive(uint32 municipalityId) public view returns (bool) {
        Municipality storage m = _municipalities[municipalityId];
        return m.admin != address(0) && !m.suspended;
    }

    /// @inheritdoc IDirectory
    function roleMembers(uint32 municipalityId, bytes32 role) external view returns (address[] memory) {
        return _members[municipalityId][role].values();
    }

    /// @inheritdoc IDirectory
    function observer() external view returns (IDirectoryObserver) {
        return _observer;
    }

    /**
     * @dev The public record of `municipalityId`. Reverts with {DirectoryUnknownMunicipality} for an id
     * never added.
     */
    function municipality(uint32 municipalityId)
        external
        view
        returns (string memory code, string memory name, address admin, bool suspended)
    {
        Municipality storage m = _existing(municipalityId);
        return (m.code, m.name, m.admin, m.suspended);
    }

    /**
     * @dev The id of the municipality with `code`, or 0 when there is none.
     */
    function municipalityIdOf(string calldata code) external view returns (uint32) {
        return _idByCode[keccak256(bytes(code))];
    }

    /**
     * @dev How many municipalities were ever added; ids run from 1 to this number.
     */
    function municipalityCount() external view returns (uint32) {
        return _count;
    }

    /// @dev An added municipality always has an admin, so the admin's slot doubles as "exists" and the
    /// hot path ({checkRole}) reads one slot for the municipality, not two.
    function _existing(uint32 municipalityId) private view returns (Municipality storage m) {
        m = _municipalities[municipalityId];
        if (m.admin == address(0)) revert DirectoryUnknownMunicipality(municipalityId);
    }

    function _requireActive(uint32 municipalityId) private view returns (Municipality storage m) {
        m = _existing(municipalityId);
        if (m.suspended) revert DirectoryMunicipalitySuspended(municipalityId);
    }

    function _requireAdmin(uint32 municipalityId) private view {
        if (_requireActive(municipalityId).admin != msg.sender) {
            revert DirectoryNotMunicipalityAdmin(municipalityId, msg.sender);
        }
    }
}
