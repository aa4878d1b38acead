/**
 * Why a call is in a town's plan (townPlan.ts), as data: the console words it in the reader's language
 * (app/web/src/admin/planWords.ts, from its catalogues), the CLI prints `planReasonText`, which is also the
 * plan's English `why`. Accounts are EIP-55 addresses; roles, permit types and categories their codes.
 */
export type PlanReason =
  | { kind: "grantRole"; role: string; account: string; name: string }
  | { kind: "revokeRole"; role: string; account: string }
  | { kind: "publishName"; account: string; name: string }
  | { kind: "withdrawName"; account: string }
  | { kind: "definePermitType"; code: string; approvalRoles: string[]; validityDays: number }
  | { kind: "retirePermitType"; code: string }
  | { kind: "setCategory"; code: string; slaDays: number; active: boolean }
  | { kind: "publishProfile"; cid: string };

/** The reason in English, e.g. "grant ENGINEER to 0x… (วิศวกร สมศักดิ์)". */
export function planReasonText(reason: PlanReason): string {
  switch (reason.kind) {
    case "grantRole":
      return `grant ${reason.role} to ${reason.account} (${reason.name})`;
    case "revokeRole":
      return `revoke ${reason.role} from ${reason.account}`;
    case "publishName":
      return `publish the name of ${reason.account}: ${reason.name}`;
    case "withdrawName":
      return `withdraw the name of ${reason.account}`;
    case "definePermitType":
      return `define permit type ${reason.code}: ${reason.approvalRoles.join(" → ")}, ${reason.validityDays === 0 ? "never expires" : `valid ${reason.validityDays} days`}`;
    case "retirePermitType":
      return `retire permit type ${reason.code}`;
    case "setCategory":
      return `set complaint category ${reason.code}: ${reason.slaDays} day${reason.slaDays === 1 ? "" : "s"}${reason.active ? "" : ", closed to new filings"}`;
    case "publishProfile":
      return `publish the town's profile ${reason.cid}`;
  }
}
