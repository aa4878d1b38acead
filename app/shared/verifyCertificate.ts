// Checks a permit certificate against any RPC node of its chain, trusting nothing but that node: the CLI
// and the web verifier run this one function (the API only says where to look). A certificate is not a
// Merkle-batch record: PermitRegistry holds its SHA-256 itself, with the permit it belongs to, its version,
// the versions before and after it, and the officer who signed its issue or amendment (in the event).
// Only ethers and zod, so it runs in a browser. The ABI is a hand-kept fragment, for the reason
// verifyBundle.ts gives; test/app/verifyCli.test.ts checks it against the compiled ABI.
import { Interface, getAddress, isAddress, keccak256, toQuantity, toUtf8Bytes } from "ethers";
import { z } from "zod";
import type { Check, Verdict } from "./proofBundle.js";
import { roleId, roleName } from "./roles.js";
import { PERMIT_REVOCATION_REASONS } from "./trailWords.js";
import { ask, callView, DIRECTORY_ABI, type JsonRpcSender } from "./verifyBundle.js";

/**
 * What GET /api/proofs/<sha256> answers for a permit certificate (and /api/verify carries as `proof`):
 * where anyone asks the chain about it. It carries no verdict; every field that matters is checked.
 */
export const PERMIT_CERTIFICATE_PROOF_FORMAT = "public-service-ledger/permit-certificate@1";

export interface PermitCertificateProof {
  format: typeof PERMIT_CERTIFICATE_PROOF_FORMAT;
  chainId: number;
  /** The PermitRegistry. */
  contract: string;
  permitId: string;
  /** The permit's number (TH-50-MAEHIA/BLD/2026/000001); checked: permitId is its keccak256. */
  permitNumber?: string;
  /** SHA-256 of the certificate's PDF. */
  certificateHash: string;
  version: number;
  /** The transaction of its PermitIssued / PermitAmended event. */
  txHash: string;
  blockNumber: number;
  /** The view call that answers the verdict on any node. */
  call: string;
  /**
   * The data hash of this version (what its QR code's `h` holds), as the issuing service rendered it. Not
   * on the chain: the service's word, to compare a paper's QR code with; null when the service has none.
   */
  dataHash?: string | null;
}

/** A verdict of the shared vocabulary, or "expired": a certificate past its validity end date. */
export type CertificateVerdict = Verdict | "expired";

export const PERMIT_REGISTRY_ABI = [
  "function verify(bytes32 certificateHash) view returns (bytes32 permitId, uint32 version, uint8 verdict)",
  "function permit(bytes32 permitId) view returns (tuple(string number, uint32 municipalityId, uint8 state, uint8 currentStep, uint8 stepCount, uint32 version, uint16 revocationReason, uint64 appliedAt, uint64 completedAt, uint64 validUntil, bytes32 typeId, bytes32 applicantCommitment, bytes32 certificateHash))",
  "function certificate(bytes32 certificateHash) view returns (tuple(bytes32 permitId, uint32 version, bytes32 supersedes, bytes32 supersededBy))",
  "function permitType(uint32 municipalityId, bytes32 typeId) view returns (bytes32[] approvalRoles, uint32 validityDays, bool retired)",
  "function directory() view returns (address)",
  "event PermitIssued(bytes32 indexed permitId, uint32 version, bytes32 indexed certificateHash, string cid, uint64 validUntil, address indexed officer)",
  "event PermitAmended(bytes32 indexed permitId, uint32 version, bytes32 indexed certificateHash, bytes32 previousCertificateHash, string cid, bytes32 reasonHash, address indexed officer)",
  "event PermitRevoked(bytes32 indexed permitId, uint16 reasonCode, bytes32 reasonHash, address indexed officer)",
] as const;

const registry = new Interface(PERMIT_REGISTRY_ABI);
const directoryInterface = new Interface(DIRECTORY_ABI);
const ISSUED = registry.getEvent("PermitIssued")!;
const AMENDED = registry.getEvent("PermitAmended")!;
const REVOKED = registry.getEvent("PermitRevoked")!;
const ZERO = `0x${"0".repeat(64)}`;

/** PermitRegistry.PermitState by number. */
export const PERMIT_STATES = ["None", "Applied", "UnderReview", "Approved", "Rejected", "Issued", "Revoked"] as const;
export type PermitStateName = (typeof PERMIT_STATES)[number];

/** Why a permit is revoked: the code is public on the chain, the officer's reasoned text is sealed. */
export { PERMIT_REVOCATION_REASONS };

/** The id of the permit numbered `number`, as PermitRegistry.permitIdOf computes it. */
export const permitIdOf = (number: string): string => keccak256(toUtf8Bytes(number));

/** The checks in the order they run; each is reported only when it applies. */
export const CERTIFICATE_CHECK_NAMES = [
  "chain-id",
  "registry-deployed",
  "certificate-known",
  "document-unchanged",
  "issued-event",
  "issuer-role",
  "issuer-key-not-compromised",
  "not-revoked",
  "current-version",
  "not-expired",
  "paper-data-hash",
] as const;
export type CertificateCheckName = (typeof CERTIFICATE_CHECK_NAMES)[number];

const ISSUER_CHECKS: readonly string[] = ["issuer-role", "issuer-key-not-compromised"];
/** The checks whose failure leaves the verdict to its own word (revoked, superseded, expired, unauthorised). */
const STANDING_CHECKS: readonly string[] = [...ISSUER_CHECKS, "not-revoked", "current-version", "not-expired"];

/** Which certificate to check: by its SHA-256, or a permit's version by the permit's number. */
export interface CertificateTarget {
  /** The PermitRegistry (deployment.json / ledger-config.json / a certificate proof name it). */
  registry: string;
  /** The chain the registry is on, when known: checked against the node. */
  chainId?: number;
  /** The certificate's SHA-256 (a PDF's hash, or a proof's certificateHash). */
  certificateHash?: string;
  /** Or the permit's number, with the version a paper names (the current one when absent). */
  permitNumber?: string;
  version?: number;
  /** The transaction a proof names: its receipt holds the issue event, so no log search is needed. */
  txHash?: string;
  /** The first block worth searching for events (the deployment's block); 0 otherwise. */
  fromBlock?: number;
}

export interface CertificateCheckOptions {
  /** The SHA-256 asked about, when the target came from someone else (a proof from the API). */
  documentSha256?: string;
  /** A paper's QR code `h`, to compare with `ledgerDataHash`. */
  paperDataHash?: string;
  /**
   * The data hash the issuing service holds for that version (not on the chain), or how to ask for it once
   * the version's certificate is known; null or undefined: none to compare with.
   */
  ledgerDataHash?: string | null | ((certificate: { certificateHash: string; version: number }) => Promise<string | null | undefined>);
}

export interface CertificateFacts {
  permitId: string;
  permitNumber: string;
  municipalityId: number;
  municipalityName?: string;
  state: PermitStateName;
  /** This certificate's version, and the permit's current one. */
  version: number;
  currentVersion: number;
  certificateHash: string;
  /** Unix seconds; 0: never expires. The permit's, which an amendment does not move. */
  validUntil: number;
  /** Block time of its issue (or amendment) event, s. */
  issuedAt?: number;
  txHash?: string;
  blockNumber?: number;
  /** IPFS address of the (sealed) PDF, from the event. */
  cid?: string;
  supersedes?: string;
  supersededBy?: string;
}

export interface CertificateVerification {
  verdict: CertificateVerdict;
  checks: Check[];
  certificate?: CertificateFacts;
  /** Who signed the issue (PERMIT_OFFICER) or amendment (the type's issuing authority). */
  issuer?: { address: string; name?: string; role: string; municipalityId: number; signedAt: number };
  revocation?: { reasonCode: number; reasonHash: string; officer: string; officerName?: string; at?: number; txHash?: string };
  /** The QR code's data hash compared with the service's for that version; "not-compared" when it has none. */
  paper?: "matches" | "differs" | "not-compared";
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
}

const when = (seconds: number) => (seconds > 0 && seconds <= 8.64e12 ? new Date(seconds * 1000).toISOString() : String(seconds));
const lower = (value: string | undefined) => value?.toLowerCase();

/**
 * Checks a certificate against the chain behind `rpc`: PermitRegistry knows it (by hash, or the permit's
 * version by number), its issue or amendment event names an officer who held the issuing role in that
 * municipality at that block's time and whose key was not marked compromised before, and it is not
 * revoked, superseded or expired. Throws RpcFailedError when the node does not answer.
 */
export async function verifyPermitCertificate(
  rpc: JsonRpcSender,
  target: CertificateTarget,
  options: CertificateCheckOptions = {},
): Promise<CertificateVerification> {
  const checks: Check[] = [];
  const record = (name: CertificateCheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const done = (extra: Partial<CertificateVerification> = {}): CertificateVerification => ({ verdict: verdictOf(checks), checks, ...extra });

  if (target.chainId !== undefined) {
    const chainId = Number(BigInt(await ask<string>(rpc, "eth_chainId", [])));
    record("chain-id", chainId === target.chainId, chainId === target.chainId ? `the RPC node serves chain ${chainId}` : `the RPC node serves chain ${chainId}, not ${target.chainId}`);
  }
  const contract = getAddress(target.registry);
  const deployed = (await ask<string>(rpc, "eth_getCode", [contract, "latest"])) !== "0x";
  record("registry-deployed", deployed, deployed ? `PermitRegistry ${contract} has code` : `no contract at ${contract} on this chain`);
  if (!deployed) return done();
  const view = (name: string, args: unknown[]) => callView(rpc, registry, contract, name, args);

  // Which certificate: the one hashed, or the version of the permit the number names.
  const located = await locate(view, target);
  if ("problem" in located) {
    record("certificate-known", false, located.problem);
    const verdict: CertificateVerdict = located.pending ? "pending" : "unknown";
    return { verdict, checks, ...(located.facts ? { certificate: located.facts } : {}) };
  }
  const { facts, typeId } = located;
  record(
    "certificate-known",
    true,
    `PermitRegistry knows ${facts.certificateHash} as version ${facts.version} of permit ${facts.permitNumber} (municipality ${facts.municipalityId}; current version ${facts.currentVersion}, state ${facts.state})`,
  );
  const asked = lower(options.documentSha256);
  if (asked !== undefined) {
    record(
      "document-unchanged",
      asked === facts.certificateHash,
      asked === facts.certificateHash ? `the SHA-256 asked about is the certificate's, ${asked}` : `the SHA-256 asked about is ${asked}, the certificate's is ${facts.certificateHash}`,
    );
  }

  // Who signed it: the event of its issue (version 1) or of the amendment that made it.
  const event = await issueEvent(rpc, contract, facts, target);
  const issuerRole = facts.version === 1 ? "PERMIT_OFFICER" : await issuingAuthorityOf(view, facts.municipalityId, typeId);
  let issuer: CertificateVerification["issuer"];
  if (!event) {
    record("issued-event", false, `no ${facts.version === 1 ? "PermitIssued" : "PermitAmended"} event of version ${facts.version} for ${facts.certificateHash} from ${contract}`);
  } else {
    Object.assign(facts, { issuedAt: event.time, txHash: event.txHash, blockNumber: event.blockNumber, cid: event.cid });
    record(
      "issued-event",
      event.version === facts.version,
      event.version === facts.version
        ? `${event.name}(permit, version ${event.version}, ${facts.certificateHash}) signed by ${event.officer}, in transaction ${event.txHash}, block ${event.blockNumber} at ${when(event.time)}`
        : `the ${event.name} event says version ${event.version}, the registry ${facts.version}`,
    );
    issuer = await checkIssuer(rpc, contract, facts.municipalityId, issuerRole, event.officer, event.time, record);
  }

  const revocation = facts.state === "Revoked" ? await revocationOf(rpc, contract, facts, target.fromBlock ?? 0) : undefined;
  record(
    "not-revoked",
    facts.state !== "Revoked",
    facts.state !== "Revoked"
      ? `permit ${facts.permitNumber} is ${facts.state}, not revoked`
      : revocation
        ? `revoked at ${when(revocation.at ?? 0)} by ${revocation.officer}, reason code ${revocation.reasonCode}${PERMIT_REVOCATION_REASONS[revocation.reasonCode] ? ` (${PERMIT_REVOCATION_REASONS[revocation.reasonCode].en})` : ""}, reason hash ${revocation.reasonHash}`
        : `permit ${facts.permitNumber} is revoked (reason code ${located.revocationReason})`,
  );
  record(
    "current-version",
    !facts.supersededBy,
    facts.supersededBy ? `superseded by version ${facts.currentVersion}'s line: certificate(hash).supersededBy = ${facts.supersededBy}` : `version ${facts.version} is the current certificate`,
  );
  const now = await latestTime(rpc);
  const expired = facts.validUntil !== 0 && now > facts.validUntil;
  record(
    "not-expired",
    !expired,
    facts.validUntil === 0 ? "the permit type sets no end of validity" : `valid until ${when(facts.validUntil)}; the chain's time is ${when(now)}`,
  );

  let paper: CertificateVerification["paper"];
  const paperHash = lower(options.paperDataHash);
  if (paperHash !== undefined) {
    const given = options.ledgerDataHash;
    const ledgerHash = lower((typeof given === "function" ? await given({ certificateHash: facts.certificateHash, version: facts.version }) : given) ?? undefined);
    if (ledgerHash === undefined) paper = "not-compared";
    else {
      paper = paperHash === ledgerHash ? "matches" : "differs";
      record(
        "paper-data-hash",
        paper === "matches",
        paper === "matches"
          ? `the QR code's data hash is the one the issuing service holds for version ${facts.version}: ${ledgerHash}`
          : `the QR code's data hash is ${paperHash}, the issuing service holds ${ledgerHash} for version ${facts.version}`,
      );
    }
  }

  // Names are what the municipality's admin published on the chain: shown, never checked.
  const directory = await directoryOf(view);
  const town = directory ? await callView(rpc, directoryInterface, directory, "municipality", [facts.municipalityId]) : undefined;
  if (town) facts.municipalityName = String(town[1]);
  if (revocation && directory) {
    const named = await callView(rpc, directoryInterface, directory, "officerName", [facts.municipalityId, revocation.officer]);
    if (named && String(named[0])) revocation.officerName = String(named[0]);
  }
  return done({ certificate: facts, ...(issuer ? { issuer } : {}), ...(revocation ? { revocation } : {}), ...(paper ? { paper } : {}) });
}

function verdictOf(checks: readonly Check[]): CertificateVerdict {
  const failed = checks.filter((check) => !check.ok).map((check) => check.name);
  if (failed.some((name) => !STANDING_CHECKS.includes(name))) return "unknown";
  if (failed.includes("not-revoked")) return "revoked";
  if (failed.some((name) => ISSUER_CHECKS.includes(name))) return "unauthorised";
  if (failed.includes("current-version")) return "superseded";
  if (failed.includes("not-expired")) return "expired";
  return "valid";
}

type View = (name: string, args: unknown[]) => ReturnType<typeof callView>;

type Located =
  | { facts: CertificateFacts; typeId: string; revocationReason: number }
  | { problem: string; pending?: boolean; facts?: CertificateFacts };

/** The certificate's permit and place among its versions, from the registry's views. */
async function locate(view: View, target: CertificateTarget): Promise<Located> {
  let permitId: string;
  let certificateHash: string | undefined = lower(target.certificateHash);
  if (certificateHash !== undefined) {
    const known = await view("verify", [certificateHash]);
    if (!known) return { problem: "the registry did not answer verify(hash): not a PermitRegistry" };
    permitId = String(known[0]).toLowerCase();
    if (permitId === ZERO) return { problem: `PermitRegistry never issued a certificate with the SHA-256 ${certificateHash}` };
  } else if (target.permitNumber !== undefined) {
    permitId = permitIdOf(target.permitNumber);
  } else {
    return { problem: "neither a certificate's SHA-256 nor a permit number to look up" };
  }
  const answer = await view("permit", [permitId]);
  if (!answer) return { problem: "the registry did not answer permit(id): not a PermitRegistry" };
  const p = answer[0] as { number: string; municipalityId: bigint; state: bigint; version: bigint; revocationReason: bigint; validUntil: bigint; typeId: string; certificateHash: string };
  const state = PERMIT_STATES[Number(p.state)] ?? "None";
  if (state === "None") return { problem: `no permit numbered ${target.permitNumber} on this PermitRegistry` };
  if (target.permitNumber !== undefined && p.number !== target.permitNumber) {
    return { problem: `the certificate belongs to permit ${p.number}, not ${target.permitNumber}` };
  }
  const base = {
    permitId,
    permitNumber: p.number,
    municipalityId: Number(p.municipalityId),
    state,
    currentVersion: Number(p.version),
    validUntil: Number(p.validUntil),
  };
  if (certificateHash === undefined) {
    if (String(p.certificateHash).toLowerCase() === ZERO) {
      const facts = { ...base, version: 0, certificateHash: ZERO };
      const pending = state !== "Rejected";
      return { problem: `permit ${p.number} is ${state}: no certificate issued${pending ? " yet" : ""}`, pending, facts };
    }
    // The version a paper names: walk back from the current certificate through `supersedes`.
    certificateHash = String(p.certificateHash).toLowerCase();
    const wanted = target.version ?? base.currentVersion;
    if (wanted < 1 || wanted > base.currentVersion) return { problem: `permit ${p.number} has versions 1 to ${base.currentVersion}, not ${wanted}` };
    for (let version = base.currentVersion; version > wanted; version--) {
      const link = await view("certificate", [certificateHash]);
      certificateHash = link ? String((link[0] as { supersedes: string }).supersedes).toLowerCase() : ZERO;
      if (certificateHash === ZERO) return { problem: `the registry links no version ${version - 1} before version ${version}` };
    }
  }
  const link = await view("certificate", [certificateHash]);
  const c = link?.[0] as { permitId: string; version: bigint; supersedes: string; supersededBy: string } | undefined;
  if (!c || String(c.permitId).toLowerCase() !== permitId) return { problem: `certificate(${certificateHash}) names another permit` };
  const facts: CertificateFacts = {
    ...base,
    version: Number(c.version),
    certificateHash,
    ...(String(c.supersedes).toLowerCase() !== ZERO ? { supersedes: String(c.supersedes).toLowerCase() } : {}),
    ...(String(c.supersededBy).toLowerCase() !== ZERO ? { supersededBy: String(c.supersededBy).toLowerCase() } : {}),
  };
  if (target.version !== undefined && target.certificateHash !== undefined && facts.version !== target.version) {
    return { problem: `the certificate is version ${facts.version} of permit ${facts.permitNumber}, not version ${target.version}` };
  }
  return { facts, typeId: p.typeId, revocationReason: Number(p.revocationReason) };
}

interface IssueEvent {
  name: "PermitIssued" | "PermitAmended";
  version: number;
  officer: string;
  cid: string;
  txHash: string;
  blockNumber: number;
  time: number;
}

/** The PermitIssued / PermitAmended event of the certificate: from the named transaction, else by a log search. */
async function issueEvent(rpc: JsonRpcSender, contract: string, facts: CertificateFacts, target: CertificateTarget): Promise<IssueEvent | undefined> {
  const topics = [[ISSUED.topicHash, AMENDED.topicHash], facts.permitId, facts.certificateHash];
  const matches = (log: RpcLog) =>
    log.address.toLowerCase() === contract.toLowerCase() &&
    log.topics.length === 4 &&
    topics[0].includes(log.topics[0].toLowerCase()) &&
    log.topics[1].toLowerCase() === facts.permitId &&
    log.topics[2].toLowerCase() === facts.certificateHash;
  let log: RpcLog | undefined;
  if (target.txHash) {
    const receipt = await ask<{ status: string; logs: (RpcLog & { blockNumber: string })[] } | null>(rpc, "eth_getTransactionReceipt", [target.txHash]);
    log = receipt && BigInt(receipt.status) === 1n ? receipt.logs.find(matches) : undefined;
  }
  if (!log) {
    const logs = await ask<RpcLog[]>(rpc, "eth_getLogs", [{ address: contract, fromBlock: toQuantity(target.fromBlock ?? 0), toBlock: "latest", topics }]);
    log = logs.find(matches);
  }
  if (!log) return undefined;
  const event = log.topics[0].toLowerCase() === ISSUED.topicHash ? ISSUED : AMENDED;
  const args = registry.decodeEventLog(event, log.data, log.topics);
  const blockNumber = Number(BigInt(log.blockNumber));
  return {
    name: event.name as IssueEvent["name"],
    version: Number(args.version),
    officer: getAddress(String(args.officer)),
    cid: String(args.cid),
    txHash: log.transactionHash.toLowerCase(),
    blockNumber,
    time: await blockTime(rpc, blockNumber),
  };
}

/** The issuing authority of an amendment: the last approval role of the permit's type. */
async function issuingAuthorityOf(view: View, municipalityId: number, typeId: string): Promise<string> {
  const type = await view("permitType", [municipalityId, typeId]);
  const roles = type ? (type[0] as string[]) : [];
  return roles.length > 0 ? roleName(String(roles[roles.length - 1])) : "MAYOR";
}

/** The Directory's word on the signer at the event's time: the role held, the key not compromised before. */
async function checkIssuer(
  rpc: JsonRpcSender,
  contract: string,
  municipalityId: number,
  role: string,
  officer: string,
  time: number,
  record: (name: CertificateCheckName, ok: boolean, detail: string) => void,
): Promise<CertificateVerification["issuer"]> {
  const directory = await directoryOf((name, args) => callView(rpc, registry, contract, name, args));
  if (!directory) {
    record("issuer-role", false, "the PermitRegistry names no Directory");
    return undefined;
  }
  const id = /^0x[0-9a-fA-F]{64}$/.test(role) ? role : roleId(role as Parameters<typeof roleId>[0]);
  const held = await callView(rpc, directoryInterface, directory, "roleHeldAt", [municipalityId, id, officer, time]);
  const heldRole = held !== undefined && Boolean(held[0]);
  record(
    "issuer-role",
    heldRole,
    `the Directory (${directory}) says ${officer} ${heldRole ? "held" : "did not hold"} ${role} in municipality ${municipalityId} at ${when(time)}`,
  );
  const compromised = await callView(rpc, directoryInterface, directory, "compromisedSince", [municipalityId, officer]);
  const since = compromised ? Number(compromised[0]) : undefined;
  record(
    "issuer-key-not-compromised",
    since !== undefined && (since === 0 || since > time),
    since === undefined
      ? "the Directory did not answer compromisedSince"
      : since === 0
        ? `the Directory marks no compromise of ${officer}'s key`
        : `the key is marked compromised from ${when(since)}; the certificate was signed at ${when(time)}`,
  );
  const named = await callView(rpc, directoryInterface, directory, "officerName", [municipalityId, officer]);
  return { address: officer, role, municipalityId, signedAt: time, ...(named && String(named[0]) ? { name: String(named[0]) } : {}) };
}

/** The PermitRevoked event of the permit: reason code and hash, the officer, the time. */
async function revocationOf(rpc: JsonRpcSender, contract: string, facts: CertificateFacts, fromBlock: number): Promise<CertificateVerification["revocation"]> {
  const logs = await ask<RpcLog[]>(rpc, "eth_getLogs", [{ address: contract, fromBlock: toQuantity(fromBlock), toBlock: "latest", topics: [REVOKED.topicHash, facts.permitId] }]);
  const log = logs.at(-1);
  if (!log) return undefined;
  const args = registry.decodeEventLog(REVOKED, log.data, log.topics);
  const blockNumber = Number(BigInt(log.blockNumber));
  return {
    reasonCode: Number(args.reasonCode),
    reasonHash: String(args.reasonHash),
    officer: getAddress(String(args.officer)),
    at: await blockTime(rpc, blockNumber),
    txHash: log.transactionHash.toLowerCase(),
  };
}

async function directoryOf(view: View): Promise<string | undefined> {
  const answer = await view("directory", []);
  return answer ? String(answer[0]) : undefined;
}

async function blockTime(rpc: JsonRpcSender, blockNumber: number): Promise<number> {
  const block = await ask<{ timestamp: string } | null>(rpc, "eth_getBlockByNumber", [toQuantity(blockNumber), false]);
  return block ? Number(BigInt(block.timestamp)) : 0;
}

async function latestTime(rpc: JsonRpcSender): Promise<number> {
  const block = await ask<{ timestamp: string } | null>(rpc, "eth_getBlockByNumber", ["latest", false]);
  return block ? Number(BigInt(block.timestamp)) : 0;
}

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((value) => value.toLowerCase());
const certificateProofSchema = z.object({
  format: z.literal(PERMIT_CERTIFICATE_PROOF_FORMAT),
  chainId: z.int().min(1),
  contract: z.string().refine((value) => isAddress(value), "expected an address").transform((value) => getAddress(value)),
  permitId: bytes32,
  permitNumber: z.string().min(1).max(200).optional(),
  certificateHash: bytes32,
  version: z.int().min(1),
  txHash: bytes32,
  blockNumber: z.int().min(0),
  call: z.string().max(200).default(""),
  dataHash: bytes32.nullable().optional(),
});

export class CertificateProofError extends Error {
  readonly code = "INVALID_CERTIFICATE_PROOF";
}

/** Validates a certificate proof (parsed JSON or text); throws CertificateProofError naming the problems. */
export function parsePermitCertificateProof(json: unknown): PermitCertificateProof {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new CertificateProofError(`not JSON: ${(error as Error).message}`);
    }
  }
  const result = certificateProofSchema.safeParse(value);
  if (!result.success) {
    throw new CertificateProofError(`not a valid certificate proof: ${result.error.issues.map((i) => `${i.path.join(".") || "(proof)"}: ${i.message}`).join("; ")}`);
  }
  const proof = result.data as PermitCertificateProof;
  if (proof.permitNumber !== undefined && permitIdOf(proof.permitNumber) !== proof.permitId) {
    throw new CertificateProofError(`not a valid certificate proof: permitId is not the id of permit ${proof.permitNumber}`);
  }
  return proof;
}

/** The target a certificate proof names: every check still asks the chain. */
export function certificateTargetOf(proof: PermitCertificateProof, fromBlock?: number): CertificateTarget {
  return {
    registry: proof.contract,
    chainId: proof.chainId,
    certificateHash: proof.certificateHash,
    ...(proof.permitNumber ? { permitNumber: proof.permitNumber } : {}),
    version: proof.version,
    txHash: proof.txHash,
    ...(fromBlock !== undefined ? { fromBlock } : {}),
  };
}
