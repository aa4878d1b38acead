import type { IpfsStore } from "./types.js";

/** The whole file `cid`, in memory: for the service's own small files (sealed bundles, certificates). */
export async function readAll(ipfs: IpfsStore, cid: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of ipfs.cat(cid)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
