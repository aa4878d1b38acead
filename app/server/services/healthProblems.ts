import { formatEther } from "ethers";
import type { BatchTrouble, WaitingRecord } from "../anchoring/backlog.js";
import type { AnchorWorkerStatus } from "../anchoring/worker.js";
import { inGwei } from "../chain/feeMarket.js";
import type { FeeCeilingStatus } from "../chain/inFlight.js";
import type { RelayerBudgetStatus } from "../http/relayerBudget.js";
import type { WaitingFilings } from "./complaints/filingBacklog.js";
import type { MonitoringConfig } from "./monitoringConfig.js";

/**
 * The problems /api/health reports, each with a stable code that monitoring and the officers' console
 * match on (docs/monitoring.md), a severity, and a message in English for the operator. A problem of
 * severity "error" makes the service unhealthy (`ok: false`, a 503): something accepted cannot reach
 * the chain. A "warning" asks for action before it becomes one.
 */
export const PROBLEM_CODES = [
  "CHAIN_UNREACHABLE",
  "RELAYER_OUT_OF_FUNDS",
  "RELAYER_LOW_FUNDS",
  "RELAYER_ROLE_MISSING",
  "RELAYER_FEE_CEILING",
  "ANCHORING_STALLED",
  "COMPLAINT_FILING_STALLED",
  "RELAYER_BUDGET_EXHAUSTED",
  "IPFS_UNAVAILABLE",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem {
  code: ProblemCode;
  severity: "error" | "warning";
  message: string;
  /** When it began, where that is known (ISO 8601). */
  since?: string;
  municipalityId?: number;
  municipalityCode?: string;
  balanceWei?: string;
  daysLeft?: number;
  /** The underlying error, as the engine said it. */
  detail?: string;
}

/** What the problems are judged from: one reading of each engine, taken by services/health.ts. */
export interface HealthFacts {
  now: number;
  monitoring: MonitoringConfig;
  relayer: string;
  chain: { reachable: boolean; unreachableSince: number | null; error: string | null };
  ipfs: { ok: boolean; detail: string };
  /** Null while the balance is not known (the chain does not answer). */
  funds: { balance: bigint; oneTransactionWei: bigint | null; daysLeft: number | null } | null;
  missingRoles: { municipalityId: number; code: string }[];
  waiting: { oldest: WaitingRecord | null; municipalities: number[]; troubles: BatchTrouble[] };
  worker: AnchorWorkerStatus;
  /** Set while RELAYER_MAX_FEE_GWEI holds the relayer's transactions back (chain/inFlight.ts). */
  feeCeiling: FeeCeilingStatus | null;
  queueDepth: number;
  /** Residents' complaint filings accepted and not mined (complaints/filingBacklog.ts). */
  filings: WaitingFilings;
  /** What anonymous requests have made the relayer pay this hour (http/relayerBudget.ts); null: no cap. */
  anonymousBudget: RelayerBudgetStatus | null;
}

/** Fewer transactions than this left at today's fees is low, whatever the recent pace. */
const LOW_FUNDS_TRANSACTIONS = 100n;
/** The worker's rounds failing for this long, with records waiting, is a stall. */
const WORKER_FAILING_MS = 30_000;

const iso = (ms: number) => new Date(ms).toISOString();
const coin = (wei: bigint) => `${formatEther(wei)} of the chain's coin`;

export function problemsOf(facts: HealthFacts): Problem[] {
  return [...chainProblems(facts), ...fundsProblems(facts), ...roleProblems(facts), ...feeCeilingProblems(facts), ...anchoringProblems(facts), ...filingProblems(facts), ...budgetProblems(facts)];
}

function chainProblems({ chain, ipfs }: HealthFacts): Problem[] {
  const problems: Problem[] = [];
  if (!chain.reachable) {
    problems.push({
      code: "CHAIN_UNREACHABLE",
      severity: "error",
      message: "The chain node is unreachable: nothing can be recorded or anchored until it answers again.",
      ...(chain.unreachableSince !== null ? { since: iso(chain.unreachableSince) } : {}),
      ...(chain.error ? { detail: chain.error } : {}),
    });
  }
  if (!ipfs.ok) {
    problems.push({
      code: "IPFS_UNAVAILABLE",
      severity: "error",
      message: "IPFS is not available: documents can be neither stored nor read.",
      detail: ipfs.detail,
    });
  }
  return problems;
}

function fundsProblems({ funds, relayer, waiting, monitoring }: HealthFacts): Problem[] {
  if (!funds) return [];
  const { balance, oneTransactionWei, daysLeft } = funds;
  const refusedForFunds = waiting.troubles.find((trouble) => /insufficient funds/i.test(trouble.lastError));
  const balanceWei = balance.toString();
  if ((oneTransactionWei !== null && balance < oneTransactionWei) || refusedForFunds) {
    return [
      {
        code: "RELAYER_OUT_OF_FUNDS",
        severity: "error",
        message:
          `The relayer ${relayer} is out of funds: its balance of ${coin(balance)} ` +
          (oneTransactionWei !== null ? `cannot pay for one more transaction at today's fees (about ${coin(oneTransactionWei)}); ` : "does not pay for its transactions; ") +
          "relayed requests fail and nothing is anchored until it is topped up.",
        balanceWei,
        ...(refusedForFunds ? { detail: refusedForFunds.lastError } : {}),
      },
    ];
  }
  const fewTransactions = oneTransactionWei !== null && oneTransactionWei > 0n && balance < oneTransactionWei * LOW_FUNDS_TRANSACTIONS;
  const fewDays = daysLeft !== null && daysLeft < monitoring.lowFundsDays;
  if (!fewTransactions && !fewDays) return [];
  return [
    {
      code: "RELAYER_LOW_FUNDS",
      severity: "warning",
      message:
        `The relayer ${relayer} is low on funds: its balance of ${coin(balance)} ` +
        (fewDays
          ? `lasts about ${daysLeft} days at the pace of the last day (the alert is below ${monitoring.lowFundsDays}).`
          : `pays for fewer than ${LOW_FUNDS_TRANSACTIONS} transactions at today's fees.`) +
        " Top it up.",
      balanceWei,
      ...(daysLeft !== null ? { daysLeft } : {}),
    },
  ];
}

function roleProblems({ missingRoles, relayer, waiting }: HealthFacts): Problem[] {
  return missingRoles.map(({ municipalityId, code }) => {
    const blocked = waiting.municipalities.includes(municipalityId);
    return {
      code: "RELAYER_ROLE_MISSING",
      // Records of it waiting now cannot be anchored: an error. Otherwise nothing is lost yet.
      severity: blocked ? "error" : "warning",
      message:
        `The relayer ${relayer} does not hold ANCHOR_SERVICE in municipality ${municipalityId} (${code}): ` +
        `its records cannot be anchored until the municipality's admin grants the role.` +
        (blocked ? " Records of it are waiting now." : ""),
      municipalityId,
      municipalityCode: code,
    };
  });
}

/**
 * The chain asks more per gas than the relayer may offer: a transaction stalls at the ceiling, and every
 * later one of the relayer waits behind its nonce; or the base fee is above the ceiling and nothing is
 * sent. An error: nothing of the relayer's reaches the chain until fees fall or the ceiling is raised.
 */
function feeCeilingProblems({ feeCeiling, relayer }: HealthFacts): Problem[] {
  if (!feeCeiling) return [];
  const gwei = (wei: bigint) => `${inGwei(wei)} gwei`;
  const asks = feeCeiling.baseFeePerGas !== null ? `the chain's base fee is ${gwei(feeCeiling.baseFeePerGas)}` : "the chain asks more";
  const stalled =
    feeCeiling.nonces.length > 0
      ? `its transaction at nonce ${feeCeiling.nonces[0]}${feeCeiling.nonces.length > 1 ? ` (and ${feeCeiling.nonces.length - 1} more)` : ""} is not mined and is raised no further, and every later one waits behind it`
      : "nothing is sent: relayed requests answer 503 RELAYER_FEE_CEILING and anchoring waits";
  return [
    {
      code: "RELAYER_FEE_CEILING",
      severity: "error",
      message:
        `The relayer ${relayer} offers at most ${gwei(feeCeiling.ceilingWei)} per gas (RELAYER_MAX_FEE_GWEI) and ${asks}: ${stalled}. ` +
        "It goes on by itself when fees fall; raise RELAYER_MAX_FEE_GWEI to pay more.",
      since: iso(feeCeiling.since),
      ...(feeCeiling.baseFeePerGas !== null ? { detail: `base fee ${feeCeiling.baseFeePerGas} wei, ceiling ${feeCeiling.ceilingWei} wei` } : {}),
    },
  ];
}

function anchoringProblems({ now, waiting, worker, queueDepth, monitoring }: HealthFacts): Problem[] {
  const { oldest } = waiting;
  if (oldest && now - oldest.acceptedAt >= monitoring.stallAfterMs) {
    const minutes = Math.floor((now - oldest.acceptedAt) / 60_000);
    const why = oldest.lastError ?? worker.lastError;
    return [
      {
        code: "ANCHORING_STALLED",
        severity: "error",
        message:
          `Anchoring has stalled: a record of municipality ${oldest.municipalityId} accepted ${minutes} min ago is not anchored yet ` +
          `(the alert is after ${Math.round(monitoring.stallAfterMs / 1000)} s)` +
          (why ? `; the last attempt said: ${why}` : "."),
        since: iso(oldest.acceptedAt),
        municipalityId: oldest.municipalityId,
        ...(why ? { detail: why } : {}),
      },
    ];
  }
  if (worker.failingSince !== null && now - worker.failingSince >= WORKER_FAILING_MS && queueDepth > 0) {
    return [
      {
        code: "ANCHORING_STALLED",
        severity: "error",
        message: `Anchoring has stalled: every round of the anchoring worker has failed for ${Math.floor((now - worker.failingSince) / 1000)} s while records wait; the last error: ${worker.lastError}`,
        since: iso(worker.failingSince),
        ...(worker.lastError ? { detail: worker.lastError } : {}),
      },
    ];
  }
  return [];
}

/**
 * The complaint filings' queue stalls apart from the anchoring queue (its own transactions, one per
 * complaint), and what waits there is residents' complaints: a code of its own, so that an alert says
 * which queue and ANCHORING_STALLED keeps meaning documents; the same stall threshold.
 */
function filingProblems({ now, filings, monitoring }: HealthFacts): Problem[] {
  const { oldest, count } = filings;
  if (!oldest || now - oldest.acceptedAt < monitoring.stallAfterMs) return [];
  const minutes = Math.floor((now - oldest.acceptedAt) / 60_000);
  return [
    {
      code: "COMPLAINT_FILING_STALLED",
      severity: "error",
      message:
        `Complaint filing has stalled: ${count === 1 ? "a complaint" : `${count} complaints`} accepted from residents ` +
        `${count === 1 ? "is" : "are"} not on the chain; the oldest, of municipality ${oldest.municipalityId}, was accepted ${minutes} min ago ` +
        `(the alert is after ${Math.round(monitoring.stallAfterMs / 1000)} s)` +
        (oldest.lastError ? `; the last attempt to send it said: ${oldest.lastError}` : "."),
      since: iso(oldest.acceptedAt),
      municipalityId: oldest.municipalityId,
      ...(oldest.lastError ? { detail: oldest.lastError } : {}),
    },
  ];
}

/**
 * Anonymous requests refused because they have spent the hour's relayer budget: a warning, since
 * officers' acts and reads go on, but residents cannot file or apply until a place frees — real demand
 * (raise ANONYMOUS_TRANSACTIONS_PER_HOUR) or abuse (look at who sends them).
 */
function budgetProblems({ anonymousBudget: budget }: HealthFacts): Problem[] {
  if (!budget || budget.exhaustedSince === null) return [];
  return [
    {
      code: "RELAYER_BUDGET_EXHAUSTED",
      severity: "warning",
      message:
        `Anonymous requests have made the relayer send ${budget.spentLastHour} transactions in the last hour ` +
        `(ANONYMOUS_TRANSACTIONS_PER_HOUR is ${budget.perHour}): permit applications, complaints and residents' confirmations ` +
        `are refused with 503 RELAYER_BUDGET_EXHAUSTED (${budget.refusedSince} so far)` +
        (budget.freeAt !== null ? ` until about ${iso(budget.freeAt)}.` : ".") +
        " Raise the budget if this is real demand; otherwise look at who sends them.",
      since: iso(budget.exhaustedSince),
    },
  ];
}
