import { roleId } from "../../shared/roles.js";
import { AnchoringBacklog } from "../anchoring/backlog.js";
import type { AnchoringEngine } from "../anchoring/engine.js";
import { depthOf } from "../anchoring/queue.js";
import type { LedgerDeployment } from "../chain/deploy.js";
import type { RelayerBudget } from "../http/relayerBudget.js";
import type { IpfsStore } from "../ipfs/types.js";
import type { MonitoringConfig } from "./monitoringConfig.js";
import { waitingFilings } from "./complaints/filingBacklog.js";
import { problemsOf, type Problem } from "./healthProblems.js";
import { RelayerSpending } from "./relayerSpending.js";

/**
 * What /api/health answers (and, through it, /ledger-config.json and the Verify page): the engines, the
 * chain and its contracts, the anchoring queue, the relayer's balance with an estimate of the days it
 * lasts, and the problems an operator must see, each with a stable code (healthProblems.ts,
 * docs/monitoring.md). `ok` is false, and the answer a 503, while a problem of severity "error" stands.
 *
 * The chain is not asked on every request: its readings (head block, relayer balance, fees, and IPFS's
 * status with them) are kept for a few seconds, the relayer's roles in every municipality for half a
 * minute (answered from the last check while the next one runs): HEALTH_CHAIN_READ_SECONDS and
 * HEALTH_ROLES_CHECK_SECONDS (monitoringConfig.ts). The queue's counts come from the database on every
 * request: tests and the CLI poll them.
 */
export interface HealthSources {
  version: string;
  deployment: LedgerDeployment;
  /** The RPC URL readers are given (PUBLIC_RPC_URL, else the chain's). */
  publicRpcUrl: string;
  external: boolean;
  devKeys: boolean;
  latestBlock: () => Promise<number>;
  anchoring: AnchoringEngine;
  ipfs: IpfsStore;
  monitoring: MonitoringConfig;
  /** What anonymous requests may make the relayer pay (ANONYMOUS_TRANSACTIONS_PER_HOUR), if capped. */
  relayerBudget?: RelayerBudget;
  now?: () => number;
}

/** The relayer as /api/health shows it; amounts in wei, as decimal strings. */
export interface RelayerReport {
  address: string;
  /** Null while the chain does not answer. */
  balanceWei: string | null;
  /** How long the balance lasts at the pace of the last day's spending; null: nothing spent, or not known. */
  daysLeft: number | null;
  /** How `daysLeft` is estimated, in words. */
  estimate: string;
  spentWei: string;
  spentOverHours: number;
  perDayWei: string | null;
  /** What one relayed transaction may cost at today's fees: less than this, and it can send nothing. */
  oneTransactionWei: string | null;
  /** Municipalities the Directory lists, and the active ones where the relayer lacks ANCHOR_SERVICE. */
  roles: { checkedAt: string | null; municipalities: number | null; missing: number[] };
  /** Transactions anonymous requests made it send in the last hour, and the cap (null: no cap). */
  anonymousTransactions: { perHour: number; lastHour: number } | null;
  checkedAt: string | null;
}

/** A reading the chain has not answered within this long counts as unreachable. */
const CHAIN_TIMEOUT_MS = 5_000;
/** Generous gas for one relayed call (a permit application, a batch of 1,000 anchors): the out-of-funds line. */
const ONE_TRANSACTION_GAS = 500_000n;
/** Municipalities asked about at once. */
const ROLE_CHECKS_AT_ONCE = 16;
const ANCHOR_SERVICE = roleId("ANCHOR_SERVICE");

/** One reading of the chain (and of IPFS, on the same schedule). */
export interface ChainReading {
  at: number;
  latestBlock: number | null;
  /** Why the chain did not answer, when it did not. */
  error: string | null;
  balance: bigint | null;
  /** The fee per gas a transaction sent now would offer (maxFeePerGas, or the legacy gas price). */
  feePerGas: bigint | null;
  ipfs: { ok: boolean; detail: string };
}

export interface RoleCheck {
  at: number;
  municipalities: number;
  missing: { municipalityId: number; code: string }[];
}

export class ServiceHealth {
  readonly #sources: HealthSources;
  readonly #now: () => number;
  readonly #backlog: AnchoringBacklog;
  readonly #spending = new RelayerSpending();
  #reading: { at: number; value: Promise<ChainReading> } | null = null;
  #roles: RoleCheck | null = null;
  #rolesPending: Promise<void> | null = null;
  #unreachableSince: number | null = null;

  constructor(sources: HealthSources) {
    this.#sources = sources;
    this.#now = sources.now ?? Date.now;
    this.#backlog = new AnchoringBacklog(sources.anchoring.db);
  }

  async report(): Promise<{ ok: boolean } & Record<string, unknown>> {
    const { deployment, anchoring, ipfs, monitoring } = this.#sources;
    const reading = await this.#chainReading();
    const roles = reading.latestBlock === null ? this.#roles : await this.#roleCheck();
    const anchoringStatus = anchoring.status();
    const now = this.#now();
    const spending = this.#spending.estimate(now);
    const oneTransactionWei = reading.feePerGas === null ? null : reading.feePerGas * ONE_TRANSACTION_GAS;
    const budget = this.#sources.relayerBudget?.status() ?? null;
    const problems: Problem[] = problemsOf({
      now,
      monitoring,
      relayer: anchoring.chain.relayerAddress,
      chain: { reachable: reading.latestBlock !== null, unreachableSince: this.#unreachableSince, error: reading.error },
      ipfs: reading.ipfs,
      funds: reading.balance === null ? null : { balance: reading.balance, oneTransactionWei, daysLeft: spending.daysLeft },
      missingRoles: roles?.missing ?? [],
      waiting: { oldest: this.#backlog.oldest(), municipalities: this.#backlog.municipalities(), troubles: this.#backlog.troubles() },
      worker: anchoringStatus.worker,
      feeCeiling: anchoring.chain.feeCeiling(),
      queueDepth: depthOf(anchoringStatus.queue),
      // The workflows' complaint filings live in the same database as the anchoring queue.
      filings: waitingFilings(anchoring.db),
      anonymousBudget: budget,
    });
    const relayer: RelayerReport = {
      address: anchoring.chain.relayerAddress,
      balanceWei: reading.balance?.toString() ?? null,
      daysLeft: spending.daysLeft,
      estimate:
        `the relayer's balance as read every few seconds while /api/health is asked; what it fell by over the last ` +
        `${spending.hours} h (top-ups left out, counted as at least 1 h), as a daily pace`,
      spentWei: spending.spentWei.toString(),
      spentOverHours: spending.hours,
      perDayWei: spending.perDayWei?.toString() ?? null,
      oneTransactionWei: oneTransactionWei?.toString() ?? null,
      roles: {
        checkedAt: roles ? new Date(roles.at).toISOString() : null,
        municipalities: roles?.municipalities ?? null,
        missing: (roles?.missing ?? []).map((m) => m.municipalityId),
      },
      anonymousTransactions: budget && budget.perHour > 0 ? { perHour: budget.perHour, lastHour: budget.spentLastHour } : null,
      checkedAt: reading.balance === null ? null : new Date(reading.at).toISOString(),
    };
    return {
      ok: !problems.some((problem) => problem.severity === "error"),
      version: this.#sources.version,
      problems,
      engines: {
        chain: { ok: reading.latestBlock !== null, engine: this.#sources.external ? "external" : "anvil (embedded)" },
        ipfs: { ...reading.ipfs, engine: ipfs.engine },
        // Anyone may read this report: it names the engines, never a filesystem path or the IPFS node's address.
        store: { ok: true, engine: "sqlite" },
      },
      chain: {
        chainId: deployment.chainId,
        rpcUrl: this.#sources.publicRpcUrl,
        latestBlock: reading.latestBlock,
        deploymentBlock: deployment.deploymentBlock,
        contracts: deployment.contracts,
        ...(deployment.demoToken ? { demoToken: deployment.demoToken } : {}),
        devKeys: this.#sources.devKeys,
        ...(this.#sources.devKeys ? { warning: "Development keys in use: anyone can sign as the demo officers." } : {}),
      },
      relayer,
      queue: { depth: depthOf(anchoringStatus.queue), ...anchoringStatus.queue },
      worker: anchoringStatus.worker,
      indexer: anchoringStatus.indexer,
    };
  }

  /** The last reading while it is fresh; else one new reading, shared by the requests that wait for it. */
  #chainReading(): Promise<ChainReading> {
    if (!this.#reading || this.#now() - this.#reading.at >= this.#sources.monitoring.chainFreshMs) {
      this.#reading = { at: this.#now(), value: this.#readChain() };
    }
    return this.#reading.value;
  }

  async #readChain(): Promise<ChainReading> {
    const { anchoring, latestBlock, ipfs } = this.#sources;
    const provider = anchoring.chain.provider;
    const [block, balance, fees, ipfsStatus] = await Promise.allSettled([
      within(latestBlock()),
      within(provider.getBalance(anchoring.chain.relayerAddress)),
      within(provider.getFeeData()),
      ipfs.status(),
    ]);
    const at = this.#now();
    const reachable = block.status === "fulfilled";
    this.#unreachableSince = reachable ? null : (this.#unreachableSince ?? at);
    if (balance.status === "fulfilled") this.#spending.record(balance.value, at);
    const feeData = fees.status === "fulfilled" ? fees.value : null;
    return {
      at,
      latestBlock: reachable ? block.value : null,
      error: reachable ? null : firstLine(block.reason),
      balance: balance.status === "fulfilled" ? balance.value : null,
      feePerGas: feeData ? (feeData.maxFeePerGas ?? feeData.gasPrice ?? null) : null,
      ipfs: ipfsStatus.status === "fulfilled" ? ipfsStatus.value : { ok: false, detail: firstLine(ipfsStatus.reason) },
    };
  }

  /** The last role check; the first one is waited for, later ones run while the last is answered. */
  async #roleCheck(): Promise<RoleCheck | null> {
    const stale = !this.#roles || this.#now() - this.#roles.at >= this.#sources.monitoring.rolesFreshMs;
    if (stale && !this.#rolesPending) {
      this.#rolesPending = this.#checkRoles()
        .then((check) => {
          this.#roles = check;
        })
        .catch(() => {
          // The chain failed in between: the next report sees it as unreachable, and asks again.
        })
        .finally(() => {
          this.#rolesPending = null;
        });
    }
    if (!this.#roles && this.#rolesPending) await this.#rolesPending;
    return this.#roles;
  }

  /** Every active municipality of the Directory where the relayer does not hold ANCHOR_SERVICE. */
  async #checkRoles(): Promise<RoleCheck> {
    const { directory, relayerAddress } = this.#sources.anchoring.chain;
    const count = Number(await within(directory.municipalityCount()));
    const missing: RoleCheck["missing"] = [];
    for (let first = 1; first <= count; first += ROLE_CHECKS_AT_ONCE) {
      const ids = Array.from({ length: Math.min(ROLE_CHECKS_AT_ONCE, count - first + 1) }, (_, i) => first + i);
      await Promise.all(
        ids.map(async (municipalityId) => {
          if (await within(directory.hasRole(municipalityId, ANCHOR_SERVICE, relayerAddress))) return;
          // hasRole is false in a suspended municipality too: there nothing is anchored, by decision.
          const { code, suspended } = await within(directory.municipality(municipalityId));
          if (!suspended) missing.push({ municipalityId, code });
        }),
      );
    }
    missing.sort((a, b) => a.municipalityId - b.municipalityId);
    return { at: this.#now(), municipalities: count, missing };
  }
}

/** `promise`, or a rejection once the chain has taken longer than CHAIN_TIMEOUT_MS to answer. */
function within<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the chain node did not answer within ${CHAIN_TIMEOUT_MS / 1000} s`)), CHAIN_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0];
}
