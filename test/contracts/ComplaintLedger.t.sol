// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ComplaintLedger} from "../../contracts/ComplaintLedger.sol";
import {Directory} from "../../contracts/Directory.sol";
import {ComplaintLedgerErrors} from "../../contracts/interfaces/LedgerErrors.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {LedgerTest} from "./utils/Vm.sol";

/**
 * @dev Fuzzed properties of {ComplaintLedger}: a complaint's id is derived from its municipality, filer and
 * filing id, so a copied filing id blocks nobody; only the committed preimage or the committed reporter's
 * signature moves a resolved complaint, a signature works once, and the SLA deadline is exact.
 * This contract is the national admin and the admin of Mae Hia and Suthep; `OFFICER` holds
 * COMPLAINT_OFFICER in Mae Hia.
 */
contract ComplaintLedgerTest is LedgerTest {
    uint32 private constant MAE_HIA = 1;
    uint32 private constant SUTHEP = 2;
    bytes32 private constant ROADS = keccak256("ROADS");
    uint32 private constant ROADS_SLA = 3 days;
    address private constant OFFICER = address(0x0FF1CE);
    bytes32 private constant FILING_ID = keccak256("filing 1");
    bytes32 private constant REASON = keccak256("still broken");
    uint256 private constant START = 1_700_000_000;
    /// @dev Order of the secp256k1 group: private keys lie in [1, N - 1].
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    ComplaintLedger private ledger;
    /// @dev The id of the complaint this contract files with `FILING_ID` into Mae Hia.
    bytes32 private immutable ID;

    constructor() {
        ID = _expectedId(MAE_HIA, address(this), FILING_ID);
    }

    function setUp() public {
        vm.warp(START);
        Directory directory = new Directory(address(this));
        directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", address(this));
        directory.addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", address(this));
        directory.grantRole(MAE_HIA, Roles.COMPLAINT_OFFICER, OFFICER);
        ledger = new ComplaintLedger(IDirectory(address(directory)));
        ledger.setCategory(MAE_HIA, ROADS, ROADS_SLA, true);
        ledger.setCategory(SUTHEP, ROADS, ROADS_SLA, true);
    }

    function testFuzz_complaintIdIsDerivedFromMunicipalityFilerAndFilingId(
        uint32 municipalityId,
        address filer,
        bytes32 filingId
    ) public view {
        assertEq(
            ledger.complaintIdOf(municipalityId, filer, filingId),
            _expectedId(municipalityId, filer, filingId),
            "complaintIdOf"
        );
    }

    function testFuzz_fileUsesTheDerivedId(address filer, bytes32 filingId, bool suthep) public {
        vm.assume(filingId != 0);
        uint32 municipalityId = suthep ? SUTHEP : MAE_HIA;
        bytes32 expected = _expectedId(municipalityId, filer, filingId);
        vm.prank(filer);
        bytes32 filed = ledger.file(filingId, municipalityId, ROADS, 0, keccak256("text"), _commit(keccak256("secret")));
        assertEq(filed, expected, "returned id");
        assertEq(ledger.complaint(expected).municipalityId, municipalityId, "filed under the derived id");
    }

    function testFuzz_aCopiedFilingIdDoesNotBlockTheFiling(address squatter, bytes32 filingId, bool otherTown) public {
        vm.assume(filingId != 0 && squatter != address(this));
        // Mined first: the same filing id, sent by someone else, for this town or another.
        bytes32 squatterCommitment = _commit(keccak256("squatter"));
        vm.prank(squatter);
        bytes32 squatted =
            ledger.file(filingId, otherTown ? SUTHEP : MAE_HIA, ROADS, 0, keccak256("spam"), squatterCommitment);
        // The same filer's filing id in another town is another complaint too.
        ledger.file(filingId, SUTHEP, ROADS, 0, keccak256("other town"), squatterCommitment);

        bytes32 real = ledger.file(filingId, MAE_HIA, ROADS, 0, keccak256("text"), _commit(keccak256("secret")));
        assertEq(real, _expectedId(MAE_HIA, address(this), filingId), "the resident's complaint is filed");
        assertTrue(real != squatted, "under an id of its own");
        assertEq(ledger.complaint(real).reporterCommitment, _commit(keccak256("secret")), "with its own reporter");
        vm.expectRevert(abi.encodeWithSelector(ComplaintLedgerErrors.ComplaintLedgerComplaintExists.selector, real));
        ledger.file(filingId, MAE_HIA, ROADS, 0, keccak256("text"), _commit(keccak256("secret")));
    }

    function testFuzz_onlyTheCommittedSecretConfirms(bytes32 secret, bytes32 guess) public {
        vm.assume(secret != guess);
        _file(ID, _commit(secret));
        _resolve(ID);
        vm.expectRevert(abi.encodeWithSelector(ComplaintLedgerErrors.ComplaintLedgerNotReporter.selector, ID));
        ledger.confirmBySecret(ID, guess);
        vm.expectRevert(abi.encodeWithSelector(ComplaintLedgerErrors.ComplaintLedgerNotReporter.selector, ID));
        ledger.reopenBySecret(ID, guess, _commit(guess), REASON);
        ledger.confirmBySecret(ID, secret);
        _assertStatus(ID, ComplaintLedger.Status.Confirmed);
    }

    function testFuzz_reopeningBySecretMovesTheProofToTheNextSecret(bytes32 secret, bytes32 nextSecret) public {
        vm.assume(secret != nextSecret);
        _file(ID, _commit(secret));
        _resolve(ID);
        ledger.reopenBySecret(ID, secret, _commit(nextSecret), REASON);
        assertEq(ledger.complaint(ID).reporterCommitment, _commit(nextSecret), "rotated commitment");
        _resolve(ID);
        vm.expectRevert(abi.encodeWithSelector(ComplaintLedgerErrors.ComplaintLedgerNotReporter.selector, ID));
        ledger.confirmBySecret(ID, secret);
        ledger.confirmBySecret(ID, nextSecret);
        _assertStatus(ID, ComplaintLedger.Status.Confirmed);
    }

    function testFuzz_onlyTheReporterSignsAndOnlyOnce(uint256 reporterKey, uint256 otherKey) public {
        reporterKey = bound(reporterKey, 1, SECP256K1_N - 1);
        otherKey = bound(otherKey, 1, SECP256K1_N - 1);
        vm.assume(reporterKey != otherKey);
        address reporter = vm.addr(reporterKey);
        uint256 deadline = START + 1 days;
        _file(ID, _commit(bytes32(uint256(uint160(reporter)))));
        _resolve(ID);

        bytes memory forged = signDigest(otherKey, ledger.hashReporterAction(ID, 2, REASON, 0, deadline));
        vm.expectRevert(
            abi.encodeWithSelector(
                ComplaintLedgerErrors.ComplaintLedgerInvalidSigner.selector, vm.addr(otherKey), reporter
            )
        );
        ledger.reopenBySignature(ID, reporter, REASON, deadline, forged);

        bytes memory reopen = signDigest(reporterKey, ledger.hashReporterAction(ID, 2, REASON, 0, deadline));
        ledger.reopenBySignature(ID, reporter, REASON, deadline, reopen);
        _assertStatus(ID, ComplaintLedger.Status.Reopened);
        assertEq(ledger.nonces(reporter), 1, "nonce used");

        // Replayed after the rework, the same signature is checked against nonce 1 and fails.
        _resolve(ID);
        vm.expectRevert(
            abi.encodeWithSelector(
                ComplaintLedgerErrors.ComplaintLedgerInvalidSigner.selector,
                recoverSigner(ledger.hashReporterAction(ID, 2, REASON, 1, deadline), reopen),
                reporter
            )
        );
        ledger.reopenBySignature(ID, reporter, REASON, deadline, reopen);

        bytes memory confirm = signDigest(reporterKey, ledger.hashReporterAction(ID, 1, 0, 1, deadline));
        ledger.confirmBySignature(ID, reporter, deadline, confirm);
        _assertStatus(ID, ComplaintLedger.Status.Confirmed);
    }

    function testFuzz_signaturesExpireAtTheirDeadline(uint256 reporterKey, uint256 lifetime, uint256 delay) public {
        reporterKey = bound(reporterKey, 1, SECP256K1_N - 1);
        lifetime = bound(lifetime, 0, 365 days);
        delay = bound(delay, 0, 2 * 365 days);
        address reporter = vm.addr(reporterKey);
        _file(ID, _commit(bytes32(uint256(uint160(reporter)))));
        _resolve(ID);
        uint256 deadline = block.timestamp + lifetime;
        bytes memory confirm = signDigest(reporterKey, ledger.hashReporterAction(ID, 1, 0, 0, deadline));
        vm.warp(block.timestamp + delay);
        if (block.timestamp > deadline) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ComplaintLedgerErrors.ComplaintLedgerSignatureExpired.selector, deadline, block.timestamp
                )
            );
        }
        ledger.confirmBySignature(ID, reporter, deadline, confirm);
    }

    function testFuzz_overdueStrictlyAfterTheSla(uint32 sla, uint256 elapsed) public {
        sla = uint32(bound(sla, 1, type(uint32).max));
        elapsed = bound(elapsed, 0, uint256(sla) * 2);
        bytes32 category = keccak256("FUZZED");
        ledger.setCategory(MAE_HIA, category, sla, true);
        ledger.file(FILING_ID, MAE_HIA, category, 0, keccak256("text"), _commit(keccak256("secret")));
        assertEq(ledger.complaint(ID).dueAt, START + sla, "due date");

        vm.warp(START + elapsed);
        assertTrue(ledger.isOverdue(ID) == (elapsed > sla), "overdue exactly after the SLA");
        vm.prank(OFFICER);
        ledger.startWork(ID, 0);
        assertTrue(ledger.isOverdue(ID) == (elapsed > sla), "still overdue while in progress");
        vm.prank(OFFICER);
        ledger.resolve(ID, keccak256("evidence"));
        assertTrue(!ledger.isOverdue(ID), "resolved is never overdue");
    }

    function testFuzz_reopeningRestartsTheSla(uint256 resolvedFor, uint256 elapsed) public {
        resolvedFor = bound(resolvedFor, 0, 10 * uint256(ROADS_SLA));
        elapsed = bound(elapsed, 0, 2 * uint256(ROADS_SLA));
        bytes32 secret = keccak256("secret");
        _file(ID, _commit(secret));
        _resolve(ID);
        vm.warp(START + resolvedFor);
        ledger.reopenBySecret(ID, secret, _commit(keccak256("next")), REASON);
        assertEq(ledger.complaint(ID).dueAt, START + resolvedFor + ROADS_SLA, "restarted due date");
        assertEq(ledger.complaint(ID).reopenCount, 1, "reopen count");
        vm.warp(START + resolvedFor + elapsed);
        assertTrue(ledger.isOverdue(ID) == (elapsed > ROADS_SLA), "overdue after the restarted SLA");
    }

    function test_officerTransitionsFollowTheLifeCycle() public {
        _file(ID, _commit(keccak256("secret")));
        vm.expectRevert(
            abi.encodeWithSelector(
                ComplaintLedgerErrors.ComplaintLedgerInvalidTransition.selector,
                ID,
                uint8(ComplaintLedger.Status.Filed),
                uint8(ComplaintLedger.Status.Resolved)
            )
        );
        vm.prank(OFFICER);
        ledger.resolve(ID, keccak256("evidence"));
        vm.prank(OFFICER);
        ledger.acknowledge(ID);
        _assertStatus(ID, ComplaintLedger.Status.Acknowledged);
    }

    /// @dev Files the complaint `ID` (this contract, `FILING_ID`, Mae Hia).
    function _file(bytes32 complaintId, bytes32 commitment) private {
        bytes32 filed = ledger.file(FILING_ID, MAE_HIA, ROADS, keccak256("MAEHIA-V04"), keccak256("text"), commitment);
        assertEq(filed, complaintId, "filed as ID");
    }

    /// @dev `keccak256(abi.encode(municipalityId, filer, filingId))`, built word by word rather than with abi.encode.
    function _expectedId(uint32 municipalityId, address filer, bytes32 filingId) private pure returns (bytes32) {
        return keccak256(bytes.concat(bytes32(uint256(municipalityId)), bytes32(uint256(uint160(filer))), filingId));
    }

    function _resolve(bytes32 complaintId) private {
        vm.prank(OFFICER);
        ledger.startWork(complaintId, 0);
        vm.prank(OFFICER);
        ledger.resolve(complaintId, keccak256("evidence"));
    }

    function _commit(bytes32 preimage) private pure returns (bytes32) {
        return keccak256(abi.encode(preimage));
    }

    function _assertStatus(bytes32 complaintId, ComplaintLedger.Status expected) private view {
        assertEq(uint8(ledger.complaint(complaintId).status), uint8(expected), "status");
    }
}
