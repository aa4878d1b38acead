import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { SOLC_VERSION } from "../hardhat.config.js";

/** The offline compiler only works if config, npm package and pragmas name the same solc. */
describe("toolchain", () => {
  const require = createRequire(import.meta.url);

  it("compiles with the solc npm package of exactly the version every pragma names", () => {
    expect(require("solc/package.json").version).to.equal(SOLC_VERSION);
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.devDependencies.solc).to.equal(SOLC_VERSION);
    const sources = readdirSync("contracts", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".sol"));
    expect(sources.length).to.be.greaterThan(5);
    for (const file of sources) {
      const pragma = readFileSync(join("contracts", file), "utf8").match(/pragma solidity ([^;]+);/)?.[1];
      expect(pragma, file).to.equal(SOLC_VERSION);
    }
  });

  it("asks for Node 22 in .nvmrc and package.json", () => {
    expect(readFileSync(".nvmrc", "utf8").trim()).to.equal("22");
    expect(JSON.parse(readFileSync("package.json", "utf8")).engines.node).to.equal(">=22");
  });
});
