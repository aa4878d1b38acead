import { expect } from "chai";
import { request as httpRequest } from "node:http";
import { Transaction, Wallet, id } from "ethers";
import { ChainClient } from "../../app/server/chain/client.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { OfficerTransactions } from "../../app/server/chain/officerTransactions.js";
import { ComplaintLedger__factory } from "../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { ApiClient, OfficerClient, signInMessage, type ApiAnswer } from "./support/officerClient.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * Officers' sign-in (EIP-4361) and the two ways officers' actions reach the chain, against the service
 * as `npm start` runs it.
 */
const NONCES_PER_MINUTE = 12;

/** A request naming `host` in its Host header (fetch sets its own), as a site relaying to this one would. */
function withHost(url: string, host: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(`${url}${path}`, { method, headers: { host, ...(payload ? { "content-type": "application/json" } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

describe("officers: sign-in and their own transactions", function () {
  this.timeout(180_000);
  const dataDir = tempDataDir("ledger-auth");
  let service: RunningService;
  let contracts: { directory: string; complaintLedger: string };

  before(async () => {
    service = await startService(dataDir, { SIGN_IN_NONCES_PER_MINUTE: String(NONCES_PER_MINUTE) });
    contracts = (await new ApiClient(service.url).get("/api/health")).body.chain.contracts;
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  it("signs an officer in with an HttpOnly SameSite cookie, lists their roles, and signs them out", async () => {
    const officer = OfficerClient.demo(service.url, "engineer");
    const answer = await officer.signIn();
    const setCookie = answer.headers.get("set-cookie")!;
    expect(setCookie).to.match(/^ledger_session=/).and.match(/HttpOnly/i).and.match(/SameSite=Strict/i);
    expect(answer.body.address).to.equal(officer.wallet.address);
    expect(answer.body.roles.map(({ municipalityId, role }: { municipalityId: number; role: string }) => ({ municipalityId, role }))).to.deep.include({ municipalityId: 1, role: "ENGINEER" });

    const session = await officer.get("/api/auth/session");
    expect(session.status).to.equal(200);
    expect(session.body.address).to.equal(officer.wallet.address);

    expect((await officer.post("/api/auth/sign-out")).status).to.equal(204);
    const after = await officer.get("/api/auth/session");
    expect({ status: after.status, code: after.body.error?.code }).to.deep.equal({ status: 401, code: "AUTH_REQUIRED" });
  });

  it("refuses a reused nonce, another site's message, another chain, a bad signature and a forged cookie", async () => {
    const wallet = Wallet.createRandom();
    const client = new ApiClient(service.url);
    const refuse = async (message: string, signature: string, code: string) => {
      const answer = await client.post("/api/auth/sign-in", { message, signature });
      expect({ status: answer.status, code: answer.body.error?.code }).to.deep.equal({ status: 401, code });
    };

    const message = await signInMessage(client, wallet);
    expect((await client.post("/api/auth/sign-in", { message, signature: await wallet.signMessage(message) })).status).to.equal(200);
    await refuse(message, await wallet.signMessage(message), "SIWE_NONCE_INVALID");

    const foreign = await signInMessage(client, wallet, { domain: "evil.example" });
    await refuse(foreign, await wallet.signMessage(foreign), "SIWE_WRONG_SITE");
    const otherChain = await signInMessage(client, wallet, { chainId: 1 });
    await refuse(otherChain, await wallet.signMessage(otherChain), "SIWE_INVALID");
    const unsigned = await signInMessage(client, wallet);
    await refuse(unsigned, await Wallet.createRandom().signMessage(unsigned), "SIWE_INVALID");
    await refuse("hello", "0x00", "SIWE_INVALID");
    const malformed = await client.post("/api/auth/sign-in", { message: 42 });
    expect(malformed.body.error.code).to.equal("BODY_INVALID");

    const forged = new ApiClient(service.url);
    forged.cookie = "ledger_session=AAAA";
    expect((await forged.get("/api/auth/session")).body.error.code).to.equal("AUTH_REQUIRED");
  });

  it("names its own public address whatever Host a request gives, and refuses a message signed for another site", async () => {
    const own = `localhost:${new URL(service.url).port}`;
    const nonce = JSON.parse((await withHost(service.url, "evil.example", "GET", "/api/auth/nonce")).text);
    expect({ domain: nonce.domain, uri: nonce.uri }).to.deep.equal({ domain: own, uri: `http://${own}` });

    // An officer tricked into signing in at evil.example: the site relays the message with its own Host.
    const officer = OfficerClient.demo(service.url, "engineer");
    const message = await signInMessage(new ApiClient(service.url), officer.wallet, { domain: "evil.example", uri: "https://evil.example" });
    const relayed = await withHost(service.url, "evil.example", "POST", "/api/auth/sign-in", { message, signature: await officer.wallet.signMessage(message) });
    expect({ status: relayed.status, code: JSON.parse(relayed.text).error?.code }).to.deep.equal({ status: 401, code: "SIWE_WRONG_SITE" });
    expect(relayed.text).not.to.include("ledger_session");
    const otherUri = await signInMessage(new ApiClient(service.url), officer.wallet, { uri: "https://evil.example" });
    const refused = await new ApiClient(service.url).post("/api/auth/sign-in", { message: otherUri, signature: await officer.wallet.signMessage(otherUri) });
    expect({ status: refused.status, code: refused.body.error?.code }).to.deep.equal({ status: 401, code: "SIWE_WRONG_SITE" });

    // Open311 discovery names the same address, never the Host header.
    const discovery = await withHost(service.url, "evil.example", "GET", "/open311/v2/discovery.json");
    expect(JSON.parse(discovery.text).endpoints[0].url).to.equal(`http://${own}/open311/v2`);
    expect(discovery.text).not.to.include("evil.example");
  });

  it("keeps sessions across a restart of the service", async () => {
    const officer = OfficerClient.demo(service.url, "mayor");
    await officer.signIn();
    await service.stop();
    service = await startService(dataDir, { PORT: new URL(service.url).port, SIGN_IN_NONCES_PER_MINUTE: String(NONCES_PER_MINUTE) });
    expect((await officer.get("/api/auth/session")).body.address).to.equal(officer.wallet.address);
  });

  it("relays the officer's own transaction and turns a contract revert into a coded error before broadcasting", async () => {
    // No workflow route is needed to check the relay's rules: the Directory's revokeRole by a
    // non-admin is refused by the chain, which the relay reports as ROLE_REQUIRED without sending.
    const deployment = { chainId: 31337, deploymentBlock: 0, contracts: (await new ApiClient(service.url).get("/api/health")).body.chain.contracts };
    const relayerKey = devAccounts().find((a) => a.role === "ledgerService")!.privateKey;
    const chain = new ChainClient({ rpcUrl: service.rpcUrl, chainId: 31337, privateKey: relayerKey, deployment });
    try {
      const relay = new OfficerTransactions(chain);
      const officer = OfficerClient.demo(service.url, "engineer", service.rpcUrl);
      const directory = Directory__factory.connect(contracts.directory, chain.provider);
      const data = directory.interface.encodeFunctionData("revokeRole", [1, id("ENGINEER"), officer.wallet.address]);
      const signed = await officer.signTransaction({ to: contracts.directory, data, gasLimit: 200_000n });
      const expected = { contract: directory, method: "revokeRole" };

      const refused = await relay.submit(officer.wallet.address, { signedTransaction: signed }, expected).catch((e) => e);
      expect(refused.code).to.equal("ROLE_REQUIRED");
      expect(refused.message).to.contain("DirectoryNotMunicipalityAdmin");
      expect(await chain.knowsTransaction(Transaction.from(signed).hash!)).to.equal(false);

      const stranger = await relay.submit(Wallet.createRandom().address, { signedTransaction: signed }, expected).catch((e) => e);
      expect(stranger.code).to.equal("TX_SENDER_MISMATCH");
      const wrongFunction = await relay.submit(officer.wallet.address, { signedTransaction: signed }, { contract: directory, method: "grantRole" }).catch((e) => e);
      expect(wrongFunction.code).to.equal("TX_INVALID");
      const complaints = ComplaintLedger__factory.connect(contracts.complaintLedger, chain.provider);
      const wrongContract = await relay.submit(officer.wallet.address, { signedTransaction: signed }, { contract: complaints, method: "revokeRole" }).catch((e) => e);
      expect(wrongContract.code).to.equal("TX_INVALID");
      const garbage = await relay.submit(officer.wallet.address, { signedTransaction: "0x1234" }, expected).catch((e) => e);
      expect(garbage.code).to.equal("TX_INVALID");

      // The municipality's admin may revoke: the relay broadcasts, waits and returns the decoded call.
      const admin = OfficerClient.demo(service.url, "municipalityAdmin", service.rpcUrl);
      const engineerRole = id("ENGINEER");
      const grant = directory.interface.encodeFunctionData("grantRole", [1, engineerRole, Wallet.createRandom().address]);
      const mined = await relay.submit(admin.wallet.address, { signedTransaction: await admin.signTransaction({ to: contracts.directory, data: grant }) }, { contract: directory, method: "grantRole" });
      expect(mined.receipt.status).to.equal(1);
      expect(mined.events.map((e) => e.name)).to.deep.equal(["OfficerRoleGranted"]);
      expect(mined.args[1]).to.equal(engineerRole);
    } finally {
      chain.destroy();
    }
  });

  it("limits the nonces one client may ask for a minute (429 RATE_LIMITED)", async () => {
    const client = new ApiClient(service.url);
    // Last: the limit holds for this address until the minute ends. Earlier tests asked for some nonces in
    // this minute, and a window may end during the loop: twice the limit at most.
    let limited: ApiAnswer | undefined;
    for (let asked = 0; !limited && asked <= 2 * NONCES_PER_MINUTE; asked++) {
      const answer = await client.get("/api/auth/nonce");
      if (answer.status !== 200) limited = answer;
    }
    expect({ status: limited?.status, code: limited?.body.error?.code }).to.deep.equal({ status: 429, code: "RATE_LIMITED" });
    expect(limited!.body.error.message).to.not.include("127.0.0.1");
  });
});
