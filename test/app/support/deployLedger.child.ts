import { pathToFileURL } from "node:url";
import { deployLedger } from "../../../app/server/chain/deploy.js";
import { devAccounts } from "../../../app/server/chain/devAccounts.js";

/**
 * Child process of the app tests: deploys the ledger with the demo seed onto a running chain and
 * prints the deployment as JSON. deployLedger imports Hardhat, which cannot run inside the Hardhat
 * test runner's own process. Usage: node --import tsx deployLedger.child.ts <rpcUrl> <dataDir>
 *
 * Mocha loads every file under test/, this one included: it does its work only when run as a script.
 */
async function main(rpcUrl: string, dataDir: string): Promise<void> {
  const deployment = await deployLedger({
    rpcUrl,
    chainId: 31337,
    dataDir,
    privateKeys: devAccounts().map((account) => account.privateKey),
    seedDemo: true,
  });
  console.log(JSON.stringify(deployment));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rpcUrl, dataDir] = process.argv.slice(2);
  main(rpcUrl, dataDir).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
