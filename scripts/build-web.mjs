// Builds the web app (app/web, Vite) into app/web/dist when its sources are newer than the build, so
// `npm start` and `npm test` serve the current pages without a separate step; a no-op otherwise.
// Usage: node scripts/build-web.mjs [--force]
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
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
if (!force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...SOURCES.map(newestMtime))) {
  process.exit(0);
}
console.log("Building the web app (app/web → app/web/dist) …");
const vite = join(root, "node_modules", "vite", "bin", "vite.js");
const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: web, stdio: "inherit" });
if (result.status !== 0) {
  console.error("build-web: the web app did not build");
  process.exit(result.status ?? 1);
}
