import { Router } from "express";
import { AppError } from "../errors.js";
import { parseMunicipalityId } from "../http/validation.js";
import { servedTowns, townSummary } from "../services/towns.js";
import { planTown, TOWN_ADMIN_METHODS } from "../../shared/townPlan.js";
import { TownProfileError, parseTownProfile } from "../../shared/townProfile.js";
import type { OfficerTransactionInput } from "../chain/officerTransactions.js";
import type { WorkflowContext } from "../workflows/context.js";

/** What the national admin signs in the console: the Directory's owner-only calls and the hand-over. */
export const NATIONAL_ADMIN_METHODS = ["addMunicipality", "suspendMunicipality", "reinstateMunicipality", "setMunicipalityAdmin"] as const;

const municipalityIdOf = (value: string) => parseMunicipalityId(value, () => new AppError("MUNICIPALITY_UNKNOWN"));

/**
 * The towns this ledger serves (services/towns.ts) and the admins' part in them. Reads are public, as
 * the chain and the profiles are. Writes are the admins' own: a plan lists the transactions an admin
 * signs to apply a town file; a signed admin transaction is relayed only after the chain's own check
 * (simulated first) says its sender may; a profile's bytes are kept only when they hash to what the
 * town's admin published on the chain.
 */
export function municipalityRoutes(ctx: WorkflowContext): Router {
  const router = Router();
  const { towns } = ctx;

  router.get("/api/municipalities", async (_req, res) => {
    res.set("cache-control", "no-store").json({ municipalities: await servedTowns(ctx) });
  });

  router.get("/api/municipalities/:id", async (req, res) => {
    // Fresh as the list is (servedTowns): the index caught up, by one catch-up shared with concurrent callers.
    await ctx.catchUpIndex();
    const town = towns.get(municipalityIdOf(req.params.id));
    if (!town) throw new AppError("MUNICIPALITY_UNKNOWN");
    res.set("cache-control", "no-store").json({ ...townSummary(town), profile: town.profile });
  });

  // The body was read raw by createApp (express.raw): the bytes are what the admin's SHA-256 covers.
  router.put("/api/municipalities/:id/profile", async (req, res) => {
    const municipalityId = municipalityIdOf(req.params.id);
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    const [published] = await ctx.contracts.directory.profileOf(municipalityId);
    const publishedSha256 = /^0x0+$/.test(published) ? null : published.toLowerCase();
    const stored = await towns.store(ctx.ipfs, municipalityId, bytes, publishedSha256);
    await ctx.catchUpIndex();
    res.status(201).json({ municipalityId, ...stored });
  });

  // The transactions that make the chain match a town file, for the admin's wallet to sign one by one.
  router.post("/api/municipalities/plan", async (req, res) => {
    let profile;
    try {
      profile = parseTownProfile(req.body);
    } catch (error) {
      if (error instanceof TownProfileError) throw new AppError("TOWN_PROFILE_INVALID", error.message);
      throw error;
    }
    const plan = await planTown(ctx.chain.provider, ctx.deployment.contracts, ctx.chainId, profile);
    res.json({
      municipalityId: plan.municipalityId,
      code: plan.code,
      admin: plan.admin,
      suspended: plan.suspended,
      problems: plan.problems,
      calls: plan.calls.map(({ to, data, method, why, reason }) => ({ to, data, method, why, reason, chainId: ctx.chainId })),
      profile: { sha256: plan.profile.sha256, cid: plan.profile.cid, publishedSha256: plan.profile.publishedSha256, body: new TextDecoder().decode(plan.profile.bytes) },
    });
  });

  // An admin's own signed transaction (a town's admin, or the national admin), relayed as is.
  router.post("/api/municipalities/admin-transactions", async (req, res) => {
    const { directory, permitRegistry, complaintLedger } = ctx.contracts;
    const relayed = await ctx.officerTransactions.relayAdminCall(req.body as OfficerTransactionInput, [
      { contract: directory, methods: [...TOWN_ADMIN_METHODS.directory, ...NATIONAL_ADMIN_METHODS] },
      { contract: permitRegistry, methods: TOWN_ADMIN_METHODS.permitRegistry },
      { contract: complaintLedger, methods: TOWN_ADMIN_METHODS.complaintLedger },
    ]);
    await ctx.catchUpIndex();
    res.status(201).json({ method: relayed.method, txHash: relayed.txHash, blockNumber: relayed.blockNumber });
  });

  return router;
}
