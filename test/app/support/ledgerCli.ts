import { spawn } from "node:child_process";
import { resolve } from "node:path";

/** The `ledger` command as a user starts it (package.json "bin"). */
export const LEDGER = resolve("app/cli/ledger.mjs");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ledger <args>` in a child process with a clean environment, as in a user's shell: nothing of the
 * test runner's leaks into it but PATH, HOME and `env`.
 */
export function runLedger(args: string[], options: { cwd?: string; env?: Record<string, string>; node?: string } = {}): Promise<CliRun> {
  return runNodeCommand([LEDGER, ...args], options);
}

/** Runs `node <args>` (a script and its arguments) as {@link runLedger} runs `ledger`. */
export function runNodeCommand(args: string[], options: { cwd?: string; env?: Record<string, string>; node?: string } = {}): Promise<CliRun> {
  const child = spawn(options.node ?? process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? options.cwd ?? "/tmp", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((done) => child.once("close", (code) => done({ code, stdout, stderr })));
}
