import { id } from "ethers";

/** The officer roles of contracts/libraries/Roles.sol, computed the same way (keccak256 of the name). */
export const ROLES = {
  PERMIT_OFFICER: id("PERMIT_OFFICER"),
  ENGINEER: id("ENGINEER"),
  DIRECTOR: id("DIRECTOR"),
  MAYOR: id("MAYOR"),
  HEALTH_OFFICER: id("HEALTH_OFFICER"),
  COMPLAINT_OFFICER: id("COMPLAINT_OFFICER"),
  TREASURER: id("TREASURER"),
  AUDITOR: id("AUDITOR"),
  DOCUMENT_ISSUER: id("DOCUMENT_ISSUER"),
  ANCHOR_SERVICE: id("ANCHOR_SERVICE"),
} as const;
