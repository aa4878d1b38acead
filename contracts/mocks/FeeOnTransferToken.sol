// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title FeeOnTransferToken
 * @dev Test token that burns a fee from every transfer, so the recipient gets less than was sent: the
 * case where trusting the `amount` argument of a pledge would inflate the escrow. Tests only.
 */
contract FeeOnTransferToken is ERC20 {
    /// @dev Fee taken from each transfer, in basis points of the amount (10000 takes everything).
    uint256 public feeBasisPoints;

    /**
     * @dev Starts with a fee of `feeBasisPoints_`.
     */
    constructor(uint256 feeBasisPoints_) ERC20("Fee On Transfer Test Token", "FOTT") {
        feeBasisPoints = feeBasisPoints_;
    }

    /**
     * @dev Creates `amount` for `to`, free of fee; open to anyone because this is a test token.
     */
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @dev Changes the fee, so a test can make a transfer deliver nothing at all.
     */
    function setFeeBasisPoints(uint256 newFeeBasisPoints) external {
        feeBasisPoints = newFeeBasisPoints;
    }

    /// @dev Burns the fee out of every transfer between two holders; minting and burning pay none.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = (value * feeBasisPoints) / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
