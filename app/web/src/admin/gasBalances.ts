import { useEffect, useState } from "preact/hooks";
import { chainOf } from "../verify/ledgerApi.js";
import { fetchRpc } from "../verify/rpc.js";

/**
 * Below this an officer's account may soon fail to pay for its own transactions (0.01 of the chain's
 * coin: on an L2 or a consortium chain at 1 gwei, some fifty of the largest approvals); the admin tops
 * it up before it stops an officer's work.
 */
export const LOW_GAS_WEI = 10n ** 16n;

/** Each address's balance of the chain's coin in wei, read from the public RPC node (null: not readable). */
export function useGasBalances(addresses: string[]): Map<string, bigint | null> {
  const [balances, setBalances] = useState(new Map<string, bigint | null>());
  const key = addresses.map((address) => address.toLowerCase()).join(",");
  useEffect(() => {
    let current = true;
    (async () => {
      const chain = await chainOf();
      const rpc = fetchRpc(chain.rpcUrl);
      const read = await Promise.all(
        addresses.map(async (address): Promise<[string, bigint | null]> => {
          try {
            return [address.toLowerCase(), BigInt(String(await rpc.send("eth_getBalance", [address, "latest"])))];
          } catch {
            return [address.toLowerCase(), null];
          }
        }),
      );
      if (current) setBalances(new Map(read));
    })().catch(() => {});
    return () => {
      current = false;
    };
  }, [key]);
  return balances;
}
