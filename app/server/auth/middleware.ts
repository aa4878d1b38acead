import type { Request, RequestHandler, Response } from "express";
import { AppError } from "../errors.js";
import type { Session, SessionStore } from "./sessions.js";
import type { SignInSite } from "./signIn.js";

export const SESSION_COOKIE = "ledger_session";

/**
 * The session token of the request's cookie, if any. A value that does not decode (`%zz`) is no token
 * the service ever set: it names no session, as a missing cookie does, and the next one is looked at.
 */
export function sessionToken(req: Request): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(value.join("="));
    } catch {
      // not ours: look further
    }
  }
  return null;
}

/** Lets the request through only with a live officer session, which the handlers read with `officerOf`. */
export function requireOfficer(sessions: SessionStore): RequestHandler {
  return (req, res, next) => {
    const token = sessionToken(req);
    const session = token ? sessions.find(token) : null;
    if (!session) {
      next(new AppError("AUTH_REQUIRED"));
      return;
    }
    res.locals.officer = session;
    next();
  };
}

/** The signed-in officer (only behind `requireOfficer`). */
export function officerOf(res: Response): Session {
  const session = res.locals.officer as Session | undefined;
  if (!session) throw new AppError("AUTH_REQUIRED");
  return session;
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), and Secure
 * (never sent over plain HTTP) when the site officers sign in to is HTTPS (`site`, PUBLIC_URL) or the
 * request came over TLS. The site decides, not only the request: behind a TLS proxy that TRUST_PROXY
 * does not name, the request looks like plain HTTP.
 */
export function setSessionCookie(req: Request, res: Response, site: SignInSite, token: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure: secureCookie(req, site), path: "/", maxAge: maxAgeMs });
}

export function clearSessionCookie(req: Request, res: Response, site: SignInSite): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "strict", secure: secureCookie(req, site), path: "/" });
}

const secureCookie = (req: Request, site: SignInSite) => req.secure || site.uri.startsWith("https:");
