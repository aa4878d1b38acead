import type { WorkflowContext } from "../../workflows/context.js";
import { categoryInfo } from "./catalogue.js";
import { ComplaintQueries } from "./queries.js";

/**
 * What the web app's complaint form needs of a municipality: its active categories with their SLA and
 * attributes in Thai and English, and the area its map picker draws. The map is drawn in the browser
 * from this bounding box alone (no tile server: the town hall may be offline).
 */
export interface MapArea {
  south: number;
  west: number;
  north: number;
  east: number;
}

/**
 * Bounding boxes of the municipalities this service knows by geography. Only the demo seed's Mae Hia
 * (id 1 on the embedded chain, 24.4 km² south-west of Chiang Mai) for now; a real deployment will take
 * them, and an optional tile server, from its configuration (docs/web.md).
 */
const DEMO_AREAS: Record<number, MapArea> = {
  1: { south: 18.7, west: 98.92, north: 18.77, east: 98.99 },
};

export async function filingForm(ctx: WorkflowContext, municipalityId: number) {
  await ctx.catchUpIndex();
  const categories = new ComplaintQueries(ctx.db)
    .categories(municipalityId)
    .filter((category) => category.active)
    .map(({ category, slaSeconds }) => {
      const info = categoryInfo(category);
      return {
        code: info.code,
        name: info.name,
        nameTh: info.nameTh,
        description: info.description,
        descriptionTh: info.descriptionTh,
        slaSeconds,
        attributes: [...info.attributes].sort((a, b) => a.order - b.order),
      };
    });
  const area = ctx.devAccounts ? (DEMO_AREAS[municipalityId] ?? null) : null;
  return { municipalityId, area, categories };
}
