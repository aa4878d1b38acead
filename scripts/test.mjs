// `npm test`: everything a change must pass, in the order that fails fastest.
// Runs under Node >= 22 with dependencies installed (scripts/launch.mjs sees to both).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const steps = [
  // Compiling also generates the typechain types that the type check reads.
  ["compile contracts", "hardhat", ["build"]],
  ["type check", "tsc", ["--noEmit", "-p", "tsconfig.json"]],
  ["type check the web app", "tsc", ["--noEmit", "-p", "app/web/tsconfig.json"]],
  ["type check the browser tests", "tsc", ["--noEmit", "-p", "test/web/tsconfig.json"]],
  // The browser tests (test/web) load the built pages.
  ["build the web app", "node", ["scripts/build-web.mjs"]],
  ["contracts: tests with coverage ≥ 95 % per file", "node", ["scripts/coverage.mjs", "--min", "95"]],
  ["contracts: gas targets", "hardhat", ["run", "scripts/gas-report.ts"]],
];

for (const [title, command, args] of steps) {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, GAS_REPORT_CHECK_ONLY: "1" } });
  if (result.status !== 0) {
    console.error(`\nnpm test: "${title}" failed`);
    process.exit(result.status ?? 1);
  }
}
// The plain closing line CI reads, restating the test runner's count.
const { passed, failed } = JSON.parse(readFileSync("coverage/test-summary.json", "utf8"));
console.log(`\nnpm test: all steps passed\ntests: ${passed} passed, ${failed} failed`);
