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
 * {observers} (the {BatchAnchor}) are told of every role change and suspension, so that they can keep
 * their own copy of who may anchor and save a cross-contract call on every batch. An observer is never
 * removed: a copy that stopped hearing of changes would go on trusting keys revoked since, so every
 * observer ever added hears of every change for good (a retired one is harmless: revoke its anchorers).
 *
 * Verifiers ask what held at a past time, without an archive node: every grant and revocation is kept in
 * a per-holder history ({roleHeldAt}), and a municipality admin can mark a key compromised from a time
 * on ({compromisedSince}), after which nothing it signed verifies as valid.
 */
contract Directory is Ownable2Step, IDirectory, DirectoryErrors {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @dev Observers are called on every change, so there are few of them.
    uint256 public constant MAX_OBSERVERS = 4;
    /// @dev Holders of ANCHOR_SERVICE per municipality: observers copy that role, and a suspension visits
    /// every holder, so a municipality admin cannot make suspending it too dear to fit in a block.
    uint256 public constant MAX_ANCHOR_SERVICE_HOLDERS = 4;
    bytes32 private constant ANCHOR_SERVICE = keccak256("ANCHOR_SERVICE");

    struct Municipality {
        address admin;
        bool suspended;
        string code;
        string name;
    }

    /// @dev The municipality's published profile ({publishProfile}): the SHA-256 of its bytes and when.
    struct Profile {
        bytes32 sha256Digest;
        uint64 publishedAt;
    }

    /// @dev Ids start at 1 so that 0 means "none" in every contract that stores one.
    mapping(uint32 municipalityId => Municipality) private _municipalities;
    mapping(bytes32 codeHash => uint32 municipalityId) private _idByCode;
    mapping(uint32 municipalityId => mapping(bytes32 role => EnumerableSet.AddressSet)) private _members;
    /// @dev The block times at which each holder gained and lost each role: grants at even positions,
    /// revocations at odd ones, oldest first.
    mapping(uint32 municipalityId => mapping(bytes32 role => mapping(address account => uint64[]))) private _roleHistory;
    mapping(uint32 municipalityId => mapping(address account => uint64 since)) private _compromisedSince;
    mapping(uint32 municipalityId => mapping(address account => string name)) private _officerNames;
    mapping(uint32 municipalityId => Profile) private _profiles;
    uint32 private _count;
    EnumerableSet.AddressSet private _observers;

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
     * @dev Emitted when the national admin adds an observer.
     */
    event ObserverAdded(address indexed observer);

    /**
     * @dev Emitted when the admin of `municipalityId` names the holder of `account` (empty: the name is withdrawn).
     */
    event OfficerNamed(uint32 indexed municipalityId, address indexed account, string name);

    /**
     * @dev Emitted when `account`'s key is marked compromised in `municipalityId` from time `since` on, by
     * `sender`: whatever it signed that was anchored at or after `since` no longer verifies as valid.
     */
    event KeyCompromised(uint32 indexed municipalityId, address indexed account, uint64 since, address sender);

    /**
     * @dev Emitted when the admin of `municipalityId` publishes its profile: the document whose SHA-256 is
     * `sha256Digest`, stored on IPFS as `cid`.
     */
    event MunicipalityProfilePublished(uint32 indexed municipalityId, bytes32 sha256Digest, string cid, address sender);

    /**
     * @dev `nationalAdmin` becomes the owner, who alone adds, suspends and reinstates municipalities.
     */
    constructor(address nationalAdmin) Ownable(nationalAdmin) {}

    /**
     * @dev Adds a municipality with a unique public `code` (e.g. "TH-50-MAEHIA": 1 to 32 of A–Z, 0–9 and
     * "-"), its display `name` and its `admin`. Only the national admin. Returns the new id. Emits
     * {MunicipalityAdded}. The code's alphabet has no "/": permit numbers begin with their town's code and
     * a "/", so no town's code can begin another's numbers.
     */
    function addMunicipality(string calldata code, string calldata name, address admin)
        external
        onlyOwner
        returns (uint32 municipalityId)
    {
        if (!_isCode(bytes(code)) || bytes(name).length == 0 || admin == address(0)) {
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
        _notifyStatus(municipalityId, true);
    }

    /**
     * @dev Lifts the suspension of `municipalityId`. Only the national admin. Emits {MunicipalityReinstated}.
     */
    function reinstateMunicipality(uint32 municipalityId) external onlyOwner {
        Municipality storage m = _existing(municipalityId);
        if (!m.suspended) revert DirectoryMunicipalityActive(municipalityId);
        m.suspended = false;
        emit MunicipalityReinstated(municipalityId);
        _notifyStatus(municipalityId, false);
    }

    /**
     * @dev Adds a contract to be told of every role change and suspension from now on, for good (see the
     * contract's description: an observer is never removed). At most {MAX_OBSERVERS}, each a contract that
     * takes this Directory's notifications: an observer that reverts them (an account without code, a
     * BatchAnchor built for another Directory) would block every later grant, revocation and suspension for
     * good, so it is sent a notification that changes nothing before it is added, and its refusal reverts
     * this call. Only the national admin. Emits {ObserverAdded}.
     */
    function addObserver(IDirectoryObserver newObserver) external onlyOwner {
        if (
            address(newObserver).code.length == 0 || _observers.length() >= MAX_OBSERVERS
                || !_observers.add(address(newObserver))
        ) {
            revert DirectoryInvalidObserver(address(newObserver), MAX_OBSERVERS);
        }
        // The zero role of no account in no municipality: an observer ignores it, or refuses this Directory.
        newObserver.onRoleChanged(0, bytes32(0), address(0), false);
        emit ObserverAdded(address(newObserver));
    }

    /**
     * @dev Publishes the name of the officer who holds `account` in `municipalityId` (e.g. "นางสาวสมศรี ใจดี
     * (Ms Somsri Jaidee)"), as the municipality vouches for it: verifiers show it beside the signer's
     * address. An official's name in their official capacity, never a resident's. Empty withdraws it. At
     * most 200 bytes. Only the municipality's admin, while it is active. Emits {OfficerNamed}.
     */
    function setOfficerName(uint32 municipalityId, address account, string calldata name) external {
        _requireAdmin(municipalityId);
        if (account == address(0) || bytes(name).length > 200) revert DirectoryInvalidOfficerName(account, name);
        _officerNames[municipalityId][account] = name;
        emit OfficerNamed(municipalityId, account, name);
    }

    /**
     * @dev The name the admin of `municipalityId` published for `account` ({setOfficerName}), or "".
     */
    function officerName(uint32 municipalityId, address account) external view returns (string memory) {
        return _officerNames[municipalityId][account];
    }

    /**
     * @dev Publishes the profile of `municipalityId`: what the municipality is beyond the chain's state —
     * its names in Thai and English, map area, Open311 jurisdiction, permit type labels, complaint
     * categories' names and questions, campaign token — as one document on IPFS (`cid`) whose bytes hash to
     * `sha256Digest`. The admin's own transaction is the municipality's signature of the document: any
     * replica rebuilds the town from this event and IPFS alone. `cid` is at most 128 bytes. Only the
     * municipality's admin, while it is active. Emits {MunicipalityProfilePublished}.
     */
    function publishProfile(uint32 municipalityId, bytes32 sha256Digest, string calldata cid) external {
        _requireAdmin(municipalityId);
        if (sha256Digest == bytes32(0) || bytes(cid).length == 0 || bytes(cid).length > 128) {
            revert DirectoryInvalidProfile(municipalityId, sha256Digest, cid);
        }
        _profiles[municipalityId] = Profile(sha256Digest, uint64(block.timestamp));
        emit MunicipalityProfilePublished(municipalityId, sha256Digest, cid, msg.sender);
    }

    /**
     * @dev The SHA-256 of the profile `municipalityId` published last and when ({publishProfile}); zeros
     * when it never published one.
     */
    function profileOf(uint32 municipalityId) external view returns (bytes32 sha256Digest, uint64 publishedAt) {
        Profile storage profile = _profiles[municipalityId];
        return (profile.sha256Digest, profile.publishedAt);
    }

    /**
     * @dev Marks `account`'s key compromised in `municipalityId` from time `since` (s since epoch) on:
     * verifiers treat whatever it signed that was anchored at or after `since` as not valid. `since` may lie
     * in the past (a keystore lost last week) but not in the future, and a mark can only be moved earlier.
     * The municipality's admin or the national admin, even while the municipality is suspended. It does not
     * revoke the key's roles: revoke them too ({revokeRole}). Emits {KeyCompromised}.
     */
    function markKeyCompromised(uint32 municipalityId, address account, uint64 since) external {
        if (msg.sender != _existing(municipalityId).admin && msg.sender != owner()) {
            revert DirectoryNotMunicipalityAdmin(municipalityId, msg.sender);
        }
        uint64 current = _compromisedSince[municipalityId][account];
        if (account == address(0) || since == 0 || since > block.timestamp || (current != 0 && since >= current)) {
            revert DirectoryInvalidCompromise(municipalityId, account, since, current, block.timestamp);
        }
        _compromisedSince[municipalityId][account] = since;
        emit KeyCompromised(municipalityId, account, since, msg.sender);
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
        EnumerableSet.AddressSet storage members = _members[municipalityId][role];
        if (members.contains(account)) return;
        if (role == ANCHOR_SERVICE && members.length() >= MAX_ANCHOR_SERVICE_HOLDERS) {
            revert DirectoryTooManyHolders(municipalityId, role, MAX_ANCHOR_SERVICE_HOLDERS);
        }
        members.add(account);
        _roleHistory[municipalityId][role][account].push(uint64(block.timestamp));
        emit OfficerRoleGranted(municipalityId, role, account, msg.sender);
        _notifyRole(municipalityId, role, account, true);
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
        _roleHistory[municipalityId][role][account].push(uint64(block.timestamp));
        emit OfficerRoleRevoked(municipalityId, role, account, msg.sender);
        _notifyRole(municipalityId, role, account, false);
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
    function isObserver(address account) external view returns (bool) {
        return _observers.contains(account);
    }

    /**
     * @dev Every observer, in the order they were added.
     */
    function observers() external view returns (address[] memory) {
        return _observers.values();
    }

    /// @inheritdoc IDirectory
    function roleHeldAt(uint32 municipalityId, bytes32 role, address account, uint64 timestamp)
        external
        view
        returns (bool)
    {
        uint64[] storage history = _roleHistory[municipalityId][role][account];
        // Changes are appended in time order; the latest at or before `timestamp` decides. A grant and a
        // revocation in the same second leave the role not held at that second.
        for (uint256 i = history.length; i > 0; --i) {
            if (history[i - 1] <= timestamp) return (i - 1) % 2 == 0;
        }
        return false;
    }

    /**
     * @dev The block times at which `account` gained (even positions) and lost (odd positions) `role` in
     * `municipalityId`, oldest first: the history {roleHeldAt} reads.
     */
    function roleHistory(uint32 municipalityId, bytes32 role, address account) external view returns (uint64[] memory) {
        return _roleHistory[municipalityId][role][account];
    }

    /// @inheritdoc IDirectory
    function compromisedSince(uint32 municipalityId, address account) external view returns (uint64) {
        return _compromisedSince[municipalityId][account];
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

    function _isCode(bytes calldata code) private pure returns (bool) {
        if (code.length == 0 || code.length > 32) return false;
        for (uint256 i = 0; i < code.length; ++i) {
            bytes1 c = code[i];
            if (!((c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-")) return false;
        }
        return true;
    }

    function _notifyRole(uint32 municipalityId, bytes32 role, address account, bool granted) private {
        uint256 n = _observers.length();
        for (uint256 i = 0; i < n; ++i) {
            IDirectoryObserver(_observers.at(i)).onRoleChanged(municipalityId, role, account, granted);
        }
    }

    function _notifyStatus(uint32 municipalityId, bool suspended) private {
        uint256 n = _observers.length();
        for (uint256 i = 0; i < n; ++i) {
            IDirectoryObserver(_observers.at(i)).onMunicipalityStatusChanged(municipalityId, suspended);
        }
    }

    function _requireAdmin(uint32 municipalityId) private view {
        if (_requireActive(municipalityId).admin != msg.sender) {
            revert DirectoryNotMunicipalityAdmin(municipalityId, msg.sender);
        }
    }
}
