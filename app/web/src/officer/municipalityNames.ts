import { useEffect, useState } from "preact/hooks";
import { chainOf } from "../verify/ledgerApi.js";
import { municipalityOf } from "../verify/checkDocument.js";
import { fetchRpc } from "../verify/rpc.js";

/** The municipalities' names as the on-chain Directory has them, read through the public RPC node. */
export function useMunicipalityNames(ids: number[]): Map<number, string> {
  const [names, setNames] = useState(new Map<number, string>());
  const key = ids.join(",");
  useEffect(() => {
    chainOf()
      .then(async (chain) => {
        const rpc = fetchRpc(chain.rpcUrl);
        const found = await Promise.all(ids.map((id) => municipalityOf(rpc, chain.contracts.directory, id)));
        setNames(new Map(found.filter((m) => m.name).map((m) => [m.id, m.name!])));
      })
      .catch(() => {});
  }, [key]);
  return names;
}
