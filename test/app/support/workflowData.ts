import { createHash } from "node:crypto";
import { Wallet } from "ethers";
import { devAccounts } from "../../../app/server/chain/devAccounts.js";
import { CivicFund__factory } from "../../../types/ethers-contracts/factories/CivicFund__factory.js";
import { TestBahtToken__factory } from "../../../types/ethers-contracts/factories/mocks/TestBahtToken__factory.js";
import { ApiClient, OfficerClient, type ApiAnswer } from "./officerClient.js";
import { rpcProvider, type RunningService } from "./service.js";

/**
 * Real workflow data made through the API, as the web app and the officers make it: permits applied for,
 * completed, decided step by step with each demo officer's own signature and issued; complaints filed and
 * moved by the complaint officer's signed transactions; a campaign opened by the treasurer and pledged to
 * from the resident's wallet. For tests that need data to show (the permit page, the dashboards).
 */
const sha256 = (bytes: Uint8Array | string) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
const GAS = 1_000_000n;

/** The API path of a permit: its number holds "/" (TH-50-MAEHIA/BLD/2026/000001), so it is URL-encoded. */
export const permitPath = (number: string) => `/api/permits/${encodeURIComponent(number)}`;

function expectStatus(answer: ApiAnswer, status: number, what: string): ApiAnswer {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** A signed decision as a multipart form, with its note as the file (sealed by the service). */
function withNote(signed: object, note: string): FormData {
  const form = new FormData();
  form.append("signed", JSON.stringify(signed));
  form.append("file", new Blob([note]), "reasons.txt");
  return form;
}

export class WorkflowActors {
  readonly resident: ApiClient;
  readonly permitOfficer: OfficerClient;
  readonly engineer: OfficerClient;
  readonly director: OfficerClient;
  readonly mayor: OfficerClient;
  readonly complaintOfficer: OfficerClient;
  readonly treasurer: OfficerClient;

  private constructor(readonly service: RunningService) {
    const demo = (role: Parameters<typeof OfficerClient.demo>[1]) => OfficerClient.demo(service.url, role, service.rpcUrl);
    this.resident = new ApiClient(service.url);
    this.permitOfficer = demo("permitOfficer");
    this.engineer = demo("engineer");
    this.director = demo("director");
    this.mayor = demo("mayor");
    this.complaintOfficer = demo("complaintOfficer");
    this.treasurer = demo("treasurer");
  }

  /** The demo officers of Mae Hia, each signed in with their own key. */
  static async signIn(service: RunningService): Promise<WorkflowActors> {
    const actors = new WorkflowActors(service);
    const { permitOfficer, engineer, director, mayor, complaintOfficer, treasurer } = actors;
    await Promise.all([permitOfficer, engineer, director, mayor, complaintOfficer, treasurer].map((officer) => officer.signIn()));
    return actors;
  }

  /** Moves the chain's clock on by `seconds` and mines a block (anvil's evm_increaseTime). */
  async advanceChainTime(seconds: number): Promise<void> {
    const provider = rpcProvider(this.service.rpcUrl);
    await provider.send("evm_increaseTime", [seconds]);
    await provider.send("evm_mine", []);
  }

  // ── permits ──────────────────────────────────────────────────────────────────────────────────────

  async applyForPermit(parcel = "โฉนดที่ดิน 12345 / Title deed 12345, Mae Hia"): Promise<{ number: string; trackingCode: string }> {
    const form = new FormData();
    const applicant = { name: "นางสาวกานดา ทดสอบ", nationalId: "1-5099-00123-45-6", phone: "081-234-5678", address: "99/9 หมู่ 3 แม่เหียะ" };
    form.append("application", JSON.stringify({ municipalityId: 1, type: "BUILDING", parcel, description: { th: "บ้านพักอาศัย 2 ชั้น", en: "Two-storey house" }, applicant }));
    form.append("file", new Blob([`Plans for ${parcel} ${Date.now()} ${Math.random()}`], { type: "text/plain" }), "plans.txt");
    const { body } = expectStatus(await this.resident.post("/api/permits", form), 201, "apply");
    return { number: body.number, trackingCode: body.trackingCode };
  }

  /** The permit officer signs the Completion with their own key (starting the legal clock); the service relays it. */
  async completePermit(number: string): Promise<void> {
    const officer = this.permitOfficer;
    const typed = expectStatus(await officer.get(`${permitPath(number)}/completion/typed-data`), 200, "completion typed data").body;
    const m = typed.message;
    const signature = await officer.wallet.signTypedData(typed.domain, typed.types, m);
    const body = { documentCount: m.documentCount, nonce: m.nonce, deadline: m.deadline, signature };
    expectStatus(await officer.post(`${permitPath(number)}/complete`, body), 200, "complete");
  }

  /**
   * The officer whose step is next signs it with their own key; the service relays it. A rejection
   * carries its reasons: a note whose SHA-256 is signed with it, sent as a file with the decision.
   */
  async decideStep(officer: OfficerClient, number: string, decision: "approve" | "reject" = "approve"): Promise<ApiAnswer> {
    const note = decision === "reject" ? `The plans of ${number} do not meet the setback rules.` : null;
    const query = new URLSearchParams({ decision, ...(note ? { noteHash: sha256(note) } : {}) });
    const typed = expectStatus(await officer.get(`${permitPath(number)}/steps/next/typed-data?${query}`), 200, "typed data").body;
    const m = typed.message;
    const signature = await officer.wallet.signTypedData(typed.domain, typed.types, m);
    const body = { stepIndex: m.stepIndex, decision, noteHash: m.noteHash, nonce: m.nonce, deadline: m.deadline, signature };
    return expectStatus(await officer.post(`${permitPath(number)}/steps/decisions`, note ? withNote(body, note) : body), 200, `${decision} step ${m.stepIndex}`);
  }

  /** ENGINEER → DIRECTOR → MAYOR approve a BUILDING permit. */
  async approveAllSteps(number: string): Promise<void> {
    for (const officer of [this.engineer, this.director, this.mayor]) await this.decideStep(officer, number);
  }

  /** The service renders the certificate; the permit officer signs its hash and CID; the service relays the issuance. */
  async issueCertificate(number: string): Promise<{ certificateSha256: string; dataHash: string }> {
    const officer = this.permitOfficer;
    const draft = expectStatus(await officer.post(`${permitPath(number)}/certificate/drafts`), 201, "certificate draft").body;
    const typed = draft.typedData;
    const signature = await officer.wallet.signTypedData(typed.domain, typed.types, typed.message);
    const body = { certificateHash: typed.message.certificateHash, nonce: typed.message.nonce, deadline: typed.message.deadline, signature };
    return expectStatus(await officer.post(`${permitPath(number)}/certificate`, body), 201, "issue").body;
  }

  /** The whole BUILDING workflow: a permit issued with its certificate version 1. */
  async issuedBuildingPermit(parcel?: string) {
    const applied = await this.applyForPermit(parcel);
    await this.completePermit(applied.number);
    await this.approveAllSteps(applied.number);
    return { ...applied, ...(await this.issueCertificate(applied.number)) };
  }

  /** The mayor amends the parcel: version 2 supersedes the certificate issued before. */
  async amendPermit(number: string, parcel: string): Promise<{ certificateSha256: string; supersedes: string }> {
    const path = `${permitPath(number)}/amendments`;
    const draft = expectStatus(await this.mayor.post(`${path}/drafts`, { parcel, reason: "Parcel number corrected" }), 201, "amendment draft").body;
    const typed = draft.typedData;
    const signature = await this.mayor.wallet.signTypedData(typed.domain, typed.types, typed.message);
    const body = { draftId: draft.draftId, nonce: typed.message.nonce, deadline: typed.message.deadline, signature };
    return expectStatus(await this.mayor.post(path, body), 201, "amend").body;
  }

  async certificatePdf(number: string, trackingCode: string): Promise<Uint8Array> {
    const response = await fetch(`${this.service.url}${permitPath(number)}/certificate.pdf`, { headers: { "x-tracking-code": trackingCode } });
    if (response.status !== 200) throw new Error(`certificate.pdf: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  // ── complaints ───────────────────────────────────────────────────────────────────────────────────

  async fileComplaint(serviceCode: string): Promise<{ complaintId: string; trackingCode: string }> {
    const body = { municipalityId: 1, service_code: serviceCode, lat: 18.75, long: 98.97, description: `Test complaint ${serviceCode}`, attribute: { hazard: "high" }, first_name: "Somchai", phone: "0812345678" };
    return expectStatus(await this.resident.post("/api/complaints", body), 201, "file complaint").body;
  }

  /** The complaint officer signs the call the API hands out (acknowledge, start, resolve with a photo) and posts it. */
  async actOnComplaint(complaintId: string, action: "acknowledge" | "start" | "resolve"): Promise<ApiAnswer> {
    const officer = this.complaintOfficer;
    const photo = action === "resolve" ? new Uint8Array(Buffer.from(`photo of the fix ${complaintId} ${Date.now()}`)) : null;
    const query = photo ? `?evidenceHash=${sha256(photo)}` : "";
    const call = expectStatus(await officer.get(`/api/complaints/${complaintId}/actions/${action}/call${query}`), 200, `${action} call`).body;
    const signedTransaction = await officer.signTransaction({ to: call.to, data: call.data });
    if (!photo) return expectStatus(await officer.post(`/api/complaints/${complaintId}/${action}`, { signedTransaction }), 200, action);
    const form = new FormData();
    form.append("signedTransaction", signedTransaction);
    form.append("file", new Blob([photo], { type: "image/jpeg" }), "fixed.jpg");
    return expectStatus(await officer.post(`/api/complaints/${complaintId}/${action}`, form), 200, action);
  }

  // ── funds ────────────────────────────────────────────────────────────────────────────────────────

  private async treasurerSends(prepare: () => Promise<ApiAnswer>, submitPath: string, status: number): Promise<ApiAnswer> {
    const { to, data } = expectStatus(await prepare(), 200, `prepare ${submitPath}`).body.transaction;
    const signedTransaction = await this.treasurer.signTransaction({ to, data, gasLimit: GAS });
    return expectStatus(await this.treasurer.post(submitPath, { signedTransaction }), status, submitPath);
  }

  /** The treasurer creates and opens a campaign (goal in satang), open for `days` of chain time. */
  async openCampaign(goal: string, days = 30): Promise<number> {
    const now = (await rpcProvider(this.service.rpcUrl).getBlock("latest"))!.timestamp;
    const form = new FormData();
    form.append("file", new Blob([`Rules of the campaign for ${goal} satang: all or nothing.`], { type: "text/plain" }), "rules.txt");
    const beneficiary = devAccounts().find((a) => a.role === "treasurer")!.address;
    for (const [key, value] of Object.entries({ municipalityId: "1", beneficiary, goal, deadline: String(now + days * 86_400), milestones: goal })) form.append(key, value);
    const created = await this.treasurerSends(() => this.treasurer.post("/api/funds/campaigns/transaction", form), "/api/funds/campaigns", 201);
    const campaignId = created.body.campaignId as number;
    await this.treasurerSends(() => this.treasurer.post(`/api/funds/campaigns/${campaignId}/open/transaction`), `/api/funds/campaigns/${campaignId}/open`, 200);
    return campaignId;
  }

  /** The resident approves and pledges `amount` satang from their own wallet, then asks for the receipt. */
  async pledge(campaignId: number, amount: bigint): Promise<void> {
    const health = expectStatus(await this.resident.get("/api/health"), 200, "health").body;
    const wallet = new Wallet(devAccounts().find((a) => a.role === "resident")!.privateKey, rpcProvider(this.service.rpcUrl));
    await (await TestBahtToken__factory.connect(health.chain.demoToken, wallet).approve(health.chain.contracts.civicFund, amount)).wait();
    const sent = await CivicFund__factory.connect(health.chain.contracts.civicFund, wallet).pledge(campaignId, amount);
    await sent.wait();
    expectStatus(await this.resident.post(`/api/funds/campaigns/${campaignId}/pledges`, { txHash: sent.hash }), 201, "pledge receipt");
  }
}
