import type { RawRequest } from "../rawHttp.js";
import type { FuzzCase, FuzzTargets } from "./cases.js";
import { flawedUpload, MULTIPART_FLAWS } from "./multipart.js";
import { BAD_ESCAPES, HOSTILE_TEXTS, type SeededRandom } from "./random.js";

/**
 * The inputs the fast paths answer in front of Express (app/server/http/fastUpload.ts, fastReads.ts),
 * each sent twice: once as the fast path takes it and once spelled so that Express answers it
 * (`/api/documents/`, `/api/verify/`, a trailing slash on a proof). The two answers must agree in
 * status and code. An upload and its twin carry different documents, each with its own signature, so
 * that neither is a replay of the other.
 */
export function uploadParityCases(targets: FuzzTargets, random: SeededRandom, count: number): FuzzCase[] {
  const uploads = [...targets.parityUploads];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count && uploads.length >= 2; i++) {
    const flaw = random.pick(MULTIPART_FLAWS);
    const seed = random.int(2 ** 31);
    const meta = random.chance(0.3) ? random.pick(['{"title":"Building permit 12/2567","documentType":"permit"}', '{"municipalityId":1}', '{"title":""}', '{"reference":"x"}', "{}"]) : undefined;
    const contentTypeOf = contentTypeVariant(random);
    const build = (path: string): RawRequest => {
      const upload = uploads.pop()!;
      const { contentType, body } = flawedUpload(flaw, { ...upload, meta }, seed);
      return { method: "POST", target: path, headers: [["Content-Type", contentTypeOf(contentType)]], body };
    };
    cases.push({ family: `parity: upload (${flaw})`, request: build("/api/documents"), viaExpress: build("/api/documents/") });
  }
  return cases;
}

/** The Content-Type as sent: mostly as built, sometimes in other letters or with other parameters. */
function contentTypeVariant(random: SeededRandom): (contentType: string) => string {
  switch (random.int(8)) {
    case 0:
      return (type) => type.replace("multipart/form-data", "Multipart/Form-Data");
    case 1:
      return (type) => `${type}; charset=utf-8`;
    case 2:
      return (type) => type.replace("; boundary=", ";boundary=");
    case 3:
      return (type) => type.replace("boundary=", "BOUNDARY=");
    default:
      return (type) => type;
  }
}

export function readParityCases(targets: FuzzTargets, random: SeededRandom, count: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const value = random.pick([
      () => targets.knownSha256,
      () => targets.knownSha256.toUpperCase().replace("0X", "0x"),
      () => targets.knownSha256.slice(2),
      () => `0x${random.hex(64)}`,
      () => `0X${random.hex(64)}`,
      () => `0x${random.hex(random.pick([0, 1, 63, 65, 128]))}`,
      () => encodeURIComponent(random.pick(HOSTILE_TEXTS)),
      () => random.pick(BAD_ESCAPES),
      () => `${random.hex(32)}${random.pick(BAD_ESCAPES)}`,
    ])();
    if (random.chance(0.5)) {
      const query = random.pick([`sha256=${value}`, `sha256=${value}&sha256=${value}`, `SHA256=${value}`, `sha256[]=${value}`, "", `sha256=${value}&x=%zz`]);
      cases.push({
        family: "parity: verify",
        request: { method: "GET", target: `/api/verify?${query}`, headers: [] },
        viaExpress: { method: "GET", target: `/api/verify/?${query}`, headers: [] },
      });
    } else {
      cases.push({
        family: "parity: proof",
        request: { method: "GET", target: `/api/proofs/${value}`, headers: [] },
        viaExpress: { method: "GET", target: `/api/proofs/${value}/`, headers: [] },
      });
    }
  }
  return cases;
}
