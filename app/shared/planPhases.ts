/**
 * A town's plan (townPlan.ts) cut into phases that may each be sent at once, without waiting for one
 * call's receipt before the next: the calls of a phase write disjoint storage, so each one's gas and
 * outcome are the same whether the others of its phase are mined before it or not, and a node that
 * estimates gas on its latest block (geth, Besu; anvil also sees its pool) estimates each one right.
 * A call that writes what an earlier call of the phase writes — a second grant or a revocation of the
 * same role edits the same member list, whose cost depends on its length and order — starts the next
 * phase. Phases keep the plan's order: a revocation still follows the grant of the role to a rotated
 * key's successor, and a phase is sent only once every call before it went through.
 *
 * The profile's publication, and any call this file does not know, is a phase of its own after all the
 * others: the admin publishes the profile only once the chain holds everything it describes.
 */
export interface PhasedCall {
  to: string;
  method: string;
  args: unknown[];
}

/** Consecutive runs of `calls`, in order, each safe to send at once; see above. */
export function planPhases<Call extends PhasedCall>(calls: readonly Call[]): Call[][] {
  const phases: Call[][] = [];
  let written = new Set<string>();
  let closed = true;
  for (const call of calls) {
    const slot = storageWritten(call);
    if (!closed && slot !== null && !written.has(slot)) {
      phases.at(-1)!.push(call);
      written.add(slot);
      continue;
    }
    phases.push([call]);
    written = new Set(slot === null ? [] : [slot]);
    // A call of unknown effect closes its phase: nothing joins it.
    closed = slot === null;
  }
  return phases;
}

/**
 * The storage a plan's call writes that another call of a plan may also write, e.g. the member list of
 * one role in one town; null for a call that must have a phase of its own.
 */
function storageWritten(call: PhasedCall): string | null {
  const [municipalityId, key] = call.args;
  const town = `${call.to.toLowerCase()}/${String(municipalityId)}`;
  switch (call.method) {
    case "grantRole":
    case "revokeRole":
      return `${town}/members/${String(key)}`;
    case "setOfficerName":
      return `${town}/name/${String(key).toLowerCase()}`;
    case "definePermitType":
    case "retirePermitType":
      return `${town}/permitType/${String(key)}`;
    case "setCategory":
      return `${town}/category/${String(key)}`;
    default:
      return null;
  }
}
