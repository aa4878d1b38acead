import { createHash } from "node:crypto";
import { toChainAppError } from "../../chain/chainErrors.js";
import { AppError } from "../../errors.js";
import { PERMIT_STATES, type PermitStateName } from "../../indexer/modules/permits.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { permitIdOf } from "../../../shared/verifyCertificate.js";

/** What PermitRegistry.permit answers, in plain values. */
export interface ChainPermit {
  permitId: string;
  number: string;
  municipalityId: number;
  state: PermitStateName;
  currentStep: number;
  stepCount: number;
  version: number;
  revocationReason: number;
  appliedAt: number;
  completedAt: number;
  validUntil: number;
  typeId: string;
  applicantCommitment: string;
  certificateHash: string;
}

/** The permit id of a number, as PermitRegistry.permitIdOf computes it: the verifiers' own definition. */
export { permitIdOf };

export function sha256Hex(bytes: Uint8Array | string): string {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

/** The permit numbered `number`, read from the chain now; 404 PERMIT_NOT_FOUND if there is none. */
export async function readPermit(ctx: WorkflowContext, number: string): Promise<ChainPermit> {
  const permitId = permitIdOf(number);
  const p = await ctx.contracts.permitRegistry.permit(permitId);
  const state = PERMIT_STATES[Number(p.state)];
  if (state === "None") throw new AppError("PERMIT_NOT_FOUND", `No permit numbered ${number} on the ledger.`);
  return {
    permitId,
    number: p.number,
    municipalityId: Number(p.municipalityId),
    state,
    currentStep: Number(p.currentStep),
    stepCount: Number(p.stepCount),
    version: Number(p.version),
    revocationReason: Number(p.revocationReason),
    appliedAt: Number(p.appliedAt),
    completedAt: Number(p.completedAt),
    validUntil: Number(p.validUntil),
    typeId: p.typeId,
    applicantCommitment: p.applicantCommitment,
    certificateHash: p.certificateHash,
  };
}

export function requireState(permit: ChainPermit, ...states: PermitStateName[]): void {
  if (!states.includes(permit.state)) {
    throw new AppError("PERMIT_WRONG_STATE", `Permit ${permit.number} is ${permit.state}; this needs ${states.join(" or ")}.`);
  }
}

/** The municipality's code, names and short code; 400 MUNICIPALITY_UNKNOWN for an id never added. */
export async function readMunicipality(ctx: WorkflowContext, municipalityId: number) {
  try {
    const m = await ctx.contracts.directory.municipality(municipalityId);
    return { id: municipalityId, code: m.code, suspended: m.suspended, ...ctx.towns.names(municipalityId, m.name) };
  } catch (error) {
    throw toChainAppError(error);
  }
}

/** The time of the chain's latest block (s): what the contracts compare deadlines with. */
export async function chainNow(ctx: WorkflowContext): Promise<number> {
  const block = await ctx.chain.provider.getBlock("latest");
  return block ? block.timestamp : Math.floor(Date.now() / 1000);
}

