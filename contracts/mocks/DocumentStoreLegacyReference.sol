// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title DocumentStoreLegacyReference
 * @dev The second yardstick of docs/gas.md: OpenAttestation's DocumentStore 2.x (`DocumentStore is
 * Ownable`, version "2.3.0"), the contract whose `issue` its documentation quotes at 45,663 gas, rebuilt
 * here with the same external functions, storage, checks (revert strings included) and events, so that
 * its `issue` is measured under the same EVM rules and compiler as BatchAnchor.anchor. Not deployed by
 * any module.
 */
contract DocumentStoreLegacyReference is Ownable {
    /// @dev The store's display name.
    string public name;
    /// @dev The DocumentStore version this copies.
    string public version = "2.3.0";
    /// @dev Block number at which each document was issued; 0 when never issued.
    mapping(bytes32 document => uint256 blockNumber) public documentIssued;
    /// @dev Block number at which each document was revoked; 0 when never revoked.
    mapping(bytes32 document => uint256 blockNumber) public documentRevoked;

    /// @dev Emitted when `document` is issued.
    event DocumentIssued(bytes32 indexed document);
    /// @dev Emitted when `document` is revoked.
    event DocumentRevoked(bytes32 indexed document);

    /// @dev The deployer owns the store.
    constructor(string memory name_) Ownable(msg.sender) {
        name = name_;
    }

    /// @dev Issues `document`: owner only, once. Emits {DocumentIssued}.
    function issue(bytes32 document) public onlyOwner onlyNotIssued(document) {
        documentIssued[document] = block.number;
        emit DocumentIssued(document);
    }

    /// @dev Issues each of `documents` in turn.
    function bulkIssue(bytes32[] memory documents) public {
        for (uint256 i = 0; i < documents.length; i++) issue(documents[i]);
    }

    /// @dev The block at which `document` was issued; reverts when it was not.
    function getIssuedBlock(bytes32 document) public view onlyIssued(document) returns (uint256) {
        return documentIssued[document];
    }

    /// @dev Whether `document` is issued.
    function isIssued(bytes32 document) public view returns (bool) {
        return documentIssued[document] != 0;
    }

    /// @dev Whether `document` was issued at or before `blockNumber`.
    function isIssuedBefore(bytes32 document, uint256 blockNumber) public view returns (bool) {
        return documentIssued[document] != 0 && documentIssued[document] <= blockNumber;
    }

    /// @dev Revokes `document`: owner only, once. Emits {DocumentRevoked}.
    function revoke(bytes32 document) public onlyOwner onlyNotRevoked(document) returns (bool) {
        documentRevoked[document] = block.number;
        emit DocumentRevoked(document);
        return true;
    }

    /// @dev Revokes each of `documents` in turn.
    function bulkRevoke(bytes32[] memory documents) public {
        for (uint256 i = 0; i < documents.length; i++) revoke(documents[i]);
    }

    /// @dev Whether `document` is revoked.
    function isRevoked(bytes32 document) public view returns (bool) {
        return documentRevoked[document] != 0;
    }

    /// @dev Whether `document` was revoked at or before `blockNumber`.
    function isRevokedBefore(bytes32 document, uint256 blockNumber) public view returns (bool) {
        return documentRevoked[document] <= blockNumber && documentRevoked[document] != 0;
    }

    modifier onlyIssued(bytes32 document) {
        require(isIssued(document), "Error: Only issued document hashes can be revoked");
        _;
    }

    modifier onlyNotIssued(bytes32 document) {
        require(!isIssued(document), "Error: Only hashes that have not been issued can be issued");
        _;
    }

    modifier onlyNotRevoked(bytes32 document) {
        require(!isRevoked(document), "Error: Hash has been revoked previously");
        _;
    }
}
