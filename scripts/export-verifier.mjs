// Copies the built web app (app/web/dist) into a folder that any plain static file server can serve as the
// verifier, independent of the ledger's service (docs/web.md, "Serving the verifier from another host"):
// the files as built, index.html also as verify/index.html (so /verify/?… opens the Verify page without
// the service's fallback to index.html), and the ledger-config.json that tells the page which chain and
// contracts to read.
// Usage: node scripts/export-verifier.mjs <folder> (--from https://ledger.example | --config ledger-config.json)
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "app", "web", "dist");
const FORMAT = "public-service-ledger/verifier-config@1";

const { values, positionals } = parseArgs({ options: { from: { type: "string" }, config: { type: "string" } }, allowPositionals: true });
if (positionals.length !== 1 || (!values.from && !values.config)) {
  console.error("Usage: node scripts/export-verifier.mjs <folder> (--from https://ledger.example | --config ledger-config.json)");
  process.exit(2);
}
if (!existsSync(join(dist, "index.html"))) {
  console.error("export-verifier: app/web/dist has no build; run node scripts/build-web.mjs first");
  process.exit(1);
}

let text;
if (values.from) {
  const url = new URL("ledger-config.json", values.from.endsWith("/") ? values.from : `${values.from}/`).href;
  const response = await fetch(url, { headers: { accept: "application/json" } }).catch((error) => {
    console.error(`export-verifier: ${url} did not answer: ${error.cause?.message ?? error.message}`);
    process.exit(1);
  });
  if (!response.ok) {
    console.error(`export-verifier: ${url} answered HTTP ${response.status}`);
    process.exit(1);
  }
  text = await response.text();
} else {
  text = readFileSync(values.config, "utf8");
}
const config = JSON.parse(text);
if (config.format !== FORMAT || typeof config.rpcUrl !== "string" || !config.contracts) {
  console.error(`export-verifier: not a ${FORMAT} configuration`);
  process.exit(1);
}

const out = positionals[0];
mkdirSync(out, { recursive: true });
cpSync(dist, out, { recursive: true });
mkdirSync(join(out, "verify"), { recursive: true });
cpSync(join(dist, "index.html"), join(out, "verify", "index.html"));
writeFileSync(join(out, "ledger-config.json"), `${JSON.stringify(config, null, 2)}\n`);
console.log(`The verifier is in ${out}: serve it from the root of any host; its pages read chain ${config.chainId} at ${config.rpcUrl}.`);
