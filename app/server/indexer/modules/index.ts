import { anchorsModule } from "./anchors.js";
import { complaintsModule } from "./complaints.js";
import { directoryModule } from "./directory.js";
import { fundsModule } from "./funds.js";
import { permitsModule } from "./permits.js";
import { anchorTrailModule, complaintTrailModule, directoryTrailModule, fundTrailModule, permitTrailModule } from "./trail.js";
import type { EventModule } from "./types.js";

/**
 * Every slice of the index, in the order each log is applied to them. A workflow that wants query
 * tables of its own adds its module here (and its tables in a migration of store/schema.ts).
 */
export const EVENT_MODULES: readonly EventModule[] = [
  anchorsModule,
  directoryModule,
  permitTrailModule,
  complaintTrailModule,
  fundTrailModule,
  anchorTrailModule,
  directoryTrailModule,
  permitsModule,
  complaintsModule,
  fundsModule,
];
