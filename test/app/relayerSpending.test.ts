import { expect } from "chai";
import { RelayerSpending } from "../../app/server/services/relayerSpending.js";

/**
 * The relayer's days left, from readings of its balance (app/server/services/relayerSpending.ts): what
 * fell is spending, what rose is a top-up; the pace is over the last day of readings, counted as at
 * least an hour. The clock is given, so each case is exact.
 */
const HOUR = 3_600_000;
const ETHER = 10n ** 18n;

describe("the relayer's spending and days left", () => {
  it("knows nothing before the balance has fallen", () => {
    const spending = new RelayerSpending();
    expect(spending.estimate(0)).to.deep.equal({ spentWei: 0n, hours: 0, perDayWei: null, daysLeft: null });
    spending.record(10n * ETHER, 0);
    spending.record(10n * ETHER, 2 * HOUR);
    expect(spending.estimate(2 * HOUR)).to.deep.equal({ spentWei: 0n, hours: 2, perDayWei: null, daysLeft: null });
  });

  it("divides the balance by the daily pace of what fell", () => {
    const spending = new RelayerSpending();
    spending.record(10n * ETHER, 0);
    spending.record(9n * ETHER, 2 * HOUR);
    spending.record(8n * ETHER, 4 * HOUR);
    // 2 fell in 4 hours: 12 a day; 8 left lasts two thirds of a day.
    expect(spending.estimate(4 * HOUR)).to.deep.equal({ spentWei: 2n * ETHER, hours: 4, perDayWei: 12n * ETHER, daysLeft: 0.666 });
  });

  it("leaves top-ups out of the spending", () => {
    const spending = new RelayerSpending();
    spending.record(2n * ETHER, 0);
    spending.record(1n * ETHER, 6 * HOUR);
    spending.record(21n * ETHER, 7 * HOUR);
    spending.record(20n * ETHER, 12 * HOUR);
    // 2 fell in 12 hours: 4 a day; 20 lasts 5 days.
    expect(spending.estimate(12 * HOUR)).to.include({ spentWei: 2n * ETHER, daysLeft: 5 });
  });

  it("counts a burst just after the start as an hour's spending, not a minute's", () => {
    const spending = new RelayerSpending();
    spending.record(10n * ETHER, 0);
    spending.record(9n * ETHER, 60_000);
    // 1 fell in a minute: counted over an hour, 24 a day; 9 lasts 0.375 days.
    expect(spending.estimate(60_000)).to.include({ perDayWei: 24n * ETHER, daysLeft: 0.375 });
  });

  it("forgets what fell more than a day ago", () => {
    const spending = new RelayerSpending();
    spending.record(100n * ETHER, 0);
    spending.record(50n * ETHER, HOUR);
    spending.record(49n * ETHER, 30 * HOUR);
    // The window is hours 6 to 30: only the last fall (1) is in it, over 24 hours.
    expect(spending.estimate(30 * HOUR)).to.deep.equal({ spentWei: ETHER, hours: 24, perDayWei: ETHER, daysLeft: 49 });
  });
});
