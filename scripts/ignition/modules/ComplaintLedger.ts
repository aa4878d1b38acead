import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import DirectoryModule from "./Directory.js";

/**
 * The ComplaintLedger, reading officer roles and municipality status from the Directory module's
 * Directory (deployed by that module if it is not already).
 */
export default buildModule("ComplaintLedger", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const complaintLedger = m.contract("ComplaintLedger", [directory]);
  return { directory, complaintLedger };
});
