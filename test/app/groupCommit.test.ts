import { expect } from "chai";
import { DatabaseSync } from "node:sqlite";
import { AnchorInputError } from "../../app/server/anchoring/errors.js";
import { SqliteAnchorQueue } from "../../app/server/anchoring/queue.js";
import type { NewRecord, QueuedRecord } from "../../app/server/anchoring/types.js";
import { databasePath, openDatabase } from "../../app/server/store/database.js";
import { FileSync, GroupCommit } from "../../app/server/store/groupCommit.js";
import { cleanUp, tempDataDir } from "./support/service.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * Group commit of the anchoring queue (SqliteAnchorQueue.enqueueDurably): records that arrive together
 * share one transaction, and each caller hears back only after that commit. A second connection to the
 * same file sees only committed rows, and its `PRAGMA data_version` counts the commits of others.
 */
describe("group commit of the anchoring queue (app/server/anchoring/queue.ts)", () => {
  const dir = tempDataDir("ledger-group-commit");
  const db = openDatabase(dir);
  const queue = new SqliteAnchorQueue(db);
  const observer = new DatabaseSync(databasePath(dir));
  const commitsSeen = () => (observer.prepare("PRAGMA data_version").get() as { data_version: number }).data_version;
  const committedRow = (recordId: string) => observer.prepare("SELECT sha256 FROM records WHERE record_id = ?").get(recordId);
  const newRecord = (label: string, municipalityId = 1): NewRecord => ({
    sha256: sha256Of(label),
    cid: null,
    municipalityId,
    kind: "document",
    meta: { label },
  });

  after(() => {
    observer.close();
    db.close();
    cleanUp(dir);
  });

  it("commits the records that arrive together once, and answers each only when its row is committed", async () => {
    const before = commitsSeen();
    const seenAtAnswer: unknown[] = [];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        queue.enqueueDurably(newRecord(`together-${i}`)).then(({ record, created }) => {
          seenAtAnswer.push(committedRow(record.recordId));
          expect(created).to.equal(true);
          return record;
        }),
      ),
    );
    expect(commitsSeen() - before).to.equal(1);
    expect(seenAtAnswer.every((row) => row !== undefined)).to.equal(true);
    expect(answers.map((record) => record.sha256)).to.deep.equal(Array.from({ length: 50 }, (_, i) => sha256Of(`together-${i}`)));
    expect(answers.every((record) => record.status === "pending")).to.equal(true);
    expect(queue.get(answers[7].recordId)).to.deep.equal(answers[7]);
  });

  it("answers as enqueue does: the same document twice is one record, another municipality another", async () => {
    const [first, again, elsewhere] = await Promise.all([
      queue.enqueueDurably(newRecord("twice")),
      queue.enqueueDurably({ ...newRecord("twice"), sha256: sha256Of("twice").toUpperCase().replace("0X", "0x") }),
      queue.enqueueDurably(newRecord("twice", 2)),
    ]);
    expect([first.created, again.created, elsewhere.created]).to.deep.equal([true, false, true]);
    expect(again.record).to.deep.equal(queue.get(first.record.recordId));
    expect(elsewhere.record.recordId).to.not.equal(first.record.recordId);
    expect(queue.findBySha256(sha256Of("twice"))).to.have.length(2);
  });

  it("refuses an invalid record alone; the others of its group are committed", async () => {
    const results = await Promise.allSettled([
      queue.enqueueDurably(newRecord("good-1")),
      queue.enqueueDurably({ ...newRecord("bad"), sha256: "0x1234" }),
      queue.enqueueDurably({ ...newRecord("bad-town"), municipalityId: 0 }),
      queue.enqueueDurably(newRecord("good-2")),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(AnchorInputError).with.property("code", "ANCHOR_INVALID_SHA256");
    for (const result of [results[0], results[3]]) {
      expect(committedRow((result as PromiseFulfilledResult<QueuedRecord>).value.record.recordId)).to.not.equal(undefined);
    }
  });

  it("queues an issuance with its documents all or none; a claim another record holds fails that submission only", async () => {
    const issuance = (label: string, claim: string): NewRecord => ({ ...newRecord(label), kind: "issuance", claim });
    const results = await Promise.allSettled([
      queue.enqueueAllDurably([issuance("issuance-1", "0xSigner/1"), newRecord("issued-1a")]),
      // The same signer's nonce for another list (another issuance record): refused, its document with it.
      queue.enqueueAllDurably([issuance("issuance-2", "0xSigner/1"), newRecord("issued-2a")]),
      // A malformed record spoils its own submission, and nothing of it is written.
      queue.enqueueAllDurably([issuance("issuance-3", "0xSigner/3"), { ...newRecord("issued-3a"), sha256: "0x1234" }]),
      queue.enqueueAllDurably([issuance("issuance-4", "0xSigner/4"), newRecord("issued-4a"), newRecord("issued-4b")]),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(AnchorInputError).with.property("code", "ANCHOR_CLAIM_TAKEN");
    expect((results[1] as PromiseRejectedResult).reason).to.have.property("status", 409);
    expect((results[2] as PromiseRejectedResult).reason).to.have.property("code", "ANCHOR_INVALID_SHA256");
    for (const label of ["issuance-2", "issued-2a", "issuance-3"]) expect(queue.findBySha256(sha256Of(label)), label).to.deep.equal([]);
    const written = (results[3] as PromiseFulfilledResult<QueuedRecord[]>).value;
    expect(written.map(({ record, created }) => [record.sha256, created])).to.deep.equal(
      ["issuance-4", "issued-4a", "issued-4b"].map((label) => [sha256Of(label), true]),
    );
    for (const { record } of written) expect(committedRow(record.recordId)).to.not.equal(undefined);

    // The same issuance again (one signature, a file per request) keeps its record: not a conflict of its own claim.
    const [again, more] = await queue.enqueueAllDurably([issuance("issuance-1", "0xSigner/1"), newRecord("issued-1b")]);
    expect(again.created).to.equal(false);
    expect(again.record.sha256).to.equal(sha256Of("issuance-1"));
    expect(more.created).to.equal(true);
  });

  it("commits each record alone when the group's transaction cannot be taken, and says why when it cannot either", async () => {
    // Another connection holds the write lock: the group's BEGIN IMMEDIATE and every lone commit fail.
    db.exec("PRAGMA busy_timeout = 0");
    observer.exec("BEGIN IMMEDIATE");
    try {
      const results = await Promise.allSettled([queue.enqueueDurably(newRecord("locked-1")), queue.enqueueDurably(newRecord("locked-2"))]);
      expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
      expect(String((results[0] as PromiseRejectedResult).reason)).to.match(/locked/);
    } finally {
      observer.exec("ROLLBACK");
      db.exec("PRAGMA busy_timeout = 10000");
    }
    const { record } = await queue.enqueueDurably(newRecord("locked-1"));
    expect(committedRow(record.recordId)).to.not.equal(undefined);
  });
});

/**
 * The commit's fsync off the main thread (app/server/store/groupCommit.ts): a group is committed with
 * synchronous=NORMAL and answered only after the log's fsync, which the tests hold back at will.
 */
describe("group commit with the fsync off the main thread (app/server/store/groupCommit.ts)", () => {
  const dir = tempDataDir("ledger-group-fsync");
  const db = openDatabase(dir);
  db.exec("CREATE TABLE items (value TEXT PRIMARY KEY)");
  const insert = db.prepare("INSERT INTO items (value) VALUES (?)");
  const synced: string[] = [];
  let release: () => void = () => {};
  let held = false;
  const fsync = async (path: string) => {
    if (held) await new Promise<void>((resolve) => (release = resolve));
    synced.push(path);
    await new FileSync(path).sync();
  };
  const commit = new GroupCommit(db, (value: string) => Number(insert.run(value).lastInsertRowid), { maxGroup: 2, fsync });
  const synchronous = () => (db.prepare("PRAGMA synchronous").get() as { synchronous: number }).synchronous;

  after(() => {
    db.close();
    cleanUp(dir);
  });

  it("answers a group only after the log is fsynced, and puts synchronous=FULL back for other writes", async () => {
    held = true;
    let answered = false;
    const answers = Promise.all(["a", "b", "c"].map((value) => commit.submit(value))).then((ids) => {
      answered = true;
      return ids;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Committed (a reader sees the rows) but not yet answered: the log's fsync is held back.
    expect((db.prepare("SELECT COUNT(*) AS n FROM items").get() as { n: number }).n).to.equal(3);
    expect(answered).to.equal(false);
    expect(synchronous()).to.equal(2);
    held = false;
    release();
    expect(await answers).to.have.length(3);
    expect(synced.every((path) => path === `${databasePath(dir)}-wal`)).to.equal(true);
  });

  it("shares one fsync among the callers that arrive while one runs, and never answers with an fsync begun before the call", async () => {
    let started = 0;
    const gates: (() => void)[] = [];
    const log = new FileSync("unused", () => {
      started++;
      return new Promise<void>((resolve) => gates.push(resolve));
    });
    const first = log.sync();
    const second = log.sync();
    const third = log.sync();
    expect(started).to.equal(1);
    let laterDone = false;
    void Promise.all([second, third]).then(() => (laterDone = true));
    gates[0]();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.equal(2);
    expect(laterDone).to.equal(false);
    gates[1]();
    await Promise.all([second, third]);
    expect(started).to.equal(2);
  });

  it("fails the group's callers when the fsync fails, and the next group fsyncs again", async () => {
    const failing = new GroupCommit(db, (value: string) => insert.run(value).changes, {
      maxGroup: 10,
      fsync: async () => {
        throw Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
      },
    });
    const results = await Promise.allSettled([failing.submit("x"), failing.submit("y")]);
    expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).to.match(/EIO/);
    expect(await commit.submit("z")).to.be.a("number");
  });
});
