import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { HDNodeWallet, Mnemonic, id } from "ethers";
import { DEV_MNEMONIC } from "../../../app/server/chain/devAccounts.js";
import LedgerModule from "./Ledger.js";

/**
 * The demo municipality of the embedded chain: Mae Hia, with one officer per role (the ledger service's
 * key holds ANCHOR_SERVICE, which also lets it relay permit intake), its two permit types and its
 * complaint categories. Accounts are anvil's development accounts in the order of
 * app/server/chain/devAccounts.ts (0 national admin, 1 municipality admin, 2 ledger service, …).
 * Never deployed to a real chain: those keys are public.
 */
const DAY = 24 * 60 * 60;
const OFFICERS: Array<[role: string, account: number]> = [
  ["ANCHOR_SERVICE", 2],
  ["PERMIT_OFFICER", 3],
  // The permit officer also issues the town's official documents (e-Office letters, notification certificates).
  ["DOCUMENT_ISSUER", 3],
  ["ENGINEER", 4],
  ["DIRECTOR", 5],
  ["MAYOR", 6],
  ["HEALTH_OFFICER", 7],
  ["COMPLAINT_OFFICER", 8],
  ["TREASURER", 9],
  ["AUDITOR", 10],
];
/**
 * The names the municipality's admin publishes for its demo officers (Directory.setOfficerName): what
 * every verifier shows beside a signer's address.
 */
const OFFICER_NAMES: Array<[account: number, name: string]> = [
  [3, "เจ้าหน้าที่ สมหญิง (demo)"],
  [4, "วิศวกร สมศักดิ์ (demo)"],
  [5, "ผู้อำนวยการกองช่าง สมชาย (demo)"],
  [6, "นายกเทศมนตรี สมพร (demo)"],
  [7, "เจ้าหน้าที่สาธารณสุข สมใจ (demo)"],
  [8, "เจ้าหน้าที่รับเรื่องร้องเรียน สมบัติ (demo)"],
  [9, "เหรัญญิก สมฤดี (demo)"],
  [10, "ผู้ตรวจสอบภายใน สมปอง (demo)"],
];
/**
 * Demo THBT balances in satang (2 decimals): the resident (11) and three more accounts of anvil's
 * mnemonic (12–14, which have no role) to pledge with. By address: Ignition only knows the signing keys.
 */
const DEMO_BAHT_HOLDERS: Array<[account: number, satang: bigint]> = [
  [11, 1_000_000_00n],
  [12, 100_000_00n],
  [13, 100_000_00n],
  [14, 100_000_00n],
];
const devAddress = (index: number) => HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`).address;
const COMPLAINT_CATEGORIES: Array<[code: string, slaDays: number]> = [
  ["ROAD", 7],
  ["STREET_LIGHT", 3],
  ["WASTE", 2],
  ["DRAINAGE", 5],
  ["NOISE", 3],
];

export default buildModule("DemoSeed", (m) => {
  const ledger = m.useModule(LedgerModule);
  const { directory, permitRegistry, complaintLedger } = ledger;
  const admin = m.getAccount(1);

  const added = m.call(directory, "addMunicipality", ["TH-50-MAEHIA", "Mae Hia Town Municipality", admin]);
  const maeHia = m.readEventArgument(added, "MunicipalityAdded", "municipalityId");

  for (const [role, account] of OFFICERS) {
    m.call(directory, "grantRole", [maeHia, id(role), m.getAccount(account)], {
      from: admin,
      id: `grant_${role}_${account}`,
    });
  }

  for (const [account, name] of OFFICER_NAMES) {
    m.call(directory, "setOfficerName", [maeHia, m.getAccount(account), name], { from: admin, id: `name_${account}` });
  }

  m.call(
    permitRegistry,
    "definePermitType",
    [maeHia, id("BUILDING"), [id("ENGINEER"), id("DIRECTOR"), id("MAYOR")], 365 * 3],
    { from: admin, id: "type_BUILDING" },
  );
  m.call(
    permitRegistry,
    "definePermitType",
    [maeHia, id("HEALTH_HAZARD_BUSINESS"), [id("HEALTH_OFFICER"), id("DIRECTOR")], 365],
    { from: admin, id: "type_HEALTH_HAZARD_BUSINESS" },
  );
  for (const [code, slaDays] of COMPLAINT_CATEGORIES) {
    m.call(complaintLedger, "setCategory", [maeHia, id(code), slaDays * DAY, true], {
      from: admin,
      id: `category_${code}`,
    });
  }

  // The campaigns' demo ERC-20. TestBahtToken lets anyone mint, which is exactly a demo faucet and
  // exactly why it exists on the embedded chain only (an external chain uses the treasurer's token).
  const demoToken = m.contract("TestBahtToken", [], { id: "DemoBahtToken" });
  for (const [account, satang] of DEMO_BAHT_HOLDERS) {
    m.call(demoToken, "mint", [devAddress(account), satang], { id: `mint_THBT_${account}` });
  }
  return { ...ledger, demoToken };
});
