// Builds the web app (app/web, Vite) into app/web/dist when its sources are newer than the build, so
// `npm start` and `npm test` serve the current pages without a separate step; a no-op otherwise.
// Usage: node scripts/build-web.mjs [--force]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "app", "web");
const built = join(web, "dist", "index.html");
// The page bundles app/shared (the proof-bundle check) and the installed packages.
const SOURCES = [join(web, "index.html"), join(web, "vite.config.ts"), join(web, "src"), join(root, "app", "shared"), join(root, "node_modules", ".package-lock.json")];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

const force = process.argv.includes("--force");
const upToDate = () => !force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...SOURCES.map(newestMtime));
if (upToDate()) process.exit(0);

// One build at a time: browser tests run in parallel and each asks for the build first, and two Vite
// builds into one dist/ would delete each other's files. Whoever waited finds the build up to date. A
// lock left behind by a killed build is taken over after five minutes.
const lock = join(root, "cache", "build-web.lock");
mkdirSync(dirname(lock), { recursive: true });
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
  }
  const since = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  if (since > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
  else await sleep(200);
}
let status = 0;
if (!upToDate()) {
  console.log("Building the web app (app/web → app/web/dist) …");
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  status = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: web, stdio: "inherit" }).status ?? 1;
}
rmSync(lock, { recursive: true, force: true });
if (status !== 0) {
  console.error("build-web: the web app did not build");
  process.exit(status);
}
