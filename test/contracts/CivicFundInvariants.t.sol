// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CivicFund} from "../../contracts/CivicFund.sol";
import {Directory} from "../../contracts/Directory.sol";
import {Roles} from "../../contracts/libraries/Roles.sol";
import {TestBahtToken} from "../../contracts/mocks/TestBahtToken.sol";
import {LedgerTest} from "./utils/Vm.sol";

/**
 * @dev The actors of the stateful test: a treasurer (who may be dismissed and appointed again), three
 * residents, the municipality's admin and the national admin, each action a
 * call the fuzzer picks at random with random arguments. Every action is attempted whatever the state
 * (a refused call is part of the sequence), and its effect is measured from the outside — token balances
 * before and after — into ghost totals that the invariants compare with CivicFund's own books.
 *
 * Each campaign is paid in a token of its own, so that "the tokens CivicFund holds for a campaign" is a
 * balance anyone can read. The clock moves only through {warp}, by short or long steps, so that sequences
 * reach every phase: deadlines are 1 hour to 5 days ahead, and a funded campaign lapses RELEASE_PERIOD
 * (180 days) after its deadline or latest payment.
 */
contract CivicFundHandler is LedgerTest {
    uint32 internal constant TOWN = 1;
    uint256 internal constant MAX_CAMPAIGNS = 8;
    uint256 internal constant MAX_PLEDGE = 1e6;

    Directory public immutable directory;
    CivicFund public immutable fund;
    address public constant TREASURER = address(0x7EA5);
    address public constant BENEFICIARY = address(0xBEEF);
    address[3] internal residents = [address(0xA11CE), address(0xB0B), address(0xCA201)];

    uint256[] public campaigns;
    mapping(uint256 campaignId => TestBahtToken) public tokenOf;
    mapping(uint256 campaignId => uint256) public ghostPledged;
    mapping(uint256 campaignId => uint256) public ghostRefunded;
    mapping(uint256 campaignId => uint256) public ghostReleased;
    mapping(uint256 campaignId => CivicFund.Phase) public lastPhase;

    /// @dev Transitions seen that go back (or sideways) in the life cycle; must stay 0.
    uint256 public backwardMoves;
    /// @dev Calls during which the municipality stayed suspended and anything but a refund changed; must stay 0.
    uint256 public movedWhileSuspended;

    /// @dev What may change while a municipality is suspended: nothing of this.
    struct Frozen {
        uint256 count;
        uint256 pledged;
        uint256 released;
        uint256 offchain;
        uint256 opened;
        uint256 cancelled;
        uint256 beneficiaryTokens;
    }

    constructor() {
        directory = new Directory(address(this));
        directory.addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", address(this));
        directory.grantRole(TOWN, Roles.TREASURER, TREASURER);
        fund = new CivicFund(directory);
    }

    /// @dev Checks what every call must keep, whatever it was.
    modifier step() {
        bool suspendedBefore = !directory.isActive(TOWN);
        Frozen memory before = _frozen();
        _;
        _recordPhases();
        if (suspendedBefore && !directory.isActive(TOWN) && keccak256(abi.encode(before)) != keccak256(abi.encode(_frozen()))) {
            ++movedWhileSuspended;
        }
    }

    // --- actions ---------------------------------------------------------------------------------------

    /// @dev The treasurer creates a campaign of 1 to 3 milestones in a new token, and opens it if `openNow`.
    function create(uint256 goalSeed, uint256 milestoneSeed, uint256 durationSeed, bool openNow) external step {
        if (campaigns.length >= MAX_CAMPAIGNS) return;
        uint256 count = bound(milestoneSeed, 1, 3);
        // At most a quarter of the largest pledge, so that sequences often reach the goal, and sometimes not.
        uint256 goal = bound(goalSeed, count, MAX_PLEDGE / 4);
        uint256[] memory amounts = new uint256[](count);
        for (uint256 i; i < count; ++i) amounts[i] = goal / count;
        amounts[count - 1] += goal % count;
        TestBahtToken token = new TestBahtToken();
        uint64 deadline = uint64(block.timestamp + bound(durationSeed, 1 hours, 5 days));
        vm.startPrank(TREASURER);
        try fund.createCampaign(TOWN, IERC20(address(token)), BENEFICIARY, goal, deadline, amounts, keccak256("rules")) returns (
            uint256 id
        ) {
            campaigns.push(id);
            tokenOf[id] = token;
            lastPhase[id] = CivicFund.Phase.Draft;
            if (openNow) {
                try fund.openCampaign(id) {} catch {}
            }
        } catch {}
        vm.stopPrank();
    }

    /// @dev The treasurer opens a campaign.
    function open(uint256 campaignSeed) external step {
        (bool any, uint256 id) = _campaign(campaignSeed, _bit(CivicFund.Phase.Draft));
        if (!any) return;
        vm.prank(TREASURER);
        try fund.openCampaign(id) {} catch {}
    }

    /// @dev A resident pledges up to MAX_PLEDGE.
    function pledge(uint256 residentSeed, uint256 campaignSeed, uint256 amountSeed) external step {
        (bool any, uint256 id) = _campaign(campaignSeed, _bit(CivicFund.Phase.Funding));
        if (!any) return;
        address resident = residents[residentSeed % residents.length];
        uint256 amount = bound(amountSeed, 1, MAX_PLEDGE);
        TestBahtToken token = tokenOf[id];
        token.mint(resident, amount);
        vm.startPrank(resident);
        token.approve(address(fund), amount);
        uint256 held = token.balanceOf(address(fund));
        try fund.pledge(id, amount) {
            ghostPledged[id] += token.balanceOf(address(fund)) - held;
        } catch {}
        vm.stopPrank();
    }

    /// @dev The treasurer records a cash receipt.
    function recordOffchainPledge(uint256 campaignSeed, uint256 amountSeed, bytes32 receiptHash) external step {
        (bool any, uint256 id) = _campaign(campaignSeed);
        if (!any) return;
        vm.prank(TREASURER);
        try fund.recordOffchainPledge(id, receiptHash, bound(amountSeed, 1, MAX_PLEDGE)) {} catch {}
    }

    /// @dev The treasurer cancels a campaign.
    function cancel(uint256 campaignSeed) external step {
        (bool any, uint256 id) = _campaign(campaignSeed);
        if (!any) return;
        vm.prank(TREASURER);
        try fund.cancelCampaign(id, keccak256("council decision")) {} catch {}
    }

    /// @dev The treasurer pays the next milestone.
    function release(uint256 campaignSeed) external step {
        (bool any, uint256 id) = _campaign(campaignSeed, _bit(CivicFund.Phase.Succeeded));
        if (!any) return;
        TestBahtToken token = tokenOf[id];
        uint256 paid = token.balanceOf(BENEFICIARY);
        uint8 next = fund.campaign(id).nextMilestone;
        vm.prank(TREASURER);
        try fund.releaseMilestone(id, next, keccak256(abi.encode("invoice", next))) {
            ghostReleased[id] += token.balanceOf(BENEFICIARY) - paid;
        } catch {}
    }

    /// @dev A resident takes their pledge, or their share, back.
    function refund(uint256 residentSeed, uint256 campaignSeed) external step {
        (bool any, uint256 id) =
            _campaign(campaignSeed, _bit(CivicFund.Phase.Failed) | _bit(CivicFund.Phase.Cancelled) | _bit(CivicFund.Phase.Lapsed));
        if (!any) return;
        address resident = _pledger(residentSeed, id);
        TestBahtToken token = tokenOf[id];
        uint256 had = token.balanceOf(resident);
        vm.prank(resident);
        try fund.refund(id) {
            ghostRefunded[id] += token.balanceOf(resident) - had;
        } catch {}
    }

    /// @dev Time passes, by one of three steps: mostly a minute to a day (within a campaign's funding, so
    /// that several residents pledge), else 10 to 170 days (past deadlines, within a release period) or
    /// 181 to 400 days (past a release period).
    function warp(uint256 secondsSeed) external step {
        uint256 kind = secondsSeed % 10;
        uint256 r = secondsSeed / 10;
        uint256 by = kind < 7 ? bound(r, 1 minutes, 1 days) : kind < 9 ? bound(r, 10 days, 170 days) : bound(r, 181 days, 400 days);
        vm.warp(block.timestamp + by);
    }

    /// @dev The national admin suspends the municipality (one time in three that this is called, so that
    /// sequences spend most of their time active, where money moves) or reinstates it.
    function toggleSuspension(uint256 seed) external step {
        if (directory.isActive(TOWN)) {
            if (seed % 3 != 0) return;
            directory.suspendMunicipality(TOWN, keccak256("audit finding"));
        } else {
            directory.reinstateMunicipality(TOWN);
        }
    }

    /// @dev The treasurer leaves (the municipality's admin revokes the role: nobody pays milestones until
    /// they are appointed again), or is appointed again.
    function toggleTreasurer() external step {
        if (directory.hasRole(TOWN, Roles.TREASURER, TREASURER) || !directory.isActive(TOWN)) {
            try directory.revokeRole(TOWN, Roles.TREASURER, TREASURER) {} catch {}
        } else {
            directory.grantRole(TOWN, Roles.TREASURER, TREASURER);
        }
    }

    // --- what the invariants read ----------------------------------------------------------------------

    /// @dev How many campaigns this run created.
    function campaignCount() external view returns (uint256) {
        return campaigns.length;
    }

    // --- checks ----------------------------------------------------------------------------------------

    function _campaign(uint256 seed) private view returns (bool any, uint256 id) {
        return _campaign(seed, 0);
    }

    /// @dev A campaign picked by `seed`; for three seeds in four, the first one from there whose phase is in
    /// `phases` (one bit per CivicFund.Phase), so that deep states (a payment, then a lapse, then refunds)
    /// are reached within a run, while the others keep trying actions where they must be refused.
    function _campaign(uint256 seed, uint256 phases) private view returns (bool any, uint256 id) {
        uint256 n = campaigns.length;
        if (n == 0) return (false, 0);
        id = campaigns[seed % n];
        if (phases == 0 || seed % 4 == 3) return (true, id);
        for (uint256 i; i < n; ++i) {
            uint256 candidate = campaigns[(seed + i) % n];
            CivicFund.Phase p = fund.phase(candidate);
            // A Succeeded campaign with nothing left to pay stays Succeeded for good: skip it.
            if ((phases >> uint8(p)) & 1 == 1 && (p != CivicFund.Phase.Succeeded || fund.escrowed(candidate) != 0)) {
                return (true, candidate);
            }
        }
        return (true, id);
    }

    /// @dev A resident picked by `seed`; for three seeds in four, the first one from there with a pledge in
    /// campaign `id` to take back.
    function _pledger(uint256 seed, uint256 id) private view returns (address resident) {
        uint256 n = residents.length;
        resident = residents[seed % n];
        if (seed % 4 == 3) return resident;
        for (uint256 i; i < n; ++i) {
            address candidate = residents[(seed + i) % n];
            if (fund.pledgeOf(id, candidate) != 0) return candidate;
        }
    }

    function _bit(CivicFund.Phase p) private pure returns (uint256) {
        return 1 << uint8(p);
    }

    /// @dev Counts any phase change that is not a step forward in Draft → Funding → Succeeded → Lapsed,
    /// Funding → Failed, Draft or Funding → Cancelled (several steps may pass in one call, e.g. a long warp).
    function _recordPhases() private {
        for (uint256 i; i < campaigns.length; ++i) {
            uint256 id = campaigns[i];
            CivicFund.Phase now_ = fund.phase(id);
            CivicFund.Phase was = lastPhase[id];
            if (now_ != was && (_reachable(was) >> uint8(now_)) & 1 == 0) ++backwardMoves;
            lastPhase[id] = now_;
        }
    }

    /// @dev The phases reachable from `p` by moving forward, one bit per CivicFund.Phase value.
    function _reachable(CivicFund.Phase p) private pure returns (uint256) {
        uint256 funding = 1 << uint8(CivicFund.Phase.Funding);
        uint256 succeeded = 1 << uint8(CivicFund.Phase.Succeeded);
        uint256 failed = 1 << uint8(CivicFund.Phase.Failed);
        uint256 cancelled = 1 << uint8(CivicFund.Phase.Cancelled);
        uint256 lapsed = 1 << uint8(CivicFund.Phase.Lapsed);
        if (p == CivicFund.Phase.Draft) return funding | succeeded | failed | cancelled | lapsed;
        if (p == CivicFund.Phase.Funding) return succeeded | failed | cancelled | lapsed;
        if (p == CivicFund.Phase.Succeeded) return lapsed;
        return 0;
    }

    function _frozen() private view returns (Frozen memory f) {
        f.count = fund.campaignCount();
        for (uint256 i; i < campaigns.length; ++i) {
            uint256 id = campaigns[i];
            CivicFund.Campaign memory c = fund.campaign(id);
            f.pledged += c.pledged;
            f.released += c.released;
            f.offchain += c.offchainTotal;
            if (c.opened) ++f.opened;
            if (c.cancelled) ++f.cancelled;
            f.beneficiaryTokens += tokenOf[id].balanceOf(BENEFICIARY);
        }
    }
}

/**
 * @dev Stateful ("invariant") tests of {CivicFund}: Hardhat's Solidity test runner calls the handler's
 * actions in random sequences (runs × depth calls, see docs/funds.md) and checks after every call that
 *  - for each campaign, the tokens CivicFund holds equal pledged − refunded − released, and its books
 *    equal what the actors saw move;
 *  - no campaign's phase moves backwards;
 *  - while the municipality is suspended, nothing but refunds moves: no campaign is created, opened or
 *    cancelled, no pledge or receipt is taken and nothing reaches the beneficiary.
 */
contract CivicFundInvariantTest is LedgerTest {
    CivicFundHandler internal handler;

    function setUp() public {
        handler = new CivicFundHandler();
    }

    /// @dev Only the handler's actions are called, by the fuzzer's random senders.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 200
     */
    function invariant_tokensHeldArePledgedLessRefundedLessReleased() public view {
        CivicFund fund = handler.fund();
        for (uint256 i; i < handler.campaignCount(); ++i) {
            uint256 id = handler.campaigns(i);
            CivicFund.Campaign memory c = fund.campaign(id);
            assertEq(c.pledged, handler.ghostPledged(id), "pledged = what residents' pledges moved in");
            assertEq(c.refunded, handler.ghostRefunded(id), "refunded = what refunds moved out");
            assertEq(c.released, handler.ghostReleased(id), "released = what reached the beneficiary");
            uint256 held = handler.tokenOf(id).balanceOf(address(fund));
            assertEq(held, c.pledged - c.refunded - c.released, "tokens held = pledged - refunded - released");
            assertEq(fund.escrowed(id), held, "escrowed = tokens held");
        }
    }

    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 200
     */
    function invariant_noPhaseMovesBackwards() public view {
        assertEq(handler.backwardMoves(), 0, "no phase moves backwards");
        CivicFund fund = handler.fund();
        for (uint256 i; i < handler.campaignCount(); ++i) {
            uint256 id = handler.campaigns(i);
            assertTrue(fund.phase(id) == handler.lastPhase(id), "the handler saw the latest phase");
        }
    }

    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 200
     */
    function invariant_nothingMovesWhileSuspended() public view {
        assertEq(handler.movedWhileSuspended(), 0, "nothing but refunds moves while suspended");
    }


}
