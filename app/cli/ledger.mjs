#!/usr/bin/env node
// The `ledger` command (package.json "bin"), e.g. `npx ledger verify permit.pdf`. Plain JavaScript that
// starts on whatever Node is on PATH: a resident's or auditor's machine may have Node 20, while the
// service itself needs 22. It teaches Node TypeScript with tsx, then runs the commands in main.ts.
const [major, minor] = process.versions.node.split(".").map(Number);
// tsx's loader needs module.register, which arrived in Node 20.6.
if (major < 20 || (major === 20 && minor < 6)) {
  console.error(`ledger: needs Node 20.6 or newer (this is Node ${process.versions.node})`);
  process.exit(2);
}
const { register } = await import("tsx/esm/api");
register();
await import(new URL("./main.ts", import.meta.url).href);
