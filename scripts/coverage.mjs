// Runs the contract test suites with Hardhat's coverage and fails when any file of contracts/ (or the
// Total row) is below the floor for lines or statements. Usage: node scripts/coverage.mjs [--min 95]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";

const minIndex = process.argv.indexOf("--min");
const MIN = minIndex > 0 ? Number(process.argv[minIndex + 1]) : 95;

const output = await new Promise((resolve, reject) => {
  const child = spawn("hardhat", ["test", "--coverage"], { stdio: ["ignore", "pipe", "inherit"] });
  let text = "";
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    text += chunk;
  });
  child.on("error", reject);
  child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`hardhat test --coverage exited with ${code}`))));
}).catch((error) => {
  console.error(`coverage: ${error.message}`);
  process.exit(1);
});

// Rows of Hardhat's table: "║ contracts/X.sol │ 100.00 │ 98.50 │ 12, 14 ║" (colours stripped).
const rows = output
  .replace(/\x1b\[[0-9;]*m/g, "")
  .split("\n")
  .map((line) => line.match(/^║\s*(contracts\/\S+\.sol|Total)\s*│\s*([\d.]+)\s*│\s*([\d.]+)\s*│/))
  .filter(Boolean)
  .map(([, file, lines, statements]) => ({ file, lines: Number(lines), statements: Number(statements) }));

// Hardhat's closing summary, e.g. "195 passing (30 solidity, 165 mocha)", restated in the plain form
// CI reads: "tests: N passed, N failed".
const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
const count = (word) => [...plain.matchAll(new RegExp(`^(\\d+) ${word} \\(`, "gm"))].map((m) => Number(m[1])).pop() ?? 0;
const summary = { passed: count("passing"), failed: count("failing") };
console.log(`tests: ${summary.passed} passed, ${summary.failed} failed`);
writeFileSync("coverage/test-summary.json", JSON.stringify(summary));

if (!rows.some((row) => row.file === "Total")) {
  console.error("coverage: no coverage table in Hardhat's output");
  process.exit(1);
}
const low = rows.filter((row) => row.lines < MIN || row.statements < MIN);
for (const row of low) {
  console.error(`coverage: ${row.file} is below ${MIN} % (lines ${row.lines} %, statements ${row.statements} %)`);
}
if (low.length > 0) process.exit(1);
console.log(`coverage: every file of contracts/ is at or above ${MIN} % of lines and statements (${rows.length - 1} files)`);
