import { expect } from "chai";
import { permitModelOf } from "../../app/web/src/verify/permitModel.js";

/**
 * The permit page reads GET /api/permits/:number tolerantly (its shape is another part's to settle):
 * what it recognises it shows, what is missing it leaves out, never a crash.
 */
describe("the web app's reading of a permit", () => {
  const txHash = `0x${"1f".repeat(32)}`;
  const dataHash = `0x${"AB".repeat(32)}`;

  it("takes the public fields, trail, legal clock and data hashes of a full answer", () => {
    const permit = permitModelOf(
      {
        verdict: "valid",
        permit: {
          number: "MH-BLD-2026-0001",
          version: 2,
          permitType: { code: "BUILDING", th: "อนุญาตก่อสร้างอาคาร", en: "Building permit" },
          parcel: "Parcel 1234",
          status: "issued",
          certificate: { dataHash, sha256: txHash, url: "/api/permits/MH-BLD-2026-0001/certificate.pdf" },
          versions: [{ version: 1, dataHash: `0x${"cd".repeat(32)}` }],
        },
        trail: [{ role: "ENGINEER", officer: "0xabc", time: "2026-11-21T07:00:00Z", txHash }],
        legalClock: { completedAt: "2026-11-20T00:00:00Z", decidedAt: "2026-11-21T00:00:00Z", days: 1, statuteDays: 45, withinStatute: true },
      },
      "ignored",
    );
    expect(permit).to.deep.include({ number: "MH-BLD-2026-0001", version: 2, parcel: "Parcel 1234", status: "issued", verdict: "valid" });
    expect(permit.type).to.deep.equal({ code: "BUILDING", th: "อนุญาตก่อสร้างอาคาร", en: "Building permit" });
    expect(permit.trail).to.deep.equal([{ role: "ENGINEER", step: undefined, decision: undefined, action: undefined, officer: "0xabc", at: "2026-11-21T07:00:00Z", txHash }]);
    expect(permit.clock).to.deep.equal({ completedAt: "2026-11-20T00:00:00Z", decidedAt: "2026-11-21T00:00:00Z", days: 1, statuteDays: 45, withinStatute: true });
    expect(permit.certificateSha256).to.equal(txHash);
    expect([...permit.dataHashes]).to.deep.equal([
      [1, `0x${"cd".repeat(32)}`],
      [2, dataHash.toLowerCase()],
    ]);
  });

  it("keeps only what it recognises from a sparse or odd answer", () => {
    const permit = permitModelOf({ status: { odd: true }, trail: [null, "x", { step: "submitted", txHash: "0x12" }], legalClock: {} }, "MH-BLD-2026-0009");
    expect(permit.number).to.equal("MH-BLD-2026-0009");
    expect(permit.status).to.equal(undefined);
    expect(permit.verdict).to.equal(undefined);
    expect(permit.trail).to.deep.equal([{ role: undefined, step: "submitted", decision: undefined, action: "submitted", officer: undefined, at: undefined, txHash: undefined }]);
    expect(permit.clock).to.deep.equal({ completedAt: undefined, decidedAt: undefined, days: undefined, statuteDays: 45, withinStatute: undefined });
    expect(permit.dataHashes.size).to.equal(0);
  });
});
