import { z } from "zod";
import { readAll } from "../../ipfs/readAll.js";
import { roleId } from "../../../shared/roles.js";
import { readCertificateData, renderPermitCertificate, type PermitCertificateData } from "../../certificates/permitCertificate.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { indexCatchesUp } from "../../workflows/indexCatchUp.js";
import { VAULT_CONTEXT, openApplicant } from "./applications.js";
import { SqliteOfficerNames } from "../../indexer/officerNames.js";
import { REVOCATION_REASONS, permitTypeLabel } from "./catalog.js";
import { readMunicipality, readPermit, requireState, sha256Hex, type ChainPermit } from "./ledgerReads.js";
import { parseBody, requireFresh, requireSigner, signedSchema, typedDataFor } from "./signatures.js";
import { PermitStore, type PublicPermitFields } from "./store.js";
import { permitTrail } from "./trail.js";

/**
 * The certificate's life: issue, which the permit officer signs as an EIP-712 `Issuance`, then amend or
 * revoke, which the issuing authority (the type's last approval role, e.g. the mayor) signs. Each is
 * prepared first — the certificate rendered and stored on IPFS, or the reason sealed — so the officer
 * signs the exact certificate hash, CID and reason hash the chain gets; the service only relays.
 *
 * The PDF names the holder, so it is sealed before IPFS; the chain holds its SHA-256 and the CID of the
 * sealed bytes. A revocation's reasoned text is sealed too (an officer's free text may name people);
 * its reason code and hash are public.
 */
interface AmendmentDraft {
  certificateHash: string;
  cid: string;
  dataHash: string;
  version: number;
  /** What the new version states publicly (the permit's page shows it once the amendment is on the chain). */
  publicFields: PublicPermitFields;
  reasonHash: string;
  reasonCid: string;
  reasonSize: number;
}

interface RevocationDraft {
  reasonCode: number;
  reasonHash: string;
  reasonCid: string;
  reasonSize: number;
}

const FOREVER = "9999-12-31T00:00:00.000Z";

async function render(ctx: WorkflowContext, store: PermitStore, permit: ChainPermit, data: PermitCertificateData) {
  // The QR code points at the service's public address, never a request's Host.
  const rendered = await renderPermitCertificate(data, { verifyBaseUrl: `${ctx.publicUrl}/verify` });
  const cid = await ctx.ipfs.add(ctx.vault.seal(rendered.pdf, VAULT_CONTEXT.certificate));
  store.saveCertificateData(rendered.sha256, permit.permitId, data.version, rendered.dataHash, cid);
  return { ...rendered, cid };
}

/**
 * The plain PDF of the permit's certificate `certificateHash` (sealed on IPFS): where the index says it
 * is, or, for one this service rendered, where it stored it — the index reads an issuance only
 * CONFIRMATIONS blocks after the chain has it, and the chain is what the caller read the hash from.
 */
export async function certificatePdf(ctx: WorkflowContext, certificateHash: string): Promise<Uint8Array> {
  const hash = certificateHash.toLowerCase();
  const row = ctx.db.prepare("SELECT cid FROM idx_permit_certificates WHERE certificate_hash = ?").get(hash) as { cid: string } | undefined;
  const cid = row?.cid ?? new PermitStore(ctx.db).certificateData(hash)?.cid;
  if (!cid) throw new AppError("PERMIT_WRONG_STATE", "No certificate has been issued for this permit.");
  return ctx.vault.open(await readAll(ctx.ipfs, cid), VAULT_CONTEXT.certificate);
}

/** 403 ROLE_REQUIRED unless `officer` holds the type's last approval role (by id: it may be the town's own). */
async function requireIssuingAuthority(ctx: WorkflowContext, permit: ChainPermit, officer: string): Promise<void> {
  const steps = await ctx.contracts.permitRegistry.steps(permit.permitId);
  await ctx.officers.requireRole(officer, permit.municipalityId, [roleId(steps[steps.length - 1].role)]);
}

async function requirePermitOfficer(ctx: WorkflowContext, permit: ChainPermit, officer: string): Promise<void> {
  await ctx.officers.requireRole(officer, permit.municipalityId, ["PERMIT_OFFICER"]);
}

/**
 * The approvals a certificate lists, each with its transaction, from the permit's trail in the index —
 * once the index holds every decision the chain has. It reads them CONFIRMATIONS blocks late, so right
 * after the last step it waits for them (a bounded wait), then answers 503 INDEX_BEHIND rather than
 * render a certificate that leaves out an approval.
 */
async function approvalsOf(ctx: WorkflowContext, permit: ChainPermit): Promise<PermitCertificateData["approvals"]> {
  const decided = (await ctx.contracts.permitRegistry.steps(permit.permitId)).filter((step) => Number(step.decision) !== 0).length;
  const names = new SqliteOfficerNames(ctx.db);
  let approvals: PermitCertificateData["approvals"] = [];
  const complete = await indexCatchesUp(ctx, () => {
    approvals = permitTrail(ctx.db, permit.permitId, permit.municipalityId, names)
      .filter((step) => step.step === "decided")
      .map((step) => ({ role: step.role!, officer: step.officer!, officerName: step.officerName, decidedAt: step.at, txHash: step.txHash }));
    return approvals.length >= decided;
  });
  if (!complete) throw new AppError("INDEX_BEHIND", `The index holds ${approvals.length} of the ${decided} decisions on ${permit.number} so far; try again shortly.`);
  return approvals;
}

/**
 * Renders version 1 of an approved permit's certificate, stores it (sealed) on IPFS, and serves the
 * Issuance typed data over its SHA-256 and CID for the signed-in permit officer to sign.
 */
export async function draftIssuance(ctx: WorkflowContext, store: PermitStore, officer: string, number: string) {
  const permit = await readPermit(ctx, number);
  await requirePermitOfficer(ctx, permit, officer);
  requireState(permit, "Approved");
  const application = store.application(permit.permitId);
  if (!application) throw new AppError("PERMIT_WRONG_STATE", `Permit ${number} was not applied for through this service: no holder to name.`);
  const [municipality, applicant, [, validityDays]] = await Promise.all([
    readMunicipality(ctx, permit.municipalityId),
    openApplicant(ctx, application),
    ctx.contracts.permitRegistry.permitType(permit.municipalityId, permit.typeId),
  ]);
  const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const label = permitTypeLabel(ctx.towns, permit.municipalityId, application.typeCode);
  const data: PermitCertificateData = {
    permitNumber: number,
    version: 1,
    permitType: { code: label.code, th: label.th, en: label.en },
    municipality: { id: municipality.id, code: municipality.code, th: municipality.th, en: municipality.en },
    holderName: applicant.name,
    parcel: application.publicFields.parcel,
    description: application.publicFields.description,
    issuedAt: issuedAt.toISOString(),
    // The contract counts validity from the issuing block; the page shows the same day.
    validUntil: validityDays === 0n ? FOREVER : new Date(issuedAt.getTime() + Number(validityDays) * 86_400_000).toISOString(),
    approvals: await approvalsOf(ctx, permit),
  };
  const certificate = await render(ctx, store, permit, data);
  return {
    number,
    version: 1,
    certificateSha256: certificate.sha256,
    dataHash: certificate.dataHash,
    qrPayload: certificate.qrPayload,
    cid: certificate.cid,
    typedData: await typedDataFor(ctx, officer, "Issuance", { permitId: permit.permitId, certificateHash: certificate.sha256, cid: certificate.cid }),
  };
}

const issuanceSchema = signedSchema.extend({ certificateHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((v) => v.toLowerCase()) });

/**
 * Relays the permit officer's signed Issuance of a certificate this service rendered for the permit
 * (see {@link draftIssuance}): the signer is the signed-in permit officer of the permit's municipality,
 * with a fresh signature over the certificate's hash and CID.
 */
export async function submitIssuance(ctx: WorkflowContext, store: PermitStore, officer: string, number: string, body: unknown) {
  const input = parseBody(issuanceSchema, body);
  const permit = await readPermit(ctx, number);
  const rendered = store.certificateData(input.certificateHash);
  if (!rendered || rendered.permitId !== permit.permitId || rendered.version !== 1) {
    throw new AppError("DRAFT_NOT_FOUND", `No first certificate of ${number} with SHA-256 ${input.certificateHash} was prepared here.`);
  }
  const message = { permitId: permit.permitId, certificateHash: input.certificateHash, cid: rendered.cid, nonce: input.nonce, deadline: input.deadline };
  requireSigner(ctx, officer, "Issuance", message, input.signature);
  await requirePermitOfficer(ctx, permit, officer);
  await requireFresh(ctx, officer, input);
  requireState(permit, "Approved");
  const mined = await ctx.serviceCalls.send(ctx.contracts.permitRegistry, "issue", [
    permit.permitId,
    input.certificateHash,
    rendered.cid,
    officer,
    input.deadline,
    input.signature,
  ]);
  await ctx.catchUpIndex();
  return { number, version: 1, certificateSha256: input.certificateHash, dataHash: rendered.dataHash, cid: rendered.cid, officer, txHash: mined.txHash };
}

const amendmentSchema = z
  .object({
    parcel: z.string().trim().min(1).max(200).optional(),
    description: z.object({ th: z.string().max(1000).optional(), en: z.string().max(1000).optional() }).strict().optional(),
    reason: z.string().trim().min(1).max(4000),
  })
  .strict();

const revocationSchema = z
  .object({
    reasonCode: z.number().int().refine((code) => code in REVOCATION_REASONS, "a reason code of the catalogue (1, 2, 3, 4 or 9)"),
    reason: z.string().trim().min(1).max(4000),
  })
  .strict();

const submitSchema = signedSchema.extend({ draftId: z.string().regex(/^drf_[0-9a-f]{24}$/) });

async function sealedReason(ctx: WorkflowContext, reason: string) {
  const bytes = Buffer.from(reason, "utf8");
  return { reasonHash: sha256Hex(bytes), reasonCid: await ctx.ipfs.add(ctx.vault.seal(bytes, VAULT_CONTEXT.reason)), reasonSize: bytes.length };
}

/** Whether two descriptions state the same: a language left out reads as an empty one, spaces around as none. */
function sameDescription(a: PublicPermitFields["description"], b: PublicPermitFields["description"]): boolean {
  return (a.th ?? "").trim() === (b.th ?? "").trim() && (a.en ?? "").trim() === (b.en ?? "").trim();
}

/**
 * Renders the next version with the changes and serves the Amendment typed data to sign; 422
 * AMENDMENT_UNCHANGED for changes that leave the parcel and the description as they are.
 */
export async function draftAmendment(ctx: WorkflowContext, store: PermitStore, officer: string, number: string, body: unknown) {
  const input = parseBody(amendmentSchema, body);
  const permit = await readPermit(ctx, number);
  requireState(permit, "Issued");
  await requireIssuingAuthority(ctx, permit, officer);
  const current = readCertificateData(await certificatePdf(ctx, permit.certificateHash));
  if (!current) throw new AppError("PERMIT_WRONG_STATE", "The current certificate is not one this service can amend.");
  const parcel = input.parcel ?? current.parcel;
  const description = input.description ?? current.description;
  // Before anything is rendered, stored or signed: a new version that states what the current one states
  // would supersede a valid certificate with its copy.
  if (parcel === current.parcel && sameDescription(description, current.description)) {
    throw new AppError("AMENDMENT_UNCHANGED", `Version ${permit.version} of ${number} already states this parcel and description.`);
  }
  const data: PermitCertificateData = {
    ...current,
    version: permit.version + 1,
    parcel,
    description,
    issuedAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    previousCertificateSha256: permit.certificateHash,
  };
  const certificate = await render(ctx, store, permit, data);
  const reason = await sealedReason(ctx, input.reason);
  const { reasonHash } = reason;
  const payload: AmendmentDraft = {
    certificateHash: certificate.sha256,
    cid: certificate.cid,
    dataHash: certificate.dataHash,
    version: data.version,
    publicFields: { parcel: data.parcel, description: data.description },
    ...reason,
  };
  const draft = store.createDraft(permit.permitId, "amendment", payload, officer);
  return {
    draftId: draft.draftId,
    version: data.version,
    certificateSha256: certificate.sha256,
    dataHash: certificate.dataHash,
    typedData: await typedDataFor(ctx, officer, "Amendment", {
      permitId: permit.permitId,
      certificateHash: certificate.sha256,
      cid: certificate.cid,
      reasonHash,
    }),
  };
}

/** Seals the reasoned text and serves the Revocation typed data to sign. */
export async function draftRevocation(ctx: WorkflowContext, store: PermitStore, officer: string, number: string, body: unknown) {
  const input = parseBody(revocationSchema, body);
  const permit = await readPermit(ctx, number);
  requireState(permit, "Issued");
  await requireIssuingAuthority(ctx, permit, officer);
  const reason = await sealedReason(ctx, input.reason);
  const { reasonHash } = reason;
  const draft = store.createDraft<RevocationDraft>(permit.permitId, "revocation", { reasonCode: input.reasonCode, ...reason }, officer);
  return {
    draftId: draft.draftId,
    reasonCode: input.reasonCode,
    reasonHash,
    typedData: await typedDataFor(ctx, officer, "Revocation", { permitId: permit.permitId, reasonCode: input.reasonCode, reasonHash }),
  };
}

/**
 * Relays a signed amendment or revocation of a draft: the signer is the signed-in officer, who is the
 * issuing authority now, with a fresh signature; then the sealed reason is filed with the permit.
 */
async function relayDraft<T extends { reasonHash: string; reasonCid: string; reasonSize: number }>(
  ctx: WorkflowContext,
  store: PermitStore,
  officer: string,
  number: string,
  body: unknown,
  kind: "amendment" | "revocation",
  call: (payload: T) => { message: Record<string, unknown>; method: "amend" | "revoke"; args: unknown[] },
) {
  const input = parseBody(submitSchema, body);
  const permit = await readPermit(ctx, number);
  const draft = store.draft<T>(input.draftId);
  if (!draft || draft.permitId !== permit.permitId || draft.kind !== kind) throw new AppError("DRAFT_NOT_FOUND");
  if (draft.usedTxHash) throw new AppError("SIGNATURE_REPLAYED", `That ${kind} was already recorded in ${draft.usedTxHash}.`);
  const { message, method, args } = call(draft.payload);
  requireSigner(ctx, officer, kind === "amendment" ? "Amendment" : "Revocation", { permitId: permit.permitId, ...message, nonce: input.nonce, deadline: input.deadline }, input.signature);
  await requireIssuingAuthority(ctx, permit, officer);
  await requireFresh(ctx, officer, input);
  requireState(permit, "Issued");
  const mined = await ctx.serviceCalls.send(ctx.contracts.permitRegistry, method, [permit.permitId, ...args, officer, input.deadline, input.signature]);
  store.markDraftUsed(draft.draftId, mined.txHash);
  const { reasonHash, reasonCid, reasonSize } = draft.payload;
  store.addFile(permit.permitId, { kind: "reason", sha256: reasonHash, cid: reasonCid, name: null, mediaType: "text/plain", size: reasonSize });
  await ctx.catchUpIndex();
  return { permit, payload: draft.payload, txHash: mined.txHash };
}

export async function submitAmendment(ctx: WorkflowContext, store: PermitStore, officer: string, number: string, body: unknown) {
  const { permit, payload, txHash } = await relayDraft<AmendmentDraft>(ctx, store, officer, number, body, "amendment", (d) => ({
    message: { certificateHash: d.certificateHash, cid: d.cid, reasonHash: d.reasonHash },
    method: "amend",
    args: [d.certificateHash, d.cid, d.reasonHash],
  }));
  return { number, version: payload.version, certificateSha256: payload.certificateHash, supersedes: permit.certificateHash, txHash };
}

export async function submitRevocation(ctx: WorkflowContext, store: PermitStore, officer: string, number: string, body: unknown) {
  const { payload, txHash } = await relayDraft<RevocationDraft>(ctx, store, officer, number, body, "revocation", (d) => ({
    message: { reasonCode: d.reasonCode, reasonHash: d.reasonHash },
    method: "revoke",
    args: [d.reasonCode, d.reasonHash],
  }));
  return { number, reasonCode: payload.reasonCode, reason: REVOCATION_REASONS[payload.reasonCode], txHash };
}
