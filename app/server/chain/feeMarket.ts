import { formatUnits, type JsonRpcProvider } from "ethers";

/**
 * What the relayer offers per gas, and how much more a replacement offers. EIP-1559 fees where the
 * chain has a base fee; a legacy gas price where it has none (a free-gas Besu QBFT network). Every
 * amount stops at the ceiling (RELAYER_MAX_FEE_GWEI): the relayer never offers more per gas than that.
 */
export type OfferedFees = { type: 2; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { type: 0; gasPrice: bigint };

/** The chain's fee market as its node tells it now. */
export interface FeeMarket {
  /** The latest block's base fee; null on a chain without one (or with a base fee of 0). */
  baseFeePerGas: bigint | null;
  /** The tip the node suggests (EIP-1559 chains). */
  priorityFeePerGas: bigint;
  /** The gas price the node suggests (chains without a base fee). */
  gasPrice: bigint;
}

/** ethers' own fallback when a node does not answer eth_maxPriorityFeePerGas. */
const DEFAULT_TIP = 1_000_000_000n;

export async function readFeeMarket(provider: JsonRpcProvider): Promise<FeeMarket> {
  const block = await provider.getBlock("latest");
  // As ethers' getFeeData: a base fee of 0 is a chain without fees, priced with a legacy gas price.
  if (block?.baseFeePerGas) {
    const tip = await provider.send("eth_maxPriorityFeePerGas", []).then(BigInt, () => DEFAULT_TIP);
    return { baseFeePerGas: block.baseFeePerGas, priorityFeePerGas: tip, gasPrice: 0n };
  }
  return { baseFeePerGas: null, priorityFeePerGas: 0n, gasPrice: BigInt(await provider.send("eth_gasPrice", [])) };
}

/** Whether the ceiling keeps the relayer below the base fee: nothing it sends can be mined now. */
export function ceilingBelowBaseFee(market: FeeMarket, ceiling: bigint): boolean {
  return market.baseFeePerGas !== null && market.baseFeePerGas > ceiling;
}

/**
 * A first send's fees: the node's tip over twice the base fee, so that the base fee may rise for a few
 * blocks before the transaction stops being minable (ethers' own rule); at most the ceiling.
 */
export function firstFees(market: FeeMarket, ceiling: bigint): OfferedFees {
  if (market.baseFeePerGas === null) return { type: 0, gasPrice: min(market.gasPrice, ceiling) };
  const maxFeePerGas = min(market.baseFeePerGas * 2n + market.priorityFeePerGas, ceiling);
  return { type: 2, maxFeePerGas, maxPriorityFeePerGas: min(market.priorityFeePerGas, maxFeePerGas) };
}

export type Replacement =
  /** Sign again with these fees. */
  | { kind: "raised"; fees: OfferedFees }
  /** The ceiling leaves no room for a raise nodes accept, or is below the base fee: nothing to send. */
  | { kind: "at-ceiling" }
  /** Nothing to raise: a chain whose gas is free does not hold a transaction back for its price. */
  | { kind: "unchanged" };

/**
 * The fees of a replacement at the same nonce: each at least 12.5 % above the fees it replaces (geth
 * refuses less than 10 %, and the common clients 12.5 %) and at least what a first send would offer
 * now, so that a base fee that jumped is followed in one step; at most the ceiling.
 */
export function replacementFees(old: OfferedFees, market: FeeMarket, ceiling: bigint): Replacement {
  if (ceilingBelowBaseFee(market, ceiling)) return { kind: "at-ceiling" };
  const now = firstFees(market, 2n ** 255n);
  if (old.type === 0) {
    const least = raised(old.gasPrice);
    if (least === old.gasPrice) return { kind: "unchanged" };
    if (least > ceiling) return { kind: "at-ceiling" };
    const wanted = now.type === 0 ? now.gasPrice : now.maxFeePerGas;
    return { kind: "raised", fees: { type: 0, gasPrice: min(max(least, wanted), ceiling) } };
  }
  const leastTip = raised(old.maxPriorityFeePerGas);
  const leastMax = raised(old.maxFeePerGas);
  if (leastMax === old.maxFeePerGas) return { kind: "unchanged" };
  if (leastMax > ceiling || leastTip > ceiling) return { kind: "at-ceiling" };
  const tip = max(leastTip, market.priorityFeePerGas);
  const maxFeePerGas = min(max(leastMax, now.type === 2 ? now.maxFeePerGas : now.gasPrice, tip), ceiling);
  return { kind: "raised", fees: { type: 2, maxFeePerGas, maxPriorityFeePerGas: min(tip, maxFeePerGas) } };
}

/** The fee per gas a transaction offers at most (for logs and health). */
export function offeredMaximum(fees: OfferedFees): bigint {
  return fees.type === 2 ? fees.maxFeePerGas : fees.gasPrice;
}

/** An amount per gas as operators set and read it: "50", "0.05", "87.5" (gwei). */
export function inGwei(wei: bigint): string {
  return formatUnits(wei, "gwei").replace(/\.0$/, "");
}

/** `value` raised by 12.5 %, rounded up. */
function raised(value: bigint): bigint {
  return value + (value + 7n) / 8n;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(...values: bigint[]): bigint {
  return values.reduce((a, b) => (a > b ? a : b));
}
