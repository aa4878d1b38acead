import { expect } from "chai";
import { readFileSync } from "node:fs";
import { TOWN_PROFILE_MAX_BYTES, TownProfileError, parseTownProfile, townProfileBytes } from "../../app/shared/townProfile.js";

/**
 * A town file is refused as a whole when its published bytes would not fit one IPFS block: the admin
 * signs the profile's CID as the one that follows from its SHA-256, which names no file over a block.
 * The CLI, the console (in the browser and through the API's plan) and the API's store all parse it here.
 */
describe("parseTownProfile", function () {
  const yala = () => JSON.parse(readFileSync("scripts/towns/yala.json", "utf8"));

  /** A closed ring of `n` points round Yala's centre. */
  const ring = (n: number) => {
    const points = Array.from({ length: n }, (_, i) => [101.28 + 0.05 * Math.cos((2 * Math.PI * i) / n), 6.54 + 0.05 * Math.sin((2 * Math.PI * i) / n)]);
    return [...points, points[0]];
  };

  it("refuses a profile whose published bytes are over one IPFS block, and takes one of fewer points", () => {
    const large = yala();
    large.area = { type: "Polygon", coordinates: [ring(20_000)] };
    const error = (() => {
      try {
        parseTownProfile(large);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).to.be.instanceOf(TownProfileError);
    const [problem] = (error as TownProfileError).problems;
    expect(problem).to.match(new RegExp(`^the profile is \\d+ bytes as published, over ${TOWN_PROFILE_MAX_BYTES} \\(one IPFS block\\)`));

    const fitting = yala();
    fitting.area = { type: "Polygon", coordinates: [ring(5_000)] };
    expect(townProfileBytes(parseTownProfile(fitting)).length).to.be.within(1, TOWN_PROFILE_MAX_BYTES);
  });
});
