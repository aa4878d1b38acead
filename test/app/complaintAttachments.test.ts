import { createHash } from "node:crypto";
import { expect } from "chai";
import { ApiClient, OfficerClient } from "./support/officerClient.js";
import { cleanUp, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * GET /api/complaints/:id/attachments/:sha256: the sealed files of a complaint (the officer's evidence,
 * a resident's reopen reason) opened for the complaint officers of its municipality, and for nobody else.
 */
describe("complaints: sealed attachments opened for the municipality's complaint officers", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-complaint-attachments");
  let service: RunningService;
  let officer: OfficerClient;
  let complaintId: string;
  const sha256 = (bytes: Uint8Array | string) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

  const expectError = (answer: { status: number; body: any }, status: number, code: string) =>
    expect({ status: answer.status, code: answer.body?.error?.code }, JSON.stringify(answer.body)).to.deep.equal({ status, code });

  /** The officer's own signed transaction for `action`, relayed, with the evidence file for resolve. */
  async function act(action: string, query = "", evidence?: { bytes: string; type: string; name: string }) {
    const call = await officer.get(`/api/complaints/${complaintId}/actions/${action}/call${query}`);
    expect(call.status, JSON.stringify(call.body)).to.equal(200);
    const signedTransaction = await officer.signTransaction({ to: call.body.to, data: call.body.data });
    if (!evidence) return officer.post(`/api/complaints/${complaintId}/${action}`, { signedTransaction });
    const body = new FormData();
    body.append("signedTransaction", signedTransaction);
    body.append("file", new Blob([evidence.bytes], { type: evidence.type }), evidence.name);
    return officer.post(`/api/complaints/${complaintId}/${action}`, body);
  }

  before(async () => {
    service = await startService(dataDir);
    const filed = await new ApiClient(service.url).post("/api/complaints", {
      municipalityId: 1,
      service_code: "STREET_LIGHT",
      lat: 18.75,
      long: 98.97,
      description: "Lamp out at the school gate",
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    complaintId = filed.body.complaintId;
    officer = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
    await officer.signIn();
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  it("gives the complaint officer the evidence file as it was uploaded, and refuses others with a code", async () => {
    const evidence = { bytes: "Lamp replaced 2026-03-02, photo attached in the work order.", type: "text/plain", name: "work-order 17.txt" };
    expect((await act("start")).status).to.equal(200);
    const resolved = await act("resolve", `?evidenceHash=${sha256(evidence.bytes)}`, evidence);
    expect(resolved.status, JSON.stringify(resolved.body)).to.equal(200);
    const listed = resolved.body.details.attachments;
    expect(listed.map((a: any) => [a.kind, a.sha256, a.filename])).to.deep.equal([["evidence", sha256(evidence.bytes), evidence.name]]);

    const path = `/api/complaints/${complaintId}/attachments/${sha256(evidence.bytes)}`;
    const opened = await officer.get(path);
    expect(opened.status).to.equal(200);
    expect(opened.body).to.equal(evidence.bytes);
    expect(opened.headers.get("content-type")).to.match(/^text\/plain/);
    expect(opened.headers.get("content-disposition")).to.equal('attachment; filename="work-order 17.txt"');
    expect(opened.headers.get("cache-control")).to.equal("no-store");

    expectError(await new ApiClient(service.url).get(path), 401, "AUTH_REQUIRED");
    const engineer = OfficerClient.demo(service.url, "engineer", service.rpcUrl);
    await engineer.signIn();
    expectError(await engineer.get(path), 403, "ROLE_REQUIRED");
    const auditor = OfficerClient.demo(service.url, "auditor", service.rpcUrl);
    await auditor.signIn();
    expectError(await auditor.get(path), 403, "ROLE_REQUIRED");
    expectError(await officer.get(`/api/complaints/${complaintId}/attachments/0x${"ab".repeat(32)}`), 404, "COMPLAINT_ATTACHMENT_NOT_FOUND");
    expectError(await officer.get(`/api/complaints/${complaintId}/attachments/not-a-hash`), 404, "COMPLAINT_ATTACHMENT_NOT_FOUND");
    expectError(await officer.get(`/api/complaints/0x${"cd".repeat(32)}/attachments/${sha256(evidence.bytes)}`), 404, "COMPLAINT_NOT_FOUND");
  });

  it("verifies an attached file as what it is: attached to its complaint, never issued by the municipality", async () => {
    const evidence = "Lamp replaced 2026-03-02, photo attached in the work order.";
    const answer = await new ApiClient(service.url).get(`/api/verify?sha256=${sha256(evidence)}`);
    expect(answer.status).to.equal(200);
    expect(answer.body.verdict).to.equal("attached");
    expect(answer.body.attachment).to.include({ kind: "complaint-evidence", attachedBy: "officer", municipalityId: 1, complaintId });
    expect(Date.parse(answer.body.attachment.attachedAt)).to.be.greaterThan(0);
    expect(answer.body.proof).to.equal(null);
    // A photo the resident sent with a filing is the resident's, and says so.
    const photo = Buffer.from("a resident's photo of the dark lamp");
    const form = new FormData();
    for (const [name, value] of Object.entries({ municipalityId: "1", service_code: "STREET_LIGHT", lat: "18.75", long: "98.97", description: "Still dark" })) {
      form.append(name, value);
    }
    form.append("photo", new Blob([photo], { type: "image/jpeg" }), "lamp.jpg");
    const filed = await new ApiClient(service.url).post("/api/complaints", form);
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const photoAnswer = await new ApiClient(service.url).get(`/api/verify?sha256=${sha256(photo)}`);
    expect(photoAnswer.body.verdict, JSON.stringify(photoAnswer.body)).to.equal("attached");
    expect(photoAnswer.body.attachment).to.include({ kind: "complaint-photo", attachedBy: "resident", complaintId: filed.body.complaintId });
  });

  it("never serves an uploaded media type that a browser would run (HTML goes out as bytes)", async () => {
    const filed = await new ApiClient(service.url).post("/api/complaints", { municipalityId: 1, service_code: "WASTE", lat: 18.75, long: 98.97, description: "Bins", "attribute[waste_type]": "bulky" });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    complaintId = filed.body.complaintId;
    const html = { bytes: "<script>alert(1)</script>", type: "text/html", name: "x.html" };
    expect((await act("start")).status).to.equal(200);
    expect((await act("resolve", `?evidenceHash=${sha256(html.bytes)}`, html)).status).to.equal(200);
    const opened = await officer.get(`/api/complaints/${complaintId}/attachments/${sha256(html.bytes)}`);
    expect(opened.status).to.equal(200);
    expect(opened.headers.get("content-type")).to.equal("application/octet-stream");
    expect(opened.headers.get("x-content-type-options")).to.equal("nosniff");
  });
});
