import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { DatabaseSync } from "node:sqlite";
import { Wallet } from "ethers";
import express from "express";
import { SiweMessage } from "siwe";
import { SessionStore } from "../../app/server/auth/sessions.js";
import { signIn, signInSite } from "../../app/server/auth/signIn.js";
import { publicUrlOf, readConfig } from "../../app/server/config.js";
import { authRoutes } from "../../app/server/routes/auth.js";
import { openDatabase } from "../../app/server/store/database.js";
import type { WorkflowContext } from "../../app/server/workflows/context.js";

/**
 * Sign-In with Ethereum on its own (auth/signIn.ts, auth/sessions.ts) against the service's real SQLite
 * schema: what a message must name, and the nonce's life — short, single-use — on a clock the test
 * moves. test/app/auth.test.ts signs in over HTTP against the running service.
 */
describe("sign-in: the site a message names and the nonce's life", () => {
  const dir = mkdtempSync(join(tmpdir(), "ledger-sign-in-"));
  let db: DatabaseSync;
  const site = signInSite("https://ledger.example.go.th");
  const expected = { ...site, chainId: 7001 };
  const wallet = Wallet.createRandom();

  const messageFor = (nonce: string, fields: Partial<SiweMessage> = {}) =>
    new SiweMessage({ ...site, address: wallet.address, version: "1", chainId: 7001, nonce, issuedAt: new Date().toISOString(), ...fields }).prepareMessage();
  const attempt = async (sessions: SessionStore, message: string) =>
    signIn(sessions, { message, signature: await wallet.signMessage(message) }, expected).then(
      ({ session }) => session.address,
      (error: { code: string }) => error.code,
    );

  before(() => {
    db = openDatabase(dir);
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the domain and URI from PUBLIC_URL, and defaults to http://localhost:PORT on the embedded chain", () => {
    expect(site).to.deep.equal({ domain: "ledger.example.go.th", uri: "https://ledger.example.go.th" });
    expect(signInSite("http://localhost:3000")).to.deep.equal({ domain: "localhost:3000", uri: "http://localhost:3000" });
    expect(readConfig({ PORT: "3100" }).publicUrl).to.equal("http://localhost:3100");
    expect(readConfig({ PUBLIC_URL: "https://ledger.example.go.th/" }).publicUrl).to.equal("https://ledger.example.go.th");
    expect(publicUrlOf(undefined, 0)).to.equal(undefined);
    expect(() => readConfig({ PUBLIC_URL: "ftp://ledger.example.go.th" })).to.throw(/PUBLIC_URL/);
    expect(() => readConfig({ PUBLIC_URL: "https://ledger.example.go.th/?x=1" })).to.throw(/PUBLIC_URL/);
    expect(readConfig({ SIGN_IN_NONCE_SECONDS: "60", SIGN_IN_NONCES_PER_MINUTE: "5" }).signIn).to.deep.equal({ nonceTtlMs: 60_000, noncesPerMinute: 5 });
    expect(readConfig({}).signIn).to.deep.equal({ nonceTtlMs: 300_000, noncesPerMinute: 30 });
  });

  it("opens a session for a message naming this site, once per nonce", async () => {
    const sessions = new SessionStore(db);
    const message = messageFor(sessions.issueNonce());
    expect(await attempt(sessions, message)).to.equal(wallet.address);
    expect(await attempt(sessions, message)).to.equal("SIWE_NONCE_INVALID");
  });

  it("refuses a message for another domain or another URI with SIWE_WRONG_SITE, and keeps its nonce unused", async () => {
    const sessions = new SessionStore(db);
    const nonce = sessions.issueNonce();
    expect(await attempt(sessions, messageFor(nonce, { domain: "evil.example", uri: "https://evil.example" }))).to.equal("SIWE_WRONG_SITE");
    expect(await attempt(sessions, messageFor(nonce, { uri: "https://evil.example" }))).to.equal("SIWE_WRONG_SITE");
    expect(await attempt(sessions, messageFor(nonce, { domain: "ledger.example.go.th:8443" }))).to.equal("SIWE_WRONG_SITE");
    expect(await attempt(sessions, messageFor(nonce, { chainId: 1 }))).to.equal("SIWE_INVALID");
    expect(await attempt(sessions, messageFor(nonce))).to.equal(wallet.address);
  });

  it("lets a nonce expire after its lifetime, and never accepts one it did not issue", async () => {
    const sessions = new SessionStore(db, { nonceTtlMs: 60_000 });
    const issuedAt = Date.now();
    const late = sessions.issueNonce(issuedAt);
    const inTime = sessions.issueNonce(issuedAt);
    expect(sessions.consumeNonce(late, issuedAt + 60_001)).to.equal(false);
    expect(sessions.consumeNonce(inTime, issuedAt + 60_000)).to.equal(true);
    expect(await attempt(sessions, messageFor("notIssuedByThisService1"))).to.equal("SIWE_NONCE_INVALID");
  });

  it("marks the session cookie Secure when PUBLIC_URL is https, even for a request that came as plain HTTP (a TLS proxy TRUST_PROXY does not name)", async () => {
    const sessions = new SessionStore(db);
    const ctx = { publicUrl: site.uri, chainId: 7001, sessions, noncesPerMinute: 0, catchUpIndex: async () => {}, officers: { rolesOf: () => [] } } as unknown as WorkflowContext;
    const server = express().use(express.json()).use(authRoutes(ctx)).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const message = messageFor(sessions.issueNonce());
      const signedIn = await fetch(`${url}/api/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature: await wallet.signMessage(message) }),
      });
      expect(signedIn.status).to.equal(200);
      expect(signedIn.headers.get("set-cookie")).to.match(/^ledger_session=/).and.match(/; Secure/);
      const signedOut = await fetch(`${url}/api/auth/sign-out`, { method: "POST" });
      expect(signedOut.headers.get("set-cookie")).to.match(/^ledger_session=;/).and.match(/; Secure/);
    } finally {
      server.close();
    }
  });
});
