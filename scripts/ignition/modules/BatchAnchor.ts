import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import DirectoryModule from "./Directory.js";

/**
 * BatchAnchor: Merkle roots of record batches, anchored by each municipality's ANCHOR_SERVICE key,
 * bound to the Directory deployed by the Directory module and registered as its observer.
 */
export default buildModule("BatchAnchor", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const batchAnchor = m.contract("BatchAnchor", [directory]);
  // BatchAnchor keeps a copy of who may anchor; as the observer it hears of every change to it.
  m.call(directory, "addObserver", [batchAnchor]);
  return { directory, batchAnchor };
});
