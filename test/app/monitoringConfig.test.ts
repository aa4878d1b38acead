import { expect } from "chai";
import { readMonitoringConfig } from "../../app/server/services/monitoringConfig.js";

/** The thresholds and intervals of /api/health from the environment (docs/monitoring.md, Settings). */
describe("monitoring settings", () => {
  it("defaults to a 10-minute stall, 7 days of funds, the chain read every 5 s and the relayer's roles every 30 s", () => {
    expect(readMonitoringConfig({})).to.deep.equal({ stallAfterMs: 600_000, lowFundsDays: 7, chainFreshMs: 5_000, rolesFreshMs: 30_000 });
  });

  it("takes each from its variable in whole seconds (days), and refuses what is not a whole number in range", () => {
    const env = { ANCHOR_STALL_SECONDS: "3", RELAYER_LOW_FUNDS_DAYS: "14", HEALTH_CHAIN_READ_SECONDS: "1", HEALTH_ROLES_CHECK_SECONDS: "120" };
    expect(readMonitoringConfig(env)).to.deep.equal({ stallAfterMs: 3_000, lowFundsDays: 14, chainFreshMs: 1_000, rolesFreshMs: 120_000 });
    for (const [name, value] of [
      ["HEALTH_ROLES_CHECK_SECONDS", "0"],
      ["HEALTH_ROLES_CHECK_SECONDS", "0.5"],
      ["HEALTH_ROLES_CHECK_SECONDS", "86401"],
      ["HEALTH_CHAIN_READ_SECONDS", "soon"],
      ["HEALTH_CHAIN_READ_SECONDS", "3601"],
    ]) {
      expect(() => readMonitoringConfig({ [name]: value }), `${name}=${value}`).to.throw(`${name} must be an integer from 1 to`);
    }
  });
});
