import { createHash } from "node:crypto";
import { expect } from "chai";
import { Wallet, ZeroHash, hexlify, id, toUtf8Bytes } from "ethers";
import { readCertificateData } from "../../app/server/certificates/permitCertificate.js";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { ApiClient, OfficerClient, type ApiAnswer } from "./support/officerClient.js";
import { permitPath } from "./support/workflowData.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * The BUILDING permit workflow end to end over HTTP, as each role: a resident applies, the permit
 * officer signs the completion, the engineer, the director and the mayor each sign their step with their
 * own key, the permit officer signs the issuance, the mayor amends and revokes; and every permission
 * boundary on the way. The service relays each signature and never acts on its own.
 */
const sha256 = (bytes: Uint8Array | string) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

const APPLICANT = {
  name: "นางสาวกานดา ทดสอบสิทธิ์",
  nationalId: "1-5099-00123-45-6",
  phone: "081-234-5678",
  address: "99/9 หมู่ 3 ตำบลแม่เหียะ อำเภอเมือง เชียงใหม่",
};

function errorOf(answer: ApiAnswer) {
  return { status: answer.status, code: answer.body?.error?.code };
}

describe("permits: apply, decide with officers' own signatures, issue, amend, revoke", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-permits");
  let service: RunningService;
  let contracts: Record<string, string>;
  let resident: ApiClient;
  let permitOfficer: OfficerClient, engineer: OfficerClient, director: OfficerClient, mayor: OfficerClient;
  let outsider: OfficerClient;
  let number: string;
  let trackingCode: string;
  let certificateV1: string;
  let certificateV2: string;

  const sign = (officer: OfficerClient, typed: any, message: Record<string, unknown> = typed.message, domain = typed.domain) =>
    officer.wallet.signTypedData(domain, typed.types, message);
  const submitDecision = (officer: OfficerClient, typed: any, signature: string, message: any = typed.message, decision = "approve") =>
    officer.post(`${permitPath(number)}/steps/decisions`, {
      stepIndex: message.stepIndex,
      decision,
      noteHash: message.noteHash,
      nonce: message.nonce,
      deadline: message.deadline,
      signature,
    });

  before(async () => {
    service = await startService(dataDir);
    contracts = (await new ApiClient(service.url).get("/api/health")).body.chain.contracts;
    resident = new ApiClient(service.url);
    [permitOfficer, engineer, director, mayor] = (["permitOfficer", "engineer", "director", "mayor"] as const).map((role) =>
      OfficerClient.demo(service.url, role),
    );
    await Promise.all([permitOfficer, engineer, director, mayor].map((officer) => officer.signIn()));

    // A second municipality whose engineer must not act in Mae Hia: added with the national admin's dev key.
    const provider = rpcProvider(service.rpcUrl);
    const nationalAdmin = new Wallet(devAccounts().find((a) => a.role === "nationalAdmin")!.privateKey, provider);
    const directory = Directory__factory.connect(contracts.directory, nationalAdmin);
    await (await directory.addMunicipality("TH-50-OTHERTOWN", "Other Town Municipality", nationalAdmin.address)).wait();
    const otherId = await directory.municipalityIdOf("TH-50-OTHERTOWN");
    outsider = new OfficerClient(service.url, new Wallet(Wallet.createRandom().privateKey));
    await (await directory.grantRole(otherId, id("ENGINEER"), outsider.wallet.address)).wait();
    await (await directory.grantRole(otherId, id("PERMIT_OFFICER"), outsider.wallet.address)).wait();
    await outsider.signIn();
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
  });

  it("takes a resident's application with documents and answers a permit number and a tracking code", async () => {
    const form = new FormData();
    form.append(
      "application",
      JSON.stringify({
        municipalityId: 1,
        type: "BUILDING",
        parcel: "โฉนดที่ดิน 12345 / Title deed 12345, Mae Hia",
        description: { th: "บ้านพักอาศัย 2 ชั้น", en: "Two-storey house" },
        applicant: APPLICANT,
      }),
    );
    form.append("file", new Blob([`Plans of the house of ${APPLICANT.name}`], { type: "text/plain" }), "plans.txt");
    form.append("file", new Blob([`ID card copy ${APPLICANT.nationalId}`], { type: "text/plain" }), "id-card.txt");
    const answer = await resident.post("/api/permits", form);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    // Under Mae Hia's Directory code: the only numbers the contract lets Mae Hia take.
    expect(answer.body.number).to.match(/^TH-50-MAEHIA\/BLD\/\d{4}\/000001$/);
    expect(answer.body.trackingCode).to.match(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    ({ number, trackingCode } = answer.body);
    expect(answer.body.documentHashes).to.have.length(3);
    expect(answer.body.documentHashes).to.include(sha256(`Plans of the house of ${APPLICANT.name}`));

    const view = (await resident.get(`${permitPath(number)}`)).body;
    expect(view).to.include({ number, state: "Applied", verdict: "pending", parcel: "โฉนดที่ดิน 12345 / Title deed 12345, Mae Hia" });
    expect(JSON.stringify(view)).not.to.include(APPLICANT.name);

    expect(errorOf(await resident.get(`${permitPath(number)}/private`))).to.deep.equal({ status: 403, code: "PERMIT_TRACKING_CODE_INVALID" });
    expect(errorOf(await resident.get(`${permitPath(number)}/private`, { "x-tracking-code": "0000-0000-0000-0000" }))).to.deep.equal({
      status: 403,
      code: "PERMIT_TRACKING_CODE_INVALID",
    });
    const own = await resident.get(`${permitPath(number)}/private`, { "x-tracking-code": trackingCode.toLowerCase() });
    expect(own.status).to.equal(200);
    expect(own.body.applicant).to.deep.equal({ ...APPLICANT, nationalId: "1509900123456" });
    expect(own.body.documents.map((d: any) => d.name)).to.deep.equal(["plans.txt", "id-card.txt"]);

    // A resident's document verifies as what it is: attached to this application, not issued by the town.
    const attached = (await resident.get(`/api/verify?sha256=${sha256(`Plans of the house of ${APPLICANT.name}`)}`)).body;
    expect(attached.verdict).to.equal("attached");
    expect(attached.attachment).to.include({ kind: "permit-application-document", attachedBy: "resident", municipalityId: 1, permitNumber: number });

    const refused = new FormData();
    refused.append("application", JSON.stringify({ municipalityId: 1, type: "NO_SUCH_TYPE", parcel: "x", applicant: APPLICANT }));
    refused.append("file", new Blob(["x"]), "x.txt");
    expect(errorOf(await resident.post("/api/permits", refused))).to.deep.equal({ status: 400, code: "PERMIT_TYPE_UNKNOWN" });
    // An empty document (a scan that failed at the counter) is refused by its code, and nothing is applied for.
    const withEmpty = new FormData();
    withEmpty.append("application", JSON.stringify({ municipalityId: 1, type: "BUILDING", parcel: "empty scan", applicant: APPLICANT }));
    withEmpty.append("file", new Blob(["Plans"]), "plans.txt");
    withEmpty.append("file", new Blob([]), "scan.pdf");
    expect(errorOf(await resident.post("/api/permits", withEmpty))).to.deep.equal({ status: 400, code: "FILE_EMPTY" });
    const anotherNumber = number.replace(/\d{6}$/, "000002");
    expect(errorOf(await resident.get(permitPath(anotherNumber)))).to.deep.equal({ status: 404, code: "PERMIT_NOT_FOUND" });

    // What a counter form offers: the types Mae Hia takes applications for, with their approval chains.
    const types = (await resident.get("/api/permits/types?municipality=1")).body.types;
    expect(types.find((type: any) => type.code === "BUILDING")).to.include({ typeId: id("BUILDING"), en: "Building permit", known: true });
    expect(types.find((type: any) => type.code === "BUILDING").approvalRoles).to.deep.equal(["ENGINEER", "DIRECTOR", "MAYOR"]);
    expect(errorOf(await resident.get("/api/permits/types"))).to.deep.equal({ status: 400, code: "QUERY_INVALID" });

    const queue = (await permitOfficer.get("/api/permits/queue")).body.permits;
    expect(queue).to.deep.include.members([{ ...queue.find((p: any) => p.number === number), action: "complete", state: "Applied" }]);
  });

  it("lets only a permit officer of the municipality add documents, and relays only their own signed completion", async () => {
    const typedPath = `${permitPath(number)}/completion/typed-data`;
    const completePath = `${permitPath(number)}/complete`;
    expect(errorOf(await resident.get(typedPath))).to.deep.equal({ status: 401, code: "AUTH_REQUIRED" });
    expect(errorOf(await engineer.get(typedPath))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // A permit officer of another municipality.
    expect(errorOf(await outsider.get(typedPath))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    expect(errorOf(await resident.post(completePath, {}))).to.deep.equal({ status: 401, code: "AUTH_REQUIRED" });
    // The service no longer completes on an officer's word: a body without a signature is refused.
    expect(errorOf(await permitOfficer.post(completePath))).to.deep.equal({ status: 400, code: "BODY_INVALID" });

    const typed = (await permitOfficer.get(typedPath)).body;
    expect(typed.primaryType).to.equal("Completion");
    expect(typed.domain).to.deep.equal({ name: "PermitRegistry", version: "1", chainId: 31337, verifyingContract: contracts.permitRegistry });
    expect(typed.message).to.include({ permitId: id(number), documentCount: 3, nonce: "0" });
    const submit = (officer: OfficerClient, signature: string, message: any = typed.message) =>
      officer.post(completePath, { documentCount: message.documentCount, nonce: message.nonce, deadline: message.deadline, signature });

    // The engineer's own signature (no permit officer role), a permit officer of another municipality's,
    // someone else's signature submitted by the permit officer, and a deadline already past.
    expect(errorOf(await submit(engineer, await sign(engineer, typed)))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    expect(errorOf(await submit(outsider, await sign(outsider, typed)))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    expect(errorOf(await submit(permitOfficer, await sign(engineer, typed)))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    const expired = { ...typed.message, deadline: String(Number(typed.message.deadline) - 16 * 60) };
    expect(errorOf(await submit(permitOfficer, await sign(permitOfficer, typed, expired), expired))).to.deep.equal({
      status: 409,
      code: "SIGNATURE_EXPIRED",
    });

    // A document added after the officer signed: the signature covers 3 documents, the application holds 4.
    const signedBefore = await sign(permitOfficer, typed);
    const form = new FormData();
    form.append("file", new Blob(["Soil survey"], { type: "text/plain" }), "soil.txt");
    const added = await permitOfficer.post(`${permitPath(number)}/documents`, form);
    expect(added.status, JSON.stringify(added.body)).to.equal(200);
    expect(added.body.documentHashes).to.deep.equal([sha256("Soil survey")]);
    expect(errorOf(await submit(permitOfficer, signedBefore))).to.deep.equal({ status: 409, code: "PERMIT_WRONG_STATE" });

    const fresh = (await permitOfficer.get(typedPath)).body;
    expect(fresh.message.documentCount).to.equal(4);
    const signature = await sign(permitOfficer, fresh);
    const completed = await submit(permitOfficer, signature, fresh.message);
    expect(completed.status, JSON.stringify(completed.body)).to.equal(200);
    expect(completed.body).to.include({ state: "UnderReview", officer: permitOfficer.wallet.address });
    expect(errorOf(await submit(permitOfficer, signature, fresh.message))).to.deep.equal({ status: 409, code: "SIGNATURE_REPLAYED" });
    expect(errorOf(await permitOfficer.get(typedPath))).to.deep.equal({ status: 409, code: "PERMIT_WRONG_STATE" });
    const late = new FormData();
    late.append("file", new Blob(["late"]), "late.txt");
    expect(errorOf(await permitOfficer.post(`${permitPath(number)}/documents`, late))).to.deep.equal({ status: 409, code: "PERMIT_WRONG_STATE" });

    // The chain names the permit officer who signed; the service only sent the transaction.
    const view = (await resident.get(permitPath(number))).body;
    const relayer = devAccounts().find((a) => a.role === "ledgerService")!.address;
    expect(view.trail.find((s: any) => s.step === "completed")).to.include({ officer: permitOfficer.wallet.address, sender: relayer });
  });

  it("opens the applicant's sealed data to the officers who work on the permit, not to others", async () => {
    const path = `${permitPath(number)}/private`;
    const own = await engineer.get(path);
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(own.body.applicant).to.include({ name: APPLICANT.name, nationalId: "1509900123456" });
    expect(own.body.documents.map((d: any) => d.name)).to.include("plans.txt");
    expect((await permitOfficer.get(path)).status).to.equal(200);
    // An engineer of another municipality, and a Mae Hia officer of an unrelated workflow.
    expect(errorOf(await outsider.get(path))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    const treasurer = OfficerClient.demo(service.url, "treasurer");
    await treasurer.signIn();
    expect(errorOf(await treasurer.get(path))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // A tracking code, when given, is what counts, even for a signed-in officer.
    expect(errorOf(await engineer.get(path, { "x-tracking-code": "0000-0000-0000-0000" }))).to.deep.equal({ status: 403, code: "PERMIT_TRACKING_CODE_INVALID" });

    // Each document, opened from its sealed copy, as the applicant uploaded it: for the same people.
    const plans = `Plans of the house of ${APPLICANT.name}`;
    const file = `${permitPath(number)}/files/${sha256(plans)}`;
    const opened = await engineer.get(file);
    expect(opened.status).to.equal(200);
    expect(opened.body).to.equal(plans);
    expect(opened.headers.get("content-type")).to.match(/^text\/plain/);
    expect(opened.headers.get("content-disposition")).to.equal('attachment; filename="plans.txt"');
    expect(opened.headers.get("cache-control")).to.equal("no-store");
    expect((await resident.get(file, { "x-tracking-code": trackingCode })).body).to.equal(plans);
    expect(errorOf(await treasurer.get(file))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    expect(errorOf(await resident.get(file))).to.deep.equal({ status: 403, code: "PERMIT_TRACKING_CODE_INVALID" });
    expect(errorOf(await engineer.get(`${permitPath(number)}/files/${sha256("never uploaded")}`))).to.deep.equal({ status: 404, code: "PERMIT_FILE_NOT_FOUND" });
  });

  it("serves each step's typed data and relays only the signed-in officer's own, fresh signature for this contract", async () => {
    const path = `${permitPath(number)}/steps/next/typed-data`;
    expect(errorOf(await resident.get(path))).to.deep.equal({ status: 401, code: "AUTH_REQUIRED" });
    expect(errorOf(await director.get(path))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    expect(errorOf(await outsider.get(path))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });

    const engineerQueue = (await engineer.get("/api/permits/queue")).body.permits;
    expect(engineerQueue.find((p: any) => p.number === number)).to.include({ action: "decide", stepIndex: 0, role: "ENGINEER" });
    expect((await director.get("/api/permits/queue")).body.permits.map((p: any) => p.number)).not.to.include(number);

    const typed = (await engineer.get(path)).body;
    expect(typed.primaryType).to.equal("StepDecision");
    expect(typed.domain).to.deep.equal({ name: "PermitRegistry", version: "1", chainId: 31337, verifyingContract: contracts.permitRegistry });
    expect(typed.message).to.include({ stepIndex: 0, role: id("ENGINEER"), decision: 1, nonce: "0" });

    // Another role's officer signing the engineer's step with their own key.
    const directorsOwn = await sign(director, typed);
    expect(errorOf(await submitDecision(director, typed, directorsOwn))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // An engineer of another municipality.
    expect(errorOf(await submitDecision(outsider, typed, await sign(outsider, typed)))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // Someone else's signature submitted by the signed-in engineer.
    expect(errorOf(await submitDecision(engineer, typed, directorsOwn))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    // Foreign domains: another chain, another contract.
    const otherChain = await sign(engineer, typed, typed.message, { ...typed.domain, chainId: 1 });
    expect(errorOf(await submitDecision(engineer, typed, otherChain))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    const otherContract = await sign(engineer, typed, typed.message, { ...typed.domain, verifyingContract: contracts.complaintLedger });
    expect(errorOf(await submitDecision(engineer, typed, otherContract))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    // A deadline already past.
    const expired = { ...typed.message, deadline: String(Number(typed.message.deadline) - 16 * 60) };
    expect(errorOf(await submitDecision(engineer, typed, await sign(engineer, typed, expired), expired))).to.deep.equal({
      status: 409,
      code: "SIGNATURE_EXPIRED",
    });
    expect(errorOf(await resident.post(`${permitPath(number)}/steps/decisions`, {}))).to.deep.equal({ status: 401, code: "AUTH_REQUIRED" });

    // A rejection carries its reasons, whatever a client does: no typed data for one without them, and
    // none relayed without its note, or with a blank one. Nothing is sent: the approval below still
    // takes this nonce.
    const reasonsRequired = { status: 400, code: "REJECTION_REASON_REQUIRED" };
    expect(errorOf(await engineer.get(`${path}?decision=reject`))).to.deep.equal(reasonsRequired);
    const reasons = "The plans do not meet the setback rules.";
    expect((await engineer.get(`${path}?decision=reject&noteHash=${sha256(reasons)}`)).body.message).to.include({ decision: 2, noteHash: sha256(reasons) });
    const rejectWith = async (noteHash: string, note?: string) => {
      const message = { ...typed.message, decision: 2, noteHash };
      const signed = { stepIndex: 0, decision: "reject", noteHash, nonce: message.nonce, deadline: message.deadline, signature: await sign(engineer, typed, message) };
      if (note === undefined) return engineer.post(`${permitPath(number)}/steps/decisions`, signed);
      const form = new FormData();
      form.append("signed", JSON.stringify(signed));
      form.append("file", new Blob([note]), "reasons.txt");
      return engineer.post(`${permitPath(number)}/steps/decisions`, form);
    };
    expect(errorOf(await rejectWith(ZeroHash)), "the zero noteHash").to.deep.equal(reasonsRequired);
    expect(errorOf(await rejectWith(sha256(reasons))), "no note").to.deep.equal(reasonsRequired);
    expect(errorOf(await rejectWith(sha256(" \n\t "), " \n\t ")), "a blank note").to.deep.equal(reasonsRequired);

    const signature = await sign(engineer, typed);
    const decided = await submitDecision(engineer, typed, signature);
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    expect(decided.body).to.include({ stepIndex: 0, role: "ENGINEER", decision: "approve", state: "UnderReview" });
    expect(errorOf(await submitDecision(engineer, typed, signature))).to.deep.equal({ status: 409, code: "SIGNATURE_REPLAYED" });

    const directorTyped = (await director.get(path)).body;
    expect(directorTyped.message).to.include({ stepIndex: 1, role: id("DIRECTOR") });
    expect((await submitDecision(director, directorTyped, await sign(director, directorTyped))).status).to.equal(200);

    // The mayor approves with a note, whose hash is part of what they sign.
    const note = "อนุมัติตามแบบ / Approved as drawn";
    const mayorTyped = (await mayor.get(`${path}?decision=approve&noteHash=${sha256(note)}`)).body;
    expect(mayorTyped.message).to.include({ stepIndex: 2, role: id("MAYOR"), noteHash: sha256(note) });
    const form = new FormData();
    form.append("file", new Blob([note]), "note.txt");
    const m = mayorTyped.message;
    form.append(
      "signed",
      JSON.stringify({ stepIndex: 2, decision: "approve", noteHash: m.noteHash, nonce: m.nonce, deadline: m.deadline, signature: await sign(mayor, mayorTyped) }),
    );
    const approved = await mayor.post(`${permitPath(number)}/steps/decisions`, form);
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    expect(approved.body.state).to.equal("Approved");
  });

  it("issues the certificate PDF by the permit officer's signature over its hash and CID; trail, legal clock, verification", async () => {
    const draftPath = `${permitPath(number)}/certificate/drafts`;
    const issuePath = `${permitPath(number)}/certificate`;
    expect(errorOf(await director.post(draftPath))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    expect(errorOf(await outsider.post(draftPath))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    const draft = await permitOfficer.post(draftPath);
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const typed = draft.body.typedData;
    expect(typed.primaryType).to.equal("Issuance");
    expect(typed.message).to.include({ permitId: id(number), certificateHash: draft.body.certificateSha256, cid: draft.body.cid });
    const submit = (officer: OfficerClient, signature: string, certificateHash = typed.message.certificateHash) =>
      officer.post(issuePath, { certificateHash, nonce: typed.message.nonce, deadline: typed.message.deadline, signature });

    expect(errorOf(await submit(permitOfficer, await sign(permitOfficer, typed), sha256("a certificate never rendered")))).to.deep.equal({
      status: 404,
      code: "DRAFT_NOT_FOUND",
    });
    expect(errorOf(await submit(permitOfficer, await sign(director, typed)))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    expect(errorOf(await submit(director, await sign(director, typed)))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // The signature covers the CID: one made over other bytes' CID does not recover to the officer.
    const otherCid = await sign(permitOfficer, typed, { ...typed.message, cid: "bafkreidivzimqfqtoqxkrpge6bjyhlvxqs3rhe73owtmdulaxr5do5in7u" });
    expect(errorOf(await submit(permitOfficer, otherCid))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });

    const signature = await sign(permitOfficer, typed);
    const issued = await submit(permitOfficer, signature);
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
    expect(issued.body).to.include({ certificateSha256: draft.body.certificateSha256, cid: draft.body.cid, dataHash: draft.body.dataHash, version: 1 });
    certificateV1 = issued.body.certificateSha256;
    expect(errorOf(await submit(permitOfficer, signature))).to.deep.equal({ status: 409, code: "SIGNATURE_REPLAYED" });
    expect(errorOf(await permitOfficer.post(draftPath))).to.deep.equal({ status: 409, code: "PERMIT_WRONG_STATE" });

    const download = await fetch(`${service.url}${permitPath(number)}/certificate.pdf`, { headers: { "x-tracking-code": trackingCode } });
    expect(download.status).to.equal(200);
    const pdf = new Uint8Array(await download.arrayBuffer());
    expect(sha256(pdf)).to.equal(certificateV1);
    const data = readCertificateData(pdf)!;
    expect(data).to.include({ permitNumber: number, version: 1, holderName: APPLICANT.name });
    expect(data.approvals.map((a) => a.role)).to.deep.equal(["ENGINEER", "DIRECTOR", "MAYOR"]);
    expect((await fetch(`${service.url}${permitPath(number)}/certificate.pdf`)).status).to.equal(403);

    const view = (await resident.get(`${permitPath(number)}`)).body;
    expect(view).to.include({ state: "Issued", verdict: "valid" });
    expect(view.certificate).to.include({ sha256: certificateV1, version: 1, dataHash: issued.body.dataHash });
    expect(view.trail.map((s: any) => s.step)).to.deep.equal(["applied", "documents-added", "completed", "decided", "decided", "decided", "approved", "issued"]);
    expect(view.trail.at(-1)).to.include({ step: "issued", officer: permitOfficer.wallet.address, cid: draft.body.cid });
    const decisions = view.trail.filter((s: any) => s.step === "decided");
    expect(decisions.map((s: any) => [s.role, s.officer, s.decision])).to.deep.equal([
      ["ENGINEER", engineer.wallet.address, "approve"],
      ["DIRECTOR", director.wallet.address, "approve"],
      ["MAYOR", mayor.wallet.address, "approve"],
    ]);
    expect(decisions[0].officerName).to.equal("วิศวกร สมศักดิ์ (demo)");
    expect(decisions[2].noteHash).to.equal(sha256("อนุมัติตามแบบ / Approved as drawn"));
    for (const step of view.trail) expect(step.txHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(view.trail[0].documentHashes).to.include(sha256(`Plans of the house of ${APPLICANT.name}`));
    expect(view.steps.map((s: any) => s.officerName)).to.deep.equal(["วิศวกร สมศักดิ์ (demo)", "ผู้อำนวยการกองช่าง สมชาย (demo)", "นายกเทศมนตรี สมพร (demo)"]);
    const clock = view.legalClock;
    expect(clock).to.include({ statuteDays: 45, withinStatute: true, decided: true });
    expect(Date.parse(clock.decidedAt)).to.be.at.least(Date.parse(clock.completedAt));
    expect(clock.days).to.be.within(0, 1);

    const verified = (await resident.get(`/api/verify?sha256=${certificateV1}`)).body;
    expect(verified.verdict).to.equal("valid");
    expect(verified.record).to.include({ kind: "permit-certificate", permitNumber: number, version: 1 });
    expect(verified.proof).to.include({ contract: contracts.permitRegistry, certificateHash: certificateV1, chainId: 31337 });
    expect(verified.trail.filter((s: any) => s.step === "decided")).to.have.length(3);
    const form = new FormData();
    form.append("file", new Blob([pdf]), "certificate.pdf");
    expect((await resident.post("/api/verify", form)).body.verdict).to.equal("valid");
  });

  it("amends with the issuing authority's signature: a new version, the old one superseded", async () => {
    const path = `${permitPath(number)}/amendments`;
    expect(errorOf(await permitOfficer.post(`${path}/drafts`, { reason: "typo" }))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    // An amendment changes something: nothing given, or what version 1 states already, is refused
    // before a version 2 is rendered or signed.
    const issued = (await resident.get(`${permitPath(number)}`)).body;
    const unchanged = { status: 422, code: "AMENDMENT_UNCHANGED" };
    expect(errorOf(await mayor.post(`${path}/drafts`, { reason: "Nothing to change" }))).to.deep.equal(unchanged);
    expect(errorOf(await mayor.post(`${path}/drafts`, { parcel: issued.parcel, description: issued.description, reason: "The same again" }))).to.deep.equal(unchanged);
    const draft = await mayor.post(`${path}/drafts`, { parcel: "โฉนดที่ดิน 12346 / Title deed 12346, Mae Hia", reason: "Parcel number corrected" });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const typed = draft.body.typedData;
    expect(typed.primaryType).to.equal("Amendment");
    expect(typed.message.certificateHash).to.equal(draft.body.certificateSha256);
    expect(typed.message.cid).to.match(/^baf/);
    const body = { draftId: draft.body.draftId, nonce: typed.message.nonce, deadline: typed.message.deadline, signature: await sign(mayor, typed) };
    expect(errorOf(await engineer.post(path, body))).to.deep.equal({ status: 403, code: "SIGNATURE_INVALID" });
    const amended = await mayor.post(path, body);
    expect(amended.status, JSON.stringify(amended.body)).to.equal(201);
    expect(amended.body).to.include({ version: 2, supersedes: certificateV1 });
    certificateV2 = amended.body.certificateSha256;
    expect(errorOf(await mayor.post(path, body))).to.deep.equal({ status: 409, code: "SIGNATURE_REPLAYED" });

    await eventually(
      () => resident.get(`/api/verify?sha256=${certificateV1}`),
      (answer) => answer.body.verdict === "superseded",
    );
    const current = (await resident.get(`/api/verify?sha256=${certificateV2}`)).body;
    expect(current.verdict).to.equal("valid");
    expect(current.record).to.include({ version: 2, supersedes: certificateV1 });
    const view = (await resident.get(`${permitPath(number)}`)).body;
    expect(view.certificate).to.include({ version: 2, sha256: certificateV2 });
    const pdf = new Uint8Array(await (await fetch(`${service.url}${permitPath(number)}/certificate.pdf`, { headers: { "x-tracking-code": trackingCode } })).arrayBuffer());
    expect(readCertificateData(pdf)).to.include({ version: 2, parcel: "โฉนดที่ดิน 12346 / Title deed 12346, Mae Hia", previousCertificateSha256: certificateV1 });
    // The permit's record states what version 2 states: the amended parcel, the description it kept.
    expect(view).to.include({ parcel: "โฉนดที่ดิน 12346 / Title deed 12346, Mae Hia" });
    expect(view.description).to.deep.equal({ th: "บ้านพักอาศัย 2 ชั้น", en: "Two-storey house" });
    const own = (await resident.get(`${permitPath(number)}/private`, { "x-tracking-code": trackingCode })).body;
    expect(own.parcel).to.equal("โฉนดที่ดิน 12346 / Title deed 12346, Mae Hia");

    // An officer of the permit prints the current certificate with their session, no tracking code;
    // an officer of another town may not.
    const printed = await fetch(`${service.url}${permitPath(number)}/certificate.pdf`, { headers: { cookie: permitOfficer.cookie! } });
    expect(printed.status).to.equal(200);
    expect(sha256(new Uint8Array(await printed.arrayBuffer()))).to.equal(certificateV2);
    const foreign = await fetch(`${service.url}${permitPath(number)}/certificate.pdf`, { headers: { cookie: outsider.cookie! } });
    expect({ status: foreign.status, code: ((await foreign.json()) as any).error.code }).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
  });

  it("revokes with a reason code: every version verifies revoked", async () => {
    const path = `${permitPath(number)}/revocation`;
    expect(errorOf(await director.post(`${path}/drafts`, { reasonCode: 1, reason: "x" }))).to.deep.equal({ status: 403, code: "ROLE_REQUIRED" });
    const reason = "Construction exceeds the approved height";
    const draft = await mayor.post(`${path}/drafts`, { reasonCode: 1, reason });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const typed = draft.body.typedData;
    expect(typed.message).to.include({ reasonCode: 1, reasonHash: sha256(reason) });
    const late = { ...typed.message, deadline: String(Number(typed.message.deadline) - 16 * 60) };
    const expired = { draftId: draft.body.draftId, nonce: late.nonce, deadline: late.deadline, signature: await sign(mayor, typed, late) };
    expect(errorOf(await mayor.post(path, expired))).to.deep.equal({ status: 409, code: "SIGNATURE_EXPIRED" });
    const revoked = await mayor.post(path, { draftId: draft.body.draftId, nonce: typed.message.nonce, deadline: typed.message.deadline, signature: await sign(mayor, typed) });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);

    const form = new FormData();
    form.append("file", new Blob(["not a certificate"]), "x.pdf");
    expect((await resident.post("/api/verify", form)).body.verdict).to.equal("unknown");
    await eventually(
      () => resident.get(`/api/verify?sha256=${certificateV2}`),
      (answer) => answer.body.verdict === "revoked",
    );
    await eventually(
      () => resident.get(`/api/verify?sha256=${certificateV1}`),
      (answer) => answer.body.verdict === "revoked",
    );
    const view = (await resident.get(`${permitPath(number)}`)).body;
    expect(view).to.include({ state: "Revoked", verdict: "revoked", revocationReason: 1 });
    expect(view.trail.at(-1)).to.include({ step: "revoked", officer: mayor.wallet.address, reasonCode: 1, reasonHash: sha256(reason) });
    expect(JSON.stringify(view)).not.to.include(reason);
  });

  it("keeps the applicant's personal fields out of every permit transaction's calldata and events", async () => {
    const provider = rpcProvider(service.rpcUrl);
    const view = (await resident.get(`${permitPath(number)}`)).body;
    const needles = Object.values({ ...APPLICANT, bare: "1509900123456" }).flatMap((value) => [
      hexlify(toUtf8Bytes(value)).slice(2),
      Buffer.from(value).toString("hex"),
    ]);
    const txHashes = [...new Set<string>(view.trail.map((s: any) => s.txHash))];
    expect(txHashes.length).to.be.at.least(8);
    for (const hash of txHashes) {
      const [tx, receipt] = await Promise.all([provider.getTransaction(hash), provider.getTransactionReceipt(hash)]);
      const haystack = [tx!.data, ...receipt!.logs.flatMap((log) => [log.data, ...log.topics])].join("").toLowerCase();
      for (const needle of needles) expect(haystack).not.to.include(needle.toLowerCase());
    }
  });
});
