import { expect } from "chai";
import { Wallet, id } from "ethers";
import { planPhases, type PhasedCall } from "../../app/shared/planPhases.js";

/**
 * A town's plan sent phase by phase: the calls of one phase write disjoint storage, so each is estimated
 * right while the others wait in the pool; what shares storage, or is published last, waits a phase.
 */
describe("planPhases", function () {
  const directory = Wallet.createRandom().address;
  const permits = Wallet.createRandom().address;
  const categories = Wallet.createRandom().address;
  const [oldKey, newKey, other] = [0, 1, 2].map(() => Wallet.createRandom().address);
  const call = (to: string, method: string, ...args: unknown[]): PhasedCall => ({ to, method, args: [7, ...args] });

  it("sends a fresh town's grants, names, types and categories at once, and its profile after them", () => {
    const plan = [
      call(directory, "grantRole", id("PERMIT_OFFICER"), newKey),
      call(directory, "grantRole", id("DOCUMENT_ISSUER"), newKey),
      call(directory, "setOfficerName", newKey, "Officer"),
      call(permits, "definePermitType", id("SIGNBOARD"), [id("MAYOR")], 365),
      call(categories, "setCategory", id("FLOODING"), 86_400, true),
      call(categories, "setCategory", id("STREET_LIGHT"), 3 * 86_400, true),
      call(directory, "publishProfile", id("profile"), "bafkrei…"),
    ];
    expect(planPhases(plan)).to.deep.equal([plan.slice(0, 6), plan.slice(6)]);
  });

  it("waits a phase before another change of the same role's members: a rotated key loses its role only once its successor holds it", () => {
    const plan = [
      call(directory, "grantRole", id("MAYOR"), newKey),
      call(directory, "grantRole", id("PERMIT_OFFICER"), newKey),
      call(directory, "grantRole", id("PERMIT_OFFICER"), other),
      call(directory, "setOfficerName", newKey, "Mayor"),
      call(directory, "revokeRole", id("MAYOR"), oldKey),
      call(directory, "setOfficerName", oldKey, ""),
      call(directory, "publishProfile", id("profile"), "bafkrei…"),
    ];
    // The second phase is sent once the first went through: the successor holds MAYOR by then.
    expect(planPhases(plan)).to.deep.equal([plan.slice(0, 2), plan.slice(2, 6), plan.slice(6)]);
  });

  it("tells one town's storage from another's, and gives a call it does not know a phase of its own", () => {
    const plan = [
      call(directory, "grantRole", id("MAYOR"), newKey),
      { to: directory, method: "grantRole", args: [8, id("MAYOR"), newKey] },
      call(directory, "markKeyCompromised", oldKey, 0),
      call(directory, "setOfficerName", newKey, "Mayor"),
    ];
    expect(planPhases(plan)).to.deep.equal([plan.slice(0, 2), plan.slice(2, 3), plan.slice(3)]);
    expect(planPhases([])).to.deep.equal([]);
  });
});
