import { getAddress, verifyTypedData } from "ethers";
import { z } from "zod";
import { PERMIT_REGISTRY_TYPES, permitRegistryDomain } from "../../../shared/typedData.js";
import { AppError } from "../../errors.js";
import type { WorkflowContext } from "../../workflows/context.js";
import { chainNow } from "./ledgerReads.js";

/**
 * The EIP-712 typed data an officer signs for PermitRegistry, served for their wallet, and the checks
 * the service makes before it relays a signature and pays for it: the signer is the signed-in officer,
 * on this chain and this contract (else 403 SIGNATURE_INVALID), the nonce is not spent (409
 * SIGNATURE_REPLAYED) and the deadline has not passed (409 SIGNATURE_EXPIRED). The contract checks
 * all of it again; checking first means a bad signature costs no gas and gets a clear answer.
 */
export type PermitPrimaryType = keyof typeof PERMIT_REGISTRY_TYPES;

/** How long an officer has to sign what they were served (seconds). */
export const SIGNING_WINDOW_SECONDS = 15 * 60;

export interface TypedDataPayload {
  domain: { name: string; version: string; chainId: number; verifyingContract: string };
  types: Record<string, Array<{ name: string; type: string }>>;
  primaryType: PermitPrimaryType;
  /** uint256 values as decimal strings (JSON has no big integers). */
  message: Record<string, string | number>;
}

export function permitDomain(ctx: WorkflowContext): TypedDataPayload["domain"] {
  return { name: "PermitRegistry", version: "1", chainId: ctx.chainId, verifyingContract: ctx.deployment.contracts.permitRegistry };
}

/** The payload for `primaryType` with the officer's current nonce and a fresh deadline filled in. */
export async function typedDataFor(
  ctx: WorkflowContext,
  officer: string,
  primaryType: PermitPrimaryType,
  fields: Record<string, string | number>,
): Promise<TypedDataPayload> {
  const [nonce, now] = await Promise.all([ctx.contracts.permitRegistry.nonces(officer), chainNow(ctx)]);
  return {
    domain: permitDomain(ctx),
    types: { [primaryType]: PERMIT_REGISTRY_TYPES[primaryType].map((field) => ({ ...field })) },
    primaryType,
    message: { ...fields, nonce: nonce.toString(), deadline: String(now + SIGNING_WINDOW_SECONDS) },
  };
}

/** What a client sends with a signature: the nonce and deadline it signed, and the signature. */
export const signedSchema = z.object({
  nonce: z.union([z.string().regex(/^\d{1,78}$/), z.number().int().nonnegative()]).transform((v) => BigInt(v)),
  deadline: z.union([z.string().regex(/^\d{1,78}$/), z.number().int().nonnegative()]).transform((v) => BigInt(v)),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature as 0x-hex"),
});
export type Signed = z.infer<typeof signedSchema>;

export function parseBody<S extends z.ZodTypeAny>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("BODY_INVALID", `${issue.path.join(".") || "(body)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** 403 SIGNATURE_INVALID unless `officer` signed `message` as `primaryType` for this chain's PermitRegistry. */
export function requireSigner(
  ctx: WorkflowContext,
  officer: string,
  primaryType: PermitPrimaryType,
  message: Record<string, unknown>,
  signature: string,
): void {
  let signer: string;
  try {
    signer = verifyTypedData(
      permitRegistryDomain(ctx.chainId, ctx.deployment.contracts.permitRegistry),
      { [primaryType]: PERMIT_REGISTRY_TYPES[primaryType] },
      message,
      signature,
    );
  } catch {
    throw new AppError("SIGNATURE_INVALID", "The signature cannot be read.");
  }
  if (getAddress(signer) !== getAddress(officer)) {
    throw new AppError(
      "SIGNATURE_INVALID",
      `The ${primaryType} recovers to ${signer}, not to the signed-in officer ${officer}: signed by someone else, or for another chain, contract or content.`,
    );
  }
}

/** 409 SIGNATURE_REPLAYED for a spent nonce, 409 SIGNATURE_EXPIRED past the deadline (chain time). */
export async function requireFresh(ctx: WorkflowContext, officer: string, signed: Signed): Promise<void> {
  const [current, now] = await Promise.all([ctx.contracts.permitRegistry.nonces(officer), chainNow(ctx)]);
  if (signed.nonce < current) throw new AppError("SIGNATURE_REPLAYED", `Nonce ${signed.nonce} of ${officer} is already spent (now ${current}).`);
  if (signed.nonce > current) throw new AppError("SIGNATURE_INVALID", `Nonce ${signed.nonce} is not ${officer}'s next nonce ${current}.`);
  // The next block is at least one second later than the latest: a deadline of `now` is already late.
  if (signed.deadline <= BigInt(now)) throw new AppError("SIGNATURE_EXPIRED", `The deadline ${signed.deadline} has passed (chain time ${now}).`);
}
