import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { AnchorBatchStore } from "../../../app/server/anchoring/batchStore.js";
import { SqliteAnchorQueue } from "../../../app/server/anchoring/queue.js";
import { AnchorWorker } from "../../../app/server/anchoring/worker.js";
import { ChainClient } from "../../../app/server/chain/client.js";
import type { LedgerDeployment } from "../../../app/server/chain/deploy.js";
import { devAccounts } from "../../../app/server/chain/devAccounts.js";
import { openDatabase } from "../../../app/server/store/database.js";
import { sha256Of } from "./testLedger.js";

/**
 * Child process of the crash tests: the API's part (enqueue `count` records, idempotently) and the
 * worker, in one process the test can kill -9. Exits 0 once every record is final.
 * Usage: node --import tsx anchorWorker.child.ts <rpcUrl> <deployment.json> <storeDir> <label> <count>
 *
 * Mocha loads every file under test/, this one included: it does its work only when run as a script.
 */
async function main(rpcUrl: string, deploymentPath: string, storeDir: string, label: string, count: number): Promise<void> {
  const deployment = JSON.parse(readFileSync(deploymentPath, "utf8")) as LedgerDeployment;
  const db = openDatabase(storeDir);
  const queue = new SqliteAnchorQueue(db);
  for (let i = 0; i < count; i++) {
    queue.enqueue({ sha256: sha256Of(`${label}-${i}`), cid: null, municipalityId: 1, kind: "document", meta: null });
  }
  console.log(`enqueued ${count}`);
  const chain = new ChainClient({ rpcUrl, chainId: deployment.chainId, privateKey: devAccounts()[2].privateKey, deployment });
  const worker = new AnchorWorker({
    batches: new AnchorBatchStore(db),
    chain,
    batchSize: 25,
    batchWindowMs: 0,
    maxInFlight: 4,
    idleDelayMs: 20,
    log: (message) => console.log(message),
  });
  worker.start();
  while (queue.depth() > 0) await sleep(50);
  await worker.stop();
  chain.destroy();
  db.close();
  console.log("all final");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rpcUrl, deploymentPath, storeDir, label, count] = process.argv.slice(2);
  main(rpcUrl, deploymentPath, storeDir, label, Number(count)).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
