import type { DatabaseSync } from "node:sqlite";
import type { RequestHandler } from "express";
import type { BatchAnchor } from "../../../types/ethers-contracts/BatchAnchor.js";
import type { CivicFund } from "../../../types/ethers-contracts/CivicFund.js";
import type { ComplaintLedger } from "../../../types/ethers-contracts/ComplaintLedger.js";
import type { Directory } from "../../../types/ethers-contracts/Directory.js";
import type { PermitRegistry } from "../../../types/ethers-contracts/PermitRegistry.js";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { CivicFund__factory } from "../../../types/ethers-contracts/factories/CivicFund__factory.js";
import { ComplaintLedger__factory } from "../../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../../types/ethers-contracts/factories/Directory__factory.js";
import { PermitRegistry__factory } from "../../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import type { AnchorQueue } from "../anchoring/types.js";
import { OfficerDirectory } from "../auth/officers.js";
import { SessionStore } from "../auth/sessions.js";
import type { ChainClient } from "../chain/client.js";
import type { LedgerDeployment } from "../chain/deploy.js";
import type { DevAccount } from "../chain/devAccounts.js";
import { OfficerTransactions } from "../chain/officerTransactions.js";
import { ServiceCalls } from "../chain/serviceCalls.js";
import type { IpfsStore } from "../ipfs/types.js";
import { PersonalDataVault } from "../privacy/vault.js";
import { FilingRestorer } from "../services/complaints/filingRestore.js";
import { ComplaintFilings } from "../services/complaints/filingQueue.js";
import { Towns } from "../services/towns.js";
import { demoTownProfiles } from "../chain/demoTowns.js";
import { townProfileBytes } from "../../shared/townProfile.js";

/** The ledger's contracts, read through the service's provider (sends go through ServiceCalls). */
export interface LedgerContracts {
  directory: Directory;
  permitRegistry: PermitRegistry;
  complaintLedger: ComplaintLedger;
  civicFund: CivicFund;
  batchAnchor: BatchAnchor;
}

/**
 * What the workflows (permits, complaints, funds, audit) are built from: one object assembled by
 * `startLedger` (and by tests the same way), handed to each workflow's routes.
 */
export interface WorkflowContext {
  db: DatabaseSync;
  chainId: number;
  deployment: LedgerDeployment;
  chain: ChainClient;
  contracts: LedgerContracts;
  /** Calls the service sends and pays for (relayed signatures, applications, filings). */
  serviceCalls: ServiceCalls;
  /** Transactions officers sign with their own keys. */
  officerTransactions: OfficerTransactions;
  sessions: SessionStore;
  officers: OfficerDirectory;
  vault: PersonalDataVault;
  ipfs: IpfsStore;
  /** The durable anchoring queue, for records anchored in Merkle batches (receipts, updates). */
  queue: AnchorQueue;
  /** Residents' complaint filings, accepted before they are mined; its rounds run from start() to stop(). */
  complaintFilings: ComplaintFilings;
  /** Rebuilds what only this service keeps of filings the index holds without it (a fresh replica). */
  filingRestorer: FilingRestorer;
  /**
   * Brings the index up to the chain's confirmed head now; answers the last block indexed. A block is
   * read once CONFIRMATIONS more are built on it: to read a transaction just mined, see indexCatchUp.ts.
   * Any town profile the index newly names is read before it answers.
   */
  catchUpIndex: () => Promise<number>;
  /** The towns: each municipality with the profile its admin published. */
  towns: Towns;
  /**
   * The service's public address (PUBLIC_URL, or the embedded demo's http://localhost:PORT): what officers
   * sign in to, and the base of links, QR codes and Open311 discovery. Never a request's Host header.
   */
  publicUrl: string;
  /** How many sign-in nonces one client may ask for a minute (0: no limit). */
  noncesPerMinute: number;
  /** The embedded chain's demo accounts, or null on a real chain. */
  devAccounts: DevAccount[] | null;
  /** Multer for one `file` field, capped at the upload limit. */
  upload: RequestHandler;
  uploadLimitBytes: number;
}

export interface WorkflowContextParts {
  db: DatabaseSync;
  chain: ChainClient;
  ipfs: IpfsStore;
  queue: AnchorQueue;
  catchUpIndex: () => Promise<number>;
  dataDir: string;
  publicUrl: string;
  signIn: { nonceTtlMs: number; noncesPerMinute: number };
  devAccounts: DevAccount[] | null;
  upload: RequestHandler;
  uploadLimitBytes: number;
  log?: (message: string) => void;
}

export function createWorkflowContext(parts: WorkflowContextParts): WorkflowContext {
  const { chain, db } = parts;
  const addresses = chain.deployment.contracts;
  const contracts: LedgerContracts = {
    directory: Directory__factory.connect(addresses.directory, chain.provider),
    permitRegistry: PermitRegistry__factory.connect(addresses.permitRegistry, chain.provider),
    complaintLedger: ComplaintLedger__factory.connect(addresses.complaintLedger, chain.provider),
    civicFund: CivicFund__factory.connect(addresses.civicFund, chain.provider),
    batchAnchor: BatchAnchor__factory.connect(addresses.batchAnchor, chain.provider),
  };
  const towns = Towns.of(db);
  // On the embedded chain the demo's town files are at hand: their profiles need no IPFS node to come from.
  towns.useIpfs(parts.ipfs, parts.devAccounts ? demoTownProfiles(chain.deployment).map(townProfileBytes) : []);
  const serviceCalls = new ServiceCalls(chain);
  const vault = PersonalDataVault.open(parts.dataDir, process.env, parts.log);
  return {
    db,
    chainId: chain.chainId,
    deployment: chain.deployment,
    chain,
    contracts,
    serviceCalls,
    officerTransactions: new OfficerTransactions(chain),
    sessions: new SessionStore(db, { nonceTtlMs: parts.signIn.nonceTtlMs }),
    officers: new OfficerDirectory(contracts.directory, db),
    vault,
    ipfs: parts.ipfs,
    queue: parts.queue,
    complaintFilings: new ComplaintFilings({ db, chain, complaintLedger: contracts.complaintLedger, serviceCalls, log: parts.log }),
    filingRestorer: new FilingRestorer({ db, ipfs: parts.ipfs, vault, log: parts.log }),
    catchUpIndex: async () => {
      const indexed = await parts.catchUpIndex();
      await towns.resolve();
      return indexed;
    },
    towns,
    publicUrl: parts.publicUrl,
    noncesPerMinute: parts.signIn.noncesPerMinute,
    devAccounts: parts.devAccounts,
    upload: parts.upload,
    uploadLimitBytes: parts.uploadLimitBytes,
  };
}
