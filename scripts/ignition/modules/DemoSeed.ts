import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { DEMO_TOWNS, devWalletAt } from "../../../app/server/chain/devAccounts.js";
import LedgerModule from "./Ledger.js";

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
const devAddress = (index: number) => devWalletAt(index).address;
/**
 * The demo of the embedded chain: its two towns, Mae Hia (admin: account 1) and Yala City (admin:
 * account 15), added by the national admin (account 0), and the demo token. What each town is — its
 * officers and their names, permit types, complaint categories, map area — is its town file
 * (scripts/towns/*.json), which its admin applies after this module (app/server/chain/demoTowns.ts), as a
 * real town's admin does with `ledger town apply`. Accounts are anvil's development accounts in the
 * order of app/server/chain/devAccounts.ts. Never deployed to a real chain: those keys are public.
 */
export default buildModule("DemoSeed", (m) => {
  const ledger = m.useModule(LedgerModule);
  let previous: ReturnType<typeof m.call> | undefined;
  for (const [code, name, adminAccount] of DEMO_TOWNS) {
    // One after the other: their ids (1, 2) follow the order they are added in.
    previous = m.call(ledger.directory, "addMunicipality", [code, name, devAddress(adminAccount)], {
      id: `add_${code.replace(/-/g, "_")}`,
      ...(previous ? { after: [previous] } : {}),
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
