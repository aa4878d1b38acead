// `ledger audit`: rebuilds a municipality's audit trail from the chain's events alone, through the RPC
// node the auditor chooses, and reports every difference from the trail the API exports.
import { parseArgs } from "node:util";
import { FetchRequest, id, isAddress, JsonRpcProvider } from "ethers";
import { rebuildMunicipalityTrail } from "../shared/chainTrail.js";
import { compareTrails, timeBound, TRAIL_CONTRACTS, type AuditEvent, type TrailContract, type TrailDifference } from "../shared/trailEvents.js";
import { checkAnnotations } from "../shared/trailRecords.js";
import { CliError } from "./bundleSource.js";
import { getJson } from "./ledgerApi.js";
import { DEFAULT_API_URL, DEFAULT_RPC_URL, type Output } from "./verify.js";

export const AUDIT_HELP = `Usage: ledger audit <municipality> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--permit NUMBER] [--rpc URL] [--api URL] [--json]

Rebuilds the audit trail of a municipality (every event of PermitRegistry, ComplaintLedger, CivicFund,
BatchAnchor and the Directory that concerns it, with who acted, in which role, their published name and
what they decided) from the chain's events alone, asking an RPC node directly, fetches the trail the API
exports for the same dates (GET <api>/api/audit/export), and prints every difference: an event missing
in the API, an event the chain does not hold, a field that differs, and any record, signer, name or
reason the API adds to a batch or a revocation that the chain contradicts.

<municipality> is the municipality's id on the ledger (Mae Hia on the demo chain is 1).

Options:
  --from DAY        first day (YYYY-MM-DD, a UTC day) or ISO 8601 instant with a zone; default: the start
  --to DAY          last day, inclusive; default: the last block the API has indexed
  --permit NUMBER   only the events of this permit (e.g. TH-50-MAEHIA/BLD/2026/000001)
  --rpc URL         JSON-RPC node of the ledger's chain
                    (default: $LEDGER_RPC_URL, else the RPC URL the API's /api/health names)
  --api URL         the ledger API (default: $LEDGER_API_URL, else ${DEFAULT_API_URL})
  --json            print the report as JSON
  --chain-id N, --deployment-block N, --permit-registry ADDR, --complaint-ledger ADDR, --civic-fund ADDR,
  --batch-anchor ADDR, --directory ADDR
                    where the contracts are; by default read from the API's /api/health. Given all
                    seven, the API is asked only for its export.
  -h, --help        this text

Exit codes:
  0  the API's trail and the chain's agree
  1  they differ (every difference is printed)
  2  error: bad arguments, the API or the RPC node unreachable or answering something unexpected`;

const TIMEOUT_MS = 30_000;
const CONTRACT_FLAGS: Record<TrailContract, TrailContractFlag> = {
  permitRegistry: "permit-registry",
  complaintLedger: "complaint-ledger",
  civicFund: "civic-fund",
  batchAnchor: "batch-anchor",
  directory: "directory",
};

/** Where the contracts are: the chain, the addresses and the block they start from. */
interface Deployment {
  chainId: number;
  deploymentBlock: number;
  contracts: Record<TrailContract, string>;
  /** The RPC URL the API names, if it was asked. */
  rpcUrl?: string;
}

/** The part of GET /api/audit/export?format=json this command relies on. */
interface ApiExport {
  format: string;
  municipalityId: number;
  chainId: number;
  contracts: Record<TrailContract, string>;
  indexedBlock: number;
  events: AuditEvent[];
}

const AUDIT_EXPORT_FORMAT = "public-service-ledger/audit-export@2";
const isBlock = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function deploymentFromHealth(health: unknown): Deployment {
  const chain = (health as { chain?: Record<string, unknown> }).chain;
  const contracts = chain?.contracts as Record<string, unknown> | undefined;
  if (!chain || !contracts || !Number.isSafeInteger(chain.chainId) || !isBlock(chain.deploymentBlock)) {
    throw new CliError("the API's /api/health names no chain id, deployment block and contracts; give them as flags");
  }
  for (const contract of TRAIL_CONTRACTS) {
    if (typeof contracts[contract] !== "string" || !isAddress(contracts[contract])) {
      throw new CliError(`the API's /api/health names no address of ${contract}; give --${CONTRACT_FLAGS[contract]}`);
    }
  }
  return {
    chainId: chain.chainId as number,
    deploymentBlock: chain.deploymentBlock as number,
    contracts: Object.fromEntries(TRAIL_CONTRACTS.map((c) => [c, contracts[c] as string])) as Record<TrailContract, string>,
    rpcUrl: typeof chain.rpcUrl === "string" ? chain.rpcUrl : undefined,
  };
}

function parseExport(body: unknown, municipalityId: number): ApiExport {
  const answer = body as Partial<ApiExport>;
  if (answer.format !== AUDIT_EXPORT_FORMAT || answer.municipalityId !== municipalityId || !isBlock(answer.indexedBlock) || !Array.isArray(answer.events) || !answer.contracts) {
    throw new CliError(`the API's export is not an audit export of format ${AUDIT_EXPORT_FORMAT}`);
  }
  return answer as ApiExport;
}

function describe(difference: TrailDifference): string {
  const where = `block ${difference.blockNumber} log ${difference.logIndex}  ${difference.event}  tx ${difference.txHash}`;
  switch (difference.kind) {
    case "missing-in-api":
      return `✗ missing in API     ${where}`;
    case "missing-on-chain":
      return `✗ missing on chain   ${where}`;
    case "field-differs":
      return [
        `✗ field differs      ${where}`,
        ...difference.fields.map((f) => `      ${f.field}: API ${JSON.stringify(f.api)}  chain ${JSON.stringify(f.chain)}`),
      ].join("\n");
  }
}

/** Runs `ledger audit <args>`; returns the exit code. */
export async function runAudit(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        permit: { type: "string" },
        rpc: { type: "string" },
        api: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        "chain-id": { type: "string" },
        "deployment-block": { type: "string" },
        "permit-registry": { type: "string" },
        "complaint-ledger": { type: "string" },
        "civic-fund": { type: "string" },
        "batch-anchor": { type: "string" },
        directory: { type: "string" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    output.err(`ledger audit: ${(error as Error).message}\nRun "ledger audit --help" for usage.`);
    return 2;
  }
  const flags = parsed.values;
  if (flags.help) {
    output.out(AUDIT_HELP);
    return 0;
  }
  const fail = (message: string) => {
    output.err(`ledger audit: ${message}`);
    return 2;
  };
  if (parsed.positionals.length !== 1 || !/^[1-9][0-9]{0,9}$/.test(parsed.positionals[0])) {
    return fail(`expected one municipality id (a positive whole number)\nRun "ledger audit --help" for usage.`);
  }
  const municipalityId = Number(parsed.positionals[0]);
  const from = flags.from === undefined ? undefined : timeBound(flags.from, "from");
  const to = flags.to === undefined ? undefined : timeBound(flags.to, "to");
  if (from === null || to === null) return fail("--from and --to take a day (YYYY-MM-DD) or an ISO 8601 instant with a zone");
  if (from !== undefined && to !== undefined && from > to) return fail("--from is after --to");
  if (flags.permit !== undefined && (flags.permit === "" || flags.permit.trim() !== flags.permit)) return fail("--permit takes a permit number");
  const apiUrl = flags.api ?? env.LEDGER_API_URL ?? DEFAULT_API_URL;
  const base = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;

  let provider: JsonRpcProvider | undefined;
  try {
    const deployment = await resolveDeployment(flags, base);
    const rpcUrl = flags.rpc ?? env.LEDGER_RPC_URL ?? deployment.rpcUrl ?? DEFAULT_RPC_URL;
    for (const [flag, url] of [["--rpc", rpcUrl], ["--api", apiUrl]]) {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return fail(`${flag} "${url}" is not an http(s) URL`);
    }
    const query = new URLSearchParams({ municipality: String(municipalityId), format: "json" });
    if (flags.from) query.set("from", flags.from);
    if (flags.to) query.set("to", flags.to);
    if (flags.permit) query.set("permit", flags.permit);
    const api = parseExport(await getJson(new URL(`api/audit/export?${query}`, base).href), municipalityId);

    const request = new FetchRequest(rpcUrl);
    request.timeout = TIMEOUT_MS;
    provider = new JsonRpcProvider(request, deployment.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const permitId = flags.permit === undefined ? undefined : id(flags.permit);
    const chain = await rebuildFromChain(provider, deployment, municipalityId, api.indexedBlock, { from, to, permitId });

    // The API's additions (a batch's records, a revocation's words) are checked against what the chain holds.
    const context = { chainId: deployment.chainId, batchAnchor: deployment.contracts.batchAnchor, facts: chain.facts };
    const differences = compareTrails(api.events, chain.events, (row) => checkAnnotations(row, context));
    const records = api.events.reduce((sum, event) => sum + (event.records?.length ?? 0), 0);
    // The API answers for the chain and contracts it names: another chain or contract is a difference in itself.
    const other: string[] = [];
    if (api.chainId !== deployment.chainId) other.push(`the API exports the trail of chain ${api.chainId}, not of chain ${deployment.chainId}`);
    for (const c of TRAIL_CONTRACTS) {
      if (String(api.contracts[c]).toLowerCase() !== deployment.contracts[c].toLowerCase()) {
        other.push(`the API exports the trail of ${c} ${api.contracts[c]}, not of ${deployment.contracts[c]}`);
      }
    }
    if (chain.beyondHead) other.push(`the API says it indexed block ${api.indexedBlock}, but the chain's head is block ${chain.toBlock}`);
    const agree = differences.length === 0 && other.length === 0;
    const range = `${flags.from ?? "the start"} … ${flags.to ?? "now"}`;
    if (flags.json) {
      const report = {
        agree,
        municipalityId,
        from: flags.from ?? null,
        to: flags.to ?? null,
        permit: flags.permit ?? null,
        api: apiUrl,
        rpc: rpcUrl,
        chainId: deployment.chainId,
        contracts: deployment.contracts,
        blocks: { from: deployment.deploymentBlock, to: chain.toBlock, apiIndexedBlock: api.indexedBlock },
        apiEvents: api.events.length,
        chainEvents: chain.events.length,
        apiRecords: records,
        differences,
        otherDifferences: other,
      };
      output.out(JSON.stringify(report, null, 2));
      return agree ? 0 : 1;
    }
    output.out(`audit    municipality ${municipalityId}, ${range}${flags.permit ? `, permit ${flags.permit}` : ""}`);
    output.out(`api      ${apiUrl}: ${api.events.length} events and ${records} anchored records, indexed up to block ${api.indexedBlock}`);
    output.out(`rpc      ${rpcUrl}: chain ${deployment.chainId}, ${chain.events.length} events in blocks ${deployment.deploymentBlock}…${chain.toBlock} (read from this node alone)`);
    for (const contract of TRAIL_CONTRACTS) output.out(`         ${contract.padEnd(16)} ${deployment.contracts[contract]}`);
    output.out("         words (who, role, name, decision, reason) derived from the chain; records, signers and reasons checked against it");
    output.out("");
    for (const line of other) output.out(`  ✗ ${line}`);
    for (const difference of differences) output.out(`  ${describe(difference)}`);
    if (!agree) output.out("");
    const count = differences.length + other.length;
    output.out(agree ? `AGREE: the API's trail equals the chain's (${chain.events.length} events)` : `DIFFER: ${count} difference(s) between the API's trail and the chain's`);
    return agree ? 0 : 1;
  } catch (error) {
    if (error instanceof CliError) return fail(error.message);
    const message = (error as Error).message?.split("\n")[0] ?? String(error);
    return fail(`the RPC node failed: ${message}`);
  } finally {
    provider?.destroy();
  }
}

type Flags = Partial<Record<"chain-id" | "deployment-block" | TrailContractFlag, string>>;
type TrailContractFlag = "permit-registry" | "complaint-ledger" | "civic-fund" | "batch-anchor" | "directory";

/** The deployment from flags, the rest from the API's /api/health. */
async function resolveDeployment(flags: Flags, base: string): Promise<Deployment> {
  const given = TRAIL_CONTRACTS.map((c) => flags[CONTRACT_FLAGS[c]]);
  const complete = given.every(Boolean) && flags["chain-id"] !== undefined && flags["deployment-block"] !== undefined;
  const fromHealth = complete ? undefined : deploymentFromHealth(await getJson(new URL("api/health", base).href));
  const number = (value: string | undefined, flag: string, fallback: number | undefined): number => {
    if (value === undefined) return fallback!;
    if (!/^[0-9]{1,15}$/.test(value)) throw new CliError(`--${flag} takes a whole number`);
    return Number(value);
  };
  const contracts = {} as Record<TrailContract, string>;
  TRAIL_CONTRACTS.forEach((contract, i) => {
    const address = given[i] ?? fromHealth!.contracts[contract];
    if (!isAddress(address)) throw new CliError(`--${CONTRACT_FLAGS[contract]} "${address}" is not an address`);
    contracts[contract] = address;
  });
  return {
    chainId: number(flags["chain-id"], "chain-id", fromHealth?.chainId),
    deploymentBlock: number(flags["deployment-block"], "deployment-block", fromHealth?.deploymentBlock),
    contracts,
    rpcUrl: fromHealth?.rpcUrl,
  };
}

/**
 * The municipality's trail from the chain alone, with its words and the chain's facts (shared/chainTrail.ts),
 * up to the block the API indexed or the chain's head, whichever is lower.
 */
async function rebuildFromChain(
  provider: JsonRpcProvider,
  deployment: Deployment,
  municipalityId: number,
  apiIndexedBlock: number,
  range: { from?: number; to?: number; permitId?: string },
) {
  const chainId = Number(await provider.send("eth_chainId", []));
  if (chainId !== deployment.chainId) throw new CliError(`the RPC node serves chain ${chainId}, not the ledger's chain ${deployment.chainId}`);
  const head = await provider.getBlockNumber();
  const toBlock = Math.min(head, apiIndexedBlock);
  const { events, facts } = await rebuildMunicipalityTrail(provider, deployment, { municipalityId, toBlock, ...range });
  return { events, facts, toBlock, beyondHead: apiIndexedBlock > head };
}
