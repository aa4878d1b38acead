// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title TestBahtToken
 * @dev "THBT", a test stand-in for a Thai-baht stablecoin with 2 decimals (satang), for tests and the
 * embedded development chain only. Anyone may mint: it has no value and must never be deployed to a
 * shared network.
 */
contract TestBahtToken is ERC20 {
    /**
     * @dev Starts with no supply; tests mint what they need.
     */
    constructor() ERC20("Thai Baht Test Token", "THBT") {}

    /**
     * @dev Creates `amount` satang for `to`; open to anyone because this is a faucet for tests.
     */
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @dev Two decimals, like the baht and its satang.
     */
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
