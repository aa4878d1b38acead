import { createHash, randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";

/**
 * Sign-in nonces and officers' sessions, kept in the service's database so that a restart signs no one
 * out. A session token is 32 random bytes given to the browser in an HttpOnly cookie; the table keeps
 * only its SHA-256.
 */
export interface Session {
  address: string;
  chainId: number;
  expiresAt: number;
}

export class SessionStore {
  readonly #db: DatabaseSync;
  readonly #ttlMs: number;
  readonly #nonceTtlMs: number;

  /** Sessions last 8 hours; a nonce 5 minutes (SIGN_IN_NONCE_SECONDS), long enough to sign, short for a replay. */
  constructor(db: DatabaseSync, options: { sessionTtlMs?: number; nonceTtlMs?: number } = {}) {
    this.#db = db;
    this.#ttlMs = options.sessionTtlMs ?? 8 * 3_600_000;
    this.#nonceTtlMs = options.nonceTtlMs ?? 5 * 60_000;
  }

  get sessionTtlMs(): number {
    return this.#ttlMs;
  }

  /** A fresh nonce for an EIP-4361 message: alphanumeric, 24 characters, valid for the nonce lifetime. */
  issueNonce(now = Date.now()): string {
    const nonce = randomBytes(18).toString("base64url").replace(/[-_]/g, "x");
    this.#db.prepare("DELETE FROM auth_nonces WHERE expires_at < ?").run(now);
    this.#db.prepare("INSERT INTO auth_nonces (nonce, expires_at) VALUES (?, ?)").run(nonce, now + this.#nonceTtlMs);
    return nonce;
  }

  /** Uses up `nonce`: true once, and only once, for a nonce this service issued and that has not expired. */
  consumeNonce(nonce: string, now = Date.now()): boolean {
    const result = this.#db.prepare("DELETE FROM auth_nonces WHERE nonce = ? AND expires_at >= ?").run(nonce, now);
    return Number(result.changes) === 1;
  }

  /** Opens a session; returns the token for the cookie. */
  open(address: string, chainId: number, now = Date.now()): { token: string; session: Session } {
    const token = randomBytes(32).toString("base64url");
    const session = { address, chainId, expiresAt: now + this.#ttlMs };
    this.#db.prepare("DELETE FROM auth_sessions WHERE expires_at < ?").run(now);
    this.#db
      .prepare("INSERT INTO auth_sessions (token_hash, address, chain_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
      .run(hashToken(token), address, chainId, now, session.expiresAt);
    return { token, session };
  }

  /** The live session of `token`, or null. */
  find(token: string, now = Date.now()): Session | null {
    const row = this.#db
      .prepare("SELECT address, chain_id, expires_at FROM auth_sessions WHERE token_hash = ? AND expires_at >= ?")
      .get(hashToken(token), now) as { address: string; chain_id: number; expires_at: number } | undefined;
    return row ? { address: row.address, chainId: row.chain_id, expiresAt: row.expires_at } : null;
  }

  close(token: string): void {
    this.#db.prepare("DELETE FROM auth_sessions WHERE token_hash = ?").run(hashToken(token));
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
