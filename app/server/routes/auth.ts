import { Router, type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { clearSessionCookie, officerOf, requireOfficer, sessionToken, setSessionCookie } from "../auth/middleware.js";
import { signIn, signInSite } from "../auth/signIn.js";
import { AppError } from "../errors.js";
import type { WorkflowContext } from "../workflows/context.js";

/**
 * Officers' sign-in: GET a nonce, sign an EIP-4361 message with it, POST message and signature for an
 * HttpOnly session cookie. The session answers who is signed in and which roles the index knows for them.
 * The domain and URI to sign are the service's PUBLIC_URL, whatever Host the request names.
 */
export function authRoutes(ctx: WorkflowContext): Router {
  const router = Router();

  const site = signInSite(ctx.publicUrl);
  // Each nonce is a row until it is used or expires: one client may not ask for them without end.
  router.get("/api/auth/nonce", nonceLimit(ctx.noncesPerMinute), (_req, res) => {
    res.set("cache-control", "no-store").json({
      nonce: ctx.sessions.issueNonce(),
      ...site,
      chainId: ctx.chainId,
      statement: "Sign in to the public-service ledger as an officer.",
    });
  });

  router.post("/api/auth/sign-in", async (req, res) => {
    const { token, session } = await signIn(ctx.sessions, req.body ?? {}, { ...site, chainId: ctx.chainId });
    setSessionCookie(req, res, site, token, ctx.sessions.sessionTtlMs);
    res.json({ ...session, roles: await rolesNow(ctx, session.address) });
  });

  router.get("/api/auth/session", requireOfficer(ctx.sessions), async (_req, res) => {
    const session = officerOf(res);
    res.json({ ...session, roles: await rolesNow(ctx, session.address) });
  });

  router.post("/api/auth/sign-out", (req, res) => {
    const token = sessionToken(req);
    if (token) ctx.sessions.close(token);
    clearSessionCookie(req, res, site);
    res.status(204).end();
  });

  return router;
}

/**
 * The roles the index knows for `address`, once the index has read the chain's head: just after a
 * start (or a rebuild) it may still be behind. A chain that does not answer leaves the index as it is.
 * Each is named as its town names it, with the town's Thai and English label for a role of its own.
 */
async function rolesNow(ctx: WorkflowContext, address: string) {
  await ctx.catchUpIndex().catch(() => {});
  return ctx.officers.rolesOf(address).map((held) => ({ ...held, ...ctx.towns.role(held.municipalityId, held.roleId) }));
}

/** Nonces per minute per client address (SIGN_IN_NONCES_PER_MINUTE; 0: no limit), answered 429 RATE_LIMITED. */
function nonceLimit(perMinute: number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError("RATE_LIMITED", "Too many sign-in nonces asked from this address; wait a minute.")),
  });
}
