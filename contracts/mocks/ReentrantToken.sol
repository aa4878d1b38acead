// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {CivicFund} from "../CivicFund.sol";

/**
 * @title ReentrantToken
 * @dev Malicious test token: once armed, every transfer or transferFrom that {CivicFund} makes calls back
 * into the fund (pledge, refund or releaseMilestone) before returning. The call back must revert, and its
 * revert bubbles up so tests can see which guard stopped it. Tests only.
 */
contract ReentrantToken is ERC20 {
    /// @dev Which entry point of the fund the token calls back into.
    enum Attack {
        None,
        Pledge,
        Refund,
        Release
    }

    /// @dev The fund under attack; calls from anyone else pass through untouched.
    CivicFund public fund;
    /// @dev The armed attack, None when disarmed.
    Attack public attack;
    /// @dev The campaign the call back targets.
    uint256 public targetCampaign;

    /**
     * @dev Starts disarmed, with no supply.
     */
    constructor() ERC20("Reentrant Test Token", "REEN") {}

    /**
     * @dev Creates `amount` for `to`; open to anyone because this is a test token.
     */
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @dev Arms `attack_` against `campaignId` of `fund_` (Attack.None disarms).
     */
    function arm(CivicFund fund_, Attack attack_, uint256 campaignId) external {
        fund = fund_;
        attack = attack_;
        targetCampaign = campaignId;
    }

    /// @dev Both transfer and transferFrom end here, after the balances moved, while the fund is mid-call.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (msg.sender != address(fund) || attack == Attack.None) return;
        if (attack == Attack.Pledge) {
            fund.pledge(targetCampaign, 1);
        } else if (attack == Attack.Refund) {
            fund.refund(targetCampaign);
        } else {
            fund.releaseMilestone(targetCampaign, 0, keccak256("forged evidence"));
        }
    }
}
