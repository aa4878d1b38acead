import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { toQuantity } from "ethers";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { openDatabase } from "../../app/server/store/database.js";
import { reasonHashOf } from "../../app/shared/issuance.js";
import { DocumentIssuer, signRecordRevocation, uploadForm } from "./support/issuer.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";
import { runScript, sha256Of } from "./support/testLedger.js";

/**
 * A rebuild of the index never changes a verdict (issue 15): the tables are rebuilt aside and swapped in
 * at once (app/server/indexer/shadowIndex.ts). A revoked document and a valid one are verified through the
 * API without a pause — GET on the fast path and through Express, and POST with the file, which reads the
 * index every time (kept answers may hide a wrong read for their grace period) — while the index is
 * rebuilt three ways: by the service itself after a reorganisation of the chain, by `npm run reindex`
 * beside the running service, and by the service on an index that other event modules built (an
 * upgrade; a document issued meanwhile is read by the index in use and stays valid through the swap).
 * Any other answer fails. One block per logs request and a few hundred blocks before the documents make
 * each rebuild last seconds before it reads them, and the test checks that answers were given meanwhile.
 */
const EMPTY_BLOCKS = 200;
/** Verification by file is a public write: counted by the write limits, which the loop would pass. */
const SERVICE_ENV = { INDEX_BLOCK_RANGE: "1", WRITES_PER_MINUTE: "0", WRITE_FILES_PER_MINUTE: "0", WRITE_MB_PER_MINUTE: "0" };
/** The fewest answers of each kind (document × path) that must fall inside a rebuild. */
const OVERLAP = 5;

const PATHS = ["fast", "express", "file"] as const;
type Path = (typeof PATHS)[number];

interface Document {
  bytes: Uint8Array;
  verdict: string;
}

interface Answer {
  at: number;
  path: Path;
  sha256: string;
  status: number;
  verdict: string | undefined;
}

/** Asks the verdicts of its documents on every path, one after the other, until stopped. */
class VerdictWatch {
  readonly answers: Answer[] = [];
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly documents: Map<string, Document>,
  ) {
    this.#done = this.#loop();
  }

  async stop(): Promise<Answer[]> {
    this.#stopped = true;
    await this.#done;
    return this.answers;
  }

  /** The answers other than the expected verdict, counted by what was expected and what came. */
  wrong(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const answer of this.answers) {
      const expected = this.documents.get(answer.sha256)!.verdict;
      if (answer.status === 200 && answer.verdict === expected) continue;
      const kind = `${expected} answered ${answer.status} ${answer.verdict ?? ""} (${answer.path})`;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return counts;
  }

  /** From now on `bytes` are verified too, and must answer `verdict`. */
  add(bytes: Uint8Array, verdict: string): void {
    this.documents.set(sha256Of(bytes), { bytes, verdict });
  }

  /** How many answers of each of `documents` and each path fell between `from` and `to` (ms). */
  during(from: number, to: number, documents: string[]): Record<string, number> {
    const kindOf = (sha256: string, path: Path) => `${this.documents.get(sha256)!.verdict} ${path}`;
    const counts: Record<string, number> = {};
    for (const sha256 of documents) for (const path of PATHS) counts[kindOf(sha256, path)] = 0;
    for (const answer of this.answers) {
      if (answer.at >= from && answer.at <= to && documents.includes(answer.sha256)) counts[kindOf(answer.sha256, answer.path)]++;
    }
    return counts;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      for (const [sha256, { bytes }] of this.documents) {
        for (const path of PATHS) {
          const response = await this.#ask(path, sha256, bytes);
          const body = (await response.json()) as { verdict?: string };
          this.answers.push({ at: Date.now(), path, sha256, status: response.status, verdict: body.verdict });
        }
      }
    }
  }

  #ask(path: Path, sha256: string, bytes: Uint8Array): Promise<Response> {
    if (path === "file") return fetch(`${this.url}/api/verify`, { method: "POST", body: uploadForm([bytes]) });
    // A conditional request is always Express's to answer (http/fastReads.ts).
    const headers: Record<string, string> = path === "express" ? { "If-None-Match": '"matches-nothing"' } : {};
    return fetch(`${this.url}/api/verify?sha256=${sha256}`, { headers });
  }
}

/** The time (ms) of the first log line after `offset` of `output` that includes `marker`. */
function loggedAt(output: string, marker: string, offset = 0): number {
  const line = output
    .slice(offset)
    .split("\n")
    .find((text) => text.includes(marker));
  if (!line) throw new Error(`no "${marker}" in the log:\n${output.slice(offset)}`);
  return Date.parse(line.split(" ")[0]);
}

describe("a rebuild of the index never changes a verdict", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-rebuild-verdicts");
  let service: RunningService;
  const documents = new Map<string, Document>();

  const verdictOf = async (sha256: string) => ((await (await fetch(`${service.url}/api/verify?sha256=${sha256}`)).json()) as { verdict: string }).verdict;
  const indexer = async () =>
    ((await (await fetch(`${service.url}/api/health`)).json()) as { indexer: { lastIndexedBlock: number; rebuild: { reason: string } | null } }).indexer;

  /** Runs `rebuild` while the documents are verified without a pause; `rebuild` answers when it ran (ms, from the log). */
  async function verifiedThroughout(rebuild: (watch: VerdictWatch) => Promise<{ from: number; to: number }>): Promise<void> {
    const watch = new VerdictWatch(service.url, new Map(documents));
    let window: { from: number; to: number };
    try {
      window = await rebuild(watch);
    } finally {
      await watch.stop();
    }
    expect(watch.wrong(), `wrong answers of ${watch.answers.length}`).to.deep.equal({});
    const during = watch.during(window.from, window.to, [...documents.keys()]);
    expect(window.to - window.from, "the rebuild's length (ms)").to.be.greaterThan(0);
    for (const [kind, count] of Object.entries(during)) expect(count, `${kind} answers during the rebuild: ${JSON.stringify(during)}`).to.be.at.least(OVERLAP);
  }

  before(async () => {
    service = await startService(dataDir, SERVICE_ENV);
    // Blocks enough that a rebuild one block per request takes seconds before it reads the documents'.
    const provider = rpcProvider(service.rpcUrl);
    try {
      await provider.send("anvil_mine", [toQuantity(EMPTY_BLOCKS)]);
      const issuer = await DocumentIssuer.of(service.url);
      const [kept, revoked] = [randomBytes(600), randomBytes(700)];
      for (const file of [kept, revoked]) {
        const response = await fetch(`${service.url}/api/documents`, { method: "POST", body: await issuer.form(file) });
        expect(response.status).to.equal(201);
      }
      for (const file of [kept, revoked]) await eventually(() => verdictOf(sha256Of(file)), (verdict) => verdict === "valid");

      const proof = (await (await fetch(`${service.url}/api/proofs/${sha256Of(revoked)}`)).json()) as { municipalityId: number; root: string; leaf: string };
      const reason = "Issued twice";
      const signed = await signRecordRevocation(issuer.wallet, issuer.chain, { ...proof, reasonCode: 2, reasonHash: reasonHashOf(reason) });
      const revocation = await fetch(`${service.url}/api/documents/${sha256Of(revoked)}/revocation`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reasonCode: 2, reason, ...signed }),
      });
      expect(revocation.status).to.equal(200);
      documents.set(sha256Of(kept), { bytes: kept, verdict: "valid" });
      documents.set(sha256Of(revoked), { bytes: revoked, verdict: "revoked" });
      await eventually(() => verdictOf(sha256Of(revoked)), (verdict) => verdict === "revoked");

      // A few blocks above them, which the reorganisation replaces.
      await provider.send("anvil_mine", [toQuantity(10)]);
      const head = await provider.getBlockNumber();
      await eventually(indexer, (status) => status.lastIndexedBlock >= head, 120_000);
    } finally {
      provider.destroy();
    }
  });
  after(async () => {
    await service?.kill();
    cleanUp(dataDir);
  });

  it("keeps its verdicts while the service rebuilds its index after a reorganisation", async () => {
    const provider = rpcProvider(service.rpcUrl);
    const offset = service.output().length;
    try {
      await verifiedThroughout(async () => {
        // The last 3 blocks replaced by others (one holds a transfer, so none is the same block).
        const [from, to] = devAccounts();
        await provider.send("anvil_reorg", [3, [[{ from: from.address, to: to.address, value: "0x1" }, 0]]]);
        // /api/health says so while it runs.
        expect((await eventually(indexer, (status) => status.rebuild !== null)).rebuild).to.deep.include({ reason: "reorg" });
        await eventually(async () => service.output().slice(offset), (log) => log.includes("replaced the one in use"), 120_000);
        return { from: loggedAt(service.output(), "rebuilding from block", offset), to: loggedAt(service.output(), "replaced the one in use", offset) };
      });
    } finally {
      provider.destroy();
    }
    expect(service.output().slice(offset)).to.include("the last block indexed left the chain");
    expect((await indexer()).rebuild).to.equal(null);
  });

  it("keeps its verdicts while npm run reindex rebuilds the running service's index", async () => {
    await verifiedThroughout(async () => {
      const output = await runScript("app/server/reindex.ts", [], { DATA_DIR: dataDir, CHAIN_ID: "31337", ...SERVICE_ENV });
      expect(output).to.include(`chain: using ${service.rpcUrl}`);
      return { from: loggedAt(output, "index: rebuilding"), to: loggedAt(output, "index: rebuilt from the chain") };
    });
  });

  it("keeps its verdicts while it rebuilds an index that other event modules built (an upgrade), and follows the chain meanwhile", async () => {
    const offset = service.output().length;
    const issuer = await DocumentIssuer.of(service.url);
    const later = randomBytes(800);
    await verifiedThroughout(async (watch) => {
      // As a release with other event modules finds the index it starts on (without the restart).
      const db = openDatabase(dataDir);
      db.exec("UPDATE idx_cursor SET modules = 'an older release'");
      db.close();
      await eventually(async () => service.output().slice(offset), (log) => log.includes("rebuilding from block"), 120_000);
      // Issued while the rebuild runs: the index in use reads it, and so must the rebuilt one before it is swapped in.
      const response = await fetch(`${service.url}/api/documents`, { method: "POST", body: await issuer.form(later) });
      expect(response.status).to.equal(201);
      await eventually(() => verdictOf(sha256Of(later)), (verdict) => verdict === "valid");
      watch.add(later, "valid");
      await eventually(async () => service.output().slice(offset), (log) => log.includes("replaced the one in use"), 120_000);
      return { from: loggedAt(service.output(), "rebuilding from block", offset), to: loggedAt(service.output(), "replaced the one in use", offset) };
    });
    expect(service.output().slice(offset)).to.include("the index's tables or events changed");
    expect(await verdictOf(sha256Of(later))).to.equal("valid");
  });
});
