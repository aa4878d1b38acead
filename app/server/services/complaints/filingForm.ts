import type { WorkflowContext } from "../../workflows/context.js";
import { areaBounds, type TownArea } from "../../../shared/townProfile.js";
import { townName } from "../towns.js";
import { activeCategories } from "./open311.js";

/**
 * What the web app's complaint form needs of a municipality: its name, its active categories with their
 * SLA and questions in Thai and English, and its map area as its profile publishes it — the bounding box
 * the map picker frames and the area itself (a GeoJSON Polygon or MultiPolygon, longitude first), which
 * the picker draws and a filed point must lie in. The map is drawn in the browser from these alone (no
 * tile server: the town hall may be offline). A town without a published profile has no area (null).
 */
export interface MapArea {
  south: number;
  west: number;
  north: number;
  east: number;
}

export async function filingForm(ctx: WorkflowContext, municipalityId: number) {
  await ctx.catchUpIndex();
  const town = ctx.towns.get(municipalityId);
  const categories = activeCategories(ctx, municipalityId).map(({ info, slaSeconds }) => ({
    code: info.code,
    name: info.name,
    nameTh: info.nameTh,
    description: info.description,
    descriptionTh: info.descriptionTh,
    slaSeconds,
    attributes: info.attributes,
  }));
  const profile = town?.profile ?? null;
  const area: MapArea | null = profile ? areaBounds(profile.area) : null;
  const boundary: TownArea | null = profile?.area ?? null;
  const municipality = town ? { code: town.code, ...townName(town) } : null;
  return { municipalityId, municipality, area, boundary, categories };
}
