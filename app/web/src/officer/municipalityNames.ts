import { useEffect, useState } from "preact/hooks";
import { apiRequest } from "../apiRequest.js";
import { useI18n } from "../i18n/index.js";
import { chainOf } from "../verify/ledgerApi.js";
import { municipalityOf } from "../verify/checkDocument.js";
import { fetchRpc } from "../verify/rpc.js";

type Names = { th?: string; en?: string };

/**
 * Each municipality's name as the service knows it in Thai and English (its names published beside
 * the Directory); for one the service does not answer about, the name the on-chain Directory holds.
 */
async function namesOf(ids: number[]): Promise<Map<number, Names>> {
  const names = new Map<number, Names>();
  try {
    const { municipalities } = await apiRequest<{ municipalities: Array<{ id: number; th: string; en: string }> }>("/api/audit/municipalities");
    for (const m of municipalities) if (ids.includes(m.id)) names.set(m.id, { th: m.th, en: m.en });
  } catch {
    // The chain's names below.
  }
  const missing = ids.filter((id) => !names.has(id));
  if (missing.length > 0) {
    const chain = await chainOf();
    const rpc = fetchRpc(chain.rpcUrl);
    for (const m of await Promise.all(missing.map((id) => municipalityOf(rpc, chain.contracts.directory, id)))) if (m.name) names.set(m.id, { en: m.name });
  }
  return names;
}

/** The municipalities' names in the reader's language (a name known in one language only, in that one). */
export function useMunicipalityNames(ids: number[]): Map<number, string> {
  const { lang } = useI18n();
  const [names, setNames] = useState(new Map<number, Names>());
  const key = ids.join(",");
  useEffect(() => {
    namesOf(ids).then(setNames, () => {});
  }, [key]);
  return new Map(
    [...names].flatMap(([id, name]): [number, string][] => {
      const word = name[lang] ?? name.en ?? name.th;
      return word ? [[id, word]] : [];
    }),
  );
}
