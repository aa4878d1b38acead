import { expect } from "chai";
import { SqliteBlockstore } from "../../app/server/ipfs/sqliteBlockstore.js";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { getBytes } from "ethers";
import { CID } from "multiformats/cid";
import { readKeyringFile } from "../../app/server/privacy/keyring.js";
import { sealedKeyId } from "../../app/server/privacy/vault.js";
import { runLedger } from "./support/ledgerCli.js";
import { DocumentIssuer } from "./support/issuer.js";
import { ApiClient, OfficerClient } from "./support/officerClient.js";
import { permitPath } from "./support/workflowData.js";
import { cleanUp, eventually, rpcProvider, startService, tempDataDir, type RunningService } from "./support/service.js";

/**
 * The PDPA canary: a resident's personal data — a name, a Thai ID number, a phone number, an address,
 * an e-mail — goes through every workflow (a permit application that ends in an issued certificate, an
 * Open311 complaint, an off-chain pledge). Then every transaction's calldata, every event log and every
 * IPFS block on disk is scanned for it, in each form it could take: zero hits. A public control document
 * proves the scan finds what is there.
 */
const CANARY = {
  nameEn: "Kanokwan Canarysri",
  nameTh: "กนกวรรณ คานารีศรี",
  nationalId: "3509912345678",
  nationalIdFormatted: "3-5099-12345-67-8",
  phone: "0899990123",
  phoneFormatted: "089-999-0123",
  address: "77/7 Canary Lane, Mae Hia",
  addressTh: "77/7 ซอยคานารี ตำบลแม่เหียะ",
  email: "kanokwan.canary@example.th",
};
const CONTROL = "PUBLIC-CONTROL-DOCUMENT-7f3a";

/** Every form a canary could take in bytes: as typed, lower/upper case, digits only. */
function needles(): Array<{ label: string; bytes: Buffer }> {
  const forms = new Map<string, string>();
  for (const [key, value] of Object.entries(CANARY)) {
    for (const form of [value, value.toLowerCase(), value.toUpperCase(), value.replace(/\D/g, "").length >= 9 ? value.replace(/\D/g, "") : value]) {
      forms.set(`${key}:${form}`, form);
    }
  }
  return [...forms].map(([label, form]) => ({ label, bytes: Buffer.from(form, "utf8") }));
}

function hits(haystack: Uint8Array, where: string, found: string[]): void {
  const buffer = Buffer.from(haystack);
  for (const needle of needles()) if (buffer.includes(needle.bytes)) found.push(`${needle.label} in ${where}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The first bytes of a sealed file (at most one IPFS block, a raw leaf), read from the service's blockstore. */
async function sealedFileKeyId(dataDir: string, cid: string): Promise<string | null | undefined> {
  const blockstore = new SqliteBlockstore(join(dataDir, "ipfs", "blocks.sqlite"));
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of blockstore.get(CID.parse(cid))) chunks.push(chunk);
    return sealedKeyId(Buffer.concat(chunks));
  } finally {
    blockstore.close();
  }
}

describe("privacy: no personal data on the chain or in clear on IPFS", function () {
  this.timeout(300_000);
  const dataDir = tempDataDir("ledger-privacy");
  // The personal-data keyring lives outside the data folder, as docs/operator-guide.md advises.
  const secretsDir = mkdtempSync(join(tmpdir(), "ledger-privacy-keys-"));
  const keyEnv = { PERSONAL_DATA_KEY_FILE: join(secretsDir, "personal-data.keys") };
  let service: RunningService;
  let resident: ApiClient;
  let permitNumber: string;
  let permitTrackingCode: string;

  before(async () => {
    const made = await runLedger(["personal-data-key", "rotate"], { env: { DATA_DIR: dataDir, ...keyEnv } });
    expect(made.code, made.stderr).to.equal(0);
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200", ...keyEnv });
    resident = new ApiClient(service.url);
  });
  after(async () => {
    await service?.stop();
    cleanUp(dataDir);
    cleanUp(secretsDir);
  });

  it("carries the canary through a permit to its certificate, a complaint and an off-chain pledge", async () => {
    // Permit: application with personal fields and a document naming the applicant, approved and issued.
    const application = new FormData();
    application.append(
      "application",
      JSON.stringify({
        municipalityId: 1,
        type: "BUILDING",
        parcel: "Title deed 4711, Mae Hia",
        description: { en: "Two-storey house" },
        applicant: { name: CANARY.nameTh, nationalId: CANARY.nationalIdFormatted, phone: CANARY.phoneFormatted, address: CANARY.addressTh },
      }),
    );
    application.append("file", new Blob([`House plans of ${CANARY.nameEn}, ID ${CANARY.nationalId}, tel ${CANARY.phone}`]), "plans.txt");
    const applied = await resident.post("/api/permits", application);
    expect(applied.status, JSON.stringify(applied.body)).to.equal(201);
    const number = applied.body.number as string;
    permitNumber = number;
    permitTrackingCode = applied.body.trackingCode as string;

    const officers = Object.fromEntries(
      await Promise.all(
        (["permitOfficer", "engineer", "director", "mayor", "complaintOfficer", "treasurer"] as const).map(async (role) => {
          const officer = OfficerClient.demo(service.url, role, service.rpcUrl);
          await officer.signIn();
          return [role, officer] as const;
        }),
      ),
    );
    const path = permitPath(number);
    const permitOfficer = officers.permitOfficer;
    const completion = (await permitOfficer.get(`${path}/completion/typed-data`)).body;
    const completed = await permitOfficer.post(`${path}/complete`, {
      ...completion.message,
      signature: await permitOfficer.wallet.signTypedData(completion.domain, completion.types, completion.message),
    });
    expect(completed.status, JSON.stringify(completed.body)).to.equal(200);
    for (const role of ["engineer", "director", "mayor"] as const) {
      const officer = officers[role];
      const typed = (await officer.get(`${path}/steps/next/typed-data`)).body;
      const m = typed.message;
      const signature = await officer.wallet.signTypedData(typed.domain, typed.types, m);
      const decided = await officer.post(`${path}/steps/decisions`, {
        stepIndex: m.stepIndex,
        decision: "approve",
        noteHash: m.noteHash,
        nonce: m.nonce,
        deadline: m.deadline,
        signature,
      });
      expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    }
    const issuance = (await permitOfficer.post(`${path}/certificate/drafts`)).body.typedData;
    const issued = await permitOfficer.post(`${path}/certificate`, {
      ...issuance.message,
      signature: await permitOfficer.wallet.signTypedData(issuance.domain, issuance.types, issuance.message),
    });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);

    // Complaint through Open311, with every contact field and a description naming the resident.
    const complaint = await fetch(`${service.url}/open311/v2/requests.json`, {
      method: "POST",
      body: new URLSearchParams({
        jurisdiction_id: "maehia.go.th",
        api_key: "maehia-demo-open311-key",
        service_code: "ROAD",
        lat: "18.7465",
        long: "98.9650",
        address_string: CANARY.address,
        description: `Pothole outside the house of ${CANARY.nameEn} (${CANARY.nationalId}), call ${CANARY.phoneFormatted}`,
        "attribute[hazard]": "high",
        "attribute[village]": "3",
        first_name: CANARY.nameEn.split(" ")[0],
        last_name: CANARY.nameEn.split(" ")[1],
        phone: CANARY.phone,
        email: CANARY.email,
      }),
    });
    expect(complaint.status, await complaint.clone().text()).to.equal(200);

    // Off-chain pledge recorded by the treasurer, paid by the canary resident.
    const treasurer = officers.treasurer;
    const chainTime = (await rpcProvider(service.rpcUrl).getBlock("latest"))!.timestamp;
    const rules = new FormData();
    rules.append("file", new Blob(["Rules: all or nothing."]), "rules.txt");
    for (const [key, value] of Object.entries({ municipalityId: "1", beneficiary: treasurer.wallet.address, goal: "100000", deadline: String(chainTime + 3600), milestones: "100000" })) {
      rules.append(key, value);
    }
    const submit = async (prepare: Promise<{ status: number; body: any }>, path: string, status: number) => {
      const prepared = await prepare;
      expect(prepared.status, JSON.stringify(prepared.body)).to.equal(200);
      const { to, data } = prepared.body.transaction;
      const answer = await treasurer.post(path, { signedTransaction: await treasurer.signTransaction({ to, data, gasLimit: 1_000_000n }) });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
      return answer.body;
    };
    const campaign = await submit(treasurer.post("/api/funds/campaigns/transaction", rules), "/api/funds/campaigns", 201);
    const id = campaign.campaignId as number;
    await submit(treasurer.post(`/api/funds/campaigns/${id}/open/transaction`), `/api/funds/campaigns/${id}/open`, 200);
    const pledge = await submit(
      treasurer.post(`/api/funds/campaigns/${id}/offchain-pledges/transaction`, { amount: "5000", method: "cash", paidOn: "2026-11-01", payerName: CANARY.nameTh }),
      `/api/funds/campaigns/${id}/offchain-pledges`,
      201,
    );

    // The positive control: a public document, issued by the town and stored in clear.
    const control = await (await DocumentIssuer.of(service.url)).form(Buffer.from(CONTROL));
    expect((await resident.post("/api/documents", control)).status).to.equal(201);

    // Wait until the batched records (the pledge receipt, the control) are anchored.
    await eventually(async () => (await resident.get(`/api/funds/receipts/${pledge.receiptId}`)).body, (body) => body.proof !== null, 60_000);
  });

  it("finds none of it in any transaction's calldata, any event log, or any IPFS block", async () => {
    const provider = rpcProvider(service.rpcUrl);
    const head = await provider.getBlockNumber();
    const found: string[] = [];
    let transactions = 0;
    for (let n = 0; n <= head; n++) {
      const block = await provider.getBlock(n, true);
      for (const tx of block!.prefetchedTransactions) {
        transactions++;
        hits(getBytes(tx.data), `calldata of ${tx.hash}`, found);
      }
    }
    const logs = await provider.getLogs({ fromBlock: 0, toBlock: head });
    for (const log of logs) hits(Buffer.concat([...log.topics, log.data].map((hex) => getBytes(hex))), `log ${log.transactionHash}#${log.index}`, found);

    // Every IPFS block, read whole through the blockstore (a blob in SQLite spans pages, so the file's
    // raw bytes could split a canary), and every other file Helia keeps.
    const controlNeedle = Buffer.from(CONTROL);
    let controlSeen = false;
    const blockstore = new SqliteBlockstore(join(dataDir, "ipfs", "blocks.sqlite"));
    let blocks = 0;
    try {
      for await (const { cid, bytes: chunks } of blockstore.getAll()) {
        const chunksRead: Uint8Array[] = [];
        for await (const chunk of chunks) chunksRead.push(chunk);
        const bytes = Buffer.concat(chunksRead);
        blocks++;
        if (bytes.includes(controlNeedle)) controlSeen = true;
        hits(bytes, `IPFS block ${cid}`, found);
      }
    } finally {
      blockstore.close();
    }
    for (const file of filesUnder(join(dataDir, "ipfs", "datastore"))) hits(readFileSync(file), `IPFS datastore file ${file}`, found);
    expect(blocks).to.be.greaterThan(5);
    expect(transactions).to.be.greaterThan(20);
    expect(logs.length).to.be.greaterThan(20);
    expect(controlSeen, "the scan must see the public control document on IPFS").to.equal(true);
    expect(found).to.deep.equal([]);

    // The key is not in the data folder: neither its file nor its bytes in any file there.
    const [key] = readKeyringFile(keyEnv.PERSONAL_DATA_KEY_FILE);
    expect(existsSync(join(dataDir, "keys"))).to.equal(false);
    const keyForms = [key.key, Buffer.from(key.key.toString("hex"))];
    const holding = filesUnder(dataDir).filter((file) => keyForms.some((form) => readFileSync(file).includes(form)));
    expect(holding, "files in the data folder holding the personal-data key").to.deep.equal([]);
  });

  it("rotates the key: new data under the new key, old data readable, what the database names re-sealed, bundles kept; without the old key a 503 with a code", async () => {
    const [oldKey] = readKeyringFile(keyEnv.PERSONAL_DATA_KEY_FILE);
    const rotated = await runLedger(["personal-data-key", "rotate"], { env: { DATA_DIR: dataDir, ...keyEnv } });
    expect(rotated.code, rotated.stderr).to.equal(0);
    const [newKey] = readKeyringFile(keyEnv.PERSONAL_DATA_KEY_FILE);
    await service.stop();
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200", ...keyEnv });
    resident = new ApiClient(service.url);

    const db = new DatabaseSync(join(dataDir, "ledger.sqlite"), { readOnly: true });
    const [filed] = db.prepare("SELECT complaint_id, bundle_cid FROM complaint_filings").all() as Array<{ complaint_id: string; bundle_cid: string }>;
    try {
      // The background job moves the pledge's payer (SQLite) and the applicant's data (IPFS) to the new key.
      const applicantCid = () => (db.prepare("SELECT applicant_cid FROM permit_applications").get() as { applicant_cid: string }).applicant_cid;
      await eventually(
        async () => {
          const payer = db.prepare("SELECT sealed_payer FROM funds_offchain_pledges").get() as { sealed_payer: Uint8Array };
          return [sealedKeyId(payer.sealed_payer), await sealedFileKeyId(dataDir, applicantCid())];
        },
        (ids) => ids.every((id) => id === newKey.id),
        60_000,
      );
    } finally {
      db.close();
    }
    // The complaint's bundle stays as the chain names it, under the old key, and opens.
    expect(await sealedFileKeyId(dataDir, filed.bundle_cid)).to.equal(oldKey.id);
    const officer = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
    await officer.signIn();
    const details = await officer.get(`/api/complaints/${filed.complaint_id}`);
    expect(details.status, JSON.stringify(details.body)).to.equal(200);
    expect(details.body.content.description).to.include(CANARY.nameEn);
    // The applicant reads their re-sealed data with their tracking code.
    const own = await resident.get(`/api/permits/${encodeURIComponent(permitNumber)}/private`, { "x-tracking-code": permitTrackingCode });
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(JSON.stringify(own.body)).to.include(CANARY.nameTh);

    // A complaint filed now is sealed under the new key.
    const filedNow = await resident.post("/api/complaints", { municipalityId: 1, service_code: "ROAD", description: "A new pothole", lat: "18.7465", long: "98.9650", attribute: { hazard: "high", village: "3" } });
    expect(filedNow.status, JSON.stringify(filedNow.body)).to.equal(201);
    const db2 = new DatabaseSync(join(dataDir, "ledger.sqlite"), { readOnly: true });
    const newest = db2.prepare("SELECT bundle_cid FROM complaint_filings ORDER BY created_at DESC LIMIT 1").get() as { bundle_cid: string };
    db2.close();
    expect(await sealedFileKeyId(dataDir, newest.bundle_cid)).to.equal(newKey.id);

    // Without the old key the bundle cannot be opened: a 503 that says so, in the API's error shape.
    const onlyNew = join(secretsDir, "only-new.keys");
    writeFileSync(onlyNew, `${newKey.key.toString("hex")}\n`, { mode: 0o600 });
    await service.stop();
    service = await startService(dataDir, { ANCHOR_BATCH_MS: "200", PERSONAL_DATA_KEY_FILE: onlyNew });
    const again = OfficerClient.demo(service.url, "complaintOfficer", service.rpcUrl);
    await again.signIn();
    const missing = await again.get(`/api/complaints/${filed.complaint_id}`);
    expect(missing.status).to.equal(503);
    expect(missing.body.error.code).to.equal("PERSONAL_DATA_KEY_MISSING");
    expect(missing.body.error.message).to.include(oldKey.id).and.not.include(oldKey.key.toString("hex"));
  });
});
