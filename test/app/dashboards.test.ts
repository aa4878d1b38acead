import { expect } from "chai";
import { makeDashboardData } from "./support/dashboardData.js";
import { ApiClient } from "./support/officerClient.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "./support/service.js";
import { WorkflowActors } from "./support/workflowData.js";

/**
 * The dashboards' figures over HTTP, from real workflow data made through the API (permits decided
 * with the officers' own signatures, complaints moved by the complaint officer, a pledge from the
 * resident's wallet), with the chain's clock moved past the 45-day statute and the SLA.
 */
describe("dashboards: figures of permits, complaints and funds from the index", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-dashboards");
  let service: RunningService;
  let api: ApiClient;
  let data: Awaited<ReturnType<typeof makeDashboardData>>;

  before(async () => {
    service = await startService(dataDir);
    api = new ApiClient(service.url);
    data = await makeDashboardData(await WorkflowActors.signIn(service));
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  it("gives residents permit decision times against the 45-day statute, by type and by month, and the open clocks", async () => {
    const answer = await api.get("/api/dashboards/1");
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const { municipality, audience, permits } = answer.body;
    expect(municipality).to.include({ id: 1, code: "TH-50-MAEHIA", th: "เทศบาลเมืองแม่เหียะ" });
    expect(audience).to.equal("resident");
    expect(permits.statuteDays).to.equal(45);
    expect(permits.decided).to.include({ count: 2, approved: 1, rejected: 1, withinStatute: 1, withinStatuteShare: 0.5 });
    // Nearest rank: the median of two is the shorter (the same day), the 90th percentile the longer (46 days).
    expect(permits.decided.medianDays).to.be.within(0, 0.1);
    expect(permits.decided.p90Days).to.be.within(46, 46.1);
    expect(permits.byType).to.have.length(1);
    expect(permits.byType[0]).to.deep.include({ type: { code: "BUILDING", th: "อนุญาตก่อสร้างอาคาร", en: "Building permit" }, count: 2, withinStatute: 1 });
    expect(permits.byMonth).to.have.length(2);
    expect(permits.byMonth.map((m: any) => [m.count, m.withinStatute])).to.deep.equal([
      [1, 1],
      [1, 0],
    ]);
    expect(permits.byMonth[0].month < permits.byMonth[1].month).to.equal(true);
    expect(permits.byState).to.deep.equal({ Issued: 1, Rejected: 1, UnderReview: 1 });
    expect(permits.open).to.deep.equal({ awaitingCompletion: 0, underReview: 1, beyondStatute: 0, nearLimit: 1, awaitingCertificate: 0 });
    expect(permits).not.to.have.property("clocks");
  });

  it("gives residents complaints by status and category, the SLA kept or missed, and the median time to a fix", async () => {
    const { complaints } = (await api.get("/api/dashboards/1")).body;
    expect(complaints).to.include({ total: 3, open: 2 });
    const byStatus = Object.fromEntries(complaints.byStatus.map((s: any) => [s.status, s.count]));
    expect(byStatus).to.include({ filed: 2, resolved: 1, acknowledged: 0, confirmed: 0 });
    expect(complaints.sla).to.deep.equal({ met: 1, missed: 0, onTrack: 1, overdue: 1 });
    expect(complaints.resolution.count).to.equal(1);
    expect(complaints.resolution.medianDays).to.be.within(0, 0.1);
    expect(complaints.byCategory.map((c: any) => [c.category.code, c.total]).sort()).to.deep.equal([
      ["DRAINAGE", 1],
      ["ROAD", 1],
      ["WASTE", 1],
    ]);
    expect(complaints.byCategory.find((c: any) => c.category.code === "ROAD").category).to.deep.equal({ code: "ROAD", th: "ถนนชำรุด", en: "Road damage" });
  });

  it("gives funds raised per campaign against its goal and the number of pledges", async () => {
    const { funds } = (await api.get("/api/dashboards/1")).body;
    const campaign = funds.campaigns.find((c: any) => c.campaignId === data.campaignId);
    expect(campaign).to.include({ phase: "Funding", goal: "500000", pledged: "200000", progressPercent: 40, pledges: 1, offchainPledges: 0 });
    expect(campaign.token).to.deep.equal({ symbol: "THBT", decimals: 2 });
    expect(funds.totals).to.include({ campaigns: 1, funding: 1, pledges: 1 });
  });

  it("gives the mayor every running legal clock, the time per approval role and the SLA per category", async () => {
    const answer = await api.get("/api/dashboards/1/mayor");
    expect(answer.status).to.equal(200);
    const { permits, complaints, audience } = answer.body;
    expect(audience).to.equal("mayor");
    expect(permits.clocks).to.have.length(1);
    const clock = permits.clocks[0];
    expect(clock).to.include({ number: data.running.number, awaitingRole: "ENGINEER", nearLimit: true });
    expect(clock.daysElapsed).to.be.within(41, 41.1);
    expect(clock.daysLeft).to.be.within(3.9, 4);
    expect(Date.parse(clock.deadline) - Date.parse(clock.completedAt)).to.equal(45 * 86_400_000);
    const steps = Object.fromEntries(permits.stepTimes.map((s: any) => [s.role, s]));
    expect(Object.keys(steps)).to.deep.equal(["ENGINEER", "DIRECTOR", "MAYOR"]);
    expect(steps.ENGINEER.count).to.equal(2);
    expect(steps.ENGINEER.p90Days).to.be.within(46, 46.1);
    expect(steps.MAYOR).to.include({ count: 1 });
    const waste = complaints.byCategory.find((c: any) => c.category.code === "WASTE");
    expect(waste).to.deep.include({ total: 1, open: 1, sla: { met: 0, missed: 0, onTrack: 0, overdue: 1 } });
    const road = complaints.byCategory.find((c: any) => c.category.code === "ROAD");
    expect(road.sla.met).to.equal(1);
  });

  it("holds no personal data, and answers an unknown or malformed municipality with an error code", async () => {
    for (const path of ["/api/dashboards/1", "/api/dashboards/1/mayor"]) {
      const text = JSON.stringify((await api.get(path)).body);
      for (const personal of ["กานดา", "1509900123456", "081-234-5678", "Somchai", "0812345678", "Test complaint", data.issued.trackingCode]) {
        expect(text, path).not.to.include(personal);
      }
    }
    const unknown = await api.get("/api/dashboards/999");
    expect({ status: unknown.status, code: unknown.body.error?.code }).to.deep.equal({ status: 400, code: "MUNICIPALITY_UNKNOWN" });
    const malformed = await api.get("/api/dashboards/mae-hia");
    expect({ status: malformed.status, code: malformed.body.error?.code }).to.deep.equal({ status: 400, code: "QUERY_INVALID" });
  });
});
