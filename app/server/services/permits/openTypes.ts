import { z } from "zod";
import type { OpenPermitType } from "../../../shared/openPermitTypes.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { permitTypeCodeOf, permitTypeLabel } from "./catalog.js";

const municipalityQuery = z.object({ municipality: z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(z.number().max(4_294_967_295)) });

/**
 * The permit types a municipality takes applications for now, from the index of PermitRegistry's
 * events: what a form (the officers' counter intake) offers. A type whose code this service has no
 * label for is listed under its type id; an application needs the code, so it cannot be chosen.
 * The municipality is `?municipality=<id>`; 400 QUERY_INVALID without a valid id.
 */
export async function openPermitTypes(ctx: WorkflowContext, query: unknown): Promise<OpenPermitType[]> {
  const parsed = municipalityQuery.safeParse(query);
  if (!parsed.success) throw new AppError("QUERY_INVALID", "Give the municipality as ?municipality=<its id on the ledger>.");
  const municipalityId = parsed.data.municipality;
  await ctx.catchUpIndex();
  const rows = ctx.db
    .prepare("SELECT type_id, approval_roles, validity_days FROM idx_permit_types WHERE municipality_id = ? AND retired = 0 ORDER BY type_id")
    .all(municipalityId) as Array<{ type_id: string; approval_roles: string; validity_days: number }>;
  return rows
    .map((row) => {
      const code = permitTypeCodeOf(ctx.towns, municipalityId, row.type_id);
      const label = permitTypeLabel(ctx.towns, municipalityId, code);
      return {
        code,
        typeId: row.type_id,
        th: label.th,
        en: label.en,
        approvalRoles: (JSON.parse(row.approval_roles) as string[]).map((role) => ctx.towns.role(municipalityId, role).role),
        validityDays: row.validity_days,
        known: code !== row.type_id,
      };
    })
    .sort((a, b) => Number(b.known) - Number(a.known) || a.code.localeCompare(b.code));
}
