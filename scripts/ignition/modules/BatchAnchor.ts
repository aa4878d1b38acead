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

/**
 * The same BatchAnchor, not registered as the Directory's observer: for a Directory whose owner (the
 * national admin) is not the deploying account, since only the owner may register it. It anchors all
 * the same, asking the Directory on each anchor until the national admin registers it
 * (docs/deployment.md). Same module id, hence the same future ids as the module above.
 */
export const UnregisteredBatchAnchorModule = buildModule("BatchAnchor", (m) => {
  const { directory } = m.useModule(DirectoryModule);
  const batchAnchor = m.contract("BatchAnchor", [directory]);
  return { directory, batchAnchor };
});
