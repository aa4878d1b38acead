import { roleId } from "../../../shared/roles.js";
import { ZeroHash } from "ethers";
import type { Verdict } from "../../../shared/proofBundle.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { SqliteOfficerNames } from "../../indexer/officerNames.js";
import { readCertificateData } from "../../certificates/permitCertificate.js";
import { certificatePdf } from "./certificates.js";
import { permitTypeCodeOf, permitTypeLabel } from "./catalog.js";
import { chainNow, readMunicipality, readPermit, type ChainPermit } from "./ledgerReads.js";
import type { ApplicationRow, PermitStore, PublicPermitFields } from "./store.js";
import { legalClock, permitTrail } from "./trail.js";

/**
 * What anyone may read of a permit (public fields, state, verdict, trail, legal clock), what its
 * applicant may read with their tracking code, and an officer's queue.
 */
const VERDICTS: Record<number, Verdict> = { 0: "unknown", 1: "valid", 2: "revoked", 3: "superseded" };

/** The verdict of the current certificate from PermitRegistry.verify, or the process's stage without one. */
async function verdictOf(ctx: WorkflowContext, permit: ChainPermit): Promise<{ verdict: Verdict; expired: boolean }> {
  if (permit.certificateHash === ZeroHash) {
    return { verdict: permit.state === "Rejected" ? "unknown" : "pending", expired: false };
  }
  const [, , verdict] = await ctx.contracts.permitRegistry.verify(permit.certificateHash);
  // Expired (4) has no verdict of its own in the shared vocabulary: an expired permit no longer holds.
  return { verdict: VERDICTS[Number(verdict)] ?? "revoked", expired: Number(verdict) === 4 };
}

/**
 * The public fields the permit's current certificate states: an amendment's (version 2 on) replace the
 * application's. An amendment this service relayed keeps them with its draft; an older one is read from
 * its certificate.
 */
async function currentPublicFields(ctx: WorkflowContext, store: PermitStore, permit: ChainPermit, application: ApplicationRow | null): Promise<PublicPermitFields | null> {
  if (permit.version <= 1) return application?.publicFields ?? null;
  const amended = store.amendedFields(permit.permitId, permit.certificateHash);
  if (amended) return amended;
  const stated = readCertificateData(await certificatePdf(ctx, permit.certificateHash));
  return stated ? { parcel: stated.parcel, description: stated.description } : (application?.publicFields ?? null);
}

export async function publicPermitView(ctx: WorkflowContext, store: PermitStore, number: string) {
  const permit = await readPermit(ctx, number);
  const application = store.application(permit.permitId);
  const names = new SqliteOfficerNames(ctx.db);
  const [municipality, steps, documents, { verdict, expired }, now, fields] = await Promise.all([
    readMunicipality(ctx, permit.municipalityId),
    ctx.contracts.permitRegistry.steps(permit.permitId),
    ctx.contracts.permitRegistry.documents(permit.permitId),
    verdictOf(ctx, permit),
    chainNow(ctx),
    currentPublicFields(ctx, store, permit, application),
  ]);
  const trail = permitTrail(ctx.db, permit.permitId, permit.municipalityId, names);
  const typeCode = application?.typeCode ?? permitTypeCodeOf(ctx.towns, permit.municipalityId, permit.typeId);
  const label = permitTypeLabel(ctx.towns, permit.municipalityId, typeCode);
  return {
    number: permit.number,
    permitId: permit.permitId,
    municipality: { id: municipality.id, code: municipality.code, th: municipality.th, en: municipality.en },
    type: { code: typeCode, th: label.th, en: label.en, typeId: permit.typeId },
    parcel: fields?.parcel ?? null,
    description: fields?.description ?? null,
    state: permit.state,
    verdict,
    ...(expired ? { expired } : {}),
    appliedAt: new Date(permit.appliedAt * 1000).toISOString(),
    applicantCommitment: permit.applicantCommitment,
    documentHashes: documents.map(String),
    steps: steps.map((step, index) => {
      const decided = Number(step.decision) !== 0;
      return {
        index,
        // The role by name (a town's own too, as its profile names it), by id, and the town's label for its own roles.
        ...ctx.towns.role(permit.municipalityId, step.role),
        decision: decided ? (Number(step.decision) === 1 ? "approve" : "reject") : null,
        officer: decided ? step.officer : null,
        officerName: decided ? names.nameOf(permit.municipalityId, step.officer) : null,
        decidedAt: decided ? new Date(Number(step.decidedAt) * 1000).toISOString() : null,
        noteHash: decided && step.noteHash !== ZeroHash ? step.noteHash : null,
        txHash: decided ? (trail.find((t) => t.step === "decided" && t.stepIndex === index)?.txHash ?? null) : null,
        awaiting: permit.state === "UnderReview" && index === permit.currentStep,
      };
    }),
    certificate:
      permit.certificateHash === ZeroHash
        ? null
        : {
            sha256: permit.certificateHash,
            version: permit.version,
            dataHash: store.dataHashOf(permit.certificateHash),
            validUntil: permit.validUntil === 0 ? null : new Date(permit.validUntil * 1000).toISOString(),
          },
    revocationReason: permit.revocationReason || null,
    trail,
    legalClock: legalClock(trail, now),
  };
}

/** The applicant's own view: the public one plus their personal fields and their documents' list. */
export function privatePermitView(publicView: Awaited<ReturnType<typeof publicPermitView>>, application: ApplicationRow, applicant: unknown, store: PermitStore) {
  return {
    ...publicView,
    applicant,
    documents: store.files(application.permitId, "document").map(({ sha256, name, mediaType, size }) => ({ sha256, name, mediaType, size })),
    certificateDownload: publicView.certificate ? `/api/permits/${encodeURIComponent(publicView.number)}/certificate.pdf` : null,
  };
}

interface QueueRow {
  permit_id: string;
  number: string;
  municipality_id: number;
  type_id: string;
  state: string;
  current_step: number;
  current_role: string | null;
  applied_at: number;
  completed_at: number | null;
}

/**
 * Permits waiting for the signed-in officer, from the index: a step whose role they hold, or, for a
 * permit officer, an application to mark complete or an approved permit to issue.
 */
export function officerQueue(ctx: WorkflowContext, officer: string) {
  const rows = ctx.db
    .prepare(
      `SELECT DISTINCT p.* FROM idx_permits p
       JOIN idx_officer_roles r ON r.municipality_id = p.municipality_id AND lower(r.account) = lower(?)
       WHERE (p.state = 'UnderReview' AND r.role = p.current_role)
          OR (p.state IN ('Applied', 'Approved') AND r.role = ?)
       ORDER BY coalesce(p.completed_at, p.applied_at), p.number`,
    )
    .all(officer, roleId("PERMIT_OFFICER").toLowerCase()) as unknown as QueueRow[];
  return rows.map((row) => ({
    number: row.number,
    municipalityId: row.municipality_id,
    type: permitTypeCodeOf(ctx.towns, row.municipality_id, row.type_id),
    state: row.state,
    action: row.state === "Applied" ? "complete" : row.state === "Approved" ? "issue" : "decide",
    stepIndex: row.state === "UnderReview" ? row.current_step : null,
    ...(row.current_role ? ctx.towns.role(row.municipality_id, row.current_role) : { role: null, roleId: null, roleLabel: null }),
    appliedAt: new Date(row.applied_at * 1000).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at * 1000).toISOString() : null,
  }));
}
