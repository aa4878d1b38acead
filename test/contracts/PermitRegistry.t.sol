// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LedgerTest} from "./utils/Vm.sol";
import {Directory} from "../../contracts/Directory.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {PermitRegistry} from "../../contracts/PermitRegistry.sol";
import {DirectoryErrors, PermitRegistryErrors} from "../../contracts/interfaces/LedgerErrors.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";

/**
 * @dev What the PermitRegistry tests share: Mae Hia with a BUILDING chain ENGINEER → DIRECTOR → MAYOR, a
 * permit officer with a known key, one application, and the EIP-712 digests rebuilt here from the type
 * definitions rather than taken from the contract, so that both must agree.
 */
abstract contract PermitRegistryTestBase is LedgerTest {
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant STEP_DECISION_TYPEHASH = keccak256(
        "StepDecision(bytes32 permitId,uint8 stepIndex,bytes32 role,uint8 decision,bytes32 noteHash,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant COMPLETION_TYPEHASH =
        keccak256("Completion(bytes32 permitId,uint256 documentCount,uint256 nonce,uint256 deadline)");
    bytes32 internal constant ISSUANCE_TYPEHASH =
        keccak256("Issuance(bytes32 permitId,bytes32 certificateHash,string cid,uint256 nonce,uint256 deadline)");
    bytes32 internal constant AMENDMENT_TYPEHASH = keccak256(
        "Amendment(bytes32 permitId,bytes32 certificateHash,string cid,bytes32 reasonHash,uint256 nonce,uint256 deadline)"
    );
    uint32 internal constant MAEHIA = 1;
    uint32 internal constant SUTHEP = 2;
    bytes32 internal constant BUILDING = keccak256("BUILDING_PERMIT");
    string internal constant NUMBER = "TH-50-MAEHIA/BP/2026/0001";
    bytes32 internal constant PERMIT_ID = keccak256(bytes(NUMBER));
    bytes32 internal constant NOTE = keccak256("review note");
    uint8 internal constant APPROVE = uint8(PermitRegistry.Decision.Approve);
    uint256 internal constant CLERK_KEY = 0xC1E4C;

    Directory internal _directory;
    PermitRegistry internal _registry;
    bytes32[] internal _chain;
    /// @dev The permit officer who signs completions and issuances; this test contract records intake.
    address internal _clerk;

    function setUp() public virtual {
        vm.warp(1_780_000_000);
        _directory = new Directory(address(this));
        _directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", address(this));
        _directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", address(this));
        _directory.grantRole(MAEHIA, Roles.PERMIT_OFFICER, address(this));
        _clerk = vm.addr(CLERK_KEY);
        _directory.grantRole(MAEHIA, Roles.PERMIT_OFFICER, _clerk);
        _registry = new PermitRegistry(IDirectory(address(_directory)));
        _chain = [Roles.ENGINEER, Roles.DIRECTOR, Roles.MAYOR];
        _registry.definePermitType(MAEHIA, BUILDING, _chain, 365);
        _apply(NUMBER);
    }

    // ---- helpers ----

    function _apply(string memory number) internal returns (bytes32 permitId) {
        bytes32[] memory documents = new bytes32[](1);
        documents[0] = keccak256(abi.encode("site plan.pdf", number));
        return _registry.applyForPermit(number, MAEHIA, BUILDING, documents, keccak256("salt:applicant"));
    }

    /// @dev A private key in [1, n-1], the valid secp256k1 range.
    function _key(uint256 seed) internal pure returns (uint256) {
        return bound(seed, 1, SECP256K1_N - 1);
    }

    /// @dev A fuzzed key whose address holds `role` in `municipalityId`, and is none of the officers who
    /// signed already (its nonce is 0).
    function _officerIn(uint32 municipalityId, uint256 seed, bytes32 role) internal returns (uint256 key, address officer) {
        key = _key(seed);
        officer = vm.addr(key);
        vm.assume(officer != _clerk && _registry.nonces(officer) == 0);
        _directory.grantRole(municipalityId, role, officer);
    }

    function _officer(uint256 seed, bytes32 role) internal returns (uint256 key, address officer) {
        return _officerIn(MAEHIA, seed, role);
    }

    function _later() internal view returns (uint256) {
        return block.timestamp + 1 hours;
    }

    function _typedDigest(uint256 chainId, address verifyingContract, bytes32 structHash) internal pure returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("PermitRegistry"), keccak256("1"), chainId, verifyingContract)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _completionDigest(bytes32 permitId, uint256 documentCount, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _typedDigest(
            block.chainid, address(_registry), keccak256(abi.encode(COMPLETION_TYPEHASH, permitId, documentCount, nonce, deadline))
        );
    }

    function _issuanceDigest(bytes32 permitId, bytes32 certificateHash, string memory cid, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        return _typedDigest(
            block.chainid,
            address(_registry),
            keccak256(abi.encode(ISSUANCE_TYPEHASH, permitId, certificateHash, keccak256(bytes(cid)), nonce, deadline))
        );
    }

    /// @dev The permit officer with CLERK_KEY signs the completion of `permitId` with its one document.
    function _complete(bytes32 permitId) internal {
        uint256 deadline = _later();
        bytes32 digest = _completionDigest(permitId, 1, _registry.nonces(_clerk), deadline);
        _registry.markComplete(permitId, _clerk, deadline, signDigest(CLERK_KEY, digest));
    }
}

/**
 * @dev Fuzzed EIP-712 step approvals: the signature is the officer's, for this permit, step, chain and
 * contract, once, before its deadline. Keys are fuzzed and bounded into the secp256k1 range.
 */
contract PermitRegistryApprovalTest is PermitRegistryTestBase {
    function setUp() public override {
        super.setUp();
        _complete(PERMIT_ID);
    }

    function testFuzz_approvesTheWholeChainThroughAnyRelayer(
        uint256[3] memory seeds,
        bytes32[3] memory notes,
        uint256 deadlineSeed,
        address relayer
    ) public {
        address[3] memory officers;
        for (uint8 i = 0; i < 3; ++i) {
            uint256 key;
            (key, officers[i]) = _officer(seeds[i], _chain[i]);
            for (uint8 j = 0; j < i; ++j) vm.assume(officers[i] != officers[j]);
            uint256 deadline = bound(deadlineSeed, block.timestamp, type(uint256).max);
            bytes32 digest = _digest(block.chainid, address(_registry), i, APPROVE, notes[i], 0, deadline);
            assertEq(
                digest,
                _registry.hashStepDecision(PERMIT_ID, i, PermitRegistry.Decision.Approve, notes[i], 0, deadline),
                "digest"
            );
            vm.prank(relayer);
            _registry.decide(
                PERMIT_ID, i, PermitRegistry.Decision.Approve, notes[i], officers[i], deadline, signDigest(key, digest)
            );
            assertEq(_registry.nonces(officers[i]), 1, "nonce spent");
        }
        PermitRegistry.Permit memory p = _registry.permit(PERMIT_ID);
        assertTrue(p.state == PermitRegistry.PermitState.Approved, "approved");
        assertEq(p.currentStep, 3, "all steps decided");
        PermitRegistry.Step[] memory steps = _registry.steps(PERMIT_ID);
        for (uint256 i = 0; i < 3; ++i) {
            assertEq(steps[i].officer, officers[i], "officer recorded");
            assertEq(steps[i].role, _chain[i], "role recorded");
            assertEq(steps[i].noteHash, notes[i], "note recorded");
            assertEq(steps[i].decidedAt, block.timestamp, "time recorded");
        }
    }

    function testFuzz_rejectsOnAnyStep(uint256[3] memory seeds, uint8 rejectingStep) public {
        rejectingStep = uint8(bound(rejectingStep, 0, 2));
        for (uint8 i = 0; i <= rejectingStep; ++i) {
            (uint256 key, address officer) = _officer(seeds[i], _chain[i]);
            vm.assume(_registry.nonces(officer) == 0);
            uint8 decision = uint8(i == rejectingStep ? PermitRegistry.Decision.Reject : PermitRegistry.Decision.Approve);
            _decide(
                officer, i, decision, signDigest(key, _digest(block.chainid, address(_registry), i, decision, NOTE, 0, _later()))
            );
        }
        assertTrue(_registry.permit(PERMIT_ID).state == PermitRegistry.PermitState.Rejected, "rejected");
    }

    function testFuzz_rejectsAReplayedSignature(uint256 seed, bytes32 note) public {
        (uint256 key, address officer) = _officer(seed, Roles.ENGINEER);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _digest(block.chainid, address(_registry), 0, APPROVE, note, 0, deadline));
        _registry.decide(PERMIT_ID, 0, PermitRegistry.Decision.Approve, note, officer, deadline, signature);
        // The nonce moved to 1, so the same signature now recovers to some other address.
        address recovered = recoverSigner(_digest(block.chainid, address(_registry), 0, APPROVE, note, 1, deadline), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
        _registry.decide(PERMIT_ID, 0, PermitRegistry.Decision.Approve, note, officer, deadline, signature);
    }

    function testFuzz_rejectsAnExpiredSignature(uint256 seed, uint256 deadline, uint256 lateBy) public {
        (uint256 key, address officer) = _officer(seed, Roles.ENGINEER);
        deadline = bound(deadline, block.timestamp, type(uint64).max);
        uint256 submittedAt = deadline + bound(lateBy, 1, 365 days);
        bytes memory signature = signDigest(key, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, deadline));
        vm.warp(submittedAt);
        vm.expectRevert(
            abi.encodeWithSelector(PermitRegistryErrors.PermitRegistrySignatureExpired.selector, deadline, submittedAt)
        );
        _registry.decide(PERMIT_ID, 0, PermitRegistry.Decision.Approve, NOTE, officer, deadline, signature);
    }

    function testFuzz_rejectsASignerOtherThanTheNamedOfficer(uint256 officerSeed, uint256 signerSeed) public {
        (, address officer) = _officer(officerSeed, Roles.ENGINEER);
        uint256 signerKey = _key(signerSeed);
        address signer = vm.addr(signerKey);
        vm.assume(signer != officer);
        bytes memory signature = signDigest(signerKey, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()));
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, signer, officer));
        _decide(officer, 0, APPROVE, signature);
    }

    function testFuzz_rejectsASignerWithoutTheStepRole(uint256 seed) public {
        // Holds the director's role, not the engineer's that step 0 needs.
        (uint256 key, address signer) = _officer(seed, Roles.DIRECTOR);
        bytes memory signature = signDigest(key, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()));
        vm.expectRevert(
            abi.encodeWithSelector(DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAEHIA, Roles.ENGINEER, signer)
        );
        _decide(signer, 0, APPROVE, signature);
    }

    function testFuzz_rejectsASignatureForAnotherChain(uint256 seed, uint256 chainId) public {
        vm.assume(chainId != block.chainid);
        (uint256 key, address officer) = _officer(seed, Roles.ENGINEER);
        bytes memory signature = signDigest(key, _digest(chainId, address(_registry), 0, APPROVE, NOTE, 0, _later()));
        _expectInvalidSigner(signature, officer);
        _decide(officer, 0, APPROVE, signature);
    }

    function testFuzz_rejectsASignatureForAnotherContract(uint256 seed, address verifyingContract) public {
        vm.assume(verifyingContract != address(_registry));
        (uint256 key, address officer) = _officer(seed, Roles.ENGINEER);
        bytes memory signature = signDigest(key, _digest(block.chainid, verifyingContract, 0, APPROVE, NOTE, 0, _later()));
        _expectInvalidSigner(signature, officer);
        _decide(officer, 0, APPROVE, signature);
    }

    function testFuzz_rejectsASignatureAfterTheChainForked(uint256 seed, uint64 newChainId) public {
        vm.assume(newChainId != block.chainid);
        (uint256 key, address officer) = _officer(seed, Roles.ENGINEER);
        bytes memory signature = signDigest(key, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()));
        vm.chainId(newChainId);
        _expectInvalidSigner(signature, officer);
        _decide(officer, 0, APPROVE, signature);
    }

    function testFuzz_rejectsAStepNotReachedYet(uint256 seed, uint8 stepIndex) public {
        stepIndex = uint8(bound(stepIndex, 1, type(uint8).max));
        (uint256 key, address officer) = _officer(seed, Roles.ENGINEER);
        bytes memory signature = signDigest(key, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()));
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryWrongStep.selector, PERMIT_ID, 0, stepIndex));
        _decide(officer, stepIndex, APPROVE, signature);
    }

    function testFuzz_rejectsAFreshSignatureForADecidedStep(uint256 engineerSeed, uint256 directorSeed) public {
        (uint256 engineerKey, address engineer) = _officer(engineerSeed, Roles.ENGINEER);
        (uint256 directorKey, address director) = _officer(directorSeed, Roles.DIRECTOR);
        vm.assume(engineer != director);
        _decide(
            engineer, 0, APPROVE, signDigest(engineerKey, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()))
        );
        // A valid signature, by someone who never signed before, for step 0 while step 1 awaits.
        bytes memory signature = signDigest(directorKey, _digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()));
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryWrongStep.selector, PERMIT_ID, 1, 0));
        _decide(director, 0, APPROVE, signature);
    }

    // ---- helpers ----

    function _digest(
        uint256 chainId,
        address verifyingContract,
        uint8 stepIndex,
        uint8 decision,
        bytes32 noteHash,
        uint256 nonce,
        uint256 deadline
    ) private view returns (bytes32) {
        // A step beyond the chain has no role; the contract refuses it before looking at the signature.
        bytes32 role = stepIndex < _chain.length ? _chain[stepIndex] : bytes32(0);
        bytes32 structHash =
            keccak256(abi.encode(STEP_DECISION_TYPEHASH, PERMIT_ID, stepIndex, role, decision, noteHash, nonce, deadline));
        return _typedDigest(chainId, verifyingContract, structHash);
    }

    /// @dev The registry recovers a foreign-domain signature under its own domain: some address, not the officer.
    function _expectInvalidSigner(bytes memory signature, address officer) private {
        address recovered = recoverSigner(_digest(block.chainid, address(_registry), 0, APPROVE, NOTE, 0, _later()), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
    }

    function _decide(address officer, uint8 stepIndex, uint8 decision, bytes memory signature) private {
        _registry.decide(PERMIT_ID, stepIndex, PermitRegistry.Decision(decision), NOTE, officer, _later(), signature);
    }
}

/**
 * @dev Fuzzed signed completion (the start of the legal clock): the signature is a Mae Hia permit
 * officer's, over this permit and the documents it holds, once, before its deadline; any relayer submits it.
 */
contract PermitRegistryCompletionTest is PermitRegistryTestBase {
    function testFuzz_completesBySignatureThroughAnyRelayer(uint256 seed, uint256 deadlineSeed, address relayer) public {
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        uint256 deadline = bound(deadlineSeed, block.timestamp, type(uint256).max);
        bytes32 digest = _completionDigest(PERMIT_ID, 1, 0, deadline);
        assertEq(digest, _registry.hashCompletion(PERMIT_ID, 1, 0, deadline), "digest");
        vm.prank(relayer);
        _registry.markComplete(PERMIT_ID, officer, deadline, signDigest(key, digest));
        PermitRegistry.Permit memory p = _registry.permit(PERMIT_ID);
        assertTrue(p.state == PermitRegistry.PermitState.UnderReview, "under review");
        assertEq(p.completedAt, block.timestamp, "legal clock started");
        assertEq(_registry.nonces(officer), 1, "nonce spent");
    }

    function testFuzz_refusesASignerOtherThanTheNamedOfficer(uint256 officerSeed, uint256 signerSeed) public {
        (, address officer) = _officer(officerSeed, Roles.PERMIT_OFFICER);
        uint256 signerKey = _key(signerSeed);
        address signer = vm.addr(signerKey);
        vm.assume(signer != officer);
        uint256 deadline = _later();
        bytes memory signature = signDigest(signerKey, _completionDigest(PERMIT_ID, 1, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, signer, officer));
        _registry.markComplete(PERMIT_ID, officer, deadline, signature);
    }

    function testFuzz_refusesAnExpiredSignature(uint256 seed, uint256 deadline, uint256 lateBy) public {
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        deadline = bound(deadline, block.timestamp, type(uint64).max);
        uint256 submittedAt = deadline + bound(lateBy, 1, 365 days);
        bytes memory signature = signDigest(key, _completionDigest(PERMIT_ID, 1, 0, deadline));
        vm.warp(submittedAt);
        vm.expectRevert(
            abi.encodeWithSelector(PermitRegistryErrors.PermitRegistrySignatureExpired.selector, deadline, submittedAt)
        );
        _registry.markComplete(PERMIT_ID, officer, deadline, signature);
    }

    function testFuzz_refusesASpentNonce(uint256 seed) public {
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        bytes32 secondId = _apply("TH-50-MAEHIA/BP/2026/0002");
        uint256 deadline = _later();
        // Both signed with nonce 0, before either was submitted: only the first can use it.
        bytes memory first = signDigest(key, _completionDigest(PERMIT_ID, 1, 0, deadline));
        bytes memory second = signDigest(key, _completionDigest(secondId, 1, 0, deadline));
        _registry.markComplete(PERMIT_ID, officer, deadline, first);
        address recovered = recoverSigner(_completionDigest(secondId, 1, 1, deadline), second);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
        _registry.markComplete(secondId, officer, deadline, second);
    }

    function testFuzz_refusesAnOfficerWithoutThePermitOfficerRole(uint256 seed, uint8 roleIndex) public {
        bytes32 role = _chain[bound(roleIndex, 0, _chain.length - 1)];
        (uint256 key, address officer) = _officer(seed, role);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _completionDigest(PERMIT_ID, 1, 0, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAEHIA, Roles.PERMIT_OFFICER, officer)
        );
        _registry.markComplete(PERMIT_ID, officer, deadline, signature);
    }

    function testFuzz_refusesAPermitOfficerOfAnotherMunicipality(uint256 seed) public {
        (uint256 key, address officer) = _officerIn(SUTHEP, seed, Roles.PERMIT_OFFICER);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _completionDigest(PERMIT_ID, 1, 0, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAEHIA, Roles.PERMIT_OFFICER, officer)
        );
        _registry.markComplete(PERMIT_ID, officer, deadline, signature);
    }

    function testFuzz_refusesASignatureOverFewerDocuments(uint256 seed, bytes32 document) public {
        vm.assume(document != 0);
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _completionDigest(PERMIT_ID, 1, 0, deadline));
        // The relayer adds a document after the officer signed: the application is not the one declared complete.
        bytes32[] memory more = new bytes32[](1);
        more[0] = document;
        _registry.addDocuments(PERMIT_ID, more);
        address recovered = recoverSigner(_completionDigest(PERMIT_ID, 2, 0, deadline), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
        _registry.markComplete(PERMIT_ID, officer, deadline, signature);
    }
}

/**
 * @dev Fuzzed signed issuance and amendment: the permit officer's signature covers the certificate hash
 * and its CID, the issuing authority's amendment covers the new ones; a relayer can change neither.
 */
contract PermitRegistryIssuanceTest is PermitRegistryTestBase {
    uint256 private constant ENGINEER_KEY = 0xE1;
    uint256 private constant DIRECTOR_KEY = 0xD1;
    uint256 private constant MAYOR_KEY = 0x3A;
    bytes32 private constant CERT = keccak256("certificate v1.pdf");
    string private constant CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

    function setUp() public override {
        super.setUp();
        _complete(PERMIT_ID);
        uint256[3] memory keys = [ENGINEER_KEY, DIRECTOR_KEY, MAYOR_KEY];
        for (uint8 i = 0; i < 3; ++i) {
            address officer = vm.addr(keys[i]);
            _directory.grantRole(MAEHIA, _chain[i], officer);
            bytes32 structHash =
                keccak256(abi.encode(STEP_DECISION_TYPEHASH, PERMIT_ID, i, _chain[i], APPROVE, NOTE, 0, _later()));
            bytes memory signature = signDigest(keys[i], _typedDigest(block.chainid, address(_registry), structHash));
            _registry.decide(PERMIT_ID, i, PermitRegistry.Decision.Approve, NOTE, officer, _later(), signature);
        }
    }

    function testFuzz_issuesBySignatureThroughAnyRelayer(
        uint256 seed,
        bytes32 certificateHash,
        string calldata cid,
        uint256 deadlineSeed,
        address relayer
    ) public {
        vm.assume(certificateHash != 0 && bytes(cid).length != 0);
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        uint256 deadline = bound(deadlineSeed, block.timestamp, type(uint256).max);
        bytes32 digest = _issuanceDigest(PERMIT_ID, certificateHash, cid, 0, deadline);
        assertEq(digest, _registry.hashIssuance(PERMIT_ID, certificateHash, cid, 0, deadline), "digest");
        vm.prank(relayer);
        _registry.issue(PERMIT_ID, certificateHash, cid, officer, deadline, signDigest(key, digest));
        PermitRegistry.Permit memory p = _registry.permit(PERMIT_ID);
        assertTrue(p.state == PermitRegistry.PermitState.Issued, "issued");
        assertEq(p.certificateHash, certificateHash, "certificate recorded");
        assertEq(p.validUntil, block.timestamp + 365 days, "validity");
        (bytes32 permitId, uint32 version, PermitRegistry.Verdict verdict) = _registry.verify(certificateHash);
        assertEq(permitId, PERMIT_ID, "verify: permit");
        assertEq(version, 1, "verify: version");
        assertTrue(verdict == PermitRegistry.Verdict.Valid, "verify: valid");
        assertEq(_registry.nonces(officer), 1, "nonce spent");
    }

    function testFuzz_refusesAnotherCidOrCertificateThanSigned(
        uint256 seed,
        string calldata cid,
        string calldata otherCid,
        bytes32 otherHash
    ) public {
        vm.assume(bytes(cid).length != 0 && bytes(otherCid).length != 0);
        vm.assume(keccak256(bytes(cid)) != keccak256(bytes(otherCid)) && otherHash != 0 && otherHash != CERT);
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _issuanceDigest(PERMIT_ID, CERT, cid, 0, deadline));
        address recovered = recoverSigner(_issuanceDigest(PERMIT_ID, CERT, otherCid, 0, deadline), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
        _registry.issue(PERMIT_ID, CERT, otherCid, officer, deadline, signature);
        recovered = recoverSigner(_issuanceDigest(PERMIT_ID, otherHash, cid, 0, deadline), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
        _registry.issue(PERMIT_ID, otherHash, cid, officer, deadline, signature);
    }

    function testFuzz_refusesASignerOtherThanTheNamedOfficer(uint256 officerSeed, uint256 signerSeed) public {
        (, address officer) = _officer(officerSeed, Roles.PERMIT_OFFICER);
        uint256 signerKey = _key(signerSeed);
        address signer = vm.addr(signerKey);
        vm.assume(signer != officer);
        uint256 deadline = _later();
        bytes memory signature = signDigest(signerKey, _issuanceDigest(PERMIT_ID, CERT, CID, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, signer, officer));
        _registry.issue(PERMIT_ID, CERT, CID, officer, deadline, signature);
    }

    function testFuzz_refusesAnExpiredSignature(uint256 seed, uint256 deadline, uint256 lateBy) public {
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        deadline = bound(deadline, block.timestamp, type(uint64).max);
        uint256 submittedAt = deadline + bound(lateBy, 1, 365 days);
        bytes memory signature = signDigest(key, _issuanceDigest(PERMIT_ID, CERT, CID, 0, deadline));
        vm.warp(submittedAt);
        vm.expectRevert(
            abi.encodeWithSelector(PermitRegistryErrors.PermitRegistrySignatureExpired.selector, deadline, submittedAt)
        );
        _registry.issue(PERMIT_ID, CERT, CID, officer, deadline, signature);
    }

    function testFuzz_refusesASpentNonce(uint256 seed) public {
        (uint256 key, address officer) = _officer(seed, Roles.PERMIT_OFFICER);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _issuanceDigest(PERMIT_ID, CERT, CID, 0, deadline));
        // The officer spends nonce 0 on another act first (completing a second application).
        bytes32 secondId = _apply("TH-50-MAEHIA/BP/2026/0002");
        _registry.markComplete(secondId, officer, deadline, signDigest(key, _completionDigest(secondId, 1, 0, deadline)));
        address recovered = recoverSigner(_issuanceDigest(PERMIT_ID, CERT, CID, 1, deadline), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, officer));
        _registry.issue(PERMIT_ID, CERT, CID, officer, deadline, signature);
    }

    function testFuzz_refusesAnOfficerWithoutThePermitOfficerRole(uint256 seed, uint8 roleIndex) public {
        bytes32 role = _chain[bound(roleIndex, 0, _chain.length - 1)];
        (uint256 key, address officer) = _officer(seed, role);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _issuanceDigest(PERMIT_ID, CERT, CID, 0, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAEHIA, Roles.PERMIT_OFFICER, officer)
        );
        _registry.issue(PERMIT_ID, CERT, CID, officer, deadline, signature);
    }

    function testFuzz_refusesAPermitOfficerOfAnotherMunicipality(uint256 seed) public {
        (uint256 key, address officer) = _officerIn(SUTHEP, seed, Roles.PERMIT_OFFICER);
        uint256 deadline = _later();
        bytes memory signature = signDigest(key, _issuanceDigest(PERMIT_ID, CERT, CID, 0, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(DirectoryErrors.DirectoryUnauthorizedAccount.selector, MAEHIA, Roles.PERMIT_OFFICER, officer)
        );
        _registry.issue(PERMIT_ID, CERT, CID, officer, deadline, signature);
    }

    function testFuzz_anAmendmentSignatureCoversTheNewCid(string calldata cid, string calldata otherCid, bytes32 reasonHash)
        public
    {
        vm.assume(bytes(cid).length != 0 && bytes(otherCid).length != 0);
        vm.assume(keccak256(bytes(cid)) != keccak256(bytes(otherCid)));
        _issueAsClerk();
        bytes32 next = keccak256("certificate v2.pdf");
        address mayor = vm.addr(MAYOR_KEY);
        uint256 nonce = _registry.nonces(mayor);
        uint256 deadline = _later();
        bytes32 digest = _amendmentDigest(next, cid, reasonHash, nonce, deadline);
        assertEq(digest, _registry.hashAmendment(PERMIT_ID, next, cid, reasonHash, nonce, deadline), "digest");
        bytes memory signature = signDigest(MAYOR_KEY, digest);
        address recovered = recoverSigner(_amendmentDigest(next, otherCid, reasonHash, nonce, deadline), signature);
        vm.expectRevert(abi.encodeWithSelector(PermitRegistryErrors.PermitRegistryInvalidSigner.selector, recovered, mayor));
        _registry.amend(PERMIT_ID, next, otherCid, reasonHash, mayor, deadline, signature);
        _registry.amend(PERMIT_ID, next, cid, reasonHash, mayor, deadline, signature);
        assertEq(_registry.permit(PERMIT_ID).certificateHash, next, "amended");
    }

    // ---- helpers ----

    function _issueAsClerk() private {
        uint256 deadline = _later();
        bytes memory signature = signDigest(CLERK_KEY, _issuanceDigest(PERMIT_ID, CERT, CID, _registry.nonces(_clerk), deadline));
        _registry.issue(PERMIT_ID, CERT, CID, _clerk, deadline, signature);
    }

    function _amendmentDigest(bytes32 certificateHash, string memory cid, bytes32 reasonHash, uint256 nonce, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        return _typedDigest(
            block.chainid,
            address(_registry),
            keccak256(
                abi.encode(AMENDMENT_TYPEHASH, PERMIT_ID, certificateHash, keccak256(bytes(cid)), reasonHash, nonce, deadline)
            )
        );
    }
}

/**
 * @dev Fuzzed permit numbers: a municipality numbers only under its own Directory code and "/", so it
 * cannot take a number of another municipality's.
 */
contract PermitRegistryNumberTest is PermitRegistryTestBase {
    function testFuzz_acceptsAnyNumberUnderItsOwnCode(string calldata rest) public {
        vm.assume(bytes(rest).length != 0);
        string memory number = string.concat("TH-50-MAEHIA/", rest);
        bytes32 permitId = _apply(number);
        assertEq(permitId, keccak256(bytes(number)), "permit id");
        assertEq(_registry.permit(permitId).municipalityId, MAEHIA, "municipality");
    }

    function testFuzz_refusesANumberOfAnotherMunicipality(string calldata rest) public {
        vm.assume(bytes(rest).length != 0);
        string memory number = string.concat("TH-50-SUTHEP/", rest);
        _expectOutside(number, SUTHEP);
        _apply(number);
    }

    function testFuzz_refusesAnyNumberNotUnderACode(string calldata number) public {
        bytes memory n = bytes(number);
        bool underACode = false;
        for (uint256 i = 0; i < 2; ++i) {
            bytes memory prefix = bytes(["TH-50-MAEHIA/", "TH-50-SUTHEP/"][i]);
            bool under = n.length > prefix.length;
            for (uint256 j = 0; under && j < prefix.length; ++j) under = n[j] == prefix[j];
            underACode = underACode || under;
        }
        vm.assume(!underACode && n.length != 0);
        _expectOutside(number, 0);
        _apply(number);
    }

    function test_refusesTheCodeAloneAndACodeWithoutItsSlash() public {
        for (uint256 i = 0; i < 3; ++i) {
            string memory number = ["TH-50-MAEHIA/", "TH-50-MAEHIA", "TH-50-MAEHIABP/2026/1"][i];
            _expectOutside(number, 0);
            _apply(number);
        }
    }

    function test_noCodeCanHoldASlash() public {
        // Its numbers would read as Mae Hia's ("TH-50-MAEHIA/X/…" begins with "TH-50-MAEHIA/"): the Directory
        // refuses such a code, and the registry would match no number to it anyway.
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryInvalidMunicipality.selector, "TH-50-MAEHIA/X", "A confusing code", address(this)
            )
        );
        _directory.addMunicipality("TH-50-MAEHIA/X", "A confusing code", address(this));
        bytes32 permitId = _apply("TH-50-MAEHIA/X/1");
        assertEq(_registry.permit(permitId).municipalityId, MAEHIA, "a Mae Hia number");
    }

    function _expectOutside(string memory number, uint32 numberedBy) private {
        vm.expectRevert(
            abi.encodeWithSelector(
                PermitRegistryErrors.PermitRegistryNumberOutsideMunicipality.selector, number, MAEHIA, numberedBy
            )
        );
    }
}
