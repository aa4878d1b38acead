import { HDNodeWallet, Mnemonic } from "ethers";

/**
 * The well-known development accounts of anvil's default mnemonic. Anyone can sign with them: they
 * exist ONLY for the embedded demo chain, and the service says so loudly in its log and /api/health
 * whenever they are in use. Their roles in the demo municipality are fixed here so that the seed, the
 * tests and the web app's demo keystores agree.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export const DEV_ROLES = [
  "nationalAdmin",
  "municipalityAdmin",
  "ledgerService",
  "permitOfficer",
  "engineer",
  "director",
  "mayor",
  "healthOfficer",
  "complaintOfficer",
  "treasurer",
  "auditor",
  "resident",
] as const;

/**
 * The demo's towns, in the order the seed adds them (so Mae Hia is 1 and Yala 2), each with the account
 * that administers it, and its town file (in scripts/towns/), which holds its officers.
 */
export const DEMO_TOWNS: Array<[code: string, name: string, adminAccount: number, townFile: string]> = [
  ["TH-50-MAEHIA", "Mae Hia Town Municipality", 1, "maehia.json"],
  ["TH-95-YALA", "Yala City Municipality", 15, "yala.json"],
];

export type DevRole = (typeof DEV_ROLES)[number];

export interface DevAccount {
  role: DevRole;
  index: number;
  address: string;
  privateKey: string;
}

/** Account `index` of the development mnemonic (anvil funds 0–19): the demo's officers and spares. */
export function devWalletAt(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

export function devAccounts(): DevAccount[] {
  return DEV_ROLES.map((role, index) => {
    const wallet = devWalletAt(index);
    return { role, index, address: wallet.address, privateKey: wallet.privateKey };
  });
}
