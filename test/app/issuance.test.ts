import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Contract, Wallet, id, type JsonRpcProvider } from "ethers";
import { batchAnchorDomain, documentsTree, inDocumentsTree, issuanceDigest, recoverIssuer, type IssuanceStatement } from "../../app/shared/issuance.js";
import { DocumentIssuer, devWallet, uploadForm, withProofs, type FormOptions } from "./support/issuer.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * Issuing documents (app/server/services/issuance.ts): an upload is accepted only with the EIP-712
 * `IssueDocuments` signature of a key that holds DOCUMENT_ISSUER in that municipality in the Directory
 * now, and a verdict is "valid" only when the signer held the role when its signature was anchored and
 * its key is not marked compromised from before. Against the service as `npm start` runs it; every
 * refusal is asked of each upload path (the fast path, the Express route, the bulk route), because a rule
 * one path keeps and another forgets is a hole.
 */
const DOCUMENT_ISSUER = id("DOCUMENT_ISSUER");
const DIRECTORY_ABI = [
  "function addMunicipality(string code, string name, address admin) returns (uint32)",
  "function municipalityIdOf(string code) view returns (uint32)",
  "function grantRole(uint32 municipalityId, bytes32 role, address account)",
  "function revokeRole(uint32 municipalityId, bytes32 role, address account)",
  "function markKeyCompromised(uint32 municipalityId, address account, uint64 since)",
  "function suspendMunicipality(uint32 municipalityId, bytes32 reasonHash)",
  "function reinstateMunicipality(uint32 municipalityId)",
  "function hasRole(uint32 municipalityId, bytes32 role, address account) view returns (bool)",
];

/** The three ways in: POST /api/documents is answered in front of Express, its trailing-slash twin by Express. */
const ROUTES = [
  { name: "POST /api/documents (the fast path)", path: "/api/documents", files: 1 },
  { name: "POST /api/documents/ (the Express route)", path: "/api/documents/", files: 1 },
  { name: "POST /api/documents/batch", path: "/api/documents/batch", files: 2 },
] as const;
type Route = (typeof ROUTES)[number];
const [FAST, EXPRESS, BATCH] = ROUTES;

interface Answer {
  status: number;
  body: Record<string, any>;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString();

describe("issuing documents: only a DOCUMENT_ISSUER's signature puts a document on the ledger", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-issuance");
  let service: RunningService;
  let provider: JsonRpcProvider;
  /** The demo's issuer: the permit officer (dev account 3) holds DOCUMENT_ISSUER in municipality 1. */
  let issuer: DocumentIssuer;
  let directoryAddress: string;
  let otherTown: number;

  const json = async (path: string, init?: RequestInit): Promise<Answer> => {
    const response = await fetch(`${service.url}${path}`, init);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const upload = (route: Route, body: FormData) => json(route.path, { method: "POST", body });
  const verdictOf = async (bytes: Uint8Array) => (await json(`/api/verify?sha256=${sha256Of(bytes)}`)).body;
  /** The proof bundle a verdict names (GET /api/proofs/<sha256>): the verdict itself does not carry it. */
  const bundleOf = async (answer: Record<string, any>) => {
    expect(answer.proofUrl).to.equal(`/api/proofs/${answer.record.sha256}`);
    return (await json(answer.proofUrl)).body;
  };
  // Every record the service holds, in whatever state.
  const recordCount = async () =>
    Object.values((await json("/api/health")).body.queue.records as Record<string, number>).reduce((sum, n) => sum + n, 0);
  const freshFiles = (route: Route) => Array.from({ length: route.files }, () => randomBytes(400));

  /** Refused with `status` and `code`, and nothing of it queued. */
  async function expectRefused(route: Route, files: Uint8Array[], options: FormOptions, status: number, code: string): Promise<void> {
    const before = await recordCount();
    const { status: actual, body } = await upload(route, uploadForm(files, options));
    expect({ status: actual, code: body.error?.code }).to.deep.equal({ status, code });
    expect(await recordCount()).to.equal(before);
    for (const file of files) expect((await verdictOf(file)).verdict).to.equal("unknown");
  }

  /** Waits until `bytes` verify as `verdict`. */
  const eventuallyVerdict = (bytes: Uint8Array, verdict: string) =>
    eventually(() => verdictOf(bytes), (answer) => answer.verdict === verdict);

  /** Sends a transaction of the Directory from `wallet` and waits for its receipt (polled). */
  async function directoryCall(wallet: Wallet, method: string, ...args: unknown[]): Promise<void> {
    const directory = new Contract(directoryAddress, DIRECTORY_ABI, wallet.connect(provider));
    const sent = await directory.getFunction(method)(...args);
    const receipt = await eventually(() => provider.getTransactionReceipt(sent.hash), (r) => r !== null, 15_000);
    expect(receipt!.status, `${method} reverted`).to.equal(1);
  }
  const hasRole = (municipalityId: number, account: string): Promise<boolean> =>
    new Contract(directoryAddress, DIRECTORY_ABI, provider).hasRole(municipalityId, DOCUMENT_ISSUER, account);
  const chainTime = async () => (await provider.getBlock("latest"))!.timestamp;
  const municipalityAdmin = devWallet("municipalityAdmin");

  before(async () => {
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200", WRITES_PER_MINUTE: "0" });
    provider = rpcProvider(service.rpcUrl);
    issuer = await DocumentIssuer.of(service.url);
    directoryAddress = (await json("/api/health")).body.chain.contracts.directory;

    // A second town, whose admin makes the auditor (dev account 10) its DOCUMENT_ISSUER.
    await directoryCall(devWallet("nationalAdmin"), "addMunicipality", "TH-99-ISSUE", "Issuance Test Town", municipalityAdmin.address);
    otherTown = Number(await new Contract(directoryAddress, DIRECTORY_ABI, provider).municipalityIdOf("TH-99-ISSUE"));
    await directoryCall(municipalityAdmin, "grantRole", otherTown, DOCUMENT_ISSUER, devWallet("auditor").address);
  });
  after(async () => {
    provider?.destroy();
    await service?.kill();
    cleanUp(dataDir);
  });

  describe("the forgery: an anonymous upload of a forged permit", () => {
    const forged = Buffer.from(
      "%PDF-1.7\n% Mae Hia Town Municipality — Building permit TH-50-MAEHIA/BP/2026/0042 — APPROVED by the Mayor\n%%EOF\n",
    );
    const meta = { title: "Building permit TH-50-MAEHIA/BP/2026/0042", documentType: "permit" };

    it("is refused on every path (401 ISSUANCE_REQUIRED), queued nowhere, and verifies as unknown", async () => {
      for (const route of ROUTES) await expectRefused(route, [forged], { meta }, 401, "ISSUANCE_REQUIRED");
      expect(await verdictOf(forged)).to.deep.equal({ verdict: "unknown", record: null, trail: [], proof: null });
    });

    it("is refused when it names the town's issuer without its key (401) or is signed by a key of its own (403)", async () => {
      const forger = issuer.as(new Wallet(Wallet.createRandom().privateKey));
      const posing = { ...(await forger.sign([forged])), signer: issuer.address };
      for (const route of ROUTES) {
        await expectRefused(route, [forged], { meta, issuance: posing }, 401, "ISSUANCE_SIGNATURE_INVALID");
        await expectRefused(route, [forged], { meta, issuance: await forger.sign([forged]) }, 403, "ISSUER_NOT_AUTHORISED");
      }
    });
  });

  for (const route of ROUTES) {
    describe(`every case through ${route.name}`, () => {
      it("refuses an upload without a signature: 401 ISSUANCE_REQUIRED", async () => {
        await expectRefused(route, freshFiles(route), {}, 401, "ISSUANCE_REQUIRED");
        await expectRefused(route, freshFiles(route), { issuance: "" }, 401, "ISSUANCE_REQUIRED");
      });

      it("refuses a malformed signed statement: 400 ISSUANCE_INVALID", async () => {
        const files = freshFiles(route);
        const good = await issuer.sign(files);
        const malformed: Array<FormOptions["issuance"]> = [
          "{not json",
          JSON.stringify("a statement"),
          JSON.stringify({ ...good, signature: undefined }),
          { ...good, signature: "0x1234" },
          { ...good, signer: "0xnot-an-address" },
          { ...good, nonce: "0xabc" },
          { ...good, municipalityId: 0 },
          { ...good, count: 2 ** 32 },
          { ...good, documentsRoot: "0x12" },
          // One proof per file, or none.
          { ...good, proofs: [] },
          { ...good, proofs: [...files, randomBytes(1)].map(() => []) },
        ];
        for (const issuance of malformed) await expectRefused(route, files, { issuance }, 400, "ISSUANCE_INVALID");
        // meta may name the municipality only as signed.
        await expectRefused(route, files, { issuance: good, meta: { municipalityId: otherTown } }, 400, "ISSUANCE_INVALID");
      });

      it("refuses a signature that is not the claimed signer's over these files, this chain and this contract: 401", async () => {
        const files = freshFiles(route);
        const engineer = issuer.as("engineer");
        const wrongDomain = [
          new DocumentIssuer({ ...issuer.chain, chainId: 1 }, issuer.wallet),
          new DocumentIssuer({ ...issuer.chain, batchAnchor: directoryAddress }, issuer.wallet),
        ];
        const good = await issuer.sign(files);
        const forged: Array<FormOptions["issuance"]> = [
          // Signed by another key, claimed as the issuer's.
          { ...(await engineer.sign(files)), signer: issuer.address },
          // The issuer's, over other files, over more files than sent, over fewer.
          await issuer.sign(freshFiles(route)),
          await issuer.sign([...files, randomBytes(10)]),
          ...(files.length > 1 ? [await issuer.sign(files.slice(1))] : []),
          // Another chain, another contract.
          ...(await Promise.all(wrongDomain.map((other) => other.sign(files)))),
          // A signed value changed afterwards.
          { ...good, deadline: good.deadline + 60 },
          { ...good, nonce: (BigInt(good.nonce) + 1n).toString() },
          { ...good, municipalityId: otherTown },
          // A proof per file that does not lead to the signed root.
          { ...good, proofs: files.map(() => [`0x${randomBytes(32).toString("hex")}`]) },
          // Each file's proof into a list that holds it, under a statement signed over another list.
          withProofs(await issuer.sign([randomBytes(5), randomBytes(6)]), [...files, randomBytes(7)], files),
        ];
        for (const issuance of forged) await expectRefused(route, files, { issuance }, 401, "ISSUANCE_SIGNATURE_INVALID");
      });

      it("refuses a statement past its deadline: 401 ISSUANCE_EXPIRED", async () => {
        const files = freshFiles(route);
        const expired = await issuer.sign(files, { now: nowSeconds() - 7200, validSeconds: 3600 });
        await expectRefused(route, files, { issuance: expired }, 401, "ISSUANCE_EXPIRED");
      });

      it("refuses a signer without DOCUMENT_ISSUER in the municipality: 403 ISSUER_NOT_AUTHORISED", async () => {
        const files = freshFiles(route);
        // The engineer holds ENGINEER in municipality 1, not DOCUMENT_ISSUER.
        expect(await hasRole(1, devWallet("engineer").address)).to.equal(false);
        await expectRefused(route, files, { issuance: await issuer.as("engineer").sign(files) }, 403, "ISSUER_NOT_AUTHORISED");
      });

      it("refuses a DOCUMENT_ISSUER of another municipality signing for this one: 403 ISSUER_NOT_AUTHORISED", async () => {
        const files = freshFiles(route);
        const auditor = issuer.as("auditor");
        expect(await hasRole(otherTown, auditor.address)).to.equal(true);
        await expectRefused(route, files, { issuance: await auditor.sign(files, { municipalityId: 1 }) }, 403, "ISSUER_NOT_AUTHORISED");
      });

      it("issues a signed upload (201, naming its signer), then verifies it as valid with its issuer once anchored", async () => {
        const files = freshFiles(route);
        const statement = await issuer.sign(files);
        const before = await recordCount();
        const { status, body } = await upload(route, uploadForm(files, { issuance: statement, meta: { title: "Notice 7/2569", municipalityId: 1 } }));
        expect(status).to.equal(201);
        expect(body.issuer).to.equal(issuer.address);
        // The documents and the signature itself, queued together.
        expect(await recordCount()).to.equal(before + files.length + 1);

        const tree = documentsTree(files.map(sha256Of));
        for (const file of files) {
          const answer = await eventuallyVerdict(file, "valid");
          expect(answer.issuer).to.deep.include({ municipalityId: 1, address: issuer.address, role: "DOCUMENT_ISSUER", heldRole: true, compromisedSince: null });
          // The bundle carries what any verifier needs: the statement, the file's place in its list and the signature's anchor.
          const bundle = await bundleOf(answer);
          expect(answer.issuer.signedAt).to.equal(isoTime(bundle.issuance.anchor.anchoredAt));
          const issuance = bundle.issuance as IssuanceStatement & { documentProof: string[] };
          expect(issuance).to.deep.include({ municipalityId: 1, documentsRoot: tree.root, count: files.length, nonce: statement.nonce, signer: issuer.address });
          expect(recoverIssuer(issuanceDigest(issuance, batchAnchorDomain(issuer.chain.chainId, issuer.chain.batchAnchor)), issuance.signature)).to.equal(issuer.address);
          expect(inDocumentsTree(issuance.documentsRoot, sha256Of(file), issuance.documentProof)).to.equal(true);
        }
      });

      it("refuses the same signature again for the same documents: 409 ISSUANCE_REPLAYED", async () => {
        const files = freshFiles(route);
        const statement = await issuer.sign(files);
        expect((await upload(route, uploadForm(files, { issuance: statement }))).status).to.equal(201);
        const before = await recordCount();
        const replayed = await upload(route, uploadForm(files, { issuance: statement }));
        expect({ status: replayed.status, code: replayed.body.error?.code }).to.deep.equal({ status: 409, code: "ISSUANCE_REPLAYED" });
        expect(await recordCount()).to.equal(before);
      });

      it("refuses a signer's nonce used again for another list: 409 ISSUANCE_REPLAYED", async () => {
        const files = freshFiles(route);
        const first = await issuer.sign(files);
        expect((await upload(route, uploadForm(files, { issuance: first }))).status).to.equal(201);
        const others = freshFiles(route);
        const { root, count } = documentsTree(others.map(sha256Of));
        const sameNonce = await issuer.signValues({ municipalityId: 1, documentsRoot: root, count, nonce: first.nonce, deadline: first.deadline });
        await expectRefused(route, others, { issuance: sameNonce }, 409, "ISSUANCE_REPLAYED");
      });
    });
  }

  describe("one signature over a long list, sent a file per request", () => {
    it("takes each file with its proof into the signed list, by every path, and anchors the signature once", async () => {
      const list = Array.from({ length: 7 }, (_, i) => randomBytes(200 + i));
      const statement = await issuer.sign(list);
      const before = await recordCount();
      const sends: Array<[Route, number[]]> = [
        [FAST, [0]],
        [EXPRESS, [1]],
        [BATCH, [2, 3]],
        [FAST, [4]],
        [EXPRESS, [5]],
        [BATCH, [6]],
      ];
      for (const [route, indexes] of sends) {
        const files = indexes.map((i) => list[i]);
        const { status, body } = await upload(route, uploadForm(files, { issuance: withProofs(statement, list, files) }));
        expect(status, `${route.name} ${indexes}`).to.equal(201);
        expect(body.issuer).to.equal(issuer.address);
      }
      expect(await recordCount()).to.equal(before + list.length + 1);

      for (const file of list) {
        const answer = await eventuallyVerdict(file, "valid");
        expect(answer.issuer.address).to.equal(issuer.address);
        expect((await bundleOf(answer)).issuance).to.deep.include({ documentsRoot: documentsTree(list.map(sha256Of)).root, count: list.length, nonce: statement.nonce });
      }

      // The same file under the same signature again is a replay; a file not in the list is not covered.
      for (const route of [FAST, EXPRESS, BATCH]) {
        const again = await upload(route, uploadForm([list[0]], { issuance: withProofs(statement, list, [list[0]]) }));
        expect({ status: again.status, code: again.body.error?.code }).to.deep.equal({ status: 409, code: "ISSUANCE_REPLAYED" });
        const stranger = randomBytes(300);
        await expectRefused(route, [stranger], { issuance: { ...statement, proofs: [documentsTree(list.map(sha256Of)).proofOf(sha256Of(list[1]))] } }, 401, "ISSUANCE_SIGNATURE_INVALID");
      }
    });
  });

  describe("the municipality signed for", () => {
    it("is said unknown (400) or suspended (403) once the signature holds, and the signature is asked first", async () => {
      for (const route of ROUTES) {
        const files = freshFiles(route);
        await expectRefused(route, files, { meta: { municipalityId: 999 } }, 401, "ISSUANCE_REQUIRED");
        await expectRefused(route, files, { issuance: await issuer.sign(files, { municipalityId: 999 }) }, 400, "MUNICIPALITY_UNKNOWN");
      }
      const auditor = issuer.as("auditor");
      await directoryCall(devWallet("nationalAdmin"), "suspendMunicipality", otherTown, id("audit"));
      try {
        for (const route of ROUTES) {
          const files = freshFiles(route);
          await expectRefused(route, files, { issuance: await auditor.sign(files, { municipalityId: otherTown }) }, 403, "MUNICIPALITY_SUSPENDED");
        }
      } finally {
        await directoryCall(devWallet("nationalAdmin"), "reinstateMunicipality", otherTown);
      }
    });
  });

  describe("an issuer's role and key at the time that counts", () => {
    it("refuses a document signed while its signer held DOCUMENT_ISSUER, sent after the role was revoked: 403", async () => {
      const officer = issuer.as("healthOfficer");
      await directoryCall(municipalityAdmin, "grantRole", 1, DOCUMENT_ISSUER, officer.address);
      const signedWhileHeld = await Promise.all(ROUTES.map((route) => freshFiles(route)).map(async (files) => ({ files, issuance: await officer.sign(files) })));
      await directoryCall(municipalityAdmin, "revokeRole", 1, DOCUMENT_ISSUER, officer.address);
      expect(await hasRole(1, officer.address)).to.equal(false);
      for (const [i, route] of ROUTES.entries()) {
        const { files, issuance } = signedWhileHeld[i];
        await expectRefused(route, files, { issuance }, 403, "ISSUER_NOT_AUTHORISED");
      }
    });

    it("refuses a DOCUMENT_ISSUER whose key is marked compromised: 403", async () => {
      const officer = issuer.as("complaintOfficer");
      await directoryCall(municipalityAdmin, "grantRole", 1, DOCUMENT_ISSUER, officer.address);
      await directoryCall(municipalityAdmin, "markKeyCompromised", 1, officer.address, await chainTime());
      expect(await hasRole(1, officer.address)).to.equal(true);
      for (const route of ROUTES) {
        const files = freshFiles(route);
        await expectRefused(route, files, { issuance: await officer.sign(files) }, 403, "ISSUER_NOT_AUTHORISED");
      }
    });

    it("turns a document anchored after the time its key is marked compromised from into unauthorised, and no earlier one", async () => {
      const officer = issuer.as("treasurer");
      await directoryCall(municipalityAdmin, "grantRole", 1, DOCUMENT_ISSUER, officer.address);
      const issue = async (bytes: Uint8Array) => {
        const { status } = await upload(FAST, uploadForm([bytes], { issuance: await officer.sign([bytes]) }));
        expect(status).to.equal(201);
        // Granted a moment ago: until the index has read the grant, the verdict waits ("pending"), never "unauthorised".
        const seen = new Set<string>();
        const answer = await eventually(() => verdictOf(bytes), (a) => (seen.add(a.verdict), a.verdict === "valid"));
        expect([...seen]).to.not.include("unauthorised");
        return (await bundleOf(answer)).issuance.anchor.anchoredAt as number;
      };
      const earlier = randomBytes(500);
      const earlierAt = await issue(earlier);
      // The next anchor's block is at least a second later.
      await eventually(async () => nowSeconds(), (now) => now > earlierAt + 1);
      const later = randomBytes(500);
      const laterAt = await issue(later);
      expect(laterAt).to.be.greaterThan(earlierAt);

      // The keystore was lost before the later document was signed: marked from then, after the fact.
      await directoryCall(municipalityAdmin, "markKeyCompromised", 1, officer.address, laterAt);
      const answer = await eventuallyVerdict(later, "unauthorised");
      expect(answer.reason).to.be.a("string").and.not.equal("");
      expect(answer.issuer).to.deep.include({ address: officer.address, role: "DOCUMENT_ISSUER", heldRole: true, compromisedSince: isoTime(laterAt) });
      // Still anchored and provable: the verdict is about who signed, not whether it was recorded.
      expect((await bundleOf(answer)).issuance.signer).to.equal(officer.address);
      const kept = await eventually(() => verdictOf(earlier), (a) => a.issuer.compromisedSince !== null);
      expect(kept.verdict).to.equal("valid");
      expect(kept.issuer.compromisedSince).to.equal(isoTime(laterAt));
    });
  });
});
