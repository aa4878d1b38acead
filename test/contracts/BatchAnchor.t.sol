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
 * the sorted-pair hashing that OpenZeppelin's MerkleProof expects: any such tree must verify. Revocations
 * are signed by a DOCUMENT_ISSUER over an EIP-712 digest rebuilt here from the type's definition rather
 * than taken from the contract, so both must agree.
 */
contract BatchAnchorTest is LedgerTest {
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant RECORD_REVOCATION_TYPEHASH =
        keccak256(
        "RecordRevocation(uint32 municipalityId,bytes32 root,bytes32 leaf,uint16 reasonCode,bytes32 reasonHash,uint256 deadline)"
    );
    bytes32 internal constant ISSUE_DOCUMENTS_TYPEHASH = keccak256(
        "IssueDocuments(uint32 municipalityId,bytes32 documentsRoot,uint32 count,uint256 nonce,uint256 deadline)"
    );
    uint32 internal constant MAE_HIA = 1;
    uint32 internal constant SUTHEP = 2;
    address internal constant MAE_HIA_ADMIN = address(0xA11CE);
    address internal constant SUTHEP_ADMIN = address(0xB0B);
    uint256 internal constant SERVICE_KEY = 0x5E1F;
    uint256 internal constant SUTHEP_SERVICE_KEY = 0x5E2F;
    uint256 internal constant ISSUER_KEY = 0x155E;
    bytes32 internal constant REASON = keccak256("issued in error: order 2026/3");

    /// @dev What an officer signs to revoke one record.
    struct Revocation {
        uint32 municipalityId;
        bytes32 root;
        bytes32 leaf;
        uint16 reasonCode;
        bytes32 reasonHash;
        uint256 deadline;
    }

    Directory internal directory;
    BatchAnchor internal anchor;
    address internal service;
    address internal suthepService;
    address internal issuer;

    function setUp() public {
        vm.warp(1_780_000_000);
        service = vm.addr(SERVICE_KEY);
        suthepService = vm.addr(SUTHEP_SERVICE_KEY);
        issuer = vm.addr(ISSUER_KEY);
        directory = new Directory(address(this));
        anchor = new BatchAnchor(IDirectory(address(directory)));
        directory.addObserver(anchor);
        directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", MAE_HIA_ADMIN);
        directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", SUTHEP_ADMIN);
        vm.startPrank(MAE_HIA_ADMIN);
        directory.grantRole(MAE_HIA, Roles.ANCHOR_SERVICE, service);
        directory.grantRole(MAE_HIA, Roles.DOCUMENT_ISSUER, issuer);
        vm.stopPrank();
        vm.prank(SUTHEP_ADMIN);
        directory.grantRole(SUTHEP, Roles.ANCHOR_SERVICE, suthepService);
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
        return _status(MAE_HIA, root, leaf, proof);
    }

    function _status(uint32 municipalityId, bytes32 root, bytes32 leaf, bytes32[] memory proof)
        internal
        view
        returns (uint256)
    {
        (BatchAnchor.RecordStatus status,,,) = anchor.verifyRecord(municipalityId, root, leaf, proof);
        return uint256(status);
    }

    function _anchor(bytes32 root, uint32 count) internal {
        vm.prank(service);
        anchor.anchor(MAE_HIA, root, count);
    }

    // ---- signed revocations, built here ----

    /// @dev A private key in [1, n-1], the valid secp256k1 range.
    function _key(uint256 seed) internal pure returns (uint256) {
        return bound(seed, 1, SECP256K1_N - 1);
    }

    /// @dev A DOCUMENT_ISSUER of `municipalityId` whose key is derived from `seed`.
    function _issuer(uint256 seed, uint32 municipalityId) internal returns (uint256 key, address officer) {
        key = _key(seed);
        officer = vm.addr(key);
        vm.prank(municipalityId == MAE_HIA ? MAE_HIA_ADMIN : SUTHEP_ADMIN);
        directory.grantRole(municipalityId, Roles.DOCUMENT_ISSUER, officer);
    }

    /// @dev A revocation of `leaf` in `root` for REASON, valid for an hour.
    function _revocation(bytes32 root, bytes32 leaf, uint16 reasonCode) internal view returns (Revocation memory) {
        return Revocation(MAE_HIA, root, leaf, reasonCode, REASON, block.timestamp + 1 hours);
    }

    function _digest(uint256 chainId, address verifyingContract, Revocation memory r) internal pure returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("BatchAnchor"), keccak256("1"), chainId, verifyingContract)
        );
        bytes32 structHash =
keccak256(
            abi.encode(
                RECORD_REVOCATION_TYPEHASH, r.municipalityId, r.root, r.leaf, r.reasonCode, r.reasonHash, r.deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev `key`'s signature of `r` for this chain and this BatchAnchor.
    function _sign(uint256 key, Revocation memory r) internal view returns (bytes memory) {
        return signDigest(key, _digest(block.chainid, address(anchor), r));
    }

    function _submit(Revocation memory r, bytes32[] memory proof, address officer, bytes memory signature) internal {
        anchor.revokeRecord(
            r.municipalityId, r.root, r.leaf, proof, r.reasonCode, r.reasonHash, officer, r.deadline, signature
        );
    }

    /// @dev Expects the revert of a signature that recovers, under this BatchAnchor's domain for `r`, to someone
    /// other than `officer`.
    function _expectInvalidSigner(Revocation memory r, bytes memory signature, address officer) internal {
        address recovered = recoverSigner(_digest(block.chainid, address(anchor), r), signature);
        assertTrue(recovered != officer, "recovers to the officer");
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorInvalidSigner.selector, recovered, officer));
    }

    /// @dev A single record anchored for Mae Hia, and a revocation of it for `reasonCode`.
    function _anchoredRecord(bytes32 documentHash, uint16 reasonCode) internal returns (Revocation memory r) {
        bytes32 leaf = anchor.leafOf(documentHash);
        _anchor(leaf, 1);
        r = _revocation(leaf, leaf, reasonCode);
    }

    // ---- fuzzed Merkle proofs ----

    function testFuzz_everyProofOfARandomBatchVerifies(bytes32 seed, uint256 size, uint256 pick) public {
        size = bound(size, 1, 64);
        pick = bound(pick, 0, size - 1);
        bytes32[] memory leaves = _leaves(seed, size);
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);
        _anchor(root, uint32(size));

        (BatchAnchor.RecordStatus status, uint32 municipalityId, uint64 anchoredAt, uint64 blockNumber) =
            anchor.verifyRecord(MAE_HIA, root, leaves[pick], proof);
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

        Revocation memory r = _revocation(root, outsider, 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorInvalidProof.selector, root, outsider));
        _submit(r, proof, issuer, _sign(ISSUER_KEY, r));
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

    function testFuzz_revokingOneMemberLeavesTheOthersAnchored(
        bytes32 seed,
        uint256 size,
        uint256 pick,
        uint16 reason,
        address relayer
    ) public {
        size = bound(size, 1, 32);
        pick = bound(pick, 0, size - 1);
        reason = uint16(bound(reason, 1, type(uint16).max));
        bytes32[] memory leaves = _leaves(seed, size);
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);
        _anchor(root, uint32(size));

        Revocation memory r = _revocation(root, leaves[pick], reason);
        bytes memory signature = _sign(ISSUER_KEY, r);
        vm.prank(relayer);
        _submit(r, proof, issuer, signature);

        for (uint256 i = 0; i < size; i++) {
            (, bytes32[] memory p) = _rootAndProof(leaves, i);
            BatchAnchor.RecordStatus expected =
                i == pick ? BatchAnchor.RecordStatus.Revoked : BatchAnchor.RecordStatus.Anchored;
            assertEq(_status(root, leaves[i], p), uint256(expected), "status after one revocation");
            assertTrue(anchor.isRevoked(MAE_HIA, root, leaves[i]) == (i == pick), "isRevoked");
        }

        // Replaying the signature, by anyone, finds the record revoked already.
        vm.prank(relayer);
        vm.expectRevert(
            abi.encodeWithSelector(
                BatchAnchorErrors.BatchAnchorRecordAlreadyRevoked.selector, MAE_HIA, root, leaves[pick]
            )
        );
        _submit(r, proof, issuer, signature);
    }

    // ---- a single record, anchoring rules, roles ----

    function testFuzz_singleRecordIsABatchOfOne(bytes32 documentHash) public {
        bytes32 leaf = anchor.leafOf(documentHash);
        _anchor(leaf, 1);
        assertEq(_status(leaf, leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Anchored), "single record");
        BatchAnchor.Batch memory b = anchor.batch(MAE_HIA, leaf);
        assertEq(b.count, 1, "count");
        assertEq(b.municipalityId, MAE_HIA, "municipality");

        vm.prank(service);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorRootExists.selector, MAE_HIA, leaf));
        anchor.anchor(MAE_HIA, leaf, 1);
    }

    function testFuzz_onlyTheAnchorServiceAnchors(address caller, bytes32 root) public {
        vm.assume(caller != service && root != bytes32(0));
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAE_HIA, Roles.ANCHOR_SERVICE, caller
            )
        );
        anchor.anchor(MAE_HIA, root, 1);
    }

    function test_anchorServiceOfOneMunicipalityCannotAnchorForAnother() public {
        vm.prank(service);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, SUTHEP, Roles.ANCHOR_SERVICE, service
            )
        );
        anchor.anchor(SUTHEP, keccak256("root"), 1);
    }

    function test_suspendedMunicipalityCannotAnchorOrRevoke() public {
        Revocation memory r = _anchoredRecord(keccak256("permit"), 1);
        bytes memory signature = _sign(ISSUER_KEY, r);
        directory.suspendMunicipality(MAE_HIA, keccak256("audit"));

        vm.prank(service);
        vm.expectRevert(abi.encodeWithSelector(DirectoryErrors.DirectoryMunicipalitySuspended.selector, MAE_HIA));
        anchor.anchor(MAE_HIA, keccak256("next"), 1);

        vm.expectRevert(abi.encodeWithSelector(DirectoryErrors.DirectoryMunicipalitySuspended.selector, MAE_HIA));
        _submit(r, new bytes32[](0), issuer, signature);
        assertEq(_status(r.root, r.leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Anchored), "still anchored");

        // Reinstatement restores both: the same signature still counts.
        directory.reinstateMunicipality(MAE_HIA);
        _anchor(keccak256("next"), 1);
        _submit(r, new bytes32[](0), issuer, signature);
        assertEq(_status(r.root, r.leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Revoked), "revoked");
    }

    function test_rejectsZeroRootEmptyBatchUnknownRootAndMissingReason() public {
        bytes32 one = bytes32(uint256(1));
        vm.startPrank(service);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorZeroRoot.selector));
        anchor.anchor(MAE_HIA, bytes32(0), 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorEmptyBatch.selector, one));
        anchor.anchor(MAE_HIA, one, 0);
        vm.stopPrank();

        Revocation memory r = _revocation(one, one, 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorUnknownRoot.selector, MAE_HIA, one));
        _submit(r, new bytes32[](0), issuer, _sign(ISSUER_KEY, r));

        _anchor(one, 1);
        r.reasonCode = 0;
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorMissingReason.selector, one, one));
        _submit(r, new bytes32[](0), issuer, _sign(ISSUER_KEY, r));
    }

    // ---- roots scoped by municipality ----

    function testFuzz_anotherMunicipalityAnchoringARootFirstDoesNotBlockItsOwner(
        bytes32 seed,
        uint256 size,
        uint256 pick,
        uint32 squattedCount
    ) public {
        size = bound(size, 1, 32);
        pick = bound(pick, 0, size - 1);
        squattedCount = uint32(bound(squattedCount, 1, type(uint32).max));
        bytes32[] memory leaves = _leaves(seed, size);
        (bytes32 root, bytes32[] memory proof) = _rootAndProof(leaves, pick);

        // Suthep's anchoring key sees Mae Hia's root pending and anchors it first, under its own id.
        vm.prank(suthepService);
        anchor.anchor(SUTHEP, root, squattedCount);
        assertEq(_status(MAE_HIA, root, leaves[pick], proof), 0, "not Mae Hia's yet");

        vm.warp(block.timestamp + 1 minutes);
        _anchor(root, uint32(size));

        // Each municipality's record verifies under its own id, with its own anchor.
        (BatchAnchor.RecordStatus status, uint32 anchoredFor, uint64 anchoredAt, uint64 blockNumber) =
            anchor.verifyRecord(MAE_HIA, root, leaves[pick], proof);
        assertEq(uint256(status), uint256(BatchAnchor.RecordStatus.Anchored), "Mae Hia status");
        assertEq(anchoredFor, MAE_HIA, "Mae Hia municipality");
        assertEq(anchoredAt, block.timestamp, "Mae Hia anchoredAt");
        assertEq(blockNumber, block.number, "Mae Hia blockNumber");
        (status, anchoredFor, anchoredAt,) = anchor.verifyRecord(SUTHEP, root, leaves[pick], proof);
        assertEq(uint256(status), uint256(BatchAnchor.RecordStatus.Anchored), "Suthep status");
        assertEq(anchoredFor, SUTHEP, "Suthep municipality");
        assertEq(anchoredAt, block.timestamp - 1 minutes, "Suthep anchoredAt");
        assertEq(anchor.batch(MAE_HIA, root).count, uint32(size), "Mae Hia count");
        assertEq(anchor.batch(SUTHEP, root).count, squattedCount, "Suthep count");

        // Each is anchored once, within its own municipality.
        vm.prank(service);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorRootExists.selector, MAE_HIA, root));
        anchor.anchor(MAE_HIA, root, uint32(size));
        vm.prank(suthepService);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorRootExists.selector, SUTHEP, root));
        anchor.anchor(SUTHEP, root, squattedCount);
    }

    function test_aRootAnchoredOnlyByAnotherMunicipalityIsUnknownHere() public {
        bytes32 leaf = anchor.leafOf(keccak256("Suthep's letter"));
        vm.prank(suthepService);
        anchor.anchor(SUTHEP, leaf, 1);
        assertEq(_status(SUTHEP, leaf, leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Anchored), "Suthep");
        assertEq(_status(MAE_HIA, leaf, leaf, new bytes32[](0)), 0, "Mae Hia");
        assertEq(anchor.batch(MAE_HIA, leaf).count, 0, "no Mae Hia batch");

        // Mae Hia's issuer cannot revoke it under Mae Hia's id (unknown there) nor under Suthep's (no role).
        Revocation memory r = _revocation(leaf, leaf, 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorUnknownRoot.selector, MAE_HIA, leaf));
        _submit(r, new bytes32[](0), issuer, _sign(ISSUER_KEY, r));
        r.municipalityId = SUTHEP;
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, SUTHEP, Roles.DOCUMENT_ISSUER, issuer
            )
        );
        _submit(r, new bytes32[](0), issuer, _sign(ISSUER_KEY, r));
    }

    function testFuzz_revokingInOneMunicipalityLeavesTheOthersSameRootAnchored(uint256 seed, bytes32 documentHash)
        public
    {
        (uint256 suthepKey, address suthepIssuer) = _issuer(seed, SUTHEP);
        vm.assume(suthepIssuer != issuer);
        Revocation memory r = _anchoredRecord(documentHash, 1);
        vm.prank(suthepService);
        anchor.anchor(SUTHEP, r.root, 1);

        bytes memory maeHiaSignature = _sign(ISSUER_KEY, r);
        _submit(r, new bytes32[](0), issuer, maeHiaSignature);
        assertTrue(anchor.isRevoked(MAE_HIA, r.root, r.leaf), "revoked in Mae Hia");
        assertTrue(!anchor.isRevoked(SUTHEP, r.root, r.leaf), "still anchored in Suthep");
        assertEq(_status(SUTHEP, r.root, r.leaf, new bytes32[](0)), uint256(BatchAnchor.RecordStatus.Anchored), "Suthep");

        // Mae Hia's signature names Mae Hia: submitted for Suthep it recovers to someone else.
        Revocation memory forSuthep = r;
        forSuthep.municipalityId = SUTHEP;
        _expectInvalidSigner(forSuthep, maeHiaSignature, issuer);
        _submit(forSuthep, new bytes32[](0), issuer, maeHiaSignature);

        // Suthep's own issuer revokes Suthep's record.
        _submit(forSuthep, new bytes32[](0), suthepIssuer, _sign(suthepKey, forSuthep));
        assertTrue(anchor.isRevoked(SUTHEP, r.root, r.leaf), "revoked in Suthep");
    }

    // ---- signed revocations ----

    function testFuzz_revokesWithAnIssuersSignatureThroughAnyRelayer(
        uint256 seed,
        bytes32 documentHash,
        uint16 reason,
        bytes32 reasonHash,
        uint256 deadline,
        address relayer
    ) public {
        (uint256 key, address officer) = _issuer(seed, MAE_HIA);
        Revocation memory r = _anchoredRecord(documentHash, uint16(bound(reason, 1, type(uint16).max)));
        r.reasonHash = reasonHash;
        r.deadline = bound(deadline, block.timestamp, type(uint256).max);
        bytes32 digest = _digest(block.chainid, address(anchor), r);
        assertEq(
            anchor.hashRecordRevocation(r.municipalityId, r.root, r.leaf, r.reasonCode, r.reasonHash, r.deadline),
            digest,
            "digest"
        );

        vm.prank(relayer);
        _submit(r, new bytes32[](0), officer, signDigest(key, digest));
        assertTrue(anchor.isRevoked(MAE_HIA, r.root, r.leaf), "revoked");
    }

    function testFuzz_rejectsAnExpiredSignature(uint256 deadline, uint256 lateBy) public {
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        r.deadline = bound(deadline, block.timestamp, type(uint64).max);
        bytes memory signature = _sign(ISSUER_KEY, r);
        uint256 submittedAt = r.deadline + bound(lateBy, 1, 365 days);
        vm.warp(submittedAt);
        vm.expectRevert(
            abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorSignatureExpired.selector, r.deadline, submittedAt)
        );
        _submit(r, new bytes32[](0), issuer, signature);
    }

    function testFuzz_rejectsASignerOtherThanTheNamedOfficer(uint256 officerSeed, uint256 signerSeed) public {
        (, address officer) = _issuer(officerSeed, MAE_HIA);
        // The signer holds DOCUMENT_ISSUER too: what fails is the signature, not the role.
        (uint256 signerKey, address signer) = _issuer(signerSeed, MAE_HIA);
        vm.assume(signer != officer);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorInvalidSigner.selector, signer, officer));
        _submit(r, new bytes32[](0), officer, _sign(signerKey, r));
    }

    function testFuzz_rejectsASignatureSubmittedWithOtherValues(
        uint8 which,
        bytes32 otherLeaf,
        uint16 otherReason,
        bytes32 otherReasonHash,
        uint256 otherDeadline
    ) public {
        Revocation memory signed = _anchoredRecord(keccak256("letter"), 1);
        bytes memory signature = _sign(ISSUER_KEY, signed);
        Revocation memory submitted = _revocation(signed.root, signed.leaf, signed.reasonCode);
        which = uint8(bound(which, 0, 3));
        if (which == 0) submitted.leaf = otherLeaf;
        if (which == 1) submitted.reasonCode = uint16(bound(otherReason, 1, type(uint16).max));
        if (which == 2) submitted.reasonHash = otherReasonHash;
        if (which == 3) submitted.deadline = bound(otherDeadline, block.timestamp, type(uint256).max);
        vm.assume(_digest(block.chainid, address(anchor), submitted) != _digest(block.chainid, address(anchor), signed));
        _expectInvalidSigner(submitted, signature, issuer);
        _submit(submitted, new bytes32[](0), issuer, signature);
    }

    function testFuzz_rejectsASignatureForAnotherChain(uint256 chainId) public {
        vm.assume(chainId != block.chainid);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        bytes memory signature = signDigest(ISSUER_KEY, _digest(chainId, address(anchor), r));
        _expectInvalidSigner(r, signature, issuer);
        _submit(r, new bytes32[](0), issuer, signature);
    }

    function testFuzz_rejectsASignatureForAnotherContract(address verifyingContract) public {
        vm.assume(verifyingContract != address(anchor));
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        bytes memory signature = signDigest(ISSUER_KEY, _digest(block.chainid, verifyingContract, r));
        _expectInvalidSigner(r, signature, issuer);
        _submit(r, new bytes32[](0), issuer, signature);
    }

    function testFuzz_rejectsASignatureAfterTheChainForked(uint64 newChainId) public {
        vm.assume(newChainId != block.chainid);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        bytes memory signature = _sign(ISSUER_KEY, r);
        vm.chainId(newChainId);
        _expectInvalidSigner(r, signature, issuer);
        _submit(r, new bytes32[](0), issuer, signature);
    }

    function testFuzz_rejectsAMalformedSignatureAsRecoveringToNobody(bytes memory signature) public {
        vm.assume(signature.length != 65);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorInvalidSigner.selector, address(0), issuer));
        _submit(r, new bytes32[](0), issuer, signature);
    }

    function testFuzz_rejectsTheMalleableTwinOfAValidSignature(uint256 seed) public {
        (uint256 key, address officer) = _issuer(seed, MAE_HIA);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(key, _digest(block.chainid, address(anchor), r));
        // (r, n - s, v ^ 1) recovers to the same signer under plain ecrecover; ECDSA refuses the upper half of s.
        bytes memory twin = abi.encodePacked(rr, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        assertEq(recoverSigner(_digest(block.chainid, address(anchor), r), twin), officer, "twin recovers");
        vm.expectRevert(abi.encodeWithSelector(BatchAnchorErrors.BatchAnchorInvalidSigner.selector, address(0), officer));
        _submit(r, new bytes32[](0), officer, twin);
    }

    function testFuzz_rejectsASignerWithoutTheRole(uint256 seed) public {
        uint256 key = _key(seed);
        address signer = vm.addr(key);
        vm.assume(signer != issuer);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAE_HIA, Roles.DOCUMENT_ISSUER, signer
            )
        );
        _submit(r, new bytes32[](0), signer, _sign(key, r));
    }

    function testFuzz_rejectsAnIssuerOfAnotherMunicipality(uint256 seed) public {
        (uint256 key, address officer) = _issuer(seed, SUTHEP);
        vm.assume(officer != issuer);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAE_HIA, Roles.DOCUMENT_ISSUER, officer
            )
        );
        _submit(r, new bytes32[](0), officer, _sign(key, r));
    }

    function test_anchorServiceCannotRevokeByItself() public {
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        vm.prank(service);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAE_HIA, Roles.DOCUMENT_ISSUER, service
            )
        );
        _submit(r, new bytes32[](0), service, _sign(SERVICE_KEY, r));
        assertTrue(!anchor.isRevoked(MAE_HIA, r.root, r.leaf), "not revoked");
    }

    function testFuzz_rejectsTheSignatureOfAnIssuerRevokedSince(uint256 seed) public {
        (uint256 key, address officer) = _issuer(seed, MAE_HIA);
        Revocation memory r = _anchoredRecord(keccak256("letter"), 1);
        bytes memory signature = _sign(key, r);
        vm.prank(MAE_HIA_ADMIN);
        directory.revokeRole(MAE_HIA, Roles.DOCUMENT_ISSUER, officer);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAE_HIA, Roles.DOCUMENT_ISSUER, officer
            )
        );
        _submit(r, new bytes32[](0), officer, signature);
    }

    // ---- typed data ----

    function testFuzz_hashRecordRevocationMatchesAnIndependentDigest(
        uint32 municipalityId,
        bytes32 root,
        bytes32 leaf,
        uint16 reasonCode,
        bytes32 reasonHash,
        uint256 deadline
    ) public view {
        Revocation memory r = Revocation(municipalityId, root, leaf, reasonCode, reasonHash, deadline);
        assertEq(anchor.RECORD_REVOCATION_TYPEHASH(), RECORD_REVOCATION_TYPEHASH, "typehash");
        assertEq(
            anchor.hashRecordRevocation(municipalityId, root, leaf, reasonCode, reasonHash, deadline),
            _digest(block.chainid, address(anchor), r),
            "digest"
        );
    }

    function testFuzz_hashIssueDocumentsMatchesAnIndependentDigest(
        uint32 municipalityId,
        bytes32 documentsRoot,
        uint32 count,
        uint256 nonce,
        uint256 deadline
    ) public view {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("BatchAnchor"), keccak256("1"), block.chainid, address(anchor))
        );
        bytes32 structHash =
            keccak256(abi.encode(ISSUE_DOCUMENTS_TYPEHASH, municipalityId, documentsRoot, count, nonce, deadline));
        assertEq(anchor.ISSUE_DOCUMENTS_TYPEHASH(), ISSUE_DOCUMENTS_TYPEHASH, "typehash");
        assertEq(
            anchor.hashIssueDocuments(municipalityId, documentsRoot, count, nonce, deadline),
            keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)),
            "digest"
        );
    }
}
