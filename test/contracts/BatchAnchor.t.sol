// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {BatchAnchor} from "../../contracts/BatchAnchor.sol";
import {Directory} from "../../contracts/Directory.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {BatchAnchorErrors, DirectoryErrors} from "../../contracts/interfaces/LedgerErrors.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {LedgerTest} from "./utils/Vm.sol";

/**
 * @dev Fuzzes BatchAnchor with Merkle trees built here, independently of the JavaScript library, with
 * the sorted-pair hashing that OpenZeppelin's MerkleProof expects: any such tree must verify.
 */
contract BatchAnchorTest is LedgerTest {
    uint32 internal constant MAE_HIA = 1;
    uint32 internal constant SUTHEP = 2;
    address internal constant MAE_HIA_ADMIN = address(0xA11CE);
    address internal constant SERVICE = address(0x5E1F);
    address internal constant SUTHEP_ADMIN = address(0xB0B);

    Directory internal directory;
    BatchAnchor internal anchor;

    function setUp() public {
        directory = new Directory(address(this));
        anchor = new BatchAnchor(IDirectory(address(directory)));
        directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", MAE_HIA_ADMIN);
        directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", SUTHEP_ADMIN);
        vm.prank(MAE_HIA_ADMIN);
        directory.grantRole(MAE_HIA, Roles.ANCHOR_SERVICE, SERVICE);
    }

    // ---- a tree built in Solidity ----

    /// @dev `size` leaves, each the StandardMerkleTree leaf of a document hash derived from `seed`.
    function _leaves(bytes32 seed, uint256 size) internal view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](size);
        for (uint256 i = 0; i < size; i++) {
            leaves[i] = anchor.leafOf(keccak256(abi.encode(seed, i)));
        }
    }

    /// @dev Hashes `leaves` pairwise, level by level, carrying an odd last node up unchanged.
    function _rootAndProof(bytes32[] memory leaves, uint256 index)
        internal
        pure
        returns (bytes32 root, bytes32[] memory proof)
    {
        bytes32[] memory level = leaves;
        bytes32[] memory path = new bytes32[](64);
        uint256 depth = 0;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) path[depth++] = level[sibling];
            bytes32[] memory next = new bytes32[]((level.length + 1) / 2);
            for (uint256 i = 0; i < next.length; i++) {
                next[i] = 2 * i + 1 < level.length
                    ? Hashes.commutativeKeccak256(level[2 * i], level[2 * i + 1])
                    : level[2 * i];
            }
            level = next;
            index /= 2;
        }
        proof = new bytes32[](depth);
        for (uint256 i = 0; i < depth; i++) {
            proof[i] = path[i];
        }
        root = level[0];
    }

    function _status(bytes32 root, bytes32 leaf, bytes32[] memory proof) internal view returns (uint256) {
        (BatchAnchor.RecordStatus status,,,) = anchor.verifyRecord(root, leaf, proof);
        return uint256(status);
    }

    function _anchor(bytes32 root, uint32 count) internal {
        vm.prank(SERVICE);
        anchor.anchor(MAE_HIA, root, count);
    }

    // ---- fuzzed Merkle proofs ----

    function testFuzz_everyProofOfARandomBatchVerifies(bytes32 seed, uint256 size, uint256 pick) public {
        size = bound(size, 1, 64);
        pick = bound(pick, 0, size - 1);
        bytes32[] memory leaves = _leaves(seed, size);
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);
        _anchor(root, uint32(size));

        (BatchAnchor.RecordStatus status, uint32 municipalityId, uint64 anchoredAt, uint64 blockNumber) =
            anchor.verifyRecord(root, leaves[pick], proof);
        assertEq(uint256(status), uint256(BatchAnchor.RecordStatus.Anchored), "member status");
        assertEq(municipalityId, MAE_HIA, "municipality");
        assertEq(anchoredAt, block.timestamp, "anchoredAt");
        assertEq(blockNumber, block.number, "blockNumber");
    }

    function testFuzz_nonMembersDoNotVerify(bytes32 seed, uint256 size, uint256 pick, bytes32 outsiderHash) public {
        size = bound(size, 1, 64);
        pick = bound(pick, 0, size - 1);
        bytes32[] memory leaves = _leaves(seed, size);
        for (uint256 i = 0; i < size; i++) {
            vm.assume(keccak256(abi.encode(seed, i)) != outsiderHash);
        }
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);
        _anchor(root, uint32(size));

        bytes32 outsider = anchor.leafOf(outsiderHash);
        assertEq(_status(root, outsider, proof), 0, "outsider with a member's proof");
        // The raw document hash is not its leaf: only leafOf(hash) verifies.
        assertEq(_status(root, keccak256(abi.encode(seed, pick)), proof), 0, "raw hash as leaf");

        vm.prank(SERVICE);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorInvalidProof.selector, root, outsider));
        anchor.revokeRecord(root, outsider, proof, 1, bytes32(0));
    }

    function testFuzz_tamperedProofsDoNotVerify(
        bytes32 seed,
        uint256 size,
        uint256 pick,
        uint256 at,
        uint8 bit,
        bytes32 extra
    ) public {
        size = bound(size, 1, 64);
        pick = bound(pick, 0, size - 1);
        bytes32[] memory leaves = _leaves(seed, size);
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);
        _anchor(root, uint32(size));

        // An extra sibling never leads back to the root (the proof of a batch of one is empty).
        bytes32[] memory longer = new bytes32[](proof.length + 1);
        for (uint256 i = 0; i < proof.length; i++) {
            longer[i] = proof[i];
        }
        longer[proof.length] = extra;
        assertEq(_status(root, leaves[pick], longer), 0, "proof with an extra sibling");

        if (proof.length > 0) {
            at = bound(at, 0, proof.length - 1);
            proof[at] ^= bytes32(uint256(1) << bit);
            assertEq(_status(root, leaves[pick], proof), 0, "proof with a flipped bit");
        }
    }

    function testFuzz_revokingOneMemberLeavesTheOthersAnchored(bytes32 seed, uint256 size, uint256 pick, uint16 reason)
        public
    {
        size = bound(size, 1, 32);
        pick = bound(pick, 0, size - 1);
        reason = uint16(bound(reason, 1, type(uint16).max));
        bytes32[] memory leaves = _leaves(seed, size);
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);
        _anchor(root, uint32(size));

        vm.prank(SERVICE);
        anchor.revokeRecord(root, leaves[pick], proof, reason, keccak256("decision"));

        for (uint256 i = 0; i < size; i++) {
            (, bytes32[] memory p) = _rootAndProof(leaves, i);
            BatchAnchor.RecordStatus expected =
                i == pick ? BatchAnchor.RecordStatus.Revoked : BatchAnchor.RecordStatus.Anchored;
            assertEq(_status(root, leaves[i], p), uint256(expected), "status after one revocation");
            assertTrue(anchor.isRevoked(root, leaves[i]) == (i == pick), "isRevoked");
        }

        vm.prank(SERVICE);
        vm.expectRevert(
            abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorRecordAlreadyRevoked.selector, root, leaves[pick])
        );
        anchor.revokeRecord(root, leaves[pick], proof, reason, bytes32(0));
    }

    // ---- a single record, anchoring rules, roles ----

    function testFuzz_singleRecordIsABatchOfOne(bytes32 documentHash) public {
        bytes32 leaf = anchor.leafOf(documentHash);
        _anchor(leaf, 1);
        assertEq(_status(leaf, leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Anchored), "single record");
        BatchAnchor.Batch memory b = anchor.batch(leaf);
        assertEq(b.count, 1, "count");
        assertEq(b.municipalityId, MAE_HIA, "municipality");

        vm.prank(SERVICE);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorRootExists.selector, leaf, MAE_HIA));
        anchor.anchor(MAE_HIA, leaf, 1);
    }

    function testFuzz_onlyTheAnchorServiceAnchors(address caller, bytes32 root) public {
        vm.assume(caller != SERVICE && root != bytes32(0));
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAE_HIA, Roles.ANCHOR_SERVICE, caller
            )
        );
        anchor.anchor(MAE_HIA, root, 1);
    }

    function test_anchorServiceOfOneMunicipalityCannotAnchorForAnother() public {
        vm.prank(SERVICE);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, SUTHEP, Roles.ANCHOR_SERVICE, SERVICE
            )
        );
        anchor.anchor(SUTHEP, keccak256("root"), 1);
    }

    function test_suspendedMunicipalityCannotAnchorOrRevoke() public {
        bytes32 leaf = anchor.leafOf(keccak256("permit"));
        _anchor(leaf, 1);
        directory.suspendMunicipality(MAE_HIA, keccak256("audit"));

        vm.prank(SERVICE);
        vm.expectRevert(abi.encodeWithSelector(DirectoryErrors.DirectoryMunicipalitySuspended.selector, MAE_HIA));
        anchor.anchor(MAE_HIA, keccak256("next"), 1);

        vm.prank(SERVICE);
        vm.expectRevert(abi.encodeWithSelector(DirectoryErrors.DirectoryMunicipalitySuspended.selector, MAE_HIA));
        anchor.revokeRecord(leaf, leaf, new bytes32[](0), 1, bytes32(0));

        assertEq(_status(leaf, leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Anchored), "still anchored");
    }

    function test_rejectsZeroRootEmptyBatchUnknownRootAndMissingReason() public {
        vm.startPrank(SERVICE);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorZeroRoot.selector));
        anchor.anchor(MAE_HIA, bytes32(0), 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorEmptyBatch.selector, bytes32(uint256(1))));
        anchor.anchor(MAE_HIA, bytes32(uint256(1)), 0);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorUnknownRoot.selector, bytes32(uint256(1))));
        anchor.revokeRecord(bytes32(uint256(1)), bytes32(uint256(1)), new bytes32[](0), 1, bytes32(0));
        anchor.anchor(MAE_HIA, bytes32(uint256(1)), 1);
        bytes32 one = bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorMissingReason.selector, one, one));
        anchor.revokeRecord(one, one, new bytes32[](0), 0, bytes32(0));
        vm.stopPrank();
    }
}
