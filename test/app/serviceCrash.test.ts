import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, type EventLog } from "ethers";
import { DocumentIssuer, withProofs } from "./support/issuer.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * Issue 3's crash promise, through the service as users run it: 500 records accepted over HTTP, then
 * kill -9 of the service (or of its anvil) while they are in flight; after a restart every accepted
 * record is anchored exactly once. The 500 documents are one list signed once by the demo's issuer and
 * sent one per request with their proofs, so the signature is one more record.
 */
const RECORDS = 500;
const BATCH_ANCHOR_ABI = [
  "event BatchAnchored(bytes32 indexed root, uint32 indexed municipalityId, uint32 count)",
  "function verifyRecord(uint32 municipalityId, bytes32 root, bytes32 leaf, bytes32[] proof) view returns (uint8 status, uint32 anchoredFor, uint64 anchoredAt, uint64 blockNumber)",
];

async function uploadAll(service: RunningService, count: number): Promise<string[]> {
  const issuer = await DocumentIssuer.of(service.url);
  const files = Array.from({ length: count }, () => randomBytes(1024));
  const statement = await issuer.sign(files);
  const ids: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const replies = await Promise.all(
      files.slice(start, start + 50).map(async (file) => {
        const body = await issuer.form(file, { issuance: withProofs(statement, files, [file]) });
        const response = await fetch(`${service.url}/api/documents`, { method: "POST", body });
        expect(response.status).to.equal(201);
        return ((await response.json()) as { recordId: string }).recordId;
      }),
    );
    ids.push(...replies);
  }
  return ids;
}

/** Every accepted record anchored, each once: one root each, its proof valid on chain, counts adding up (with the one issuance). */
async function expectAnchoredExactlyOnce(service: RunningService, recordIds: string[]): Promise<void> {
  const records = await eventually(
    () => Promise.all(recordIds.map(async (id) => (await fetch(`${service.url}/api/records/${id}`)).json() as Promise<any>)),
    (all) => all.every((r) => r.status === "anchored" || r.status === "final"),
    120_000,
  );
  const deployment = JSON.parse(readFileSync(join(service.dataDir, "deployment.json"), "utf8"));
  const anchor = new Contract(deployment.contracts.batchAnchor, BATCH_ANCHOR_ABI, rpcProvider(service.rpcUrl));
  const events = (await anchor.queryFilter(anchor.filters.BatchAnchored(), deployment.deploymentBlock)).filter(
    (e): e is EventLog => "args" in e,
  );
  const counted = events.reduce((sum, e) => sum + Number(e.args.count), 0);
  expect(counted, "records declared in BatchAnchored events").to.equal(recordIds.length + 1);
  const roots = new Set(events.map((e) => e.args.root as string));
  expect(roots.size, "no root anchored twice").to.equal(events.length);
  for (const record of records) {
    expect(roots.has(record.proof.root)).to.equal(true);
    const [status] = await anchor.verifyRecord(record.proof.municipalityId, record.proof.root, record.proof.leaf, record.proof.proof);
    expect(Number(status), `record ${record.recordId}`).to.equal(1);
  }
}

describe("crash recovery of the service", function () {
  this.timeout(600_000);
  const env = { ANCHOR_BATCH_SIZE: "100", ANCHOR_BATCH_MS: "100", WRITES_PER_MINUTE: "0" };
  let dataDir: string;
  let service: RunningService | undefined;

  beforeEach(() => {
    dataDir = tempDataDir("ledger-crash");
  });
  afterEach(async () => {
    await service?.kill();
    service = undefined;
    cleanUp(dataDir);
  });

  it("anchors all 500 records exactly once after kill -9 of the service with them in flight", async () => {
    service = await startService(dataDir, env);
    const ids = await uploadAll(service, RECORDS);
    await service.kill();
    service = await startService(dataDir, env);
    await expectAnchoredExactlyOnce(service, ids);
  });

  it("anchors all 500 records exactly once after kill -9 of anvil with them in flight", async () => {
    service = await startService(dataDir, env);
    const ids = await uploadAll(service, RECORDS);
    const { pid } = JSON.parse(readFileSync(join(dataDir, "chain", "anvil.pid"), "utf8"));
    process.kill(pid, "SIGKILL");
    // The service cannot go on without its chain; whoever runs it restarts it.
    await service.stop();
    service = await startService(dataDir, env);
    await expectAnchoredExactlyOnce(service, ids);
  });
});
