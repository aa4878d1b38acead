// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
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
 * Roots are scoped by municipality: every batch, revocation and question is keyed by `municipalityId`
 * and `root` together, so the anchoring key of one municipality cannot squat a root another is about to
 * anchor; the same root anchored by two municipalities is two independent batches.
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
 * anchor and copied then. The Directory stays the only source of truth, and never stops telling an
 * observer of changes.
 *
 * The anchoring service only pays: what it anchors for a municipality is authorised by the officers who
 * signed it. An official document list is signed by a DOCUMENT_ISSUER as an `IssueDocuments` typed message
 * under this contract's EIP-712 domain ({hashIssueDocuments}); the service anchors the documents and the
 * signature itself (as a record) together, and verifiers check the signer's role at the anchor's time in
 * the Directory ({IDirectory-roleHeldAt}). A record is revoked only by a DOCUMENT_ISSUER's own signature
 * ({revokeRecord}), checked here.
 */
contract BatchAnchor is EIP712, BatchAnchorErrors, DirectoryErrors, IDirectoryObserver {
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

    /**
     * @dev The EIP-712 type an issuer signs for a list of documents (checked off-chain by the anchoring
     * service and by every verifier): `documentsRoot` is the `StandardMerkleTree` root of the documents'
     * SHA-256 values under ["bytes32"] ({leafOf} of the hash for a single document), `count` their number,
     * `nonce` a random value used once per signer, `deadline` the last second the service may accept it.
     */
    bytes32 public constant ISSUE_DOCUMENTS_TYPEHASH = keccak256(
        "IssueDocuments(uint32 municipalityId,bytes32 documentsRoot,uint32 count,uint256 nonce,uint256 deadline)"
    );
    /// @dev The EIP-712 type a DOCUMENT_ISSUER signs to revoke one record ({revokeRecord}).
    bytes32 public constant RECORD_REVOCATION_TYPEHASH = keccak256(
        "RecordRevocation(uint32 municipalityId,bytes32 root,bytes32 leaf,uint16 reasonCode,bytes32 reasonHash,uint256 deadline)"
    );

    IDirectory private immutable _directory;
    // Each batch lives at one hash of (root, municipality and this slot) — see {_batch} — rather than at the
    // two hashes of a nested mapping; this declaration only reserves the slot that the hash starts from.
    mapping(bytes32 => Batch) private _batches;
    mapping(uint32 municipalityId => mapping(bytes32 root => mapping(bytes32 leaf => bool))) private _revoked;
    /// @dev Keyed by {_anchorerKey}(municipality, account): one hash to find the slot, not two.
    mapping(uint256 anchorerKey => bool) private _anchorers;

    /**
     * @dev Emitted when `root`, holding `count` records, is anchored for `municipalityId`. The block and
     * the transaction sender (the anchoring service's key) complete the record.
     */
    event BatchAnchored(bytes32 indexed root, uint32 indexed municipalityId, uint32 count);

    /**
     * @dev Emitted when the record `leaf` inside the batch `root` of `municipalityId` is revoked by `actor`
     * (the officer who signed), with a `reasonCode` from the ledger's code list and `reasonHash`, the SHA-256
     * of the reason's text.
     */
    event RecordRevoked(
        uint32 indexed municipalityId,
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
    constructor(IDirectory directory_) EIP712("BatchAnchor", "1") {
        _directory = directory_;
    }

    /**
     * @dev Anchors `root`, the Merkle root of `count` records of `municipalityId`. Only an account holding
     * ANCHOR_SERVICE in that municipality while it is active. A root is anchored once per municipality:
     * the second attempt for the same municipality reverts with {BatchAnchorRootExists}, so the anchoring
     * worker can retry after a crash and learn that its earlier transaction landed. Only that municipality's
     * own keys can anchor under its id, so another municipality anchoring the same root (even one it saw
     * pending) takes nothing from it. Emits {BatchAnchored}.
     */
    function anchor(uint32 municipalityId, bytes32 root, uint32 count) external {
        // `_anchorers[_anchorerKey(municipalityId, msg.sender)]`, written out: the compiler calls the key's
        // function and cleans its bits again (about 70 gas); the ABI decoder has already rejected uint32
        // arguments with dirty high bits.
        bool allowed;
        assembly ("memory-safe") {
            mstore(0x00, or(shl(160, municipalityId), caller()))
            mstore(0x20, _anchorers.slot)
            allowed := sload(keccak256(0x00, 0x40))
        }
        if (!allowed) _authorizeFromDirectory(municipalityId);
        if (root == bytes32(0)) revert BatchAnchorZeroRoot();
        if (count == 0) revert BatchAnchorEmptyBatch(root);
        Batch storage b = _batch(municipalityId, root);
        // The whole word: a stored batch always has a count, so a non-zero word is an anchored root.
        uint256 stored;
        assembly ("memory-safe") {
            stored := sload(b.slot)
        }
        if (stored != 0) revert BatchAnchorRootExists(municipalityId, root);
        // One SSTORE of the packed {Batch} word (fields from the low-order end, as Solidity packs them).
        // A struct assignment would hash the key again and re-read the slot to keep its unused high 64 bits:
        // about 400 gas (measured) for nothing.
        assembly ("memory-safe") {
            sstore(b.slot, or(or(municipalityId, shl(32, count)), or(shl(64, timestamp()), shl(128, number()))))
        }
        // {BatchAnchored}, written out: the compiler's `emit` spends about 70 gas more on memory handling.
        bytes32 topic = BatchAnchored.selector;
        assembly ("memory-safe") {
            mstore(0x00, count)
            log3(0x00, 0x20, topic, root, municipalityId)
        }
    }

    /**
     * @dev Revokes the record `leaf` inside the batch `root` anchored for `municipalityId`, proven a member by
     * `proof`; the other records of the batch stay anchored. `officer` signed it as a `RecordRevocation`
     * ({hashRecordRevocation}) and must hold DOCUMENT_ISSUER in `municipalityId` while it is active; anyone
     * may submit it before `deadline`. `reasonCode` must not be 0. A record is revoked once, so a signature
     * cannot be replayed. Emits {RecordRevoked}.
     */
    function revokeRecord(
        uint32 municipalityId,
        bytes32 root,
        bytes32 leaf,
        bytes32[] calldata proof,
        uint16 reasonCode,
        bytes32 reasonHash,
        address officer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (_batch(municipalityId, root).count == 0) revert BatchAnchorUnknownRoot(municipalityId, root);
        if (block.timestamp > deadline) revert BatchAnchorSignatureExpired(deadline, block.timestamp);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(
            hashRecordRevocation(municipalityId, root, leaf, reasonCode, reasonHash, deadline), signature
        );
        if (err != ECDSA.RecoverError.NoError || recovered != officer) revert BatchAnchorInvalidSigner(recovered, officer);
        _directory.checkRole(municipalityId, Roles.DOCUMENT_ISSUER, officer);
        if (reasonCode == 0) revert BatchAnchorMissingReason(root, leaf);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert BatchAnchorInvalidProof(root, leaf);
        mapping(bytes32 leaf => bool) storage revoked = _revoked[municipalityId][root];
        if (revoked[leaf]) revert BatchAnchorRecordAlreadyRevoked(municipalityId, root, leaf);
        revoked[leaf] = true;
        emit RecordRevoked(municipalityId, root, leaf, reasonCode, reasonHash, officer);
    }

    /**
     * @dev The EIP-712 digest an officer signs to revoke `leaf` inside the batch `root` of `municipalityId`
     * ({revokeRecord}).
     */
    function hashRecordRevocation(
        uint32 municipalityId,
        bytes32 root,
        bytes32 leaf,
        uint16 reasonCode,
        bytes32 reasonHash,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(RECORD_REVOCATION_TYPEHASH, municipalityId, root, leaf, reasonCode, reasonHash, deadline))
        );
    }

    /**
     * @dev The EIP-712 digest a DOCUMENT_ISSUER signs to issue the documents whose Merkle root is
     * `documentsRoot` ({ISSUE_DOCUMENTS_TYPEHASH}); verifiers recover the issuer from it.
     */
    function hashIssueDocuments(uint32 municipalityId, bytes32 documentsRoot, uint32 count, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(ISSUE_DOCUMENTS_TYPEHASH, municipalityId, documentsRoot, count, nonce, deadline))
        );
    }

    /// @inheritdoc IDirectoryObserver
    function onRoleChanged(uint32 municipalityId, bytes32 role, address account, bool granted) external {
        _onlyDirectory();
        // The Directory grants only while the municipality is active, so a grant is an authorization.
        if (role == Roles.ANCHOR_SERVICE) _anchorers[_anchorerKey(municipalityId, account)] = granted;
    }

    /// @inheritdoc IDirectoryObserver
    function onMunicipalityStatusChanged(uint32 municipalityId, bool suspended) external {
        _onlyDirectory();
        // The Directory keeps at most MAX_ANCHOR_SERVICE_HOLDERS anchoring keys per municipality, so this
        // loop stays short whatever a municipality's admin does.
        address[] memory holders = _directory.roleMembers(municipalityId, Roles.ANCHOR_SERVICE);
        for (uint256 i = 0; i < holders.length; ++i) {
            _anchorers[_anchorerKey(municipalityId, holders[i])] = !suspended;
        }
    }

    /**
     * @dev Whether this contract's copy lets `account` anchor for `municipalityId` without asking the
     * Directory. False for a holder whose role predates this contract's registration, until its first anchor.
     */
    function isAnchorer(uint32 municipalityId, address account) external view returns (bool) {
        return _anchorers[_anchorerKey(municipalityId, account)];
    }

    /**
     * @dev The status of the record `leaf` inside the batch `root` of `municipalityId` given its Merkle
     * `proof`, with the batch's municipality and the time and block of its anchor (all zero when the status
     * is `Unknown`, as when `root` was anchored only by another municipality).
     * `leaf` must be {leafOf} the document's hash, computed by the verifier itself: an inner node of the
     * tree also "verifies" with a shorter proof, but no document hash has an inner node as its leaf.
     */
    function verifyRecord(uint32 municipalityId, bytes32 root, bytes32 leaf, bytes32[] calldata proof)
        external
        view
        returns (RecordStatus status, uint32 anchoredFor, uint64 anchoredAt, uint64 blockNumber)
    {
        Batch memory b = _batch(municipalityId, root);
        if (b.count == 0 || !MerkleProof.verifyCalldata(proof, root, leaf)) return (RecordStatus.Unknown, 0, 0, 0);
        status = _revoked[municipalityId][root][leaf] ? RecordStatus.Revoked : RecordStatus.Anchored;
        return (status, b.municipalityId, b.anchoredAt, b.blockNumber);
    }

    /**
     * @dev The anchor of `root` for `municipalityId`; all fields are zero when that municipality never
     * anchored it.
     */
    function batch(uint32 municipalityId, bytes32 root) external view returns (Batch memory) {
        return _batch(municipalityId, root);
    }

    /**
     * @dev Whether the record `leaf` inside the batch `root` of `municipalityId` was revoked with
     * {revokeRecord}.
     */
    function isRevoked(uint32 municipalityId, bytes32 root, bytes32 leaf) external view returns (bool) {
        return _revoked[municipalityId][root][leaf];
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
    /// an authorized caller missing from the copy is copied, if this contract is one of the Directory's
    /// observers and so will hear of the role's revocation.
    function _authorizeFromDirectory(uint32 municipalityId) private {
        _directory.checkRole(municipalityId, Roles.ANCHOR_SERVICE, msg.sender);
        if (_directory.isObserver(address(this))) _anchorers[_anchorerKey(municipalityId, msg.sender)] = true;
    }

    /// @dev The key of `account` in `municipalityId` in the copy of who may anchor: both in one word.
    function _anchorerKey(uint32 municipalityId, address account) private pure returns (uint256) {
        return (uint256(municipalityId) << 160) | uint160(account);
    }

    /// @dev Where the batch `root` of `municipalityId` is stored: keccak256(root, municipality << 128 | the
    /// `_batches` slot). The second word is never a slot number Solidity itself hashes with (those are small,
    /// or hashes), so no other variable can land there; one hash instead of a nested mapping's two saves
    /// about 100 gas per anchor.
    function _batch(uint32 municipalityId, bytes32 root) private view returns (Batch storage b) {
        mapping(bytes32 => Batch) storage batches = _batches;
        assembly ("memory-safe") {
            mstore(0x00, root)
            mstore(0x20, or(shl(128, municipalityId), batches.slot))
            b.slot := keccak256(0x00, 0x40)
        }
    }

    function _onlyDirectory() private view {
        if (msg.sender != address(_directory)) revert BatchAnchorNotDirectory(msg.sender);
    }
}
