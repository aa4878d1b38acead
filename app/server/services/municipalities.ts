import { Contract, type Provider } from "ethers";
import { DIRECTORY_ABI } from "../../shared/verifyBundle.js";
import { chainFailureOf } from "../chain/chainErrors.js";
import { AppError } from "../errors.js";

const FRESH_MS = 10_000;

/**
 * Whether a municipality may record anything, from the on-chain Directory. Answers are kept for a few
 * seconds: uploads come in bursts and a suspension taking ten seconds to bite is acceptable, where a
 * chain call per upload is not.
 */
export class MunicipalityGate {
  readonly #directory: Contract;
  readonly #known = new Map<number, { suspended: boolean; at: number } | { unknown: true; at: number }>();

  constructor(directoryAddress: string, provider: Provider) {
    this.#directory = new Contract(directoryAddress, DIRECTORY_ABI, provider);
  }

  async requireActive(municipalityId: number): Promise<void> {
    let entry = this.#known.get(municipalityId);
    if (!entry || Date.now() - entry.at > FRESH_MS) {
      try {
        const [, , , suspended] = await this.#directory.municipality(municipalityId);
        entry = { suspended: Boolean(suspended), at: Date.now() };
      } catch (error) {
        if ((error as { code?: string }).code !== "CALL_EXCEPTION") throw chainFailureOf(error) ?? new AppError("ENGINE_UNAVAILABLE");
        entry = { unknown: true, at: Date.now() };
      }
      this.#known.set(municipalityId, entry);
    }
    if ("unknown" in entry) throw new AppError("MUNICIPALITY_UNKNOWN", `No municipality ${municipalityId} on the ledger.`);
    if (entry.suspended) throw new AppError("MUNICIPALITY_SUSPENDED");
  }
}
