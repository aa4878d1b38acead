import { z } from "zod";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { readPermit, requireState, type ChainPermit } from "./ledgerReads.js";
import { parseBody, requireFresh, requireSigner, signedSchema, typedDataFor } from "./signatures.js";

/**
 * Marking an application complete, which starts the legal clock: the permit officer signs a
 * `Completion` over the permit and the number of documents it holds (so a document added afterwards
 * voids the signature), and the service relays it to PermitRegistry.markComplete. As for a step, the
 * service never signs: it checks the signer, the role in the permit's municipality and the freshness
 * first, then pays the gas; the contract checks all of it again.
 */
export const completionSchema = signedSchema.extend({
  documentCount: z.coerce.number().int().min(1).max(1_000_000),
});

async function requirePermitOfficer(ctx: WorkflowContext, permit: ChainPermit, officer: string): Promise<void> {
  await ctx.officers.requireRole(officer, permit.municipalityId, ["PERMIT_OFFICER"]);
}

async function documentCountOf(ctx: WorkflowContext, permitId: string): Promise<number> {
  return (await ctx.contracts.permitRegistry.documents(permitId)).length;
}

/** The Completion typed data of an application awaiting completion, for the signed-in permit officer. */
export async function completionTypedData(ctx: WorkflowContext, officer: string, number: string) {
  const permit = await readPermit(ctx, number);
  await requirePermitOfficer(ctx, permit, officer);
  requireState(permit, "Applied");
  const documentCount = await documentCountOf(ctx, permit.permitId);
  return { number, documentCount, ...(await typedDataFor(ctx, officer, "Completion", { permitId: permit.permitId, documentCount })) };
}

/** Relays the permit officer's signed Completion: the application is complete, the legal clock starts. */
export async function completeApplication(ctx: WorkflowContext, officer: string, number: string, body: unknown) {
  const input = parseBody(completionSchema, body);
  const permit = await readPermit(ctx, number);
  requireSigner(
    ctx,
    officer,
    "Completion",
    { permitId: permit.permitId, documentCount: input.documentCount, nonce: input.nonce, deadline: input.deadline },
    input.signature,
  );
  await requirePermitOfficer(ctx, permit, officer);
  await requireFresh(ctx, officer, input);
  requireState(permit, "Applied");
  const documentCount = await documentCountOf(ctx, permit.permitId);
  if (documentCount !== input.documentCount) {
    throw new AppError(
      "PERMIT_WRONG_STATE",
      `The application of ${number} holds ${documentCount} documents; the completion was signed for ${input.documentCount}. Sign it again.`,
    );
  }
  const mined = await ctx.serviceCalls.send(ctx.contracts.permitRegistry, "markComplete", [permit.permitId, officer, input.deadline, input.signature]);
  await ctx.catchUpIndex();
  return { number, state: "UnderReview" as const, officer, txHash: mined.txHash };
}
