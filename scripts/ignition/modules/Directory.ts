import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The Directory of municipalities and officers. `nationalAdmin` defaults to the deploying account.
 */
export default buildModule("Directory", (m) => {
  const nationalAdmin = m.getParameter("nationalAdmin", m.getAccount(0));
  const directory = m.contract("Directory", [nationalAdmin]);
  return { directory };
});
