// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Directory} from "../../contracts/Directory.sol";
import {DirectoryErrors} from "../../contracts/interfaces/LedgerErrors.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {LedgerTest} from "./utils/Vm.sol";

/**
 * @dev Fuzzes the Directory's history: random sequences of grants and revocations, often several in the same
 * second, against a model kept here (the role is held at `t` when the last action taken at or before `t` left
 * it held), and the compromise mark, which only ever moves earlier and never into the future.
 */
contract DirectoryHistoryTest is LedgerTest {
    uint32 internal constant MAE_HIA = 1;
    address internal constant ADMIN = address(0xA11CE);
    address internal constant OFFICER = address(0x0FF1CE);
    uint256 internal constant START = 1_780_000_000;
    uint256 internal constant STEPS = 12;

    Directory internal directory;

    function setUp() public {
        vm.warp(START);
        directory = new Directory(address(this));
        directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", ADMIN);
    }

    function testFuzz_roleHeldAtFollowsEveryGrantAndRevocation(bool[STEPS] memory grants, uint8[STEPS] memory gaps)
        public
    {
        uint256[STEPS] memory times;
        bool[STEPS] memory heldAfter;
        uint64[] memory expectedHistory = new uint64[](STEPS);
        uint256 changes = 0;
        bool held = false;
        vm.startPrank(ADMIN);
        for (uint256 i = 0; i < STEPS; ++i) {
            // Gaps of 0 to 2 seconds: many actions share a second with the one before.
            vm.warp(block.timestamp + bound(gaps[i], 0, 2));
            if (grants[i]) directory.grantRole(MAE_HIA, Roles.DOCUMENT_ISSUER, OFFICER);
            else directory.revokeRole(MAE_HIA, Roles.DOCUMENT_ISSUER, OFFICER);
            // Granting a held role or revoking a missing one changes nothing and records nothing.
            if (grants[i] != held) expectedHistory[changes++] = uint64(block.timestamp);
            held = grants[i];
            times[i] = block.timestamp;
            heldAfter[i] = held;
        }
        vm.stopPrank();

        uint64[] memory history = directory.roleHistory(MAE_HIA, Roles.DOCUMENT_ISSUER, OFFICER);
        assertEq(history.length, changes, "history length");
        for (uint256 i = 0; i < changes; ++i) {
            assertEq(history[i], expectedHistory[i], "history entry");
        }
        for (uint256 t = START - 1; t <= block.timestamp + 1; ++t) {
            bool expected = false;
            for (uint256 i = 0; i < STEPS; ++i) {
                if (times[i] <= t) expected = heldAfter[i];
            }
            assertTrue(
                directory.roleHeldAt(MAE_HIA, Roles.DOCUMENT_ISSUER, OFFICER, uint64(t)) == expected, "roleHeldAt"
            );
        }
        assertTrue(directory.hasRole(MAE_HIA, Roles.DOCUMENT_ISSUER, OFFICER) == held, "hasRole agrees with the end");
    }

    function testFuzz_aCompromiseMarkOnlyMovesEarlier(uint64 first, uint64 second, uint256 laterBy) public {
        first = uint64(bound(first, 1, START));
        vm.prank(ADMIN);
        directory.markKeyCompromised(MAE_HIA, OFFICER, first);
        vm.warp(START + bound(laterBy, 0, 365 days));

        if (second != 0 && second < first) {
            directory.markKeyCompromised(MAE_HIA, OFFICER, second);
            assertEq(directory.compromisedSince(MAE_HIA, OFFICER), second, "moved earlier");
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    DirectoryErrors.DirectoryInvalidCompromise.selector, MAE_HIA, OFFICER, second, first, block.timestamp
                )
            );
            directory.markKeyCompromised(MAE_HIA, OFFICER, second);
            assertEq(directory.compromisedSince(MAE_HIA, OFFICER), first, "unchanged");
        }
    }

    function testFuzz_aKeyIsNeverMarkedFromATimeToCome(uint64 since) public {
        vm.assume(since > block.timestamp);
        vm.prank(ADMIN);
        vm.expectRevert(
            abi.encodeWithSelector(
                DirectoryErrors.DirectoryInvalidCompromise.selector, MAE_HIA, OFFICER, since, 0, block.timestamp
            )
        );
        directory.markKeyCompromised(MAE_HIA, OFFICER, since);
    }
}
