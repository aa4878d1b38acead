// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CivicFund} from "../../contracts/CivicFund.sol";
import {Directory} from "../../contracts/Directory.sol";
import {CivicFundErrors} from "../../contracts/interfaces/LedgerErrors.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {TestBahtToken} from "../../contracts/mocks/TestBahtToken.sol";
import {LedgerTest} from "./utils/Vm.sol";

/// @dev The two storage cheatcodes this file needs beyond utils/Vm.sol, at the same cheatcode address.
interface VmStorage {
    function load(address target, bytes32 slot) external view returns (bytes32);
    function store(address target, bytes32 slot, bytes32 value) external;
}

/**
 * @dev Fuzzed accounting of {CivicFund}: random pledges by several residents into campaigns sharing one
 * token, then refunds of the failed campaign interleaved with milestone payouts of the successful one,
 * checking after every step that escrowed == pledged − refunded − released and that the token balance
 * held equals the sum of the escrows.
 */
contract CivicFundTest is LedgerTest {
    VmStorage internal constant vmStorage = VmStorage(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint32 internal constant MAE_HIA = 1;
    uint256 internal constant MAX_PLEDGE = 1e9;

    Directory internal directory;
    CivicFund internal fund;
    TestBahtToken internal thbt;
    address internal treasurer = address(0x7EA5);
    address internal beneficiary = address(0xBEEF);
    address[4] internal pledgers = [address(0xA11CE), address(0xB0B), address(0xCA201), address(0xDA4E)];

    function setUp() public {
        directory = new Directory(address(this));
        directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", address(this));
        directory.grantRole(MAE_HIA, Roles.TREASURER, treasurer);
        fund = new CivicFund(directory);
        thbt = new TestBahtToken();
        for (uint256 i; i < pledgers.length; ++i) {
            vm.prank(pledgers[i]);
            thbt.approve(address(fund), type(uint256).max);
        }
    }

    function testFuzz_booksBalanceThroughPledgesRefundsAndReleases(
        uint256 seed,
        uint256 rawSteps,
        uint256 rawGoal,
        uint256 rawMilestones
    ) public {
        uint256 count = bound(rawMilestones, 1, fund.MAX_MILESTONES());
        uint256 goal = bound(rawGoal, count, 40 * MAX_PLEDGE);
        uint256 winning = _openCampaign(IERC20(address(thbt)), goal, count);
        uint256 losing = _openCampaign(IERC20(address(thbt)), type(uint96).max, 1);

        uint256 steps = bound(rawSteps, 1, 40);
        for (uint256 i; i < steps; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, "pledge", i)));
            address pledger = pledgers[r % pledgers.length];
            uint256 id = (r >> 8) % 2 == 0 ? winning : losing;
            _pledge(pledger, id, bound(r >> 16, 1, MAX_PLEDGE));
            _assertBooks(winning, losing);
        }
        uint256 short = goal - _min(goal, fund.campaign(winning).pledged);
        if (short > 0) _pledge(pledgers[0], winning, short);
        _assertBooks(winning, losing);

        vm.warp(block.timestamp + 31 days);
        assertTrue(fund.phase(winning) == CivicFund.Phase.Succeeded, "winning campaign succeeded");
        assertTrue(fund.phase(losing) == CivicFund.Phase.Failed, "losing campaign failed");

        uint256[4] memory owed;
        for (uint256 p; p < pledgers.length; ++p) owed[p] = fund.pledgeOf(losing, pledgers[p]);
        uint256 raised = fund.campaign(winning).pledged;
        uint256 nextRefund;
        for (uint256 j; fund.campaign(winning).nextMilestone < count || nextRefund < pledgers.length; ++j) {
            bool release = uint256(keccak256(abi.encode(seed, "settle", j))) % 2 == 0;
            uint8 next = fund.campaign(winning).nextMilestone;
            if ((release && next < count) || nextRefund == pledgers.length) {
                vm.prank(treasurer);
                fund.releaseMilestone(winning, next, keccak256(abi.encode("invoice", next)));
            } else {
                address pledger = pledgers[nextRefund++];
                uint256 before = thbt.balanceOf(pledger);
                if (owed[nextRefund - 1] == 0) {
                    vm.expectRevert(abi.encodeWithSelector(CivicFundErrors.CivicFundNothingToRefund.selector, losing, pledger));
                }
                vm.prank(pledger);
                fund.refund(losing);
                assertEq(thbt.balanceOf(pledger), before + owed[nextRefund - 1], "refund returns the whole pledge");
            }
            _assertBooks(winning, losing);
        }
        assertEq(thbt.balanceOf(beneficiary), raised, "beneficiary receives everything raised");
        assertEq(thbt.balanceOf(address(fund)), 0, "nothing left in escrow");
    }

    function testFuzz_feeOnTransferEscrowMatchesBalance(uint256 seed, uint256 rawFee, uint256 rawSteps, bool succeed)
        public
    {
        FeeOnTransferToken fot = new FeeOnTransferToken(bound(rawFee, 0, 2_000));
        for (uint256 i; i < pledgers.length; ++i) {
            vm.prank(pledgers[i]);
            fot.approve(address(fund), type(uint256).max);
        }
        uint256 goal = succeed ? 1 : type(uint96).max;
        uint256 id = _openCampaign(IERC20(address(fot)), goal, 1);

        uint256 steps = bound(rawSteps, 1, 30);
        for (uint256 i; i < steps; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            address pledger = pledgers[r % pledgers.length];
            uint256 amount = bound(r >> 8, 1, MAX_PLEDGE);
            fot.mint(pledger, amount);
            uint256 pledgedBefore = fund.campaign(id).pledged;
            vm.prank(pledger);
            fund.pledge(id, amount);
            uint256 credited = fund.campaign(id).pledged - pledgedBefore;
            assertEq(credited, amount - (amount * fot.feeBasisPoints()) / 10_000, "credits what arrived");
            assertEq(fot.balanceOf(address(fund)), fund.escrowed(id), "balance equals escrow");
        }

        vm.warp(block.timestamp + 31 days);
        if (succeed) {
            vm.prank(treasurer);
            fund.releaseMilestone(id, 0, keccak256("invoice"));
        } else {
            for (uint256 p; p < pledgers.length; ++p) {
                if (fund.pledgeOf(id, pledgers[p]) == 0) continue;
                vm.prank(pledgers[p]);
                fund.refund(id);
                assertEq(fot.balanceOf(address(fund)), fund.escrowed(id), "balance equals escrow");
            }
        }
        assertEq(fund.escrowed(id), 0, "escrow emptied");
        assertEq(fot.balanceOf(address(fund)), 0, "balance emptied");
    }

    /// @dev A funded campaign whose treasurer stops paying: after the release period every pledger, in any
    /// order, gets at least their pledge's share of what was not released (rounded down), and together
    /// they get all of it.
    function testFuzz_lapsedCampaignReturnsWhatWasNotReleasedProRata(
        uint256 seed,
        uint256 rawGoal,
        uint256 rawMilestones,
        uint256 rawPaid
    ) public {
        uint256 count = bound(rawMilestones, 2, 8);
        uint256 goal = bound(rawGoal, count, 4 * MAX_PLEDGE);
        uint256 id = _openCampaign(IERC20(address(thbt)), goal, count);
        uint256[4] memory pledged;
        for (uint256 p; p < pledgers.length; ++p) {
            pledged[p] = bound(uint256(keccak256(abi.encode(seed, "pledge", p))), 1, MAX_PLEDGE);
            _pledge(pledgers[p], id, pledged[p]);
        }
        uint256 total = fund.campaign(id).pledged;
        if (total < goal) {
            _pledge(pledgers[0], id, goal - total);
            pledged[0] += goal - total;
            total = goal;
        }
        vm.warp(block.timestamp + 31 days);
        uint256 paid = bound(rawPaid, 0, count - 1);
        for (uint256 m; m < paid; ++m) {
            vm.prank(treasurer);
            fund.releaseMilestone(id, uint8(m), keccak256(abi.encode("invoice", m)));
        }
        vm.warp(fund.releaseDeadline(id) + 1);
        assertTrue(fund.phase(id) == CivicFund.Phase.Lapsed, "lapsed");

        uint256 unreleased = total - fund.campaign(id).released;
        uint256 returned;
        uint256 first = seed % pledgers.length;
        for (uint256 k; k < pledgers.length; ++k) {
            uint256 p = (first + k) % pledgers.length;
            uint256 before = thbt.balanceOf(pledgers[p]);
            vm.prank(pledgers[p]);
            fund.refund(id);
            uint256 got = thbt.balanceOf(pledgers[p]) - before;
            assertTrue(got >= (pledged[p] * unreleased) / total, "at least the pledge's share");
            returned += got;
        }
        assertEq(returned, unreleased, "all of what was not released goes back");
        assertEq(fund.escrowed(id), 0, "nothing stays locked");
        assertEq(thbt.balanceOf(address(fund)), 0, "no token stays behind");
    }

    /// @dev Unreachable while the books balance, so the books are corrupted on purpose to prove the guard.
    function test_neverPaysMoreThanEscrowedEvenIfTheBooksWereWrong() public {
        uint256 id = _openCampaign(IERC20(address(thbt)), 300, 3);
        _pledge(pledgers[0], id, 300);
        vm.warp(block.timestamp + 31 days);
        vm.prank(treasurer);
        fund.releaseMilestone(id, 0, keccak256("invoice 1"));

        // `_campaigns` is CivicFund's first storage variable; `released` is the low half of the struct's 7th
        // slot, below `lastReleaseAt`.
        bytes32 releasedSlot = bytes32(uint256(keccak256(abi.encode(id, uint256(0)))) + 6);
        uint256 word = uint256(vmStorage.load(address(fund), releasedSlot));
        assertEq(uint128(word), 100, "slot holds `released`");
        vmStorage.store(address(fund), releasedSlot, bytes32(((word >> 128) << 128) | 299));
        assertEq(fund.escrowed(id), 1, "books now claim 1 left");

        vm.expectRevert(abi.encodeWithSelector(CivicFundErrors.CivicFundInsufficientEscrow.selector, id, 100, 1));
        vm.prank(treasurer);
        fund.releaseMilestone(id, 1, keccak256("invoice 2"));
    }

    function _openCampaign(IERC20 token, uint256 goal, uint256 count) private returns (uint256 id) {
        uint256[] memory amounts = new uint256[](count);
        for (uint256 i; i < count; ++i) amounts[i] = goal / count;
        amounts[count - 1] += goal % count;
        vm.startPrank(treasurer);
        id = fund.createCampaign(MAE_HIA, token, beneficiary, goal, uint64(block.timestamp + 30 days), amounts, keccak256("rules"));
        fund.openCampaign(id);
        vm.stopPrank();
    }

    function _pledge(address pledger, uint256 id, uint256 amount) private {
        thbt.mint(pledger, amount);
        vm.prank(pledger);
        fund.pledge(id, amount);
    }

    function _assertBooks(uint256 a, uint256 b) private view {
        CivicFund.Campaign memory ca = fund.campaign(a);
        CivicFund.Campaign memory cb = fund.campaign(b);
        assertEq(fund.escrowed(a), ca.pledged - ca.refunded - ca.released, "escrowed(a) = pledged - refunded - released");
        assertEq(fund.escrowed(b), cb.pledged - cb.refunded - cb.released, "escrowed(b) = pledged - refunded - released");
        assertEq(thbt.balanceOf(address(fund)), fund.escrowed(a) + fund.escrowed(b), "token balance = sum of escrows");
    }

    function _min(uint256 x, uint256 y) private pure returns (uint256) {
        return x < y ? x : y;
    }
}
