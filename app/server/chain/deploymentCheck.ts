import { Contract, getAddress, type JsonRpcProvider } from "ethers";
import { EngineError } from "../errors.js";
import { urlForLog } from "../logRedaction.js";
import type { LedgerDeployment } from "./deploy.js";

const DIRECTORY_OWNERSHIP_ABI = ["function owner() view returns (address)", "function pendingOwner() view returns (address)"];
const NODE_TIMEOUT_MS = 15_000;

/** Answers `call`, or fails as "the chain node does not answer" after a bounded wait. */
async function fromNode<T>(rpcUrl: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${NODE_TIMEOUT_MS / 1000} s`)), NODE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    throw new EngineError("chain", `the chain node at ${urlForLog(rpcUrl)} does not answer: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the service checks of an external chain's deployment before it starts: that the node is the
 * deployment's chain, that the Directory is there, and that the relayer (a hot key on the server) is
 * neither the Directory's owner nor about to become it. The owner adds and suspends municipalities;
 * a key that anyone who breaks into the server could use must never hold that power.
 */
export async function checkDeploymentOnChain(provider: JsonRpcProvider, rpcUrl: string, deployment: LedgerDeployment, relayer: string): Promise<void> {
  const chainId = Number(await fromNode(rpcUrl, () => provider.send("eth_chainId", [])));
  if (chainId !== deployment.chainId) {
    throw new EngineError("config", `the node at ${urlForLog(rpcUrl)} is chain ${chainId}, but DEPLOYMENT_FILE is a deployment on chain ${deployment.chainId}`);
  }
  const { directory } = deployment.contracts;
  if ((await fromNode(rpcUrl, () => provider.getCode(directory))) === "0x") {
    throw new EngineError("config", `DEPLOYMENT_FILE names a Directory at ${directory}, but chain ${chainId} has no contract there; deploy with npm run deploy and use the deployment.json it writes`);
  }
  const ownership = new Contract(directory, DIRECTORY_OWNERSHIP_ABI, provider);
  const [owner, pendingOwner] = await fromNode(rpcUrl, () => Promise.all([ownership.owner(), ownership.pendingOwner()]) as Promise<[string, string]>);
  if (getAddress(owner) === getAddress(relayer) || getAddress(pendingOwner) === getAddress(relayer)) {
    throw new EngineError(
      "config",
      `the relayer ${relayer} is ${getAddress(owner) === getAddress(relayer) ? "" : "about to become "}the Directory's owner (the national admin): ` +
        `the service's hot key must never be; give the relayer a key of its own, or make the national admin's own key the owner (docs/deployment.md)`,
    );
  }
}
