import type { PlanReason } from "../../../shared/planReason.js";
import type { I18n } from "../i18n/index.js";
import { roleLabel } from "./fields.js";
import type { TownDraft } from "./townDraft.js";

/** "<name> (<code>)" when the file names the code in the reader's language, else the code. */
const named = (name: string | undefined, code: string) => (name && name !== code ? `${name} (${code})` : code);

/**
 * A planned call's reason in the reader's words. The English catalogue says what the CLI prints
 * (planReasonText: codes only); the Thai one also names roles, permit types and categories as the town
 * file does, so an admin reading Thai reviews the plan in Thai.
 */
export function planWords(i18n: I18n, draft: TownDraft, reason: PlanReason): string {
  const { t, lang } = i18n;
  const role = (code: string) => named(roleLabel(i18n, draft, code), code);
  switch (reason.kind) {
    case "grantRole":
      return t("admin.why.grantRole", { role: reason.role, roleName: role(reason.role), account: reason.account, name: reason.name });
    case "revokeRole":
      return t("admin.why.revokeRole", { role: reason.role, roleName: role(reason.role), account: reason.account });
    case "publishName":
      return t("admin.why.publishName", { account: reason.account, name: reason.name });
    case "withdrawName":
      return t("admin.why.withdrawName", { account: reason.account });
    case "definePermitType":
    case "retirePermitType": {
      const label = draft.permitTypes.find((type) => type.code === reason.code)?.label[lang];
      const permitType = named(label, reason.code);
      if (reason.kind === "retirePermitType") return t("admin.why.retirePermitType", { code: reason.code, permitType });
      return t("admin.why.definePermitType", {
        code: reason.code,
        permitType,
        roles: reason.approvalRoles.join(" → "),
        roleNames: reason.approvalRoles.map(role).join(" → "),
        validity: reason.validityDays === 0 ? t("admin.why.noExpiry") : t("admin.why.validDays", { days: reason.validityDays }),
      });
    }
    case "setCategory": {
      const name = draft.complaintCategories.find((category) => category.code === reason.code)?.name[lang];
      const sla = reason.slaDays === 1 ? t("admin.why.oneDay") : t("admin.why.days", { days: reason.slaDays });
      return t(reason.active ? "admin.why.setCategory" : "admin.why.setCategoryClosed", { code: reason.code, category: named(name, reason.code), sla });
    }
    case "publishProfile":
      return t("admin.why.publishProfile", { cid: reason.cid });
  }
}
