// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {BatchAnchorErrors, DirectoryErrors} from "./interfaces/LedgerErrors.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {IDirectoryObserver} from "./interfaces/IDirectoryObserver.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title BatchAnchor
 * @dev Anchors high-volume records (complaint updates, pledge receipts, the SHA-256 of any document) as
 * one Merkle root per batch, built off-chain with the `StandardMerkleTree` of OpenZeppelin's merkle-tree
 * over the leaf encoding `["bytes32"]` (the document's SHA-256). A record is checked against its root
 * with OpenZeppelin's {MerkleProof}; a record can be revoked inside its root without touching the others.
 *
 * A single record is a batch of one: its root is {leafOf} its hash and its proof is empty, so single and
 * batch anchoring share one code path (as OpenAttestation's DocumentStore does).
 *
 * Gas is the point of this contract: {anchor} writes exactly one new storage slot (the packed {Batch}),
 * whatever the number of records, and the existence check reads that same slot first so its cold-access
 * cost is paid once. The Directory is an immutable, so finding it costs no storage read.
 *
 * Asking the Directory on every anchor would cost a cold call and two cold reads (about 6,800 gas, over
 * the 50-gas-per-record budget of a 1,000-record batch). So this contract keeps its own copy of who
 * holds ANCHOR_SERVICE where, and is the Directory's {IDirectoryObserver}: every grant, revocation,
 * suspension and reinstatement reaches the copy in the same transaction, so it is never stale. A holder
 * granted before this contract became the observer is checked against the Directory on its first
 * anchor and copied then. The Directory stays the only source of truth; replacing its observer retires
 * this contract.
 */
contract BatchAnchor is BatchAnchorErrors, DirectoryErrors, IDirectoryObserver {
    /**
     * @dev Where a record stands: `Unknown` when the root was never anchored or the proof does not lead
     * to it, `Anchored` when the proof holds and the record is not revoked, `Revoked` otherwise.
     */
    enum RecordStatus {
        Unknown,
        Anchored,
        Revoked
    }

    /**
     * @dev One anchored root, packed into a single slot. `count` is the number of records the anchoring
     * service declares (at least 1, which also marks the root as anchored); `anchoredAt` and
     * `blockNumber` date the anchor for the legal record without a trip to the block header.
     */
    struct Batch {
        uint32 municipalityId;
        uint32 count;
        uint64 anchoredAt;
        uint64 blockNumber;
    }

    IDirectory private immutable _directory;
    mapping(bytes32 root => Batch) private _batches;
    mapping(bytes32 root => mapping(bytes32 leaf => bool)) private _revoked;
    mapping(uint32 municipalityId => mapping(address account => bool)) private _anchorers;

    /**
     * @dev Emitted when `root`, holding `count` records, is anchored for `municipalityId`. The block and
     * the transaction sender (the anchoring service's key) complete the record.
     */
    event BatchAnchored(bytes32 indexed root, uint32 indexed municipalityId, uint32 count);

    /**
     * @dev Emitted when the record `leaf` inside `root` is revoked by `actor`, with a `reasonCode` from the
     * ledger's code list and `reasonHash` pointing at the decision document.
     */
    event RecordRevoked(
        bytes32 indexed root,
        bytes32 indexed leaf,
        uint16 reasonCode,
        bytes32 reasonHash,
        address actor
    );

    /**
     * @dev `directory_` answers who holds ANCHOR_SERVICE in which municipality; it is fixed for the
     * lifetime of this contract.
     */
    constructor(IDirectory directory_) {
        _directory = directory_;
    }

    /**
     * @dev Anchors `root`, the Merkle root of `count` records of `municipalityId`. Only an account holding
     * ANCHOR_SERVICE in that municipality while it is active. A root is anchored once: the second attempt
     * reverts with {BatchAnchorRootExists} naming the municipality it is anchored for, so the anchoring
     * worker can retry after a crash and learn that its earlier transaction landed. Roots are global:
     * another municipality's key could anchor a root it saw pending first, so the worker must treat the
     * error as "landed" only when the municipality is its own, and otherwise re-anchor the batch with a
     * fresh salt leaf (a new root). Emits {BatchAnchored}.
     */
    function anchor(uint32 municipalityId, bytes32 root, uint32 count) external {
        if (!_anchorers[municipalityId][msg.sender]) _authorizeFromDirectory(municipalityId);
        if (root == bytes32(0)) revert BatchAnchorZeroRoot();
        if (count == 0) revert BatchAnchorEmptyBatch(root);
        Batch storage b = _batches[root];
        if (b.count != 0) revert BatchAnchorRootExists(root, b.municipalityId);
        // One SSTORE of the packed {Batch} word (fields from the low-order end, as Solidity packs them).
        // A struct assignment would hash the key again and re-read the slot to keep its unused high 64 bits:
        // about 400 gas (measured) for nothing.
        // The ABI decoder has already rejected uint32 arguments with dirty high bits.
        assembly ("memory-safe") {
            sstore(b.slot, or(or(municipalityId, shl(32, count)), or(shl(64, timestamp()), shl(128, number()))))
        }
        emit BatchAnchored(root, municipalityId, count);
    }

    /**
     * @dev Revokes the record `leaf` inside the anchored `root`, proven a member by `proof`; the other
     * records of the batch stay anchored. Only an account holding ANCHOR_SERVICE in the batch's
     * municipality while it is active. `reasonCode` must not be 0. Emits {RecordRevoked}.
     */
    function revokeRecord(bytes32 root, bytes32 leaf, bytes32[] calldata proof, uint16 reasonCode, bytes32 reasonHash)
        external
    {
        Batch storage b = _batches[root];
        if (b.count == 0) revert BatchAnchorUnknownRoot(root);
        _directory.checkRole(b.municipalityId, Roles.ANCHOR_SERVICE, msg.sender);
        if (reasonCode == 0) revert BatchAnchorMissingReason(root, leaf);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert BatchAnchorInvalidProof(root, leaf);
        if (_revoked[root][leaf]) revert BatchAnchorRecordAlreadyRevoked(root, leaf);
        _revoked[root][leaf] = true;
        emit RecordRevoked(root, leaf, reasonCode, reasonHash, msg.sender);
    }

    /// @inheritdoc IDirectoryObserver
    function onRoleChanged(uint32 municipalityId, bytes32 role, address account, bool granted) external {
        _onlyDirectory();
        // The Directory grants only while the municipality is active, so a grant is an authorization.
        if (role == Roles.ANCHOR_SERVICE) _anchorers[municipalityId][account] = granted;
    }

    /// @inheritdoc IDirectoryObserver
    function onMunicipalityStatusChanged(uint32 municipalityId, bool suspended) external {
        _onlyDirectory();
        // A municipality has one or two anchoring keys (two while one is rotated out), so this loop is short.
        address[] memory holders = _directory.roleMembers(municipalityId, Roles.ANCHOR_SERVICE);
        for (uint256 i = 0; i < holders.length; ++i) {
            _anchorers[municipalityId][holders[i]] = !suspended;
        }
    }

    /**
     * @dev Whether this contract's copy lets `account` anchor for `municipalityId` without asking the
     * Directory. False for a holder whose role predates this contract's registration, until its first anchor.
     */
    function isAnchorer(uint32 municipalityId, address account) external view returns (bool) {
        return _anchorers[municipalityId][account];
    }

    /**
     * @dev The status of the record `leaf` inside `root` given its Merkle `proof`, with the batch's
     * municipality and the time and block of its anchor (all zero when the status is `Unknown`).
     * `leaf` must be {leafOf} the document's hash, computed by the verifier itself: an inner node of the
     * tree also "verifies" with a shorter proof, but no document hash has an inner node as its leaf.
     */
    function verifyRecord(bytes32 root, bytes32 leaf, bytes32[] calldata proof)
        external
        view
        returns (RecordStatus status, uint32 municipalityId, uint64 anchoredAt, uint64 blockNumber)
    {
        Batch memory b = _batches[root];
        if (b.count == 0 || !MerkleProof.verifyCalldata(proof, root, leaf)) return (RecordStatus.Unknown, 0, 0, 0);
        status = _revoked[root][leaf] ? RecordStatus.Revoked : RecordStatus.Anchored;
        return (status, b.municipalityId, b.anchoredAt, b.blockNumber);
    }

    /**
     * @dev The anchor of `root`; all fields are zero when it was never anchored.
     */
    function batch(bytes32 root) external view returns (Batch memory) {
        return _batches[root];
    }

    /**
     * @dev Whether the record `leaf` inside `root` was revoked with {revokeRecord}.
     */
    function isRevoked(bytes32 root, bytes32 leaf) external view returns (bool) {
        return _revoked[root][leaf];
    }

    /**
     * @dev The `StandardMerkleTree` leaf of a document whose SHA-256 is `documentHash` under the encoding
     * `["bytes32"]`: hashed twice so that no leaf can pass for an inner node. A single record is anchored
     * with this value as its root.
     */
    function leafOf(bytes32 documentHash) external pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(documentHash))));
    }

    /**
     * @dev The Directory consulted for roles.
     */
    function directory() external view returns (IDirectory) {
        return _directory;
    }

    /// @dev The slow path of {anchor}: the Directory reverts with the precise reason (suspended, no role);
    /// an authorized caller missing from the copy is copied, if this contract is the Directory's observer
    /// and so will hear of the role's revocation.
    function _authorizeFromDirectory(uint32 municipalityId) private {
        _directory.checkRole(municipalityId, Roles.ANCHOR_SERVICE, msg.sender);
        if (address(_directory.observer()) == address(this)) _anchorers[municipalityId][msg.sender] = true;
    }

    function _onlyDirectory() private view {
        if (msg.sender != address(_directory)) revert BatchAnchorNotDirectory(msg.sender);
    }
}
