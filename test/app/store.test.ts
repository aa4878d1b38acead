import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAnchoringConfig } from "../../app/server/anchoring/config.js";
import { newRecordId, RECORD_ID_PATTERN } from "../../app/server/anchoring/recordId.js";
import { EngineError } from "../../app/server/errors.js";
import { MIGRATIONS } from "../../app/server/store/schema.js";
import { openDatabase, schemaVersion } from "../../app/server/store/database.js";

/** The SQLite store on a real file: durability settings, migrations, and the engine's settings. */
describe("store", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ledger-store-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("opens the data folder's database in WAL mode with a full sync at every commit", () => {
    const db = openDatabase(dataDir);
    try {
      expect(db.prepare("PRAGMA journal_mode").get()).to.deep.equal({ journal_mode: "wal" });
      // 2 = FULL
      expect(db.prepare("PRAGMA synchronous").get()).to.deep.equal({ synchronous: 2 });
    } finally {
      db.close();
    }
  });

  it("applies each migration once and records it in schema_version", () => {
    const first = openDatabase(dataDir);
    first.close();
    const db = openDatabase(dataDir);
    try {
      expect(schemaVersion(db)).to.equal(MIGRATIONS[MIGRATIONS.length - 1].version);
      const versions = db.prepare("SELECT version FROM schema_version ORDER BY version").all() as { version: number }[];
      expect(versions.map((row) => row.version)).to.deep.equal(MIGRATIONS.map((migration) => migration.version));
    } finally {
      db.close();
    }
  });

  it("refuses a database written by a newer program", () => {
    const db = openDatabase(dataDir);
    db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)").run(999, "from the future", Date.now());
    db.close();
    expect(() => openDatabase(dataDir)).to.throw(EngineError, /schema version 999/);
  });

  it("makes record ids that sort in the order they were made", () => {
    const ids = [newRecordId(1_000), newRecordId(1_000), newRecordId(1_000), newRecordId(1_001), newRecordId(2_000_000_000_000)];
    for (const recordId of ids) expect(recordId).to.match(RECORD_ID_PATTERN);
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("reads N, T, CONFIRMATIONS and INDEX_BLOCK_RANGE from the environment, with defaults by chain, and refuses nonsense", () => {
    expect(readAnchoringConfig({}, { embedded: true })).to.deep.equal({ batchSize: 1000, batchWindowMs: 1000, confirmations: 0, indexBlockRange: 2000 });
    expect(readAnchoringConfig({}, { embedded: false })).to.deep.equal({ batchSize: 1000, batchWindowMs: 1000, confirmations: 1, indexBlockRange: 2000 });
    const env = { ANCHOR_BATCH_SIZE: "50", ANCHOR_BATCH_MS: "250", CONFIRMATIONS: "3", INDEX_BLOCK_RANGE: "500" };
    expect(readAnchoringConfig(env, { embedded: true })).to.deep.equal({
      batchSize: 50,
      batchWindowMs: 250,
      confirmations: 3,
      indexBlockRange: 500,
    });
    for (const env of [{ ANCHOR_BATCH_SIZE: "0" }, { ANCHOR_BATCH_MS: "soon" }, { CONFIRMATIONS: "-1" }, { ANCHOR_BATCH_SIZE: "1.5" }, { INDEX_BLOCK_RANGE: "0" }]) {
      expect(() => readAnchoringConfig(env, { embedded: true })).to.throw(EngineError, new RegExp(Object.keys(env)[0]));
    }
  });
});
