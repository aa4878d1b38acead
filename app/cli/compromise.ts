// `ledger compromise`: a municipality's admin marks an officer's key compromised from a time on.
import { parseArgs } from "node:util";
import { getAddress, isAddress } from "ethers";
import { DIRECTORY_CALL_HELP, DIRECTORY_CALL_OPTIONS, ChainRefusal, sendDirectoryCall } from "./directoryCall.js";
import type { Output } from "./verify.js";

export const COMPROMISE_HELP = `Usage: ledger compromise --municipality N --account ADDRESS --since TIME --keystore FILE [--rpc URL] [--api URL]

Marks an officer's key compromised in a municipality from TIME on (e.g. a lost laptop): from then on no
verifier accepts what that key signed after TIME. Sent as the admin's own transaction to the Directory;
revoke the key's roles too (and grant them to the officer's new key).

Options:
  --municipality N  the municipality's id
  --account ADDRESS the officer's key
  --since TIME      ISO 8601 time (e.g. 2026-12-01T08:00:00+07:00) or seconds since 1970; not in the future
${DIRECTORY_CALL_HELP}

Exit codes: 0 marked, 1 the chain refused it, 2 error.`;

export const NAME_OFFICER_HELP = `Usage: ledger name-officer --municipality N --account ADDRESS --name TEXT --keystore FILE [--rpc URL] [--api URL]

Publishes the name of the officer who holds ADDRESS in the municipality, as its admin vouches for it
(Directory.setOfficerName): every verifier shows it beside the officer's signatures. An official's name
in their official capacity; an empty --name withdraws it. At most 200 bytes.

Options:
  --municipality N  the municipality's id
  --account ADDRESS the officer's key
  --name TEXT       e.g. "นางสาวสมศรี ใจดี (Ms Somsri Jaidee)"
${DIRECTORY_CALL_HELP}

Exit codes: 0 published, 1 the chain refused it, 2 error.`;

/** Runs `ledger compromise <args>`; returns the exit code. */
export function runCompromise(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runDirectoryCommand("compromise", COMPROMISE_HELP, { since: { type: "string" } }, args, output, env, (values) => {
    const since = /^\d+$/.test(values.since ?? "") ? Number(values.since) : Math.floor(Date.parse(values.since ?? "") / 1000);
    if (!(Number.isInteger(since) && since > 0)) return "--since must be an ISO 8601 time or seconds since 1970";
    return {
      signature: "markKeyCompromised(uint32 municipalityId, address account, uint64 since)",
      args: [since],
      done: (account, municipalityId) => `marked   ${account} compromised in municipality ${municipalityId} from ${new Date(since * 1000).toISOString()}`,
    };
  });
}

/** Runs `ledger name-officer <args>`; returns the exit code. */
export function runNameOfficer(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runDirectoryCommand("name-officer", NAME_OFFICER_HELP, { name: { type: "string" } }, args, output, env, (values) => {
    const name = values.name ?? "";
    if (values.name === undefined || new TextEncoder().encode(name).length > 200) return "--name must be given, at most 200 bytes";
    return {
      signature: "setOfficerName(uint32 municipalityId, address account, string name)",
      args: [name],
      done: (account, municipalityId) => (name ? `named    ${account} "${name}" in municipality ${municipalityId}` : `withdrew the name of ${account} in municipality ${municipalityId}`),
    };
  });
}

type Plan = { signature: string; args: unknown[]; done: (account: string, municipalityId: number) => string };

/** The shared shape of the admin's Directory commands: --municipality and --account, then the command's own values. */
async function runDirectoryCommand(
  command: string,
  help: string,
  own: Record<string, { type: "string" }>,
  args: string[],
  output: Output,
  env: NodeJS.ProcessEnv,
  plan: (values: Record<string, string | undefined>) => Plan | string,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...DIRECTORY_CALL_OPTIONS, municipality: { type: "string" }, account: { type: "string" }, ...own } });
  } catch (error) {
    output.err(`ledger ${command}: ${(error as Error).message}\nRun "ledger ${command} --help" for usage.`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    output.out(help);
    return 0;
  }
  const municipalityId = Number(values.municipality);
  const account = String(values.account ?? "");
  const planned = !(Number.isInteger(municipalityId) && municipalityId >= 1)
    ? "--municipality must be a municipality id"
    : !isAddress(account)
      ? "--account must be an address"
      : plan(values as Record<string, string | undefined>);
  if (typeof planned === "string") {
    output.err(`ledger ${command}: ${planned}\nRun "ledger ${command} --help" for usage.`);
    return 2;
  }
  try {
    const txHash = await sendDirectoryCall(values as { keystore?: string; rpc?: string; api?: string }, env, planned.signature, [
      municipalityId,
      getAddress(account),
      ...planned.args,
    ]);
    output.out(`${planned.done(getAddress(account), municipalityId)} (transaction ${txHash})`);
    return 0;
  } catch (error) {
    output.err(`ledger ${command}: ${(error as Error).message.split("\n")[0]}`);
    return error instanceof ChainRefusal ? 1 : 2;
  }
}
