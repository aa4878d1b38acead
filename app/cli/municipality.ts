// `ledger municipality`: the national admin adds, suspends and reinstates municipalities and names their
// admins, each as its own transaction to the Directory; anyone lists them from the chain.
import { getAddress, id, isAddress, type Interface, type Provider } from "ethers";
import { Directory__factory } from "../../types/ethers-contracts/factories/Directory__factory.js";
import { CliError } from "./bundleSource.js";
import { readCommandArgs, usageError } from "./commandArgs.js";
import { ChainRefusal, DIRECTORY_CALL_OPTIONS, connectLedger, directoryCallHelp, sendSigned, type LedgerChain } from "./directoryCall.js";
import { signerKey } from "./signerKey.js";
import type { Output } from "./verify.js";

export const MUNICIPALITY_HELP = `Usage: ledger municipality <add | suspend | reinstate | set-admin | list | observe> [options]

The Directory's register of municipalities. Every change is the signer's own transaction: the national
admin's key (the Directory's owner) adds, suspends and reinstates; the national admin or the town's
current admin hands the town to a new admin.

  add --code CODE --name TEXT --admin ADDRESS
         add a municipality, e.g. --code TH-95-YALA --name "Yala City Municipality"; prints its new id.
         CODE: 1 to 32 of A-Z, 0-9 and "-", fixed for good (permit numbers begin with it). Then its admin
         applies the town's file: ledger town apply
  suspend <code | id> --reason TEXT
         stop every officer of the municipality from acting. Only the keccak256 of TEXT goes on the chain;
         the text itself is not stored anywhere: keep it in your records
  reinstate <code | id>
         lift a suspension
  set-admin <code | id> --admin ADDRESS
         hand the municipality to a new admin (the national admin, or the current admin)
  list [--json]
         every municipality on the chain: id, code, name, admin, suspended (no key needed)
  observe
         register the ledger's BatchAnchor as the Directory's observer (once, after npm run deploy named a
         national admin other than the deployer): it then keeps its own copy of who may anchor, and each
         batch costs about 6,800 gas less

Options:
${directoryCallHelp("the national admin's (set-admin: or the municipality admin's)")}

Exit codes: 0 done, 1 the chain refused it, 2 error (bad arguments, no answer).`;

const CODE = /^[A-Z0-9-]{1,32}$/;

export interface MunicipalityRecord {
  id: number;
  code: string;
  name: string;
  admin: string;
  suspended: boolean;
}

/** The municipality named by its Directory id or code, or a CliError when the Directory has none. */
export async function findMunicipality(provider: Provider, directoryAddress: string, codeOrId: string): Promise<MunicipalityRecord> {
  const directory = Directory__factory.connect(directoryAddress, provider);
  let municipalityId: number;
  if (/^[1-9][0-9]{0,9}$/.test(codeOrId)) {
    municipalityId = Number(codeOrId);
    if (municipalityId > Number(await directory.municipalityCount())) throw new CliError(`no municipality ${codeOrId} in the Directory`);
  } else {
    municipalityId = Number(await directory.municipalityIdOf(codeOrId));
    if (municipalityId === 0) throw new CliError(`no municipality with the code ${codeOrId} in the Directory (ledger municipality list)`);
  }
  const [code, name, admin, suspended] = await directory.municipality(municipalityId);
  return { id: municipalityId, code, name, admin: getAddress(admin), suspended };
}

/** Every municipality of the Directory, by id. */
async function allMunicipalities(ledger: LedgerChain): Promise<MunicipalityRecord[]> {
  const count = Number(await Directory__factory.connect(ledger.contracts.directory, ledger.provider).municipalityCount());
  const all: MunicipalityRecord[] = [];
  for (let i = 1; i <= count; i++) all.push(await findMunicipality(ledger.provider, ledger.contracts.directory, String(i)));
  return all;
}

const directoryInterface: Interface = Directory__factory.createInterface();

/** Runs `ledger municipality <args>`; returns the exit code. */
export async function runMunicipality(args: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = readCommandArgs(
    "municipality",
    MUNICIPALITY_HELP,
    { ...DIRECTORY_CALL_OPTIONS, code: { type: "string" }, name: { type: "string" }, admin: { type: "string" }, reason: { type: "string" }, json: { type: "boolean" } },
    args,
    output,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const [action, target, ...extra] = positionals;
  const usage = (message: string) => usageError(`municipality${action ? ` ${action}` : ""}`, message, output);
  const needsTarget = ["suspend", "reinstate", "set-admin"].includes(action ?? "");
  if (!["add", "suspend", "reinstate", "set-admin", "list", "observe"].includes(action ?? "")) return usage(`expected add, suspend, reinstate, set-admin, list or observe, not "${action ?? ""}"`);
  if (extra.length > 0 || (needsTarget ? target === undefined : target !== undefined)) return usage(needsTarget ? "expected one municipality (its code or id)" : "takes no positional arguments");
  if (action === "add" && !(values.code !== undefined && CODE.test(values.code))) return usage('--code must be 1 to 32 of A-Z, 0-9 and "-" (e.g. TH-95-YALA)');
  if (action === "add" && !values.name?.trim()) return usage("--name must be given");
  if ((action === "add" || action === "set-admin") && !isAddress(values.admin ?? "")) return usage("--admin must be an address (0x and 40 hex digits)");
  if (action === "suspend" && !values.reason?.trim()) return usage("--reason must say why (only its hash goes on the chain)");

  let ledger: LedgerChain | undefined;
  try {
    ledger = await connectLedger(values, env);
    if (action === "list") return await list(ledger, values.json === true, output);
    const signer = (await signerKey(values.keystore, env)).connect(ledger.provider);
    const send = (method: string, methodArgs: unknown[]) =>
      sendSigned(signer, { to: ledger!.contracts.directory, data: directoryInterface.encodeFunctionData(method, methodArgs) });

    if (action === "observe") {
      const batchAnchor = ledger.contracts.batchAnchor;
      if (await Directory__factory.connect(ledger.contracts.directory, ledger.provider).isObserver(batchAnchor)) {
        output.out(`the BatchAnchor ${batchAnchor} already observes the Directory: nothing to do`);
        return 0;
      }
      const receipt = await send("addObserver", [batchAnchor]);
      output.out(`the BatchAnchor ${batchAnchor} now observes the Directory (transaction ${receipt.hash})`);
      return 0;
    }
    if (action === "add") {
      const admin = getAddress(values.admin!);
      const receipt = await send("addMunicipality", [values.code, values.name!.trim(), admin]);
      const added = receipt.logs.map((log) => directoryInterface.parseLog(log)).find((event) => event?.name === "MunicipalityAdded");
      const municipalityId = Number(added?.args.municipalityId);
      output.out(`added municipality ${municipalityId}: ${values.code} "${values.name!.trim()}", admin ${admin} (transaction ${receipt.hash})`);
      output.out(`next: its admin applies the town's file (ledger town apply FILE, docs/towns.md)`);
      return 0;
    }
    const town = await findMunicipality(ledger.provider, ledger.contracts.directory, target!);
    const named = `${town.code} (municipality ${town.id})`;
    if (action === "suspend") {
      const reasonHash = id(values.reason!);
      const receipt = await send("suspendMunicipality", [town.id, reasonHash]);
      output.out(`suspended ${named} (transaction ${receipt.hash})`);
      output.out(`the chain holds the reason's keccak256 ${reasonHash} only; its text is stored nowhere: keep it in your records`);
    } else if (action === "reinstate") {
      const receipt = await send("reinstateMunicipality", [town.id]);
      output.out(`reinstated ${named} (transaction ${receipt.hash})`);
    } else {
      const admin = getAddress(values.admin!);
      const receipt = await send("setMunicipalityAdmin", [town.id, admin]);
      output.out(`the admin of ${named} is now ${admin}, was ${town.admin} (transaction ${receipt.hash})`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ChainRefusal) {
      output.err(`ledger municipality ${action}: the Directory refused it: ${error.message}`);
      return 1;
    }
    output.err(`ledger municipality ${action}: ${(error as Error).message.split("\n")[0]}`);
    return 2;
  } finally {
    ledger?.close();
  }
}

async function list(ledger: LedgerChain, json: boolean, output: Output): Promise<number> {
  const all = await allMunicipalities(ledger);
  if (json) {
    output.out(JSON.stringify({ municipalities: all }, null, 2));
    return 0;
  }
  if (all.length === 0) {
    output.out("no municipalities yet (ledger municipality add)");
    return 0;
  }
  const codeWidth = Math.max(4, ...all.map((m) => m.code.length));
  output.out(`${"id".padStart(4)}  ${"code".padEnd(codeWidth)}  ${"admin".padEnd(42)}  ${"status".padEnd(9)}  name`);
  for (const m of all) {
    output.out(`${String(m.id).padStart(4)}  ${m.code.padEnd(codeWidth)}  ${m.admin}  ${(m.suspended ? "suspended" : "active").padEnd(9)}  ${m.name}`);
  }
  return 0;
}
