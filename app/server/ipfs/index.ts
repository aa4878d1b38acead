import { join } from "node:path";
import { createHeliaStore } from "./helia.js";
import { createKuboStore } from "./kubo.js";
import type { IpfsStore } from "./types.js";

export interface IpfsStoreOptions {
  /** The service's data folder; the embedded engine keeps its blocks in `<dataDir>/ipfs`. */
  dataDir: string;
  /** A Kubo RPC API (IPFS_API_URL, e.g. `http://127.0.0.1:5001`); unset means Helia in this process. */
  kuboApiUrl?: string;
}

/** The IPFS engine the configuration asks for, started; throws EngineError when it cannot start. */
export async function openIpfsStore(options: IpfsStoreOptions): Promise<IpfsStore> {
  if (options.kuboApiUrl) return createKuboStore(options.kuboApiUrl);
  return createHeliaStore(join(options.dataDir, "ipfs"));
}

export { parseCid, profileCid, UNIXFS_V1_2025 } from "./profile.js";
export { IpfsInvalidCidError, IpfsNotFoundError, IpfsRangeError, type IpfsStore } from "./types.js";
