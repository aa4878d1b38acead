import type { DatabaseSync } from "node:sqlite";
import { permitTypeCodeOf, permitTypeLabel } from "../permits/catalog.js";
import { Towns } from "../towns.js";
import { STATUTE_DAYS } from "../permits/trail.js";
import { DAY_SECONDS, bangkokMonth, durationSummary, shareOf, toDays } from "./statistics.js";

/**
 * Permit figures from the index (idx_permits, idx_events): how long decisions took against the Building
 * Control Act's 45 days — from the application's completion to the approval or rejection, as the
 * permit page's legal clock counts — and which permits still have a clock running. Permit numbers and
 * roles are public; nothing here names a person.
 */
/** A running clock within this many days of the statute's end is "near the limit" on the mayor's dashboard. */
export const NEAR_LIMIT_DAYS = 10;

interface PermitRow {
  number: string;
  type_id: string;
  state: string;
  current_role: string | null;
  completed_at: number | null;
  decided_at: number | null;
}

const STATUTE_SECONDS = STATUTE_DAYS * DAY_SECONDS;

/** A permit type as the town's profile names it. */
function typeOf(towns: Towns, municipalityId: number, typeId: string) {
  const { code, th, en } = permitTypeLabel(towns, municipalityId, permitTypeCodeOf(towns, municipalityId, typeId));
  return { code, th, en };
}

/** The role a running clock waits for, as the town names it (its label for a role of its own). */
function awaitingRoleOf(towns: Towns, municipalityId: number, role: string | null) {
  if (!role) return { awaitingRole: null, awaitingRoleLabel: null };
  const named = towns.role(municipalityId, role);
  return { awaitingRole: named.role, awaitingRoleLabel: named.roleLabel };
}

/** Count, median, p90 and the share within the statute of a set of decision times (s). */
function decisionSummary(seconds: number[]) {
  const within = seconds.filter((s) => s <= STATUTE_SECONDS).length;
  return { ...durationSummary(seconds), withinStatute: within, withinStatuteShare: shareOf(within, seconds.length) };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function permitFigures(db: DatabaseSync, municipalityId: number, now: number) {
  const towns = Towns.of(db);
  const rows = db
    .prepare("SELECT number, type_id, state, current_role, completed_at, decided_at FROM idx_permits WHERE municipality_id = ? ORDER BY number")
    .all(municipalityId) as unknown as PermitRow[];
  const decided = rows
    .filter((row) => row.completed_at !== null && row.decided_at !== null)
    .map((row) => ({ ...row, seconds: Math.max(0, row.decided_at! - row.completed_at!) }));
  const running = rows.filter((row) => row.state === "UnderReview" && row.completed_at !== null);
  const elapsedOf = (row: PermitRow) => Math.max(0, now - row.completed_at!);

  return {
    statuteDays: STATUTE_DAYS,
    decided: {
      ...decisionSummary(decided.map((d) => d.seconds)),
      approved: decided.filter((d) => d.state !== "Rejected").length,
      rejected: decided.filter((d) => d.state === "Rejected").length,
    },
    byType: [...groupBy(decided, (d) => d.type_id)].map(([typeId, group]) => ({ type: typeOf(towns, municipalityId, typeId), ...decisionSummary(group.map((d) => d.seconds)) })),
    byMonth: [...groupBy(decided, (d) => bangkokMonth(d.decided_at!))]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, group]) => ({ month, ...decisionSummary(group.map((d) => d.seconds)) })),
    byState: Object.fromEntries([...groupBy(rows, (row) => row.state)].map(([state, group]) => [state, group.length])),
    open: {
      /** Applied, not complete yet: the clock has not started. */
      awaitingCompletion: rows.filter((row) => row.state === "Applied").length,
      underReview: running.length,
      beyondStatute: running.filter((row) => elapsedOf(row) > STATUTE_SECONDS).length,
      nearLimit: running.filter((row) => elapsedOf(row) <= STATUTE_SECONDS && STATUTE_SECONDS - elapsedOf(row) <= NEAR_LIMIT_DAYS * DAY_SECONDS).length,
      /** Approved, the certificate not issued yet (the legal clock has stopped). */
      awaitingCertificate: rows.filter((row) => row.state === "Approved").length,
    },
    /** Every running clock, the least time left first (the mayor's list). */
    clocks: running
      .map((row) => ({
        number: row.number,
        type: typeOf(towns, municipalityId, row.type_id),
        ...awaitingRoleOf(towns, municipalityId, row.current_role),
        completedAt: new Date(row.completed_at! * 1000).toISOString(),
        deadline: new Date((row.completed_at! + STATUTE_SECONDS) * 1000).toISOString(),
        daysElapsed: toDays(elapsedOf(row)),
        daysLeft: toDays(STATUTE_SECONDS - elapsedOf(row)),
        nearLimit: STATUTE_SECONDS - elapsedOf(row) <= NEAR_LIMIT_DAYS * DAY_SECONDS,
      }))
      .sort((a, b) => a.daysLeft - b.daysLeft || a.number.localeCompare(b.number)),
  };
}

/**
 * How long each approval step took, by role: from the application's completion (first step) or the
 * step before, to the step's decision — where a permit waits, and for whom.
 */
export function stepTimes(db: DatabaseSync, municipalityId: number) {
  const events = db
    .prepare(
      `SELECT subject, event, args, timestamp FROM idx_events
       WHERE municipality_id = ? AND contract = 'permitRegistry' AND event IN ('PermitCompleted', 'PermitStepDecided')
       ORDER BY block_number, log_index`,
    )
    .all(municipalityId) as Array<{ subject: string; event: string; args: string; timestamp: number }>;
  const previous = new Map<string, number>();
  const byRole = new Map<string, number[]>();
  for (const event of events) {
    const since = previous.get(event.subject);
    previous.set(event.subject, event.timestamp);
    if (event.event !== "PermitStepDecided" || since === undefined) continue;
    const role = String(JSON.parse(event.args).role).toLowerCase();
    byRole.set(role, [...(byRole.get(role) ?? []), event.timestamp - since]);
  }
  const towns = Towns.of(db);
  return [...byRole].map(([role, seconds]) => {
    const { role: name, roleLabel } = towns.role(municipalityId, role);
    return { role: name, roleLabel, ...durationSummary(seconds) };
  });
}
