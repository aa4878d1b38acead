import { spawn, type ChildProcess } from "node:child_process";
import { anvilBinaryPath } from "../../../app/server/chain/anvil.js";
import { eventually, freePort } from "./service.js";

/**
 * A town's own chain node, as a real town runs one: anvil with its own chain id, a block every
 * `blockSeconds` (never mined on demand) and 20 funded accounts of the development mnemonic — a separate
 * process the service did not start, that knows nothing of the ledger until `npm run deploy`.
 */
export interface TownNode {
  url: string;
  chainId: number;
  stop(): Promise<void>;
}

export async function startTownNode(chainId = 7001, blockSeconds = 2): Promise<TownNode> {
  const port = await freePort();
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId), "--block-time", String(blockSeconds), "--accounts", "20"];
  const child: ChildProcess = spawn(anvilBinaryPath(), args, { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await eventually(
    () =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) })
        .then((response) => response.json() as Promise<{ result?: string }>)
        .catch(() => ({ result: undefined })),
    (answer) => answer.result !== undefined,
    30_000,
  );
  return {
    url,
    chainId,
    stop: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
