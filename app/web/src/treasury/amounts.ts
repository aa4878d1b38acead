import { Interface, formatUnits, parseUnits } from "ethers";
import type { JsonRpcSender } from "../../../shared/verifyBundle.js";

/**
 * Token amounts: the API speaks the token's smallest unit as decimal text ("500000" = 5,000.00 THBT at
 * 2 decimals); people type and read whole units.
 */
const ERC20 = new Interface([
  "function decimals() view returns (uint8)",
  "function balanceOf(address owner) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
]);

/** An error the page says by its code (like the API's and the wallet's). */
export class FundsError extends Error {
  constructor(readonly code: "AMOUNT_INVALID" | "BALANCE_LOW" | "TX_REVERTED" | "TOKEN_UNKNOWN") {
    super(code);
    this.name = "FundsError";
  }
}

/** "5,000.50" → "500050" at 2 decimals; FundsError AMOUNT_INVALID for anything else or for zero. */
export function toUnits(typed: string, decimals: number): string {
  try {
    const units = parseUnits(typed.replace(/[,\s]/g, ""), decimals);
    if (units > 0n) return units.toString();
  } catch {
    // not a number with at most `decimals` decimals
  }
  throw new FundsError("AMOUNT_INVALID");
}

/** "500050" → "5,000.50 THBT" (grouped, never fewer than 2 decimals when the token has them). */
export function formatAmount(units: string, token: { decimals: number | null; symbol: string | null }): string {
  const decimals = token.decimals ?? 0;
  const [whole, fraction = ""] = formatUnits(units, decimals).split(".");
  const shown = decimals === 0 ? "" : `.${fraction.padEnd(2, "0")}`;
  return `${BigInt(whole).toLocaleString("en-US")}${shown} ${token.symbol ?? ""}`.trim();
}

async function erc20Call(rpc: JsonRpcSender, token: string, name: string, args: unknown[]): Promise<bigint> {
  const data = ERC20.encodeFunctionData(name, args);
  const answer = (await rpc.send("eth_call", [{ to: token, data }, "latest"])) as string;
  return BigInt(ERC20.decodeFunctionResult(name, answer)[0]);
}

export async function tokenDecimals(rpc: JsonRpcSender, token: string): Promise<number> {
  try {
    return Number(await erc20Call(rpc, token, "decimals", []));
  } catch {
    throw new FundsError("TOKEN_UNKNOWN");
  }
}

export const balanceOf = (rpc: JsonRpcSender, token: string, owner: string) => erc20Call(rpc, token, "balanceOf", [owner]);
export const allowanceOf = (rpc: JsonRpcSender, token: string, owner: string, spender: string) => erc20Call(rpc, token, "allowance", [owner, spender]);
