import { useEffect, useState } from "preact/hooks";
import { navigate } from "../router.js";
import { townList, type TownSummary } from "./townsApi.js";

/** The resident's town, kept in this browser between visits (no personal data: a town's id). */
const KEPT = "ledger.town";

export interface TownChoice {
  /** Every town, or null while they load (or when the service does not answer). */
  towns: TownSummary[] | null;
  /** The towns could not be read. */
  failed: boolean;
  /**
   * The chosen town's id, known before the list when the URL or this browser names one (so a page can
   * start loading its data at once). A link's town stays chosen even when the ledger has no such town,
   * so that the page says so instead of showing another town.
   */
  townId: number | null;
  /** The chosen town, once the list is in and has it. */
  town: TownSummary | null;
  /** Chooses a town: remembered in this browser and put in the URL (?town=), so a copied link keeps it. */
  choose: (municipalityId: number) => void;
}

const idOf = (value: string | null): number | null => (value && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : null);

function kept(): number | null {
  try {
    return idOf(localStorage.getItem(KEPT));
  } catch {
    return null;
  }
}

function keep(municipalityId: number): void {
  try {
    localStorage.setItem(KEPT, String(municipalityId));
  } catch {
    // storage disabled: the URL still carries the choice
  }
}

/**
 * The town a resident's page is about: ?town= in the URL (or ?municipality=, as the dashboards' links
 * had it), else the one this browser chose last (when this ledger still has it), else the first town
 * that is not suspended.
 */
export function useChosenTown(url: URL): TownChoice {
  const [towns, setTowns] = useState<TownSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    townList().then(setTowns, () => setFailed(true));
  }, []);

  const linked = idOf(url.searchParams.get("town")) ?? idOf(url.searchParams.get("municipality"));
  let townId = linked ?? kept();
  let town: TownSummary | null = null;
  if (towns && linked !== null) town = towns.find((each) => each.id === linked) ?? null;
  else if (towns) {
    town = towns.find((each) => each.id === townId) ?? towns.find((each) => !each.suspended) ?? towns[0] ?? null;
    townId = town?.id ?? null;
  }

  // A town named by a link is the one this browser remembers from now on.
  useEffect(() => {
    if (linked !== null && town?.id === linked) keep(linked);
  }, [linked, town?.id]);

  function choose(municipalityId: number) {
    keep(municipalityId);
    const target = new URL(location.href);
    target.searchParams.delete("municipality");
    target.searchParams.set("town", String(municipalityId));
    navigate(target.pathname + target.search + target.hash, true);
  }

  return { towns, failed, townId, town, choose };
}
