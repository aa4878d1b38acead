import { sha256, toUtf8Bytes } from "ethers";
import { z } from "zod";
import { SINGLE_BLOCK_MAX_BYTES } from "./singleBlock.js";

/**
 * A town as one document: everything a municipality is, in one JSON file its admin applies
 * (`ledger town apply`, or the console's admin section). What the contracts enforce — officers' roles and
 * published names, permit types and their approval chains, complaint categories and their SLA — is made
 * chain state by the admin's own transactions; the whole document is then published as the town's
 * profile (Directory.publishProfile: its SHA-256 on the chain, its bytes on IPFS), so any replica or a
 * reindex rebuilds the town from the chain and IPFS alone. The format: docs/towns.md.
 *
 * The document is public: officers' names are published in their official capacity, never a resident's.
 */
export const TOWN_PROFILE_VERSION = 1;
/** A profile is one IPFS block (1 MiB, the unixfs-v1-2025 chunk): its CID follows from its SHA-256 alone. */
export const TOWN_PROFILE_MAX_BYTES = SINGLE_BLOCK_MAX_BYTES;

const text = (max: number) => z.string().trim().min(1).max(max);
const bilingual = (max = 200) => z.object({ th: text(max), en: text(max) }).strict();
/** Codes the chain keeps as keccak256(code): roles, permit types, complaint categories. */
const chainCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,47}$/, "upper-case letters, digits and _ (e.g. SAFETY_OFFICER)");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an Ethereum address (0x and 40 hex digits)");
const sha256Hex = z.string().regex(/^0x[0-9a-f]{64}$/, "0x and 64 lower-case hex digits");

/** [longitude, latitude], as GeoJSON has it. */
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z
  .array(position)
  .min(4)
  .refine((points) => points[0][0] === points.at(-1)![0] && points[0][1] === points.at(-1)![1], "a ring ends where it begins");
/** The town's map area: a GeoJSON Polygon or MultiPolygon geometry (RFC 7946), longitude first. */
export const townAreaSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Polygon"), coordinates: z.array(ring).min(1) }).strict(),
  z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(ring).min(1)).min(1) }).strict(),
]);

const officerSchema = z
  .object({
    address,
    /** As the municipality vouches for it; every verifier shows it (Directory.setOfficerName, ≤ 200 bytes). */
    name: text(200).refine((name) => new TextEncoder().encode(name).length <= 200, "at most 200 bytes"),
    roles: z.array(chainCode).min(1),
  })
  .strict();

const roleLabelSchema = z.object({ code: chainCode, label: bilingual() }).strict();

const permitTypeSchema = z
  .object({
    code: chainCode,
    /** The short code in permit numbers: TH-50-MAEHIA/BLD/2026/000001. */
    abbreviation: z.string().regex(/^[A-Z0-9]{1,6}$/),
    label: bilingual(),
    /** The approval chain, in order: one role per step (1 to 16). Fixed once defined on the chain. */
    approvalRoles: z.array(chainCode).min(1).max(16),
    /** How long an issued certificate is valid; 0 = never expires. Fixed once defined on the chain. */
    validityDays: z.number().int().min(0).max(36_500),
    /** Retired: no new applications (permits already applied for continue). */
    retired: z.boolean().default(false),
  })
  .strict();

const questionSchema = z
  .object({
    /** The Open311 attribute code. */
    code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    datatype: z.enum(["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]),
    required: z.boolean().default(false),
    label: bilingual(),
    /** What Open311 calls datatype_description, e.g. "22:00-02:00". */
    hint: z.string().max(200).default(""),
    values: z.array(z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), label: bilingual() }).strict()).optional(),
  })
  .strict()
  .refine((question) => question.datatype.endsWith("valuelist") === (question.values !== undefined && question.values.length > 0), {
    message: "list questions need values, and only they",
  });

const categorySchema = z
  .object({
    code: chainCode,
    name: bilingual(),
    description: bilingual(500).optional(),
    group: z.string().max(64).default(""),
    keywords: z.array(z.string().max(64)).default([]),
    /** The service level: days to resolve (fractions allowed: 0.5 is 12 hours). */
    slaDays: z.number().positive().max(365),
    active: z.boolean().default(true),
    questions: z.array(questionSchema).default([]),
  })
  .strict();

const apiKeySchema = z
  .object({
    label: text(100),
    /** SHA-256 of the key; the key itself is shown once, to whoever made it, and kept nowhere. */
    sha256: sha256Hex,
    createdAt: z.string().datetime(),
  })
  .strict();

export const townProfileSchema = z
  .object({
    version: z.literal(TOWN_PROFILE_VERSION),
    /** The municipality's Directory code, e.g. TH-50-MAEHIA: fixed when the national admin adds it. */
    code: z.string().regex(/^[A-Z0-9-]{1,32}$/),
    name: bilingual(),
    /** Open311: the jurisdiction_id clients send (compared case-insensitively) and the live api keys. */
    open311: z
      .object({
        jurisdictionId: z.string().regex(/^[A-Za-z0-9.-]{1,100}$/).transform((value) => value.toLowerCase()),
        apiKeys: z.array(apiKeySchema).default([]),
      })
      .strict(),
    area: townAreaSchema,
    /** Thai and English names of roles beyond the ledger's own (e.g. SAFETY_OFFICER). */
    roles: z.array(roleLabelSchema).default([]),
    officers: z.array(officerSchema).default([]),
    permitTypes: z.array(permitTypeSchema).default([]),
    complaintCategories: z.array(categorySchema).default([]),
    /** The ERC-20 that the town's campaigns take pledges in. */
    fund: z.object({ token: address, symbol: text(11), decimals: z.number().int().min(0).max(36) }).strict().optional(),
  })
  .strict()
  .superRefine((profile, issues) => {
    const unique = (label: string, values: string[]) => {
      const seen = new Set<string>();
      for (const value of values) {
        if (seen.has(value)) issues.addIssue({ code: "custom", message: `${label} ${value} appears twice` });
        seen.add(value);
      }
    };
    unique("officer", profile.officers.map((officer) => officer.address.toLowerCase()));
    unique("permit type", profile.permitTypes.map((type) => type.code));
    unique("permit abbreviation", profile.permitTypes.map((type) => type.abbreviation));
    unique("complaint category", profile.complaintCategories.map((category) => category.code));
    unique("role label", profile.roles.map((role) => role.code));
    unique("api key", profile.open311.apiKeys.map((key) => key.sha256));
    // Published as one IPFS block, or the CID that the admin signs beside its SHA-256 would name nothing.
    const size = townProfileBytes(profile).length;
    if (size > TOWN_PROFILE_MAX_BYTES) {
      issues.addIssue({ code: "custom", message: `the profile is ${size} bytes as published, over ${TOWN_PROFILE_MAX_BYTES} (one IPFS block): draw the area with fewer points` });
    }
  });

export type TownProfile = z.output<typeof townProfileSchema>;
export type TownProfileInput = z.input<typeof townProfileSchema>;
export type TownArea = z.output<typeof townAreaSchema>;
export type TownCategory = TownProfile["complaintCategories"][number];
export type TownPermitType = TownProfile["permitTypes"][number];

export class TownProfileError extends Error {
  constructor(readonly problems: string[]) {
    super(`not a valid town profile: ${problems.join("; ")}`);
    this.name = "TownProfileError";
  }
}

/** The profile in `value`, or a TownProfileError that lists every problem with its path. */
export function parseTownProfile(value: unknown): TownProfile {
  const parsed = townProfileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new TownProfileError(parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message)));
}

/**
 * The bytes a profile is published as: its normalised form (defaults filled in, jurisdiction in lower
 * case) as JSON with two-space indents. The same file always gives the same bytes, so re-applying an
 * unchanged file publishes nothing.
 */
export function townProfileBytes(profile: TownProfile): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(profile, null, 2)}\n`);
}

/** How a profile lists an Open311 api key (open311.apiKeys[].sha256): the SHA-256 of the key's text. */
export function apiKeySha256(key: string): string {
  return sha256(toUtf8Bytes(key));
}

/** The bounding box of the area: what the web app's map picker draws. */
export function areaBounds(area: TownArea): { south: number; west: number; north: number; east: number } {
  const positions = (area.type === "Polygon" ? area.coordinates : area.coordinates.flat()).flat();
  const longs = positions.map(([long]) => long);
  const lats = positions.map(([, lat]) => lat);
  return { south: Math.min(...lats), west: Math.min(...longs), north: Math.max(...lats), east: Math.max(...longs) };
}
