// Checks a proof bundle against any RPC node of its chain, trusting nothing but that node: the API, the
// CLI and the web app all verify with this one function. Only ethers, no node: imports, so it also runs
// in a browser.
//
// The BatchAnchor ABI is a hand-kept fragment rather than the typechain factory: the factory is generated
// by `hardhat compile` into the git-ignored types/ folder (a fresh clone running `npx ledger verify` would
// not have it) and carries the contract's bytecode, which a browser bundle has no use for.
// test/app/verify.test.ts checks the fragment against the compiled ABI.
import { Interface, getAddress, isError, sha256, toQuantity, zeroPadValue, toBeHex } from "ethers";
import { batchAnchorDomain, inDocumentsTree, issuanceDigest, issuanceRecordHash, recoverIssuer } from "./issuance.js";
import { leafOf, rootFromProof } from "./merkleProof.js";
import { PROOF_BUNDLE_FORMAT, type BundleIssuance, type BundleVerification, type Check, type ProofBundle } from "./proofBundle.js";
import { roleId } from "./roles.js";

export const BATCH_ANCHOR_ABI = [
  "function batch(uint32 municipalityId, bytes32 root) view returns (tuple(uint32 municipalityId, uint32 count, uint64 anchoredAt, uint64 blockNumber))",
  "function verifyRecord(uint32 municipalityId, bytes32 root, bytes32 leaf, bytes32[] proof) view returns (uint8 status, uint32 anchoredFor, uint64 anchoredAt, uint64 blockNumber)",
  "event BatchAnchored(bytes32 indexed root, uint32 indexed municipalityId, uint32 count)",
  "function directory() view returns (address)",
  "event RecordRevoked(uint32 indexed municipalityId, bytes32 indexed root, bytes32 indexed leaf, uint16 reasonCode, bytes32 reasonHash, address actor)",
] as const;

/** What a verifier asks the Directory of an issuer: its role and its key at the time its signature was anchored. */
export const DIRECTORY_ABI = [
  "function hasRole(uint32 municipalityId, bytes32 role, address account) view returns (bool)",
  "function roleHeldAt(uint32 municipalityId, bytes32 role, address account, uint64 timestamp) view returns (bool)",
  "function compromisedSince(uint32 municipalityId, address account) view returns (uint64)",
  "function municipality(uint32 municipalityId) view returns (string code, string name, address admin, bool suspended)",
  "function officerName(uint32 municipalityId, address account) view returns (string)",
] as const;

const batchAnchor = new Interface(BATCH_ANCHOR_ABI);
const directoryInterface = new Interface(DIRECTORY_ABI);
const DOCUMENT_ISSUER = roleId("DOCUMENT_ISSUER");

/** The checks in the order they run; "document-unchanged" only when the document (or its hash) is given. */
export const CHECK_NAMES = [
  "format-known",
  "document-unchanged",
  "leaf-matches-document",
  "proof-valid",
  "chain-id",
  "contract-deployed",
  "root-anchored",
  "not-revoked",
  "tx-receipt",
  "anchor-block",
  "anchor-event",
  "anchored-at",
  "issuance-covers-document",
  "issuer-signature",
  "issuance-anchored",
  "issuer-role",
  "issuer-key-not-compromised",
] as const;

/** The checks that establish who issued a document: when only these fail, the verdict is "unauthorised". */
const ISSUER_CHECKS: readonly CheckName[] = ["issuance-covers-document", "issuer-signature", "issuance-anchored", "issuer-role", "issuer-key-not-compromised"];
export type CheckName = (typeof CHECK_NAMES)[number];

/** What the verifier needs of a connection: raw JSON-RPC calls, as ethers' JsonRpcProvider and BrowserProvider make. */
export interface JsonRpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** The RPC node did not answer (unreachable, timed out, or an error that is not a contract revert). */
export class RpcFailedError extends Error {
  readonly code = "RPC_FAILED";
  constructor(
    readonly method: string,
    cause: unknown,
  ) {
    super(`the RPC node failed to answer ${method}: ${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}`);
    this.name = "RpcFailedError";
  }
}

export interface VerifyOptions {
  /** The document itself: adds the "document-unchanged" check (its SHA-256 equals bundle.sha256). */
  documentBytes?: Uint8Array;
  /**
   * Or only the document's SHA-256, when the bundle came from someone else (the API) for a hash the
   * caller asked about: the same check, so a bundle of another document cannot pass. Ignored with bytes.
   */
  documentSha256?: string;
  /**
   * A record that is not an issued document (a pledge receipt, whose authority is its own contract's
   * event): no issuer is asked for. Otherwise a bundle without an issuance is "unauthorised".
   */
  withoutIssuer?: boolean;
}

interface RpcReceipt {
  status: string;
  blockNumber: string;
  logs: { address: string; topics: string[]; data: string }[];
}

/** BatchAnchor.RecordStatus */
const RECORD_STATUS = ["Unknown", "Anchored", "Revoked"] as const;

/** A raw JSON-RPC call; a node that does not answer is RpcFailedError. */
export async function ask<T>(rpc: JsonRpcSender, method: string, params: unknown[]): Promise<T> {
  try {
    return (await rpc.send(method, params)) as T;
  } catch (error) {
    throw new RpcFailedError(method, error);
  }
}

/** An eth_call's decoded result, or undefined when the contract reverts or answers something undecodable. */
export async function callView(rpc: JsonRpcSender, iface: Interface, contract: string, name: string, args: unknown[]) {
  let data: string;
  try {
    data = (await rpc.send("eth_call", [{ to: contract, data: iface.encodeFunctionData(name, args) }, "latest"])) as string;
  } catch (error) {
    if (isError(error, "CALL_EXCEPTION")) return undefined;
    throw new RpcFailedError("eth_call", error);
  }
  try {
    return iface.decodeFunctionResult(name, data);
  } catch {
    return undefined;
  }
}

const view = (rpc: JsonRpcSender, contract: string, name: string, args: unknown[]) => callView(rpc, batchAnchor, contract, name, args);

// Date covers ±8.64e15 ms; a hostile bundle's time may not fit.
const when = (seconds: number) => (seconds <= 8.64e12 ? `${seconds} (${new Date(seconds * 1000).toISOString()})` : String(seconds));

/**
 * Checks `bundle` against the chain behind `rpc`, every check run and reported. The verdict is "valid"
 * when every check passes, "revoked" when the only failure is that the chain says the record was revoked,
 * and "unknown" otherwise. Throws RpcFailedError when the node does not answer: no verdict then.
 */
export async function verifyProofBundle(
  bundle: ProofBundle,
  rpc: JsonRpcSender,
  options: VerifyOptions = {},
): Promise<BundleVerification> {
  const checks: Check[] = [];
  const record = (name: CheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  // A bundle of another format may give its fields other meanings: nothing else can be checked.
  if (bundle.format !== PROOF_BUNDLE_FORMAT) {
    record("format-known", false, `unknown format "${String(bundle.format)}"; this verifier reads "${PROOF_BUNDLE_FORMAT}"`);
    return { verdict: "unknown", checks };
  }
  record("format-known", true, `format ${PROOF_BUNDLE_FORMAT}`);

  const bundleSha256 = bundle.sha256.toLowerCase();
  const documentSha256 = options.documentBytes ? sha256(options.documentBytes) : options.documentSha256?.toLowerCase();
  if (documentSha256 !== undefined) {
    const what = options.documentBytes ? "the document's SHA-256" : "the SHA-256 asked about";
    record(
      "document-unchanged",
      documentSha256 === bundleSha256,
      documentSha256 === bundleSha256
        ? `${what} is ${documentSha256}, as in the bundle`
        : `${what} is ${documentSha256}, the bundle's is ${bundleSha256}: the document was changed, or the bundle is another document's`,
    );
  }

  // The leaf is derived here, never taken from the bundle: an inner node of the tree also "verifies" on
  // chain with a shorter proof, but no document hash has an inner node as its leaf.
  const leaf = leafOf(bundleSha256);
  record(
    "leaf-matches-document",
    leaf === bundle.leaf.toLowerCase(),
    leaf === bundle.leaf.toLowerCase()
      ? `leaf ${leaf} = keccak256(keccak256(abi.encode(sha256)))`
      : `the bundle's leaf ${bundle.leaf} is not keccak256(keccak256(abi.encode(sha256))) = ${leaf}`,
  );

  const root = bundle.root.toLowerCase();
  const reached = rootFromProof(leaf, bundle.proof);
  record(
    "proof-valid",
    reached === root,
    reached === root
      ? bundle.proof.length === 0
        ? `empty proof: the leaf is the root (a batch of one)`
        : `the ${bundle.proof.length} proof hashes lead from the leaf to the root ${root}`
      : `the proof leads from the leaf to ${reached}, not to the root ${root}`,
  );

  const chainId = Number(BigInt(await ask<string>(rpc, "eth_chainId", [])));
  record(
    "chain-id",
    chainId === bundle.chainId,
    chainId === bundle.chainId
      ? `the RPC node serves chain ${chainId}`
      : `the RPC node serves chain ${chainId}, the bundle names chain ${bundle.chainId}`,
  );

  const contract = getAddress(bundle.contract);
  const code = await ask<string>(rpc, "eth_getCode", [contract, "latest"]);
  const deployed = code !== "0x";
  record("contract-deployed", deployed, deployed ? `contract ${contract} has code` : `no contract at ${contract} on this chain`);

  // Roots are scoped by municipality on chain: the batch asked for is the bundle's municipality's, so
  // another municipality anchoring the same root proves nothing here.
  const anchor = deployed ? await view(rpc, contract, "batch", [bundle.municipalityId, root]) : undefined;
  if (!anchor) {
    record("root-anchored", false, deployed ? `${contract} did not answer batch(municipalityId, root): not a BatchAnchor` : "skipped: no contract");
  } else {
    const [, count, anchoredAt, blockNumber] = Array.from(anchor[0] as Iterable<bigint>, Number);
    const problems = [
      count === 0 && `municipality ${bundle.municipalityId} never anchored the root with this contract`,
      count !== 0 && blockNumber !== bundle.blockNumber && `anchored in block ${blockNumber}, the bundle says ${bundle.blockNumber}`,
      count !== 0 && anchoredAt !== bundle.anchoredAt && `anchored at ${anchoredAt}, the bundle says ${bundle.anchoredAt}`,
    ].filter((problem): problem is string => typeof problem === "string");
    record(
      "root-anchored",
      problems.length === 0,
      problems.length === 0
        ? `batch(municipalityId, root): anchored for municipality ${bundle.municipalityId}, ${count} record${count === 1 ? "" : "s"}, block ${blockNumber}, time ${when(anchoredAt)}`
        : `batch(municipalityId, root): ${problems.join("; ")}`,
    );
  }

  const status = deployed ? await view(rpc, contract, "verifyRecord", [bundle.municipalityId, root, leaf, bundle.proof]) : undefined;
  const statusName = status ? (RECORD_STATUS[Number(status[0])] ?? `status ${status[0]}`) : undefined;
  record(
    "not-revoked",
    statusName === "Anchored",
    statusName === "Anchored"
      ? "verifyRecord(municipalityId, root, leaf, proof): Anchored"
      : statusName === "Revoked"
        ? "verifyRecord(municipalityId, root, leaf, proof): Revoked: the municipality revoked this record (see its RecordRevoked event)"
        : statusName === "Unknown"
          ? "verifyRecord(municipalityId, root, leaf, proof): Unknown: the contract holds no such leaf under a root the municipality anchored"
          : deployed
            ? `${contract} did not answer verifyRecord: not a BatchAnchor`
            : "skipped: no contract",
  );

  const txHash = bundle.txHash.toLowerCase();
  const receipt = await ask<RpcReceipt | null>(rpc, "eth_getTransactionReceipt", [txHash]);
  const succeeded = receipt !== null && BigInt(receipt.status) === 1n;
  record(
    "tx-receipt",
    succeeded,
    succeeded
      ? `transaction ${txHash} succeeded`
      : receipt === null
        ? `no receipt for transaction ${txHash} on this chain`
        : `transaction ${txHash} failed (status ${receipt.status})`,
  );

  const txBlock = receipt ? Number(BigInt(receipt.blockNumber)) : undefined;
  record(
    "anchor-block",
    txBlock === bundle.blockNumber,
    txBlock === undefined
      ? "skipped: no receipt"
      : txBlock === bundle.blockNumber
        ? `the transaction is in block ${txBlock}`
        : `the transaction is in block ${txBlock}, the bundle says ${bundle.blockNumber}`,
  );

  const event = batchAnchor.getEvent("BatchAnchored")!;
  const topics = [event.topicHash, root, zeroPadValue(toBeHex(bundle.municipalityId), 32)];
  const anchoredLog = receipt?.logs.find(
    (log) =>
      log.address.toLowerCase() === contract.toLowerCase() &&
      log.topics.length === topics.length &&
      log.topics.every((topic, i) => topic.toLowerCase() === topics[i]),
  );
  const loggedCount = anchoredLog ? Number(batchAnchor.decodeEventLog(event, anchoredLog.data, anchoredLog.topics).count) : 0;
  record(
    "anchor-event",
    anchoredLog !== undefined,
    anchoredLog
      ? `the transaction emitted BatchAnchored(root, municipality ${bundle.municipalityId}, count ${loggedCount}) from ${contract}`
      : receipt
        ? `the transaction emitted no BatchAnchored(root, municipality ${bundle.municipalityId}) from ${contract}`
        : "skipped: no receipt",
  );

  const block = await ask<{ timestamp: string } | null>(rpc, "eth_getBlockByNumber", [toQuantity(bundle.blockNumber), false]);
  const timestamp = block ? Number(BigInt(block.timestamp)) : undefined;
  record(
    "anchored-at",
    timestamp === bundle.anchoredAt,
    timestamp === undefined
      ? `no block ${bundle.blockNumber} on this chain`
      : timestamp === bundle.anchoredAt
        ? `block ${bundle.blockNumber} has the timestamp ${when(timestamp)}`
        : `block ${bundle.blockNumber} has the timestamp ${when(timestamp)}, the bundle says ${bundle.anchoredAt}`,
  );

  const issuer = options.withoutIssuer ? undefined : await checkIssuer(bundle, rpc, contract, deployed, record);

  const failed = checks.filter((check) => !check.ok);
  const onlyIssuer = failed.length > 0 && failed.every((check) => ISSUER_CHECKS.includes(check.name as CheckName));
  const verdict =
    failed.length === 0
      ? "valid"
      : statusName === "Revoked" && failed.every((check) => check.name === "not-revoked" || ISSUER_CHECKS.includes(check.name as CheckName))
        ? "revoked"
        : onlyIssuer
          ? "unauthorised"
          : "unknown";
  return { verdict, checks, ...(issuer ? { issuer } : {}) };
}

/**
 * Who issued the document: the bundle's signed statement covers it, recovers to its signer, is itself
 * anchored (for the same municipality, in the same BatchAnchor), and the Directory says the signer held
 * DOCUMENT_ISSUER there at that anchor's time and its key was not marked compromised before it. Records
 * the checks; returns the issuer once the signature recovers to it.
 */
async function checkIssuer(
  bundle: ProofBundle,
  rpc: JsonRpcSender,
  contract: string,
  deployed: boolean,
  record: (name: CheckName, ok: boolean, detail: string) => void,
): Promise<BundleVerification["issuer"]> {
  const issuance: BundleIssuance | undefined = bundle.issuance;
  if (!issuance) {
    record("issuer-signature", false, "the bundle carries no issuer's signature: nobody is shown to have issued this document");
    return undefined;
  }
  const sameTown = issuance.municipalityId === bundle.municipalityId;
  const covered = sameTown && inDocumentsTree(issuance.documentsRoot, bundle.sha256, issuance.documentProof);
  record(
    "issuance-covers-document",
    covered,
    !sameTown
      ? `the signature is for municipality ${issuance.municipalityId}, the record is anchored for ${bundle.municipalityId}`
      : covered
        ? `the document is one of the ${issuance.count} the issuer signed (list root ${issuance.documentsRoot})`
        : `the document's proof does not lead to the signed list's root ${issuance.documentsRoot}`,
  );

  const digest = issuanceDigest(issuance, batchAnchorDomain(bundle.chainId, contract));
  let recovered: string | undefined;
  try {
    recovered = recoverIssuer(digest, issuance.signature);
  } catch {
    recovered = undefined;
  }
  const signed = recovered !== undefined && recovered === getAddress(issuance.signer);
  record(
    "issuer-signature",
    signed,
    signed
      ? `the IssueDocuments signature recovers to ${recovered} (EIP-712, chain ${bundle.chainId}, contract ${contract})`
      : recovered === undefined
        ? "the signature is malformed"
        : `the signature recovers to ${recovered}, not to the named signer ${issuance.signer}`,
  );

  // The signature's own record: its anchor is when the signature is known to have existed.
  const anchor = issuance.anchor;
  const signatureHash = issuanceRecordHash(digest, issuance.signature);
  const signatureLeaf = leafOf(signatureHash);
  const status = deployed && anchor.sha256.toLowerCase() === signatureHash ? await view(rpc, contract, "verifyRecord", [bundle.municipalityId, anchor.root, signatureLeaf, anchor.proof]) : undefined;
  const [statusCode, anchoredFor, anchoredAt] = status ? [Number(status[0]), Number(status[1]), Number(status[2])] : [0, 0, 0];
  const anchored = statusCode !== 0 && anchoredFor === bundle.municipalityId && anchoredAt === anchor.anchoredAt;
  record(
    "issuance-anchored",
    anchored,
    anchor.sha256.toLowerCase() !== signatureHash
      ? `the bundle's issuance record ${anchor.sha256} is not sha256(digest ‖ signature) = ${signatureHash}`
      : anchored
        ? `the signature was anchored for municipality ${anchoredFor} at ${when(anchoredAt)}`
        : statusCode === 0
          ? "the signature's record is not anchored under the root the bundle names"
          : `the signature's record is anchored for municipality ${anchoredFor} at ${anchoredAt}, the bundle says ${bundle.municipalityId} at ${anchor.anchoredAt}`,
  );

  const directoryAddress = deployed ? await view(rpc, contract, "directory", []) : undefined;
  const directory = directoryAddress ? String(directoryAddress[0]) : undefined;
  const held =
    directory && signed && anchored
      ? await callView(rpc, directoryInterface, directory, "roleHeldAt", [bundle.municipalityId, DOCUMENT_ISSUER, recovered, anchoredAt])
      : undefined;
  const heldRole = held !== undefined && Boolean(held[0]);
  record(
    "issuer-role",
    heldRole,
    !directory
      ? "skipped: the BatchAnchor names no Directory"
      : !(signed && anchored)
        ? "skipped: no anchored signature to date"
        : heldRole
          ? `the Directory (${directory}) says ${recovered} held DOCUMENT_ISSUER in municipality ${bundle.municipalityId} at ${when(anchoredAt)}`
          : `the Directory (${directory}) says ${recovered} did not hold DOCUMENT_ISSUER in municipality ${bundle.municipalityId} at ${when(anchoredAt)}`,
  );

  const compromised = directory && signed ? await callView(rpc, directoryInterface, directory, "compromisedSince", [bundle.municipalityId, recovered]) : undefined;
  const since = compromised ? Number(compromised[0]) : undefined;
  const keyOk = since !== undefined && anchored && (since === 0 || since > anchoredAt);
  record(
    "issuer-key-not-compromised",
    keyOk,
    since === undefined
      ? "skipped: no signer or Directory to ask"
      : since === 0
        ? `the Directory marks no compromise of ${recovered}'s key`
        : keyOk
          ? `the key is marked compromised from ${when(since)}, after the signature was anchored`
          : `the key is marked compromised from ${when(since)}: the signature was anchored ${anchored ? `at ${when(anchoredAt)}, after that` : "at no known time"}`,
  );
  if (!signed) return undefined;
  // Names are what the municipality's admin published on the chain: shown, never checked against anything.
  const [named, town] = directory
    ? await Promise.all([
        callView(rpc, directoryInterface, directory, "officerName", [bundle.municipalityId, recovered]),
        callView(rpc, directoryInterface, directory, "municipality", [bundle.municipalityId]),
      ])
    : [undefined, undefined];
  return {
    address: recovered!,
    municipalityId: bundle.municipalityId,
    role: "DOCUMENT_ISSUER",
    signedAt: anchoredAt,
    ...(named && String(named[0]) ? { name: String(named[0]) } : {}),
    ...(town ? { municipalityName: String(town[1]) } : {}),
  };
}

/** Who revoked an anchored record, when, and why (the reason's code and the SHA-256 of its words). */
export interface RecordRevocation {
  reasonCode: number;
  reasonHash: string;
  /** The DOCUMENT_ISSUER who signed the revocation. */
  actor: string;
  txHash: string;
  blockNumber: number;
  /** Block time, s since epoch. */
  at: number;
}

/**
 * The RecordRevoked event of a record (`leaf` under `root`) from the BatchAnchor at `contract`, searched
 * from `fromBlock`; undefined when the chain has none. Roots are scoped by municipality: only the
 * revocation in `municipalityId`'s batch counts, as verifyRecord answers for it. Throws RpcFailedError when
 * the node does not answer.
 */
export async function recordRevocationOf(
  rpc: JsonRpcSender,
  contract: string,
  root: string,
  leaf: string,
  fromBlock: number,
  municipalityId: number,
): Promise<RecordRevocation | undefined> {
  const event = batchAnchor.getEvent("RecordRevoked")!;
  const municipality = zeroPadValue(toBeHex(municipalityId), 32);
  const logs = await ask<{ topics: string[]; data: string; blockNumber: string; transactionHash: string }[]>(rpc, "eth_getLogs", [
    {
      address: contract,
      fromBlock: toQuantity(fromBlock),
      toBlock: "latest",
      topics: [event.topicHash, municipality, root.toLowerCase(), leaf.toLowerCase()],
    },
  ]);
  const log = logs.at(-1);
  if (!log) return undefined;
  const args = batchAnchor.decodeEventLog(event, log.data, log.topics);
  const blockNumber = Number(BigInt(log.blockNumber));
  const block = await ask<{ timestamp: string } | null>(rpc, "eth_getBlockByNumber", [toQuantity(blockNumber), false]);
  return {
    reasonCode: Number(args.reasonCode),
    reasonHash: String(args.reasonHash).toLowerCase(),
    actor: getAddress(String(args.actor)),
    txHash: log.transactionHash.toLowerCase(),
    blockNumber,
    at: block ? Number(BigInt(block.timestamp)) : 0,
  };
}
