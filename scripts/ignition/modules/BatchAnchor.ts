import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import DirectoryModule from "./Directory.js";

/**
 * BatchAnchor: Merkle roots of record batches, anchored by each municipality's ANCHOR_SERVICE key,
 * bound to the Directory deployed by the Directory module.
 */
export default buildModule("BatchAnchor", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const batchAnchor = m.contract("BatchAnchor", [directory]);
  return { directory, batchAnchor };
});
