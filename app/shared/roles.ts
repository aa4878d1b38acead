import { id } from "ethers";

/**
 * The officer roles of the Directory (contracts/libraries/Roles.sol): a role's id is the keccak256 of
 * its name, which is how the contracts, the API, the CLI and the web app all name the same role.
 *
 * A town may define roles of its own (a permit type whose approval chain holds SAFETY_OFFICER): the
 * chain knows such a role by its id only, and this program knows its name only when told. So every
 * conversion here takes a name or an id, and an id is never hashed again.
 */
export const ROLE_NAMES = [
  "PERMIT_OFFICER",
  "ENGINEER",
  "DIRECTOR",
  "MAYOR",
  "HEALTH_OFFICER",
  "COMPLAINT_OFFICER",
  "TREASURER",
  "AUDITOR",
  "DOCUMENT_ISSUER",
  "ANCHOR_SERVICE",
] as const;

export type RoleName = (typeof ROLE_NAMES)[number];

/** A role by its id, as the chain gives it (any role, a town's own included). */
export type RoleIdHex = `0x${string}`;

/** A role this program can ask the Directory about: one of ours by name, or any by id. */
export type RoleRef = RoleName | RoleIdHex;

/** A role as the chain knows it: 32 bytes of hex. */
const ROLE_ID = /^0x[0-9a-fA-F]{64}$/;

export function isRoleId(value: string): boolean {
  return ROLE_ID.test(value);
}

/** The id of a role given by its name (keccak256 of it) or by its id already (then as it is, lower case). */
export function roleId(nameOrId: string): RoleIdHex {
  return (isRoleId(nameOrId) ? nameOrId.toLowerCase() : id(nameOrId)) as RoleIdHex;
}

const NAME_BY_ID = new Map<string, string>(ROLE_NAMES.map((name) => [id(name), name]));

/** The name of a role id, or the id itself (lower case) for a role this program has no name for. */
export function roleName(roleIdHex: string): string {
  const lower = roleIdHex.toLowerCase();
  return NAME_BY_ID.get(lower) ?? (isRoleId(roleIdHex) ? lower : roleIdHex);
}

/**
 * {@link roleName}, knowing also `townRoleNames` (the roles a town named, e.g. in its profile), so that
 * the same role reads the same wherever it comes from.
 */
export function roleNamer(townRoleNames: Iterable<string>): (roleIdHex: string) => string {
  const names = new Map(NAME_BY_ID);
  for (const name of townRoleNames) names.set(id(name), name);
  return (roleIdHex) => names.get(roleIdHex.toLowerCase()) ?? roleName(roleIdHex);
}
