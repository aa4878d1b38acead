import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { EngineError } from "../errors.js";
import { MIGRATIONS, type Migration } from "./schema.js";

/**
 * The service's SQLite database, one file in the data folder: the durable anchoring queue and the
 * index tables (see schema.ts). `node:sqlite` is synchronous, so within one process no two statements
 * interleave; other processes (the worker of a test, `npm run reindex`) share the file through WAL.
 */
export const DATABASE_FILE = "ledger.sqlite";

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** Opens (creating if needed) the database of `dataDir` and brings its schema up to date. */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): DatabaseSync {
  mkdirSync(dataDir, { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(databasePath(dataDir));
  } catch (error) {
    throw new EngineError("store", `cannot open ${databasePath(dataDir)}: ${(error as Error).message}`);
  }
  try {
    // WAL lets readers run beside the writer. synchronous=FULL fsyncs the log at every commit: a record
    // the API has answered for is on the disk, and survives kill -9 and a power cut alike.
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    tune(db);
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error instanceof EngineError ? error : new EngineError("store", `cannot prepare ${databasePath(dataDir)}: ${(error as Error).message}`);
  }
  return db;
}

/**
 * A read-only connection to the database of `dataDir`, which openDatabase has already opened and
 * migrated (the verification answer worker's: services/answerWorker.ts).
 */
export function openReadOnlyDatabase(dataDir: string): DatabaseSync {
  const db = new DatabaseSync(databasePath(dataDir), { readOnly: true });
  tune(db);
  return db;
}

/** What every connection to the ledger database is set to, writer or reader. */
function tune(db: DatabaseSync): void {
  // Another process holding the write lock (a worker, a reindex) is waited for, not an error.
  db.exec("PRAGMA busy_timeout = 10000");
  // A first verification reads an index, the record's row and its batch's row. With SQLite's default
  // 2 MB page cache most of those pages come from the file again once the records outgrow it (20,000
  // records: ~25 MB); 64 MB (taken only as pages are read) made such a lookup about a quarter cheaper
  // in the service under load (25 µs instead of 31–36 µs).
  db.exec("PRAGMA cache_size = -65536");
}

/** Runs `work` in one write transaction: all of it is on the disk when this returns, or none of it. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  // IMMEDIATE takes the write lock first, so a transaction never fails half-way on a lock upgrade.
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_version").get() as { version: number | null };
  return row.version ?? 0;
}

function migrate(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  const current = schemaVersion(db);
  const newest = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
  if (current > newest) {
    throw new EngineError("store", `the database has schema version ${current}, newer than this program knows (${newest}): run a newer version`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    inTransaction(db, () => {
      // Asked again under the write lock: another process may have just applied it.
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.description,
        Date.now(),
      );
    });
  }
}
