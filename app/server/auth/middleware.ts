import type { Request, RequestHandler, Response } from "express";
import { AppError } from "../errors.js";
import type { Session, SessionStore } from "./sessions.js";

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

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/", maxAge: maxAgeMs });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/" });
}
