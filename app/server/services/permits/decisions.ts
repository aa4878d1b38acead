import { z } from "zod";
import { ZeroHash } from "ethers";
import { roleId } from "../../../shared/roles.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { VAULT_CONTEXT } from "./applications.js";
import { readPermit, requireState, sha256Hex, type ChainPermit } from "./ledgerReads.js";
import { parseBody, requireFresh, requireSigner, signedSchema, typedDataFor } from "./signatures.js";
import type { PermitStore } from "./store.js";

/**
 * Approval steps: the typed data of the step awaiting a decision, and the signed decision relayed to
 * PermitRegistry.decide. The service never signs: it checks that the signed-in officer signed, holds
 * the step's role in the permit's municipality now (the Directory on-chain), and that the signature is
 * fresh, then pays the gas.
 */
const DECISIONS = { approve: 1, reject: 2 } as const;
type DecisionName = keyof typeof DECISIONS;

const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((v) => v.toLowerCase());

export const decisionSchema = signedSchema.extend({
  stepIndex: z.coerce.number().int().min(0).max(15),
  decision: z.enum(["approve", "reject"]),
  noteHash: hash32.default(ZeroHash),
});

/**
 * A rejection ends the application for good, so it carries its reasons: a note whose SHA-256 the
 * officer signs with the decision (`noteHash`) and, when the signed decision is relayed, the note
 * itself, not blank, which the service seals and files with the permit. Checked before the typed data
 * is served (`note` undefined: the note comes with the signed decision) and again before the decision is
 * relayed, so no rejection without reasons is signed through this service or sent by it.
 */
function requireRejectionReasons(signed: { decision: DecisionName; noteHash: string }, note?: Uint8Array | null): void {
  if (signed.decision !== "reject") return;
  if (signed.noteHash === ZeroHash) {
    throw new AppError("REJECTION_REASON_REQUIRED", "A rejection needs the SHA-256 of its reasons as noteHash; the zero hash says there are none.");
  }
  if (note === undefined) return;
  if (note === null) throw new AppError("REJECTION_REASON_REQUIRED", "Send the rejection's reasons as the file whose SHA-256 is the signed noteHash.");
  if (new TextDecoder().decode(note).trim() === "") throw new AppError("REJECTION_REASON_REQUIRED", "The rejection's reasons are blank.");
}

/**
 * The step's role id, once `officer` holds it (403 ROLE_REQUIRED otherwise). Asked by id: a role the
 * town defined itself (SAFETY_OFFICER) is an id on the chain, which must not be hashed again.
 */
async function requireStepRole(ctx: WorkflowContext, permit: ChainPermit, stepIndex: number, officer: string) {
  if (stepIndex >= permit.stepCount) {
    throw new AppError("PERMIT_STEP_NOT_CURRENT", `Permit ${permit.number} has ${permit.stepCount} steps; there is no step ${stepIndex}.`);
  }
  const steps = await ctx.contracts.permitRegistry.steps(permit.permitId);
  return ctx.officers.requireRole(officer, permit.municipalityId, [roleId(steps[stepIndex].role)]);
}

export async function nextStepTypedData(
  ctx: WorkflowContext,
  officer: string,
  number: string,
  query: { decision?: unknown; noteHash?: unknown },
) {
  const permit = await readPermit(ctx, number);
  requireState(permit, "UnderReview");
  const { decision, noteHash } = parseBody(
    z.object({ decision: z.enum(["approve", "reject"]).default("approve"), noteHash: hash32.default(ZeroHash) }),
    query,
  );
  requireRejectionReasons({ decision, noteHash });
  const stepIndex = permit.currentStep;
  const role = await requireStepRole(ctx, permit, stepIndex, officer);
  return {
    number,
    stepIndex,
    role: ctx.towns.role(permit.municipalityId, role).role,
    ...(await typedDataFor(ctx, officer, "StepDecision", {
      permitId: permit.permitId,
      stepIndex,
      role,
      decision: DECISIONS[decision as DecisionName],
      noteHash,
    })),
  };
}

export async function decideStep(
  ctx: WorkflowContext,
  store: PermitStore,
  officer: string,
  number: string,
  body: unknown,
  note: Uint8Array | null,
) {
  const input = parseBody(decisionSchema, body);
  const permit = await readPermit(ctx, number);
  if (note && sha256Hex(note) !== input.noteHash) throw new AppError("NOTE_HASH_MISMATCH");
  requireRejectionReasons(input, note);
  const role = await requireStepRole(ctx, permit, input.stepIndex, officer);
  const decision = DECISIONS[input.decision];
  requireSigner(
    ctx,
    officer,
    "StepDecision",
    { permitId: permit.permitId, stepIndex: input.stepIndex, role, decision, noteHash: input.noteHash, nonce: input.nonce, deadline: input.deadline },
    input.signature,
  );
  await requireFresh(ctx, officer, input);
  requireState(permit, "UnderReview");
  if (input.stepIndex !== permit.currentStep) {
    throw new AppError("PERMIT_STEP_NOT_CURRENT", `Step ${permit.currentStep} of ${number} awaits a decision, not step ${input.stepIndex}.`);
  }
  // The note may name people (a neighbour's objection): sealed, like every document.
  const noteFile = note
    ? { kind: "note" as const, sha256: input.noteHash, cid: await ctx.ipfs.add(ctx.vault.seal(note, VAULT_CONTEXT.note)), name: null, mediaType: null, size: note.length }
    : null;
  const mined = await ctx.serviceCalls.send(ctx.contracts.permitRegistry, "decide", [
    permit.permitId,
    input.stepIndex,
    decision,
    input.noteHash,
    officer,
    input.deadline,
    input.signature,
  ]);
  if (noteFile) store.addFile(permit.permitId, noteFile);
  await ctx.catchUpIndex();
  const state = mined.events.find((e) => e.name === "PermitApproved") ? "Approved" : mined.events.find((e) => e.name === "PermitRejected") ? "Rejected" : "UnderReview";
  return { number, stepIndex: input.stepIndex, role: ctx.towns.role(permit.municipalityId, role).role, decision: input.decision, state, txHash: mined.txHash };
}
