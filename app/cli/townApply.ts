// Applying a town's profile with the admin's own key: the plan (app/shared/townPlan.ts) sent phase by
// phase (app/shared/planPhases.ts), then the profile's bytes handed to the API. Shared by
// `ledger town apply` and `ledger town key`.
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { planPhases } from "../shared/planPhases.js";
import { planTown, type TownPlan } from "../shared/townPlan.js";
import { parseTownProfile, type TownProfile } from "../shared/townProfile.js";
import { CliError } from "./bundleSource.js";
import { ChainRefusal, receiptOf, submitSigned, type LedgerChain } from "./directoryCall.js";
import { ApiAnswerError, getJson, putBytes } from "./ledgerApi.js";
import { signerKey } from "./signerKey.js";
import type { Output } from "./verify.js";

/** GET /api/municipalities/:id: the town as the API knows it from the chain and IPFS. */
export interface PublishedTown {
  id: number;
  code: string;
  name: { th: string; en: string };
  suspended: boolean;
  admin: string;
  profile: unknown;
  profileSha256: string | null;
  profileCid: string | null;
}

/** How long the API's index may take to see what the chain holds (a few blocks; longer is reported). */
const API_CATCH_UP_MS = 60_000;
const ZERO_DIGEST = `0x${"0".repeat(64)}`;

/**
 * The town as the API knows it, once the API has seen the profile the chain names last: its index
 * follows the chain some blocks behind, and a key made on a profile one publication old would undo that
 * publication.
 */
export async function publishedTown(ledger: LedgerChain, municipalityId: number): Promise<PublishedTown> {
  const [digest] = await Directory__factory.connect(ledger.contracts.directory, ledger.provider).profileOf(municipalityId);
  const onChain = digest === ZERO_DIGEST ? null : digest.toLowerCase();
  const deadline = Date.now() + API_CATCH_UP_MS;
  for (;;) {
    let town: PublishedTown | null = null;
    try {
      town = (await getJson(`${ledger.apiUrl}/api/municipalities/${municipalityId}`)) as PublishedTown;
    } catch (error) {
      // A town added a block ago is not in the API's index yet.
      if (!(error instanceof ApiAnswerError && error.code === "MUNICIPALITY_UNKNOWN")) throw error;
    }
    if (town && (town.profileSha256?.toLowerCase() ?? null) === onChain) return town;
    if (Date.now() > deadline) {
      throw new CliError(`the API has not caught up with the chain in ${API_CATCH_UP_MS / 1000} s: the chain names the profile ${onChain ?? "none"}, the API ${town ? (town.profileSha256 ?? "none") : "no such town"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The profile the town published last, as the API holds it; a CliError when there is none. */
export async function publishedProfile(ledger: LedgerChain, municipalityId: number): Promise<TownProfile> {
  const town = await publishedTown(ledger, municipalityId);
  if (town.profile === null || town.profile === undefined) {
    throw new CliError(
      town.profileSha256
        ? `${town.code} published the profile ${town.profileSha256}, but the API does not hold its bytes: re-run "ledger town apply" with the town's file`
        : `${town.code} has published no profile yet: its admin applies the town's file first (ledger town apply FILE)`,
    );
  }
  return parseTownProfile(town.profile);
}

export interface ApplyOptions {
  /** Plan and print, send nothing. */
  dryRun: boolean;
  keystore?: string;
  /** What the profile came from, for the summary: a file name, or "the profile with the new key". */
  source: string;
}

/**
 * Makes the chain match `profile` with its admin's key and has the API keep the profile's bytes.
 * Answers the exit code: 0 applied (or nothing to change), 1 the plan has problems, the key is not the
 * admin's or the chain refused a call, 2 an error. A plan stopped half way is safe to re-run: the next
 * plan starts from what the chain holds then.
 */
export async function applyTownProfile(ledger: LedgerChain, profile: TownProfile, options: ApplyOptions, env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  const plan = await planTown(ledger.provider, ledger.contracts, ledger.chainId, profile);
  printPlan(plan, output);
  if (plan.problems.length > 0) {
    for (const problem of plan.problems) output.err(`✗ ${problem}`);
    output.err(`cannot apply ${options.source}: nothing was sent`);
    return 1;
  }
  if (options.dryRun) {
    output.out(`dry run: nothing sent${plan.calls.length ? `; ${plan.admin} would sign ${plan.calls.length} transaction${plan.calls.length === 1 ? "" : "s"}` : ""}`);
    return 0;
  }
  if (plan.calls.length > 0) {
    const sent = await sendPlan(ledger, plan, options, env, output);
    if (sent !== 0) return sent;
  }
  let stored: { cid?: string };
  try {
    stored = (await putBytes(`${ledger.apiUrl}/api/municipalities/${plan.municipalityId}/profile`, plan.profile.bytes, "application/json")) as { cid?: string };
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nthe chain holds the profile ${plan.profile.cid}, the API does not have its bytes yet: re-run to hand them over`);
  }
  output.out(`the API keeps the profile ${stored.cid ?? plan.profile.cid} (sha256 ${plan.profile.sha256})`);
  output.out(
    plan.calls.length
      ? `applied ${options.source}: ${plan.calls.length} transaction${plan.calls.length === 1 ? "" : "s"}; the chain matches it`
      : `applied ${options.source}: the chain already matched it`,
  );
  return 0;
}

function printPlan(plan: TownPlan, output: Output): void {
  if (plan.municipalityId === 0) return;
  output.out(`${plan.code} (municipality ${plan.municipalityId}), admin ${plan.admin}${plan.suspended ? ", SUSPENDED" : ""}`);
  if (plan.calls.length === 0) {
    output.out("nothing to change: the chain matches the file and its profile is published");
    return;
  }
  output.out(`${plan.calls.length} change${plan.calls.length === 1 ? "" : "s"}:`);
  plan.calls.forEach((call, i) => output.out(`  ${String(i + 1).padStart(3)}. ${call.why}`));
}

/**
 * Sends the plan's calls in order, phase by phase (planPhases.ts): every call of a phase at once, with
 * nonces counted here from the node's pending count once, then all their receipts; the next phase only
 * once the whole phase went through. A 2-second chain applies a town in a few blocks, not one per call.
 */
async function sendPlan(ledger: LedgerChain, plan: TownPlan, options: ApplyOptions, env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  const signer = (await signerKey(options.keystore, env)).connect(ledger.provider);
  if (signer.address !== plan.admin) {
    output.err(`✗ the key ${signer.address} is not the admin of ${plan.code} (${plan.admin}): sign with the municipality admin's key; nothing was sent`);
    return 1;
  }
  let nonce = await ledger.provider.getTransactionCount(signer.address, "pending");
  let first = 0;
  for (const phase of planPhases(plan.calls)) {
    const hashes: string[] = [];
    let unsent: unknown = null;
    for (const call of phase) {
      try {
        hashes.push(await submitSigned(signer, call, nonce));
        nonce++;
      } catch (error) {
        // The node refused it before sending (or went away): the rest of the phase is not sent either.
        unsent = error;
        break;
      }
    }
    const outcomes = await Promise.allSettled(hashes.map((hash) => receiptOf(signer, hash)));
    const failures = outcomes.flatMap((outcome, k) => (outcome.status === "rejected" ? [{ k, error: outcome.reason as unknown }] : []));
    if (unsent !== null) failures.push({ k: hashes.length, error: unsent });
    outcomes.forEach((outcome, k) => {
      if (outcome.status === "fulfilled") output.out(`  ✓ ${first + k + 1}/${plan.calls.length} ${phase[k].why} (transaction ${outcome.value.hash})`);
    });
    if (failures.length > 0) {
      for (const { k, error } of failures) {
        const reason = error instanceof ChainRefusal ? `the chain refused it: ${error.message}` : (error as Error).message.split("\n")[0];
        output.err(`  ✗ ${first + k + 1}/${plan.calls.length} ${phase[k].why}: ${reason}`);
      }
      // Every phase before this one went through whole.
      const through = first + outcomes.filter((outcome) => outcome.status === "fulfilled").length;
      const stopped = `${through} of ${plan.calls.length} went through; fix the cause and re-run: the next plan starts from what the chain holds`;
      if (failures.every(({ error }) => error instanceof ChainRefusal)) {
        output.err(stopped);
        return 1;
      }
      throw new CliError(stopped);
    }
    first += phase.length;
  }
  return 0;
}
