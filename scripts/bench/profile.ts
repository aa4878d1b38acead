import { readFileSync } from "node:fs";

/**
 * Reads a V8 .cpuprofile (`node --cpu-prof`) and says where the main thread's time went: each sample
 * is charged to the nearest frame that has a source file, grouped by package (node_modules/<pkg>), by
 * the repository's own source files, by Node's internals, or by V8's pseudo-frames (GC, idle, program).
 * A native call (node:sqlite's `run`, `crypto.hash`, …) has no file, so it is charged to its JS caller
 * and named: "app/server/anchoring/queue.ts → run".
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Profiled wall time (ms). */
  totalMs: number;
  /** Time with the JS thread waiting for work (ms). */
  idleMs: number;
  gcMs: number;
  /** Self time by group (package, app file, node internals), largest first. */
  groups: Array<{ name: string; ms: number; share: number }>;
  /** Self time by frame, with its group, largest first. */
  frames: Array<{ name: string; ms: number; share: number }>;
  /**
   * Time by component: each sample charged to the nearest frame outside Node's own code (so an fs call
   * counts for the package that made it), then grouped by COMPONENTS.
   */
  components: Array<{ name: string; ms: number; share: number; top: Array<{ name: string; share: number }> }>;
}

/** What the service is made of, by package or source path prefix; the first match wins. */
const COMPONENTS: Array<[string, RegExp]> = [
  ["IPFS: Helia, UnixFS importer, blockstore-fs/datastore-fs and their fs calls", /^(helia|@helia\/|blockstore-|datastore-|steno|ipfs-|@ipld\/|multiformats|cborg|it-|interface-|mortice|@libp2p\/|race-signal|uint8arrays|main-event|progress-events|p-queue|p-defer|hashlru|app\/server\/ipfs\/)/],
  ["SQLite queue and batches (app/server/anchoring, app/server/store)", /^app\/server\/(anchoring|store)\//],
  ["Merkle trees, keccak, ABI, addresses (merkle-tree, noble, ethers)", /^(@openzeppelin\/merkle-tree|@noble\/|ethereum-cryptography|@metamask\/|ethers|app\/shared\/merkleProof)/],
  ["proof bundles and verdicts (app/shared, app/server/services)", /^app\/(shared|server\/services)\//],
  ["request validation (zod)", /^zod/],
  ["HTTP: express, router, multer/busboy, helmet, Node's http and sockets", /^(express|router|multer|busboy|helmet|body-parser|finalhandler|send|serve-static|on-finished|etag|fresh|type-is|content-type|media-typer|mime-types|mime-db|parseurl|path-to-regexp|streamsearch|append-field|debug|node:http|app\/server\/(routes|http|app))/],
  ["file system calls finishing in promise callbacks (caller not on the stack)", /^node:fs$/],
  ["logging (pino, pino-http)", /^(pino|sonic-boom|thread-stream)/],
  ["chain RPC, anvil state dumps, indexer (app/server/chain, app/server/indexer, undici)", /^(app\/server\/(chain|indexer)\/|undici)/],
  ["garbage collection", /^\(garbage collector\)$/],
  ["idle (waiting for I/O or work)", /^\(idle\)$/],
  ["V8 and Node outside JS ((program))", /^\(program\)$/],
];

function groupOf(url: string, root: string): string {
  if (url === "") return "";
  const path = url.replace(/^file:\/\//, "");
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + "/node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.startsWith("node:")) return `node:${path.slice(5).split("/")[0]}`;
  if (path.startsWith(root)) return path.slice(root.length + 1);
  return path;
}

export function summarizeProfile(file: string, repoRoot: string, topN = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // The label each sampled node is charged to, memoized.
  const labels = new Map<number, { group: string; frame: string }>();
  const labelOf = (id: number): { group: string; frame: string } => {
    const known = labels.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const fn = node.callFrame.functionName || "(anonymous)";
    let label: { group: string; frame: string };
    if (fn === "(idle)" || fn === "(garbage collector)" || fn === "(program)" || fn === "(root)") {
      label = { group: fn, frame: fn };
    } else if (node.callFrame.url) {
      const group = groupOf(node.callFrame.url, repoRoot);
      label = { group, frame: `${group} ${fn}` };
    } else {
      // Native: charge to the nearest caller with a file.
      let up = parent.get(id);
      while (up !== undefined && !byId.get(up)!.callFrame.url) up = parent.get(up);
      const caller = up === undefined ? "(native)" : groupOf(byId.get(up)!.callFrame.url, repoRoot);
      label = { group: caller, frame: `${caller} → ${fn}` };
    }
    labels.set(id, label);
    return label;
  };

  // The nearest frame that is not Node's own code (node:…), memoized; Node's frames only: "node".
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owners.get(id);
    if (known) return known;
    let owner: string | undefined;
    let nodeKind: string | undefined;
    for (let up: number | undefined = id; up !== undefined && owner === undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame;
      const fn = frame.functionName;
      if (fn === "(idle)" || fn === "(garbage collector)" || fn === "(program)") owner = fn;
      else if (frame.url && !frame.url.startsWith("node:")) owner = groupOf(frame.url, repoRoot);
      else if (!nodeKind && /^node:(_http|net|internal\/(http|net|stream|streams|js_stream))/.test(frame.url)) nodeKind = "node:http";
      else if (!nodeKind && /^node:(fs|internal\/fs)/.test(frame.url)) nodeKind = "node:fs";
    }
    owner ??= nodeKind ?? "node";
    owners.set(id, owner);
    return owner;
  };
  const componentOf = (owner: string) => COMPONENTS.find(([, pattern]) => pattern.test(owner))?.[0] ?? `other: ${owner}`;

  const groups = new Map<string, number>();
  const frames = new Map<string, number>();
  const components = new Map<string, number>();
  const componentFrames = new Map<string, Map<string, number>>();
  let total = 0;
  // timeDeltas[i] is the time before sample i; charge each sample the time up to the next one.
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    total += us;
    const { group, frame } = labelOf(profile.samples[i]);
    groups.set(group, (groups.get(group) ?? 0) + us);
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    const component = componentOf(ownerOf(profile.samples[i]));
    components.set(component, (components.get(component) ?? 0) + us);
    const inside = componentFrames.get(component) ?? new Map<string, number>();
    componentFrames.set(component, inside.set(frame, (inside.get(frame) ?? 0) + us));
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return {
    totalMs: total / 1000,
    idleMs: (groups.get("(idle)") ?? 0) / 1000,
    gcMs: (groups.get("(garbage collector)") ?? 0) / 1000,
    groups: ranked(groups),
    frames: ranked(frames),
    components: ranked(components).map((c) => ({
      ...c,
      top: [...componentFrames.get(c.name)!.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, us]) => ({ name, share: us / total })),
    })),
  };
}
