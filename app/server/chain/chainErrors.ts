import { Interface, type ErrorDescription } from "ethers";
import { BatchAnchor__factory } from "../../../types/ethers-contracts/factories/BatchAnchor__factory.js";
import { CivicFund__factory } from "../../../types/ethers-contracts/factories/CivicFund__factory.js";
import { ComplaintLedger__factory } from "../../../types/ethers-contracts/factories/ComplaintLedger__factory.js";
import { Directory__factory } from "../../../types/ethers-contracts/factories/Directory__factory.js";
import { PermitRegistry__factory } from "../../../types/ethers-contracts/factories/PermitRegistry__factory.js";
import { AppError, type ErrorCode } from "../errors.js";

/**
 * Contract reverts as API errors. Every custom error of the ledger (contracts/interfaces/LedgerErrors.sol,
 * plus the OpenZeppelin ones the contracts can raise) is decoded by name; the name picks the API code,
 * and the message names the contract error and its values, so an officer sees what the chain refused.
 */
const errorInterface = new Interface(
  [
    ...Directory__factory.abi,
    ...PermitRegistry__factory.abi,
    ...ComplaintLedger__factory.abi,
    ...CivicFund__factory.abi,
    ...BatchAnchor__factory.abi,
  ].filter((fragment, index, all) => fragment.type === "error" && all.findIndex((f) => f.type === "error" && f.name === fragment.name) === index),
);

/** The API code of a contract error: by exact name, then by the end of its name; 409 CHAIN_REJECTED otherwise. */
const CODE_BY_NAME: Record<string, ErrorCode> = {
  DirectoryUnauthorizedAccount: "ROLE_REQUIRED",
  DirectoryNotMunicipalityAdmin: "ROLE_REQUIRED",
  DirectoryUnknownMunicipality: "MUNICIPALITY_UNKNOWN",
  DirectoryMunicipalitySuspended: "MUNICIPALITY_SUSPENDED",
  PermitRegistryOfficerAlreadyDecided: "SIGNATURE_REPLAYED",
};
const CODE_BY_SUFFIX: Array<[string, ErrorCode]> = [
  ["SignatureExpired", "SIGNATURE_EXPIRED"],
  ["InvalidSigner", "SIGNATURE_INVALID"],
  ["NotReporter", "NOT_REPORTER"],
];

/** The revert data carried by an ethers error from a call, an estimate or a receipt, if any. */
function revertData(error: unknown): string | null {
  const seen = new Set<unknown>();
  const walk = (value: unknown): string | null => {
    if (!value || typeof value !== "object" || seen.has(value)) return null;
    seen.add(value);
    const { data } = value as { data?: unknown };
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
    for (const key of ["error", "info", "cause", "revert"]) {
      const found = walk((value as Record<string, unknown>)[key]);
      if (found) return found;
    }
    return null;
  };
  return walk(error);
}

export function decodeContractError(error: unknown): ErrorDescription | null {
  const data = revertData(error);
  if (!data) return null;
  try {
    return errorInterface.parseError(data);
  } catch {
    return null;
  }
}

function describe(error: ErrorDescription): string {
  const values = error.args.map((value) => (typeof value === "bigint" ? value.toString() : String(value)));
  return `${error.name}(${values.join(", ")})`;
}

/**
 * The node did not answer: Node's socket errors (the node is down, its address wrong, the network cut),
 * and ethers' own for a timed-out request or a failed HTTP exchange (a proxy in front of the node
 * answering 502).
 */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "TIMEOUT",
  "NETWORK_ERROR",
  "SERVER_ERROR",
]);

/** Every `code` along an error's chain of causes (ethers nests the node's answer in `error` and `info`). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown) => {
    if (!value || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    const { code } = value as { code?: unknown };
    if (typeof code === "string") codes.push(code);
    for (const key of ["cause", "error", "info"]) walk((value as Record<string, unknown>)[key]);
  };
  walk(error);
  return codes;
}

/**
 * A chain failure that is no refusal by the contracts, as the API error that says what happened: the
 * chain node is unreachable (CHAIN_UNREACHABLE), or whoever pays for the transaction cannot
 * (RELAYER_OUT_OF_FUNDS for the service's relayer, OFFICER_OUT_OF_FUNDS for an officer's own
 * transaction). Null for anything else.
 */
export function chainFailureOf(error: unknown, payer: "relayer" | "officer" = "relayer"): AppError | null {
  const codes = codesOf(error);
  if (codes.some((code) => UNREACHABLE_CODES.has(code))) return new AppError("CHAIN_UNREACHABLE");
  // ethers names a node's "insufficient funds for gas * price + value" INSUFFICIENT_FUNDS; the words are
  // matched too, for nodes whose answer ethers does not recognise.
  if (codes.includes("INSUFFICIENT_FUNDS") || /insufficient funds/i.test(String((error as Error)?.message))) {
    return new AppError(payer === "relayer" ? "RELAYER_OUT_OF_FUNDS" : "OFFICER_OUT_OF_FUNDS");
  }
  return null;
}

/**
 * The AppError for a reverted call, or for a chain failure ({@link chainFailureOf}); anything else is
 * rethrown as it is.
 */
export function toChainAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const decoded = decodeContractError(error);
  if (!decoded) {
    const failure = chainFailureOf(error);
    if (failure) return failure;
    throw error;
  }
  const code =
    CODE_BY_NAME[decoded.name] ?? CODE_BY_SUFFIX.find(([suffix]) => decoded.name.endsWith(suffix))?.[1] ?? "CHAIN_REJECTED";
  return new AppError(code, `The ledger refused it: ${describe(decoded)}.`);
}
