import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";
import BatchAnchorModule, { UnregisteredBatchAnchorModule } from "./BatchAnchor.js";
import CivicFundModule from "./CivicFund.js";
import ComplaintLedgerModule from "./ComplaintLedger.js";
import DirectoryModule from "./Directory.js";
import PermitRegistryModule from "./PermitRegistry.js";

/** The five contracts, with the given flavour of the BatchAnchor module. */
function ledger(m: IgnitionModuleBuilder, batchAnchorModule: typeof BatchAnchorModule) {
  const { directory } = m.useModule(DirectoryModule);
  const { permitRegistry } = m.useModule(PermitRegistryModule);
  const { complaintLedger } = m.useModule(ComplaintLedgerModule);
  const { civicFund } = m.useModule(CivicFundModule);
  const { batchAnchor } = m.useModule(batchAnchorModule);
  return { directory, permitRegistry, complaintLedger, civicFund, batchAnchor };
}

/**
 * The whole ledger: the Directory and the four contracts that check roles against it (the BatchAnchor
 * module also registers it as the Directory's observer, so the deploying account must be the Directory's
 * owner: the `nationalAdmin` parameter of the Directory module left to its default, or set to it).
 * The same module deploys to Hardhat's simulated network in tests, to the embedded anvil chain on
 * `npm start`, and to an external chain (`npm run deploy`).
 */
export default buildModule("Ledger", (m) => ledger(m, BatchAnchorModule));

/**
 * The ledger for a national admin who is not the deploying account (`npm run deploy` with
 * `--national-admin` another address): the same contracts and future ids, without the observer
 * registration that only the national admin can make, afterwards.
 */
export const LedgerForNationalAdmin = buildModule("Ledger", (m) => ledger(m, UnregisteredBatchAnchorModule));
