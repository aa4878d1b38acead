import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import { AppError } from "../errors.js";
import { readAll } from "../ipfs/readAll.js";
import type { IpfsStore } from "../ipfs/types.js";
import { roleId, roleName, roleNamer } from "../../shared/roles.js";
import { singleBlockCid } from "../../shared/singleBlockCid.js";
import { TOWN_PROFILE_MAX_BYTES, TownProfileError, areaBounds, parseTownProfile, type TownProfile } from "../../shared/townProfile.js";
import type { WorkflowContext } from "../workflows/context.js";

/**
 * The towns this ledger serves, as the chain and IPFS say: each municipality of the Directory with the
 * profile its admin published last (Directory.MunicipalityProfilePublished → idx_town_profiles), whose
 * bytes come from IPFS, checked against the SHA-256 the admin signed, and are kept in
 * town_profile_documents. Nothing here is configuration of this server: a fresh replica or a reindex
 * rebuilds every town from the chain and IPFS alone.
 */
export interface Town {
  municipalityId: number;
  code: string;
  /** The English name the national admin gave when adding it (the profile's names take precedence). */
  chainName: string;
  admin: string;
  suspended: boolean;
  /** The published profile, or null when none was published or its bytes are not here yet. */
  profile: TownProfile | null;
  profileSha256: string | null;
  profileCid: string | null;
}

interface TownRow {
  municipality_id: number;
  code: string;
  name: string;
  admin: string;
  suspended: number;
  sha256: string | null;
  cid: string | null;
  body: string | null;
}

/** A role as a town names it (Towns.role). */
export interface TownRole {
  /** Its name, the ledger's own or the town's (SAFETY_OFFICER); its id for a role nobody named. */
  role: string;
  roleId: string;
  /** The town's Thai and English label for a role of its own; null for the ledger's roles (the web app names those). */
  roleLabel: { th: string; en: string } | null;
}

/** Each profile's role names by id: every role it uses (labelled, held by an officer, in an approval chain). */
const namers = new WeakMap<TownProfile, (roleIdHex: string) => string>();

function namerOf(profile: TownProfile): (roleIdHex: string) => string {
  let namer = namers.get(profile);
  if (!namer) {
    namer = roleNamer([
      ...profile.roles.map((role) => role.code),
      ...profile.officers.flatMap((officer) => officer.roles),
      ...profile.permitTypes.flatMap((type) => type.approvalRoles),
    ]);
    namers.set(profile, namer);
  }
  return namer;
}

const TOWN_QUERY = `SELECT m.municipality_id, m.code, m.name, m.admin, m.suspended, p.sha256, p.cid, d.body
  FROM idx_municipalities m
  LEFT JOIN idx_town_profiles p ON p.municipality_id = m.municipality_id
  LEFT JOIN town_profile_documents d ON d.sha256 = p.sha256`;

const sha256Hex = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

export class Towns {
  static readonly #perDatabase = new WeakMap<DatabaseSync, Towns>();

  /** One per database, so that every workflow shares its parsed profiles. */
  static of(db: DatabaseSync): Towns {
    let towns = Towns.#perDatabase.get(db);
    if (!towns) Towns.#perDatabase.set(db, (towns = new Towns(db)));
    return towns;
  }

  readonly #db: DatabaseSync;
  /** Parsed profiles by SHA-256: a profile never changes under its hash. */
  readonly #parsed = new Map<string, TownProfile>();
  #ipfs: IpfsStore | null = null;
  /** Profiles' bytes this process ships (the embedded demo's town files), by SHA-256. */
  readonly #shipped = new Map<string, Uint8Array>();
  #resolving: Promise<number> | null = null;

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Where profiles' bytes are read from when the index names one this store does not hold yet; and
   * `shipped`, bytes this process has at hand (the embedded demo's town files), which are put on IPFS
   * when the chain names them, as their admin's `ledger town apply` would have.
   */
  useIpfs(ipfs: IpfsStore, shipped: readonly Uint8Array[] = []): void {
    this.#ipfs = ipfs;
    for (const bytes of shipped) this.#shipped.set(sha256Hex(bytes), bytes);
  }

  list(): Town[] {
    return (this.#db.prepare(`${TOWN_QUERY} ORDER BY m.municipality_id`).all() as unknown as TownRow[]).map((row) => this.#town(row));
  }

  get(municipalityId: number): Town | null {
    const row = this.#db.prepare(`${TOWN_QUERY} WHERE m.municipality_id = ?`).get(municipalityId) as TownRow | undefined;
    return row ? this.#town(row) : null;
  }

  /** The profile of `municipalityId`, or null. */
  profile(municipalityId: number): TownProfile | null {
    return this.get(municipalityId)?.profile ?? null;
  }

  /** The names of `municipalityId` in Thai and English: its profile's, else `chainName` (the Directory's) in both. */
  names(municipalityId: number, chainName: string): { th: string; en: string } {
    return namesOf(this.profile(municipalityId), chainName);
  }

  /**
   * A role as the town names it: by name (the ledger's own, or one the town's profile uses — SAFETY_OFFICER
   * — else its id), by id, and with the Thai and English label the profile gives its own roles.
   */
  role(municipalityId: number, nameOrId: string): TownRole {
    const profile = this.profile(municipalityId);
    const name = (profile ? namerOf(profile) : roleName)(roleId(nameOrId));
    const label = profile?.roles.find((role) => role.code === name)?.label ?? null;
    return { role: name, roleId: roleId(nameOrId), roleLabel: label ? { th: label.th, en: label.en } : null };
  }

  byCode(code: string): Town | null {
    const row = this.#db.prepare(`${TOWN_QUERY} WHERE m.code = ?`).get(code) as TownRow | undefined;
    return row ? this.#town(row) : null;
  }

  /** The town answering to an Open311 jurisdiction_id, compared case-insensitively. */
  byJurisdiction(jurisdictionId: string): Town | null {
    const wanted = jurisdictionId.trim().toLowerCase();
    return this.list().find((town) => town.profile?.open311.jurisdictionId === wanted) ?? null;
  }

  /**
   * 422 POINT_OUTSIDE_TOWN unless the point lies in the town's published area. A town without a profile
   * has no area to check against, and takes any point.
   */
  requireInArea(municipalityId: number, lat: number, long: number): void {
    const profile = this.profile(municipalityId);
    if (!profile) return;
    if (!booleanPointInPolygon([long, lat], profile.area)) {
      throw new AppError("POINT_OUTSIDE_TOWN", `The point ${lat}, ${long} is outside ${profile.name.en}'s area: choose a point in the town.`);
    }
  }

  /**
   * Keeps the bytes of the profile `municipalityId` published, once they hash to what its admin signed
   * (`publishedSha256`, read from the chain by the caller): on IPFS, and here.
   */
  async store(ipfs: IpfsStore, municipalityId: number, bytes: Uint8Array, publishedSha256: string | null): Promise<{ sha256: string; cid: string }> {
    if (bytes.length === 0 || bytes.length > TOWN_PROFILE_MAX_BYTES) {
      throw new AppError("TOWN_PROFILE_INVALID", `A town profile is 1 byte to ${TOWN_PROFILE_MAX_BYTES} bytes.`);
    }
    const sha256 = sha256Hex(bytes);
    if (publishedSha256 === null || sha256 !== publishedSha256.toLowerCase()) {
      throw new AppError(
        "TOWN_PROFILE_NOT_PUBLISHED",
        `Municipality ${municipalityId}'s admin has not published a profile with SHA-256 ${sha256} (the Directory holds ${publishedSha256 ?? "none"}): publish it first.`,
      );
    }
    this.#parse(sha256, new TextDecoder().decode(bytes));
    const cid = await ipfs.add(bytes);
    this.#keep(sha256, cid, bytes);
    return { sha256, cid };
  }

  /**
   * Reads from IPFS the profiles the index names and this store lacks, checks each against its SHA-256
   * and keeps it. Answers how many it kept; one call at a time.
   */
  resolve(): Promise<number> {
    if (!this.#resolving) {
      this.#resolving = this.#resolveMissing().finally(() => (this.#resolving = null));
    }
    return this.#resolving;
  }

  async #resolveMissing(): Promise<number> {
    const ipfs = this.#ipfs;
    if (!ipfs) return 0;
    const missing = this.#db
      .prepare("SELECT p.sha256, p.cid FROM idx_town_profiles p LEFT JOIN town_profile_documents d ON d.sha256 = p.sha256 WHERE d.sha256 IS NULL")
      .all() as Array<{ sha256: string; cid: string }>;
    let kept = 0;
    for (const { sha256, cid } of missing) {
      // Only a CID that is the raw leaf of this hash is asked for: an admin's typo cannot make us fetch
      // something else, and what IPFS answers is checked against the hash all the same.
      if (singleBlockCid(sha256) !== cid) continue;
      const shipped = this.#shipped.get(sha256);
      if (shipped) await ipfs.add(shipped);
      if (!(await ipfs.has(cid).catch(() => false))) continue;
      const bytes = await readAll(ipfs, cid);
      if (sha256Hex(bytes) !== sha256) continue;
      try {
        this.#parse(sha256, new TextDecoder().decode(bytes));
      } catch {
        continue;
      }
      this.#keep(sha256, cid, bytes);
      kept++;
    }
    return kept;
  }

  #keep(sha256: string, cid: string, bytes: Uint8Array): void {
    this.#db
      .prepare("INSERT OR IGNORE INTO town_profile_documents (sha256, cid, body, stored_at) VALUES (?, ?, ?, ?)")
      .run(sha256, cid, new TextDecoder().decode(bytes), Date.now());
  }

  #parse(sha256: string, body: string): TownProfile {
    let profile = this.#parsed.get(sha256);
    if (profile) return profile;
    try {
      profile = parseTownProfile(JSON.parse(body));
    } catch (error) {
      const problems = error instanceof TownProfileError ? error.problems.join("; ") : (error as Error).message;
      throw new AppError("TOWN_PROFILE_INVALID", `Not a town profile: ${problems}`);
    }
    this.#parsed.set(sha256, profile);
    return profile;
  }

  #town(row: TownRow): Town {
    let profile: TownProfile | null = null;
    if (row.sha256 && row.body !== null) {
      try {
        profile = this.#parse(row.sha256, row.body);
      } catch {
        profile = null;
      }
    } else if (row.sha256) {
      // Named by the chain, not read yet: fetch it in the background; the next read has it.
      void this.resolve().catch(() => undefined);
    }
    return {
      municipalityId: row.municipality_id,
      code: row.code,
      chainName: row.name,
      admin: row.admin,
      suspended: row.suspended === 1,
      profile,
      profileSha256: row.sha256,
      profileCid: row.cid,
    };
  }
}

/** A town's names: its profile's, else the (English) name the Directory holds, in both languages. */
function namesOf(profile: TownProfile | null, chainName: string): { th: string; en: string } {
  return profile ? { th: profile.name.th, en: profile.name.en } : { th: chainName, en: chainName };
}

export const townName = (town: Town) => namesOf(town.profile, town.chainName);

/** What the web app shows of a town: names, where it is, how Open311 knows it, its campaigns' token. */
export function townSummary(town: Town) {
  const profile = town.profile;
  return {
    id: town.municipalityId,
    code: town.code,
    name: townName(town),
    suspended: town.suspended,
    admin: town.admin,
    jurisdictionId: profile?.open311.jurisdictionId ?? null,
    bounds: profile ? areaBounds(profile.area) : null,
    fund: profile?.fund ?? null,
    profileSha256: town.profileSha256,
    profileCid: town.profileCid,
  };
}

/**
 * The towns this ledger serves, as the chain has them now: the index caught up first (one catch-up
 * shared by concurrent callers, Indexer.catchUp), so a town just added or a profile just published is
 * listed at once. The one list of towns: GET /api/municipalities answers it whole, GET
 * /api/audit/municipalities each town's id, code, names and suspension from it.
 */
export async function servedTowns(ctx: Pick<WorkflowContext, "catchUpIndex" | "towns">) {
  await ctx.catchUpIndex();
  return ctx.towns.list().map(townSummary);
}
