import type { WorkflowActors } from "./workflowData.js";

const DAY = 86_400;

/**
 * The data the dashboards' tests read, made through the API with the chain's clock moved on between
 * steps so that both sides of the 45-day statute and of the SLA occur:
 * - permit A issued the day it was complete (within the statute);
 * - permit B rejected by the engineer 46 days after completion (beyond it);
 * - permit C complete 41 days ago and still under review: 4 days left, near the limit;
 * - a ROAD complaint resolved at once (SLA met), a WASTE complaint left 41 days (overdue, its SLA is
 *   2 days), a DRAINAGE complaint just filed (on track);
 * - a campaign with a goal of 5,000 baht and one pledge of 2,000 baht (40 %).
 */
export async function makeDashboardData(actors: WorkflowActors) {
  const issued = await actors.issuedBuildingPermit("Parcel A, Mae Hia");

  const rejected = await actors.applyForPermit("Parcel B, Mae Hia");
  await actors.completePermit(rejected.number);
  await actors.advanceChainTime(46 * DAY);
  await actors.decideStep(actors.engineer, rejected.number, "reject");

  const running = await actors.applyForPermit("Parcel C, Mae Hia");
  await actors.completePermit(running.number);

  const road = await actors.fileComplaint("ROAD");
  for (const action of ["acknowledge", "start", "resolve"] as const) await actors.actOnComplaint(road.complaintId, action);
  const waste = await actors.fileComplaint("WASTE");
  await actors.advanceChainTime(41 * DAY);
  const drainage = await actors.fileComplaint("DRAINAGE");

  const campaignId = await actors.openCampaign("500000");
  await actors.pledge(campaignId, 200000n);
  return { issued, rejected, running, complaints: { road, waste, drainage }, campaignId };
}
