import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";

// The compiler comes from the `solc` npm package (solcjs), never from a download: town-hall servers
// and CI sit behind firewalls. SOLC_VERSION must equal both the `solc` version pinned in package.json
// and the pragma of every contract.
const require = createRequire(import.meta.url);
export const SOLC_VERSION = "0.8.28";
// Test files run side by side in this many worker processes: most of a file's time is spent waiting on
// anvil's blocks, service starts and deployments, not on the CPU (docs/coverage.md). TEST_JOBS=1 runs
// them one after another in one process, with live output and `.only`.
const TEST_JOBS = Number(process.env.TEST_JOBS ?? 3);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  paths: {
    // The service points this at its data folder so that deployment journals of a running ledger
    // never land in the repository.
    ignition: process.env.LEDGER_IGNITION_DIR ?? "scripts/ignition",
    tests: { solidity: "test/contracts", mocha: "test" },
  },
  test: {
    mocha: TEST_JOBS > 1 ? { parallel: true, jobs: TEST_JOBS } : {},
  },
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
    },
  },
  networks: {
    // An external EVM chain (a Besu QBFT consortium, an L2, or the embedded anvil) for Ignition
    // deployments: `npx hardhat ignition deploy … --network external`.
    external: {
      type: "http",
      chainType: "l1",
      url: process.env.CHAIN_RPC_URL ?? "http://127.0.0.1:8545",
      accounts: process.env.DEPLOYER_PRIVATE_KEY ? [process.env.DEPLOYER_PRIVATE_KEY] : [],
    },
  },
});
