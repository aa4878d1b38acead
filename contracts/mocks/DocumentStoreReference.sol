// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title DocumentStoreReference
 * @dev The yardstick of docs/gas.md: the `issue` path of OpenAttestation's DocumentStore (owner-only,
 * one mapping slot per document holding its block number, one event), rewritten here so that both are
 * measured under the same EVM gas rules. OpenAttestation quotes 45,663 gas for `issue`, a figure from
 * before EIP-2929 (Berlin) priced cold storage reads at 2,100 gas; this contract shows what the same
 * logic costs today. Not deployed by any module.
 */
contract DocumentStoreReference is Ownable {
    /// @dev Block number at which each document was issued; 0 when never issued.
    mapping(bytes32 document => uint256 blockNumber) public documentIssued;

    /// @dev Emitted when `document` is issued.
    event DocumentIssued(bytes32 indexed document);

    /// @dev Raised when `document` was issued before.
    error DocumentStoreReferenceAlreadyIssued(bytes32 document);

    /// @dev The deployer owns the store.
    constructor() Ownable(msg.sender) {}

    /// @dev Issues `document`: owner only, once. Emits {DocumentIssued}.
    function issue(bytes32 document) external onlyOwner {
        if (documentIssued[document] != 0) revert DocumentStoreReferenceAlreadyIssued(document);
        documentIssued[document] = block.number;
        emit DocumentIssued(document);
    }
}
