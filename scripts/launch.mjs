#!/usr/bin/env node
// Entry point of every npm script: `node scripts/launch.mjs <task> [args…]`.
//
// Plain JavaScript with no dependencies, because it must run on whatever Node the machine has:
// a town hall's server (and our CI) may have Node 20 while Hardhat 3 needs 22. It
//   1. re-runs itself under Node 22 from the npm registry when the running Node is older,
//   2. installs the locked dependencies when node_modules is missing or older than package-lock.json,
//   3. runs the task (see TASKS).
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REQUIRED_MAJOR = 22;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [task, ...args] = process.argv.slice(2);

// Each task is a list of commands run in order from the repository root; the first failure stops it.
// The service imports the contracts' TypeScript bindings (types/, made by the compiler), hence the build
// first: a no-op when nothing changed. Likewise the web app it serves (app/web/dist).
const BUILD = ["hardhat", "build", "--quiet"];
const BUILD_WEB = ["node", "scripts/build-web.mjs"];
const TASKS = {
  test: [["node", "scripts/test.mjs", ...args]],
  start: [BUILD, BUILD_WEB, ["node", "--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/main.ts", ...args]],
  bench: [BUILD, ["node", "--import", "tsx", "scripts/bench/run.ts", ...args]],
  gas: [["hardhat", "run", "scripts/gas-report.ts"]],
  coverage: [["node", "scripts/coverage.mjs", ...args]],
  compile: [["hardhat", "compile"]],
  reindex: [BUILD, ["node", "--disable-warning=ExperimentalWarning", "--import", "tsx", "app/server/reindex.ts", ...args]],
  // The deployment deploys the built artifacts; it never compiles them itself.
  deploy: [BUILD, ["node", "--disable-warning=ExperimentalWarning", "--import", "tsx", "scripts/deploy.ts", ...args]],
};

// Runs a command to its end. SIGINT and SIGTERM sent to this launcher (Ctrl-C, systemd, CI) are passed
// on to the command and the launcher waits for it, so that `npm start` saves its state before the
// terminal comes back.
async function run(command, commandArgs, options = {}) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: "inherit", ...options });
  const forward = (signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  try {
    const [code, signal] = await new Promise((resolve) => {
      child.once("error", (error) => {
        console.error(`launch: could not run ${command}: ${error.message}`);
        resolve([1, null]);
      });
      child.once("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    });
    // A child stopped by a signal (Ctrl-C on `npm start`) is a normal stop, not a failure to report.
    return code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1);
  } finally {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  }
}

if (!TASKS[task]) {
  console.error(`launch: unknown task "${task}"; one of: ${Object.keys(TASKS).join(", ")}`);
  process.exit(2);
}

const major = Number(process.versions.node.split(".")[0]);
if (major < REQUIRED_MAJOR) {
  console.log(
    `Node ${process.versions.node} is older than ${REQUIRED_MAJOR}: re-running under Node ${REQUIRED_MAJOR} from the npm registry (npx -y -p node@${REQUIRED_MAJOR}).`,
  );
  const inner = ["node", "scripts/launch.mjs", task, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  process.exit(await run("npx", ["-y", "-p", `node@${REQUIRED_MAJOR}`, "-c", inner]));
}

// Put node_modules/.bin on PATH, as `npm run` would, for commands started from here. Drop the settings
// the outer `npx -p node@22 -c` leaves in the environment: they make any nested npx refuse to run.
const env = { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${dirname(process.execPath)}:${process.env.PATH}` };
for (const leaked of ["npm_config_call", "npm_config_package", "npm_config_yes"]) delete env[leaked];

const lock = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log("Installing the locked dependencies (npm install) under Node " + process.versions.node + " …");
  // Under Node 22 npm also installs Hardhat's native EDR package, which it skips on Node 20.
  // Not `npm ci`: registries behind a firewall (ours included) may lack the other platforms' native
  // packages (anvil and EDR for macOS/Windows), so the lock file cannot list them, and `npm ci` refuses a
  // lock without them. `npm install` takes the locked versions and skips the missing optional packages.
  const status = await run("npm", ["install", "--no-audit", "--no-fund", "--no-save"], { env });
  if (status !== 0) process.exit(status);
}

// LEDGER_SKIP_BUILD=1 leaves out the builds: for callers that built already and run several tasks at
// once (npm test builds once, then its tests run `npm run deploy` in parallel; a build rewrites cache/,
// types/ and artifacts/ even when nothing changed, under the feet of the others).
const steps = env.LEDGER_SKIP_BUILD === "1" ? TASKS[task].filter((step) => step !== BUILD && step !== BUILD_WEB) : TASKS[task];
for (const [command, ...commandArgs] of steps) {
  const status = await run(command, commandArgs, { env });
  if (status !== 0) process.exit(status);
}
