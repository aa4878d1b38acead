/**
 * What GET /api/permits/types answers for each permit type a municipality takes applications for now
 * (app/server/services/permits/openTypes.ts), as the officers' counter intake reads it.
 */
export interface OpenPermitType {
  code: string;
  typeId: string;
  th: string;
  en: string;
  approvalRoles: string[];
  validityDays: number;
  /** False when the service knows the type only by its id (keccak256 of a code it has no label for): no application can name it. */
  known: boolean;
}
