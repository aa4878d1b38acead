import type { DatabaseSync } from "node:sqlite";
import { inTransaction } from "../store/database.js";

/**
 * An index rebuilt aside: a copy of the index tables' schema in the same database under names of its own
 * (`rebuild_<pid>_idx_…`), which the indexer fills from the deployment block while the tables in use keep
 * answering. Once it has caught up, {@link ShadowIndex.swapInto} drops the tables in use and renames
 * the copies in their place, in one transaction: a reader — this process, the answer worker's
 * connection, another process — sees the old index or the new one, never an empty or half-built one, so
 * no verdict changes because the index is rebuilt. Renaming costs the same whatever the tables hold
 * (copying rows costs about 10 µs a row, with the write lock held).
 *
 * The event modules write their tables by name; here they get the same connection with those names
 * mapped to the copies' ({@link ShadowIndex.db}). The copies' indexes take the names of the ones in use
 * when those are free, so after every other rebuild an index of an `idx_` table is named
 * `rebuild_<pid>_<its name>`: a migration must not count on those names. Copies left by a process that
 * died during a rebuild are dropped by the next rebuild.
 */
export class ShadowIndex {
  #swapped = false;

  private constructor(
    readonly live: DatabaseSync,
    readonly prefix: string,
    /** The live connection, the index tables' names mapped to the copies'. */
    readonly db: DatabaseSync,
    /** Each index table's name → its copy's. */
    readonly copies: ReadonlyMap<string, string>,
  ) {}

  /** New, empty copies of `tables` (with their indexes) in `live`'s database. */
  static create(live: DatabaseSync, tables: readonly string[]): ShadowIndex {
    const prefix = `${PREFIX}${process.pid}_${++rebuilds}_`;
    const copies = new Map(tables.map((table) => [table, `${prefix}${table}`]));
    inTransaction(live, () => {
      dropAbandoned(live);
      const schema = live
        .prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE tbl_name IN (SELECT value FROM json_each(?)) AND sql IS NOT NULL ORDER BY type = 'index'")
        .all(JSON.stringify(tables)) as { type: "table" | "index"; name: string; tbl_name: string; sql: string }[];
      const taken = new Set((live.prepare("SELECT name FROM main.sqlite_master").all() as { name: string }[]).map(({ name }) => name));
      for (const { type, name, tbl_name: table, sql } of schema) {
        if (type === "table") {
          live.exec(sql.replace(/^CREATE TABLE\s+("?)\w+\1/i, `CREATE TABLE "${copies.get(table)}"`));
          continue;
        }
        const base = name.replace(/^rebuild_\d+_\d+_/, "");
        const copyName = taken.has(base) ? `${prefix}${base}` : base;
        live.exec(sql.replace(/^CREATE\s+(UNIQUE\s+)?INDEX\s+("?)\w+\2\s+ON\s+("?)\w+\3/i, (_, unique) => `CREATE ${unique ?? ""}INDEX "${copyName}" ON "${copies.get(table)}"`));
      }
    });
    active.add(prefix);
    return new ShadowIndex(live, prefix, namesMapped(live, copies), copies);
  }

  /**
   * Puts the copies in place of the tables in use, in one write transaction — only if `stillAsSeen()`
   * holds under that transaction's lock (the caller checked the index in use before; another indexer may
   * have moved it since). Whether it did.
   */
  swapInto(stillAsSeen: () => boolean): boolean {
    this.#swapped = inTransaction(this.live, () => {
      if (!stillAsSeen()) return false;
      for (const [table, copy] of this.copies) {
        this.live.exec(`DROP TABLE main."${table}"`);
        this.live.exec(`ALTER TABLE main."${copy}" RENAME TO "${table}"`);
      }
      return true;
    });
    return this.#swapped;
  }

  /** Drops the copies, unless they were swapped in (or the database is closed: the next rebuild drops them). */
  dispose(): void {
    active.delete(this.prefix);
    if (this.#swapped || !this.live.isOpen) return;
    inTransaction(this.live, () => {
      for (const copy of this.copies.values()) this.live.exec(`DROP TABLE IF EXISTS main."${copy}"`);
    });
  }
}

const PREFIX = "rebuild_";
/** This process's rebuilds so far, and the prefixes of those under way (whose copies are not abandoned). */
let rebuilds = 0;
const active = new Set<string>();

/** `db` with every SQL text's names of `copies`' tables replaced by their copies' names. */
function namesMapped(db: DatabaseSync, copies: ReadonlyMap<string, string>): DatabaseSync {
  // Whole names only: idx_events is not the start of idx_events_subject.
  const names = new RegExp(`\\b(${[...copies.keys()].join("|")})\\b`, "g");
  const mapped = (sql: string) => sql.replace(names, (name) => copies.get(name)!);
  return new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => target.prepare(mapped(sql));
      if (property === "exec") return (sql: string) => target.exec(mapped(sql));
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Drops the copies of rebuilds whose process is gone (a crash), or of this process's that ended without dropping theirs. */
function dropAbandoned(db: DatabaseSync): void {
  const tables = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name GLOB '${PREFIX}[0-9]*_[0-9]*_*'`).all() as { name: string }[];
  for (const { name } of tables) {
    const [, pid, rebuild] = /^rebuild_(\d+)_(\d+)_/.exec(name)!;
    const abandoned = Number(pid) === process.pid ? !active.has(`${PREFIX}${pid}_${rebuild}_`) : !alive(Number(pid));
    if (abandoned) db.exec(`DROP TABLE main."${name}"`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
