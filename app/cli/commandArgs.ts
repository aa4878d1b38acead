// The arguments of a `ledger` command with subcommands: parsed, or the exit code when there is nothing
// more to do (--help printed: 0; arguments that do not parse: 2, with the command's name and usage hint).
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import type { Output } from "./verify.js";

export function readCommandArgs<T extends ParseArgsOptionsConfig & { help: { type: "boolean"; short: "h" } }>(
  command: string,
  help: string,
  options: T,
  args: string[],
  output: Output,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    return usageError(command, (error as Error).message, output);
  }
  if ((parsed.values as { help?: boolean }).help) {
    output.out(help);
    return 0;
  }
  return parsed;
}

/** Prints `message` and where the usage is; answers exit code 2. */
export function usageError(command: string, message: string, output: Output): 2 {
  output.err(`ledger ${command}: ${message}\nRun "ledger ${command} --help" for usage.`);
  return 2;
}
