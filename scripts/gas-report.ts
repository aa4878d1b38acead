// Measures what the ledger's transactions cost (receipt gasUsed, 21,000 base included) on Hardhat's
// simulated network, checks the targets, and writes docs/gas.md.
//   npx hardhat run scripts/gas-report.ts            measure, check, write docs/gas.md   (npm run gas)
//   GAS_REPORT_CHECK_ONLY=1 npx hardhat run …        measure and check only              (npm test)
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { hexlify, id, type ContractTransactionResponse, type Signer } from "ethers";
import { network } from "hardhat";
import LedgerModule from "./ignition/modules/Ledger.js";
import { PERMIT_REGISTRY_TYPES, permitRegistryDomain } from "../app/shared/typedData.js";
import { SOLC_VERSION } from "../hardhat.config.js";
import { RECORD_REVOCATION_TYPES, batchAnchorDomain } from "../app/shared/issuance.js";

const { ethers, ignition, networkHelpers } = await network.create();

const OPENATTESTATION_ISSUE_QUOTED = 45_663;
const BATCH_SIZE = 1000;
const MAX_GAS_PER_BATCHED_RECORD = 50;
// Regression bound for a single anchor (measured 48,794 with roots scoped by municipality); see the analysis in
// docs/gas.md.
const MAX_SINGLE_ANCHOR = 49_000;

const gasOf = async (tx: Promise<ContractTransactionResponse>) => Number((await (await tx).wait())!.gasUsed);
const randomHash = () => hexlify(randomBytes(32));

const signers = await ethers.getSigners();
const [nationalAdmin, admin, service, engineer, director, mayor, treasurer, resident, resident2, issuer, permitOfficer] =
  signers;
const deployed = await ignition.deploy(LedgerModule);
const directory = await ethers.getContractAt("Directory", await deployed.directory.getAddress());
const permits = await ethers.getContractAt("PermitRegistry", await deployed.permitRegistry.getAddress());
const complaints = await ethers.getContractAt("ComplaintLedger", await deployed.complaintLedger.getAddress());
const fund = await ethers.getContractAt("CivicFund", await deployed.civicFund.getAddress());
const anchor = await ethers.getContractAt("BatchAnchor", await deployed.batchAnchor.getAddress());

const M = 1;
await directory.connect(nationalAdmin).addMunicipality("TH-50-MAEHIA", "Mae Hia Town Municipality", admin.address);
for (const [role, who] of [
  ["ANCHOR_SERVICE", service],
  ["PERMIT_OFFICER", service],
  ["ENGINEER", engineer],
  ["DIRECTOR", director],
  ["MAYOR", mayor],
  ["COMPLAINT_OFFICER", service],
  ["TREASURER", treasurer],
  ["DOCUMENT_ISSUER", issuer],
  ["PERMIT_OFFICER", permitOfficer],
] as const) {
  await directory.connect(admin).grantRole(M, id(role), who.address);
}

const rows: Array<{ what: string; gas: number; note?: string }> = [];
const record = (what: string, gas: number, note?: string) => rows.push({ what, gas, note });

// --- Anchoring ---------------------------------------------------------------------------------------
// Warm-up anchor: the very first transaction of an account pays nothing extra here, but keep the
// measured one representative of the steady state of the anchoring worker.
await anchor.connect(service).anchor(M, await anchor.leafOf(randomHash()), 1);
const singleAnchor = await gasOf(anchor.connect(service).anchor(M, await anchor.leafOf(randomHash()), 1));
record("BatchAnchor.anchor — a single record (batch of one)", singleAnchor);
const tree = StandardMerkleTree.of(Array.from({ length: BATCH_SIZE }, () => [randomHash()]), ["bytes32"]);
const batchAnchor = await gasOf(anchor.connect(service).anchor(M, tree.root, BATCH_SIZE));
const perRecord = batchAnchor / BATCH_SIZE;
record(`BatchAnchor.anchor — a root of ${BATCH_SIZE.toLocaleString("en")} records`, batchAnchor, `${perRecord.toFixed(1)} per record`);
const [index, [value]] = [...tree.entries()][BATCH_SIZE / 2];
const { chainId } = await ethers.provider.getNetwork();
const revocation = {
  municipalityId: M,
  root: tree.root,
  leaf: tree.leafHash([value]),
  reasonCode: 1,
  reasonHash: id("court order"),
  deadline: BigInt(await networkHelpers.time.latest()) + 3600n,
};
const revocationSignature = await issuer.signTypedData(
  batchAnchorDomain(chainId, await anchor.getAddress()),
  RECORD_REVOCATION_TYPES,
  revocation,
);
record(
  `BatchAnchor.revokeRecord — one record of the ${BATCH_SIZE.toLocaleString("en")}`,
  // Signed by a DOCUMENT_ISSUER (EIP-712), relayed by the anchoring service.
  await gasOf(
    anchor
      .connect(service)
      .revokeRecord(
        revocation.municipalityId,
        revocation.root,
        revocation.leaf,
        tree.getProof(index),
        revocation.reasonCode,
        revocation.reasonHash,
        issuer.address,
        revocation.deadline,
        revocationSignature,
      ),
  ),
  "proof of 10 hashes; EIP-712 signature of a DOCUMENT_ISSUER, relayed",
);
const reference = await ethers.deployContract("DocumentStoreReference");
await reference.issue(randomHash());
const referenceIssue = await gasOf(reference.issue(randomHash()));
record("Yardstick: OpenAttestation DocumentStore `issue` logic, same EVM rules", referenceIssue, "contracts/mocks/DocumentStoreReference.sol");

// --- Permits -----------------------------------------------------------------------------------------
await permits.connect(admin).definePermitType(M, id("BUILDING"), [id("ENGINEER"), id("DIRECTOR"), id("MAYOR")], 1095);
const domain = permitRegistryDomain(chainId, await permits.getAddress());
async function decide(permitId: string, step: number, role: string, officer: Signer) {
  const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
  const value = {
    permitId,
    stepIndex: step,
    role: id(role),
    decision: 1,
    noteHash: randomHash(),
    nonce: await permits.nonces(await officer.getAddress()),
    deadline,
  };
  const signature = await officer.signTypedData(domain, { StepDecision: PERMIT_REGISTRY_TYPES.StepDecision }, value);
  // Submitted by the ledger service (the relayer), not by the officer.
  return gasOf(
    permits.connect(service).decide(permitId, step, 1, value.noteHash, await officer.getAddress(), deadline, signature),
  );
}
/** `officer`'s signature of a Completion or an Issuance carrying `fields`, at its current nonce, for an hour. */
async function signPermitAct(type: "Completion" | "Issuance", officer: Signer, fields: Record<string, unknown>) {
  const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
  const nonce = await permits.nonces(await officer.getAddress());
  const value = { ...fields, nonce, deadline };
  return { deadline, signature: await officer.signTypedData(domain, { [type]: PERMIT_REGISTRY_TYPES[type] }, value) };
}
const permitNumber = "TH-50-MAEHIA/BP/2026/0001";
const permitId = id(permitNumber);
record(
  "PermitRegistry.applyForPermit — 2 document hashes",
  await gasOf(permits.connect(service).applyForPermit(permitNumber, M, id("BUILDING"), [randomHash(), randomHash()], randomHash())),
);
const completion = await signPermitAct("Completion", permitOfficer, {
  permitId,
  documentCount: (await permits.documents(permitId)).length,
});
record(
  "PermitRegistry.markComplete (starts the legal clock)",
  await gasOf(permits.connect(service).markComplete(permitId, permitOfficer.address, completion.deadline, completion.signature)),
  "EIP-712 signature of a permit officer, relayed; their first, so their nonce is written from zero",
);
const firstStep = await decide(permitId, 0, "ENGINEER", engineer);
record("PermitRegistry.decide — an approval step (EIP-712, relayed)", firstStep, "first step: engineer");
await decide(permitId, 1, "DIRECTOR", director);
record("PermitRegistry.decide — the final approval step", await decide(permitId, 2, "MAYOR", mayor), "mayor; permit becomes Approved");
const certificateHash = randomHash();
const cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
const issuance = await signPermitAct("Issuance", permitOfficer, { permitId, certificateHash, cid });
record(
  "PermitRegistry.issue — certificate hash and CID",
  await gasOf(
    permits.connect(service).issue(permitId, certificateHash, cid, permitOfficer.address, issuance.deadline, issuance.signature),
  ),
  "EIP-712 signature of a permit officer, relayed",
);

// --- Complaints --------------------------------------------------------------------------------------
await complaints.connect(admin).setCategory(M, id("ROAD"), 7 * 86400, true);
const filingId = randomHash();
const complaintId = await complaints.complaintIdOf(M, service.address, filingId);
record(
  "ComplaintLedger.file",
  await gasOf(complaints.connect(service).file(filingId, M, id("ROAD"), id("MOO-3"), randomHash(), randomHash())),
  "the id derived from municipality, sender and filing id",
);
record("ComplaintLedger.acknowledge", await gasOf(complaints.connect(service).acknowledge(complaintId)));

// --- Civic fund --------------------------------------------------------------------------------------
const token = await ethers.deployContract("TestBahtToken");
const deadline = BigInt(await networkHelpers.time.latest()) + 7n * 86400n;
async function openCampaign(goal: bigint) {
  const campaignId = (await fund.campaignCount()) + 1n;
  await fund.connect(treasurer).createCampaign(M, await token.getAddress(), admin.address, goal, deadline, [goal], randomHash());
  await fund.connect(treasurer).openCampaign(campaignId);
  return campaignId;
}
for (const pledger of [resident, resident2]) {
  await token.mint(pledger.address, 1_000_000_00n);
  await token.connect(pledger).approve(await fund.getAddress(), ethers.MaxUint256);
}
const failing = await openCampaign(1_000_000_00n);
const firstPledge = await gasOf(fund.connect(resident).pledge(failing, 500_00n));
record("CivicFund.pledge — a resident's first pledge to a campaign", firstPledge, "ERC-20 escrow");
record("CivicFund.pledge — a further pledge", await gasOf(fund.connect(resident).pledge(failing, 250_00n)));
await fund.connect(resident2).pledge(failing, 100_00n);
record(
  "CivicFund.recordOffchainPledge — a cash receipt",
  await gasOf(fund.connect(treasurer).recordOffchainPledge(failing, randomHash(), 300_00n)),
);
await networkHelpers.time.increaseTo(deadline + 1n);
const refund = await gasOf(fund.connect(resident).refund(failing));
record("CivicFund.refund — goal missed, the pledger takes back their escrow", refund);

// --- Suspension ----------------------------------------------------------------------------------------
// A suspension or reinstatement rewrites every ANCHOR_SERVICE key of the municipality in every observer's
// copy; the Directory caps both lists, so the cost is bounded whatever a municipality's admin does.
// Measured at the cap of keys, first with BatchAnchor the only observer, then at the cap of observers too.
const maxKeys = Number(await directory.MAX_ANCHOR_SERVICE_HOLDERS());
const maxObservers = Number(await directory.MAX_OBSERVERS());
const S = 2;
await directory.connect(nationalAdmin).addMunicipality("TH-50-SUTHEP", "Suthep Subdistrict Municipality", admin.address);
for (const key of signers.slice(11, 11 + maxKeys)) await directory.connect(admin).grantRole(S, id("ANCHOR_SERVICE"), key.address);
const suspendGas = () => gasOf(directory.connect(nationalAdmin).suspendMunicipality(S, randomHash()));
const reinstateGas = () => gasOf(directory.connect(nationalAdmin).reinstateMunicipality(S));
const oneObserver = `${maxKeys} anchoring keys (the cap), 1 observer`;
record("Directory.suspendMunicipality", await suspendGas(), oneObserver);
record("Directory.reinstateMunicipality", await reinstateGas(), oneObserver);
while ((await directory.observers()).length < maxObservers) {
  const observer = await ethers.deployContract("BatchAnchor", [await directory.getAddress()]);
  await directory.connect(nationalAdmin).addObserver(await observer.getAddress());
}
// The new observers' copies are empty: suspend once unmeasured, so that the measured reinstatement writes
// every key of every copy from zero and the measured suspension then clears them all.
await suspendGas();
const bothCaps = `${maxKeys} anchoring keys, ${maxObservers} observers (both caps)`;
const reinstateAtCaps = await reinstateGas();
record("Directory.suspendMunicipality", await suspendGas(), bothCaps);
record("Directory.reinstateMunicipality", reinstateAtCaps, bothCaps);

// --- Check and write ---------------------------------------------------------------------------------
const failures: string[] = [];
if (perRecord > MAX_GAS_PER_BATCHED_RECORD) {
  failures.push(`a root of ${BATCH_SIZE} records costs ${perRecord} gas per record (target ≤ ${MAX_GAS_PER_BATCHED_RECORD})`);
}
if (singleAnchor > MAX_SINGLE_ANCHOR) failures.push(`a single anchor costs ${singleAnchor} gas (regression bound ${MAX_SINGLE_ANCHOR})`);

const table = rows
  .map(({ what, gas, note }) => `| ${what} | ${gas.toLocaleString("en")} | ${note ?? ""} |`)
  .join("\n");
const markdown = `# Gas

What the ledger's transactions cost, measured by \`npm run gas\` (scripts/gas-report.ts): receipt
\`gasUsed\` of each transaction, the 21,000 base included, on Hardhat's simulated network (EDR, the
Cancun gas schedule), solc ${SOLC_VERSION} with the optimizer at 200 runs. \`npm test\` re-measures and fails
when a target below is missed.

| transaction | gas | note |
|---|---:|---|
${table}

## Targets

| target | measured | |
|---|---:|---|
| a root of ${BATCH_SIZE.toLocaleString("en")} records ≤ ${MAX_GAS_PER_BATCHED_RECORD} gas per record | ${perRecord.toFixed(1)} | met |
| a single anchor no dearer than OpenAttestation's DocumentStore \`issue\` (${OPENATTESTATION_ISSUE_QUOTED.toLocaleString("en")} gas, as quoted) | ${singleAnchor.toLocaleString("en")} | **not met**: see below |
| (the same comparison under the same EVM rules: DocumentStore \`issue\` logic measured here) | ${referenceIssue.toLocaleString("en")} | ${singleAnchor <= referenceIssue ? "met" : `${(singleAnchor - referenceIssue).toLocaleString("en")} gas dearer`} |

### Why a single anchor cannot reach 45,663 gas today

Any anchor that records a new root and checks who sent it pays, under the gas schedule since Berlin
(EIP-2929, cold storage access 2,100 gas): 21,000 for the transaction + 22,100 to write one new storage
slot (20,000 + the cold access) + 2,100 to read one cold slot of authorization = **45,200 gas** before it
reads a byte of calldata (≈ 600–900 gas) or emits its event (≥ 1,125 gas). OpenAttestation's 45,663 was
measured before Berlin, when reading storage cost 800 gas; its own logic costs ${referenceIssue.toLocaleString("en")} gas
under today's rules (the yardstick row). BatchAnchor's extra ≈ ${(singleAnchor - referenceIssue).toLocaleString("en")} gas over that
yardstick buys what the document store does not record: the municipality (an argument, an indexed event
topic so each town's anchors can be filtered, and the key of its own roots, so one town cannot squat
another's root: one more hash to find the slot, about 80 gas), the number of records in the batch, and
the anchoring time and block in the same slot.

### How the batch target is met

A root costs the same whatever the batch size (only the \`count\` argument changes), so the per-record
cost is the single-anchor cost divided by the batch size. The budget (50,000 gas for 1,000 records)
leaves no room for asking the Directory on every anchor (a cold call and two cold reads: about 6,800
gas). BatchAnchor therefore keeps its own copy of who holds ANCHOR_SERVICE where, and is one of the
Directory's observers: every grant, revocation, suspension and reinstatement reaches the copy in the
same transaction (docs/architecture.md). The anchor path reads one cold slot of that copy.

A suspension or a reinstatement rewrites that copy for every anchoring key of the municipality, in every
observer. The Directory bounds both lists: at most ${maxKeys} ANCHOR_SERVICE keys per municipality
(\`MAX_ANCHOR_SERVICE_HOLDERS\`) and at most ${maxObservers} observers (\`MAX_OBSERVERS\`), so a municipality's
admin cannot grant keys until suspending the municipality no longer fits in a block. The Directory rows
above are measured at the cap of keys, with BatchAnchor the only observer and then with BatchAnchors up to
the cap of observers: the dearest a suspension or reinstatement can be while the observers are BatchAnchors.
`;

if (process.env.GAS_REPORT_CHECK_ONLY) {
  console.log(rows.map(({ what, gas }) => `  ${gas.toString().padStart(9)}  ${what}`).join("\n"));
} else {
  writeFileSync(new URL("../docs/gas.md", import.meta.url), markdown);
  console.log("gas: wrote docs/gas.md");
}
if (failures.length > 0) {
  for (const failure of failures) console.error(`gas: target missed: ${failure}`);
  process.exit(1);
}
console.log(`gas: targets met (${perRecord.toFixed(1)} gas per record in a root of ${BATCH_SIZE}; single anchor ${singleAnchor})`);
