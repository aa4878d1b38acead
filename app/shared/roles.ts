import { id } from "ethers";

/**
 * The officer roles of the Directory (contracts/libraries/Roles.sol): a role's id is the keccak256 of
 * its name, which is how the contracts, the API, the CLI and the web app all name the same role.
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

export function roleId(name: RoleName): string {
  return id(name);
}

const NAME_BY_ID = new Map<string, RoleName>(ROLE_NAMES.map((name) => [id(name), name]));

/** The name of a role id, or the id itself for a role this program does not know. */
export function roleName(roleIdHex: string): string {
  return NAME_BY_ID.get(roleIdHex.toLowerCase()) ?? roleIdHex;
}
