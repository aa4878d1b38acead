import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import DirectoryModule from "./Directory.js";

/**
 * The PermitRegistry, bound to the Directory that answers who may act for which municipality.
 */
export default buildModule("PermitRegistry", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const permitRegistry = m.contract("PermitRegistry", [directory]);
  return { directory, permitRegistry };
});
