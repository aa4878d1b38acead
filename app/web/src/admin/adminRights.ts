import { getAddress, Interface } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { townList, type TownSummary } from "../towns/townsApi.js";
import { chainOf } from "../verify/ledgerApi.js";
import { fetchRpc } from "../verify/rpc.js";

const OWNABLE = new Interface(["function owner() view returns (address)"]);

/** The national admin: the Directory's owner, read from the chain itself. */
export async function directoryOwner(): Promise<string> {
  const chain = await chainOf();
  const directory = chain.contracts.directory;
  if (!directory) throw new Error("the chain's configuration names no Directory");
  const answer = await fetchRpc(chain.rpcUrl).send("eth_call", [{ to: directory, data: OWNABLE.encodeFunctionData("owner") }, "latest"]);
  return getAddress(OWNABLE.decodeFunctionResult("owner", String(answer))[0]);
}

export interface AdminRights {
  /** The account is the national admin (adds, suspends and reinstates municipalities, names their admins). */
  national: boolean;
  /** The towns whose admin the account is. */
  towns: TownSummary[];
  /** Every town of the ledger. */
  all: TownSummary[];
  any: boolean;
  /** The chain has answered for this account (until then, `any` is false for want of an answer). */
  known: boolean;
  /** Reads again (after a change: a new town, a town handed over). */
  reload: () => Promise<void>;
}

/**
 * What `address` administers, as the chain says: whether it owns the Directory, and which towns name it
 * their admin. The contracts decide every admin call; this only chooses what the console offers.
 */
export function useAdminRights(address: string | null | undefined): AdminRights {
  const [state, setState] = useState<{ address: string | null; national: boolean; all: TownSummary[] }>({ address: null, national: false, all: [] });

  async function load(fresh: boolean) {
    if (!address) return setState({ address: null, national: false, all: [] });
    const [owner, all] = await Promise.all([directoryOwner().catch(() => null), townList(fresh).catch(() => [] as TownSummary[])]);
    setState({ address, national: owner !== null && owner === getAddress(address), all });
  }

  useEffect(() => {
    void load(false);
  }, [address]);

  const known = Boolean(address) && state.address === address;
  const mine = known ? state.all.filter((town) => town.admin.toLowerCase() === address!.toLowerCase()) : [];
  const national = known && state.national;
  return { national, towns: mine, all: state.all, any: national || mine.length > 0, known, reload: () => load(true) };
}
