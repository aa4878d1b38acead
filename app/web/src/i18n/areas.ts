// The labels of each area of the app, one pair of catalogues per area in ./areas/<area>.ts, each exporting
// `th` (which defines the keys) and `en` (typed by `AreaMessages<typeof th>`, so a missing key fails the
// build). Keys start with the area's name (`officer.…`, `complaints.…`) so areas never clash.
// One line per area here; the Thai and English catalogues (../th.ts, ../en.ts) spread these in.
import * as admin from "./areas/admin.js";
import * as audit from "./areas/audit.js";
import * as complaints from "./areas/complaints.js";
import * as dashboards from "./areas/dashboards.js";
import * as funds from "./areas/funds.js";
import * as issueDocuments from "./areas/issueDocuments.js";
import * as officer from "./areas/officer.js";
import * as officerComplaints from "./areas/officerComplaints.js";
import * as operations from "./areas/operations.js";
import * as towns from "./areas/towns.js";
import * as treasury from "./areas/treasury.js";
import * as verifier from "./areas/verifier.js";

/** An area's English catalogue: exactly the keys of its Thai one. */
export type AreaMessages<Thai> = { [K in keyof Thai]: string };

export const thAreas = {
  ...officer.th,
  ...dashboards.th,
  ...complaints.th,
  ...funds.th,
  ...officerComplaints.th,
  ...treasury.th,
  ...issueDocuments.th,
  ...audit.th,
  ...verifier.th,
  ...operations.th,
  ...towns.th,
  ...admin.th,
};

export const enAreas: AreaMessages<typeof thAreas> = {
  ...officer.en,
  ...dashboards.en,
  ...complaints.en,
  ...funds.en,
  ...officerComplaints.en,
  ...treasury.en,
  ...issueDocuments.en,
  ...audit.en,
  ...verifier.en,
  ...operations.en,
  ...towns.en,
  ...admin.en,
};
