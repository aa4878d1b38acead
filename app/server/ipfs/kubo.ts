import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { create, type AddOptions, type HTTPRPCOptions, type KuboRPCClient } from "kubo-rpc-client";
import { EngineError } from "../errors.js";
import { urlForLog } from "../logRedaction.js";
import { UNIXFS_V1_2025, parseCid, profileCid } from "./profile.js";
import { resolveReadRange } from "./readRange.js";
import { IpfsNotFoundError, type IpfsStore } from "./types.js";

/**
 * The scale-out IPFS engine: a Kubo node (or anything speaking the Kubo RPC API) at `apiUrl`, through
 * kubo-rpc-client. Each `add` sends every unixfs-v1-2025 parameter explicitly rather than trusting the
 * node's `Import.*` config, and the CID the node returns is checked against the one computed here.
 */
export async function createKuboStore(apiUrl: string): Promise<IpfsStore> {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new EngineError("ipfs", `IPFS_API_URL is not a URL: ${apiUrl}`);
  }
  const agent = url.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const store = new KuboStore(url.toString(), create({ url, agent }), agent);
  const status = await store.status();
  if (!status.ok) {
    agent.destroy();
    throw new EngineError("ipfs", `no Kubo RPC API answers at ${urlForLog(apiUrl)}: ${status.detail}`);
  }
  return store;
}

/**
 * Kubo RPC options the client's types do not list; kubo-rpc-client passes unknown options through as
 * kebab-case query parameters (`maxFileLinks` → `max-file-links`).
 */
interface ProfileAddOptions extends AddOptions {
  /** Kubo ≥ 0.35 (`ipfs add --max-file-links`, config `Import.UnixFSFileMaxLinks`). */
  maxFileLinks: number;
  inline: boolean;
  preserveMode: boolean;
  preserveMtime: boolean;
}

/** Kubo's global `--offline`: the command uses the local blockstore only and never asks the network. */
interface OfflineOptions extends HTTPRPCOptions {
  offline: true;
}

const PROFILE_ADD_OPTIONS: ProfileAddOptions = {
  cidVersion: UNIXFS_V1_2025.cidVersion,
  hashAlg: UNIXFS_V1_2025.hash,
  chunker: `size-${UNIXFS_V1_2025.chunkSize}`,
  rawLeaves: UNIXFS_V1_2025.rawLeaves,
  trickle: false,
  maxFileLinks: UNIXFS_V1_2025.maxChildrenPerNode,
  wrapWithDirectory: UNIXFS_V1_2025.wrapWithDirectory,
  inline: false,
  preserveMode: UNIXFS_V1_2025.preserveMode,
  preserveMtime: UNIXFS_V1_2025.preserveMtime,
  pin: true,
};

const OFFLINE: OfflineOptions = { offline: true };

/** Kubo's words for a block it does not hold ("block was not found locally (offline)", "ipld: could not find"). */
function isMissing(error: unknown): boolean {
  return error instanceof Error && /not found|could not find/i.test(error.message);
}

class KuboStore implements IpfsStore {
  readonly engine = "kubo";

  constructor(
    readonly apiUrl: string,
    readonly client: KuboRPCClient,
    readonly agent: HttpAgent,
  ) {}

  async add(bytes: Uint8Array): Promise<string> {
    const [added, expected] = await Promise.all([this.client.add(bytes, PROFILE_ADD_OPTIONS), profileCid(bytes)]);
    if (!added.cid.equals(expected)) {
      throw new EngineError(
        "ipfs",
        `Kubo at ${urlForLog(this.apiUrl)} stored ${added.cid} but the ${UNIXFS_V1_2025.name} CID of these bytes is ${expected}; ` +
          "it ignores an import option (Kubo 0.35 or later is needed for max-file-links)",
      );
    }
    return expected.toString();
  }

  async size(cid: string): Promise<number> {
    const path = `/ipfs/${parseCid(cid)}`;
    try {
      const stat = await this.client.files.stat(path, OFFLINE);
      if (stat.type !== "file") throw new IpfsNotFoundError(cid);
      return stat.size;
    } catch (error) {
      throw isMissing(error) ? new IpfsNotFoundError(cid) : error;
    }
  }

  async *cat(cid: string, options?: { offset?: number; length?: number }): AsyncIterable<Uint8Array> {
    const range = resolveReadRange(cid, await this.size(cid), options);
    if (range.length === 0) return;
    try {
      yield* this.client.cat(parseCid(cid), { ...OFFLINE, ...range });
    } catch (error) {
      throw isMissing(error) ? new IpfsNotFoundError(cid) : error;
    }
  }

  async has(cid: string): Promise<boolean> {
    const path = `/ipfs/${parseCid(cid)}`;
    try {
      const stat = await this.client.files.stat(path, { ...OFFLINE, withLocal: true });
      return stat.local === true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async status(): Promise<{ ok: boolean; detail: string }> {
    try {
      const { version } = await this.client.version({ signal: AbortSignal.timeout(5_000) });
      return { ok: true, detail: `kubo ${version}` };
    } catch (error) {
      return { ok: false, detail: `kubo: ${(error as Error).message}` };
    }
  }

  async stop(): Promise<void> {
    // The client holds no state but its keep-alive sockets, which would keep the process alive.
    this.agent.destroy();
  }
}
