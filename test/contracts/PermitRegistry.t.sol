// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LedgerTest} from "./utils/Vm.sol";
import {Directory} from "../../contracts/Directory.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {PermitRegistry} from "../../contracts/PermitRegistry.sol";
import {DirectoryErrors, PermitRegistryErrors} from "../../contracts/interfaces/LedgerErrors.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";

/**
 * @dev Fuzzed EIP-712 step approvals: the signature is the officer's, for this permit, step, chain and
 * contract, once, before its deadline. Keys are fuzzed and bounded into the secp256k1 range; the digest is
 * rebuilt here from the EIP-712 definition rather than taken from the contract, so both must agree.
 */
contract PermitRegistryApprovalTest is LedgerTest {
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant STEP_DECISION_TYPEHASH = keccak256(
        "StepDecision(bytes32 permitId,uint8 stepIndex,bytes32 role,uint8 decision,bytes32 noteHash,uint256 nonce,uint256 deadline)"
    );
    uint32 private constant MAEHIA = 1;
    bytes32 private constant BUILDING = keccak256("BUILDING_PERMIT");
    string private constant NUMBER = "TH-50-MAEHIA/BP/2026/0001";
    bytes32 private constant PERMIT_ID = keccak256(bytes(NUMBER));
    bytes32 private constant NOTE = keccak256("review note");
    uint8 private constant APPROVE = uint8(PermitRegistry.Decision.Approve);

    Directory private _directory;
    PermitRegistry private _registry;
    bytes32[] private _chain;

    function setUp() public {
        vm.warp(1_780_000_000);
        _directory = new Directory(address(this));
        _directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", address(this));
        _directory.grantRole(MAEHIA, Roles.PERMIT_OFFICER, address(this));
        _registry = new PermitRegistry(IDirectory(address(_directory)));
        _chain = [Roles.ENGINEER, Roles.DIRECTOR, Roles.MAYOR];
        _registry.definePermitType(MAEHIA, BUILDING, _chain, 365);
        bytes32[] memory documents = new bytes32[](1);
        documents[0] = keccak256("site plan.pdf");
        _registry.applyForPermit(NUMBER, MAEHIA, BUILDING, documents, keccak256("salt:applicant"));
        _registry.markComplete(PERMIT_ID);
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

    /// @dev A private key in [1, n-1], the valid secp256k1 range.
    function _key(uint256 seed) private pure returns (uint256) {
        return bound(seed, 1, SECP256K1_N - 1);
    }

    function _officer(uint256 seed, bytes32 role) private returns (uint256 key, address officer) {
        key = _key(seed);
        officer = vm.addr(key);
        _directory.grantRole(MAEHIA, role, officer);
    }

    function _later() private view returns (uint256) {
        return block.timestamp + 1 hours;
    }

    function _digest(
        uint256 chainId,
        address verifyingContract,
        uint8 stepIndex,
        uint8 decision,
        bytes32 noteHash,
        uint256 nonce,
        uint256 deadline
    ) private view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("PermitRegistry"), keccak256("1"), chainId, verifyingContract)
        );
        // A step beyond the chain has no role; the contract refuses it before looking at the signature.
        bytes32 role = stepIndex < _chain.length ? _chain[stepIndex] : bytes32(0);
        bytes32 structHash =
            keccak256(abi.encode(STEP_DECISION_TYPEHASH, PERMIT_ID, stepIndex, role, decision, noteHash, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
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
