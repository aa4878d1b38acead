import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import DirectoryModule from "./Directory.js";

/**
 * The CivicFund escrow of participatory city campaigns, checking TREASURER roles in the Directory.
 */
export default buildModule("CivicFund", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const civicFund = m.contract("CivicFund", [directory]);
  return { directory, civicFund };
});
