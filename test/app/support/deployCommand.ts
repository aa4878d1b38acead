import { runNodeCommand, type CliRun } from "./ledgerCli.js";

/**
 * `npm run deploy -- <args>` as an operator runs it: the launcher (scripts/launch.mjs) in a child process
 * from the repository, with a clean environment — nothing of the test runner's leaks into it but PATH,
 * HOME and `env` (keys and passwords go there, as an operator would export them). Without the launcher's
 * build: npm test built the contracts once, and a build would rewrite them under the tests running beside.
 */
export function runDeploy(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runNodeCommand(["scripts/launch.mjs", "deploy", ...args], { env: { LEDGER_SKIP_BUILD: "1", ...env } });
}
