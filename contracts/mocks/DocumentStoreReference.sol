// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";

/**
 * @title DocumentStoreReference
 * @dev The yardstick of docs/gas.md: OpenAttestation's current DocumentStore (document-store `src/`,
 * `DocumentStore is BaseDocumentStore`: AccessControl with ISSUER_ROLE and REVOKER_ROLE, Multicall, a
 * single document issued as a Merkle root with an empty proof), rebuilt here with the same external
 * functions, storage, checks and events so that its `issue` is measured under the same EVM rules and
 * compiler as BatchAnchor.anchor. OpenAttestation deploys it behind an upgradeable proxy or plainly;
 * this is the plain deployment (no delegatecall), the cheaper of the two. Its AccessControl keeps roles
 * at the usual slot rather than OpenZeppelin-upgradeable's ERC-7201 namespace: the same number of
 * hashes and cold reads. Not deployed by any module.
 */
contract DocumentStoreReference is Multicall, AccessControl {
    /// @dev May issue documents.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @dev May revoke documents.
    bytes32 public constant REVOKER_ROLE = keccak256("REVOKER_ROLE");

    /// @dev The store's display name.
    string public name;
    mapping(bytes32 document => uint256 blockNumber) internal _issuedAt;
    mapping(bytes32 document => uint256 blockNumber) internal _revokedAt;

    /// @dev Emitted when `document` (a Merkle root) is issued.
    event DocumentIssued(bytes32 indexed document);
    /// @dev Emitted when `document` inside `documentRoot` is revoked.
    event DocumentRevoked(bytes32 indexed documentRoot, bytes32 indexed document);

    /// @dev `document` inside `documentRoot` is not issued or already revoked.
    error InactiveDocument(bytes32 documentRoot, bytes32 document);
    /// @dev `document` was issued before.
    error DocumentExists(bytes32 document);
    /// @dev A zero document or root was given.
    error ZeroDocument();
    /// @dev The proof does not lead from `document` to `documentRoot`.
    error InvalidDocument(bytes32 documentRoot, bytes32 document);
    /// @dev `documentRoot` was never issued.
    error DocumentNotIssued(bytes32 documentRoot, bytes32 document);

    /// @dev `initAdmin` administers roles, issues and revokes, as OpenAttestation's initializer sets it up.
    constructor(string memory name_, address initAdmin) {
        require(initAdmin != address(0), "Owner is zero");
        _grantRole(DEFAULT_ADMIN_ROLE, initAdmin);
        _grantRole(ISSUER_ROLE, initAdmin);
        _grantRole(REVOKER_ROLE, initAdmin);
        name = name_;
    }

    /// @dev Issues `documentRoot` (a single document is its own root): ISSUER_ROLE only, once. Emits {DocumentIssued}.
    function issue(bytes32 documentRoot)
        external
        onlyValidDocument(documentRoot, documentRoot, new bytes32[](0))
        onlyRole(ISSUER_ROLE)
    {
        if (_isIssued(documentRoot, documentRoot, new bytes32[](0))) revert DocumentExists(documentRoot);
        _issuedAt[documentRoot] = block.number;
        emit DocumentIssued(documentRoot);
    }

    /// @dev Revokes `document`, proven inside the issued `documentRoot` by `proof`. REVOKER_ROLE only.
    function revoke(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) external onlyRole(REVOKER_ROLE) {
        _revoke(documentRoot, document, proof);
    }

    /// @dev Revokes the single document `documentRoot`. REVOKER_ROLE only.
    function revoke(bytes32 documentRoot) external onlyRole(REVOKER_ROLE) {
        _revoke(documentRoot, documentRoot, new bytes32[](0));
    }

    /// @dev Whether the root that `proof` leads `document` to is issued.
    function isIssued(bytes32 documentRoot, bytes32 document, bytes32[] memory proof)
        public
        view
        onlyValidDocument(documentRoot, document, proof)
        returns (bool)
    {
        return _isIssued(documentRoot, document, proof);
    }

    /// @dev Whether the single document `documentRoot` is issued.
    function isIssued(bytes32 documentRoot) public view returns (bool) {
        return isIssued(documentRoot, documentRoot, new bytes32[](0));
    }

    /// @dev Whether `document` (or its whole root) is revoked; reverts when the root was never issued.
    function isRevoked(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) public view returns (bool) {
        return _issuedAndRevoked(documentRoot, document, proof);
    }

    /// @dev Whether the single document `documentRoot` is revoked.
    function isRevoked(bytes32 documentRoot) public view returns (bool) {
        return isRevoked(documentRoot, documentRoot, new bytes32[](0));
    }

    /// @dev Issued and not revoked; reverts when the root was never issued.
    function isActive(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) public view returns (bool) {
        return !_issuedAndRevoked(documentRoot, document, proof);
    }

    /// @dev Whether the single document `documentRoot` is issued and not revoked.
    function isActive(bytes32 documentRoot) public view returns (bool) {
        return isActive(documentRoot, documentRoot, new bytes32[](0));
    }

    function _revoke(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) internal {
        if (!isActive(documentRoot, document, proof)) revert InactiveDocument(documentRoot, document);
        _revokedAt[document] = block.number;
        emit DocumentRevoked(documentRoot, document);
    }

    /// @dev Whether `document` is revoked, after the checks OpenAttestation's isRevoked and isActive share.
    function _issuedAndRevoked(bytes32 documentRoot, bytes32 document, bytes32[] memory proof)
        internal
        view
        onlyValidDocument(documentRoot, document, proof)
        returns (bool)
    {
        if (!_isIssued(documentRoot, document, proof)) revert DocumentNotIssued(documentRoot, document);
        return _isRevoked(documentRoot, document, proof);
    }

    function _isIssued(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) internal view returns (bool) {
        if (documentRoot == document && proof.length == 0) return _issuedAt[document] != 0;
        return _issuedAt[documentRoot] != 0;
    }

    function _isRevoked(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) internal view returns (bool) {
        if (documentRoot == document && proof.length == 0) return _revokedAt[document] != 0;
        return _revokedAt[documentRoot] != 0 || _revokedAt[document] != 0;
    }

    modifier onlyValidDocument(bytes32 documentRoot, bytes32 document, bytes32[] memory proof) {
        if (document == 0x0 || documentRoot == 0x0) revert ZeroDocument();
        if (!MerkleProof.verify(proof, documentRoot, document)) revert InvalidDocument(documentRoot, document);
        _;
    }
}
