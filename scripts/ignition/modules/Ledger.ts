import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import BatchAnchorModule from "./BatchAnchor.js";
import CivicFundModule from "./CivicFund.js";
import ComplaintLedgerModule from "./ComplaintLedger.js";
import DirectoryModule from "./Directory.js";
import PermitRegistryModule from "./PermitRegistry.js";

/**
 * The whole ledger: the Directory and the four contracts that check roles against it (the BatchAnchor
 * module also registers it as the Directory's observer).
 * The same module deploys to Hardhat's simulated network in tests, to the embedded anvil chain on
 * `npm start`, and to an external chain.
 */
export default buildModule("Ledger", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const { permitRegistry } = m.useModule(PermitRegistryModule);
  const { complaintLedger } = m.useModule(ComplaintLedgerModule);
  const { civicFund } = m.useModule(CivicFundModule);
  const { batchAnchor } = m.useModule(BatchAnchorModule);
  return { directory, permitRegistry, complaintLedger, civicFund, batchAnchor };
});
