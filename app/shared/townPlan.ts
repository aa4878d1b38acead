import { Contract, Interface, getAddress, id, sha256, type Provider } from "ethers";
import { planReasonText, type PlanReason } from "./planReason.js";
import { ROLE_NAMES } from "./roles.js";
import { singleBlockCid } from "./singleBlockCid.js";
import { townProfileBytes, type TownProfile } from "./townProfile.js";

/**
 * What it takes to make the chain match a town file: the admin's transactions, in order, and the profile
 * to publish last. One plan for the CLI (`ledger town apply`, which signs and sends each call itself)
 * and the console (whose API hands each call to the admin's wallet), so both apply a file the same way.
 * Applying is idempotent: a plan for a file already applied is empty.
 *
 * What the contracts cannot do is a problem, not a call: a permit type's approval chain is fixed once
 * defined (so no permit's chain changes under it) — a changed chain is a new type code.
 */
export const TOWN_ADMIN_ABI = [
  "function municipalityIdOf(string code) view returns (uint32)",
  "function municipality(uint32 municipalityId) view returns (string code, string name, address admin, bool suspended)",
  "function roleMembers(uint32 municipalityId, bytes32 role) view returns (address[])",
  "function officerName(uint32 municipalityId, address account) view returns (string)",
  "function profileOf(uint32 municipalityId) view returns (bytes32 sha256Digest, uint64 publishedAt)",
  "function grantRole(uint32 municipalityId, bytes32 role, address account)",
  "function revokeRole(uint32 municipalityId, bytes32 role, address account)",
  "function setOfficerName(uint32 municipalityId, address account, string name)",
  "function publishProfile(uint32 municipalityId, bytes32 sha256Digest, string cid)",
  "function markKeyCompromised(uint32 municipalityId, address account, uint64 since)",
];
export const PERMIT_TYPES_ABI = [
  "function permitType(uint32 municipalityId, bytes32 typeId) view returns (bytes32[] approvalRoles, uint32 validityDays, bool retired)",
  "function definePermitType(uint32 municipalityId, bytes32 typeId, bytes32[] approvalRoles, uint32 validityDays)",
  "function retirePermitType(uint32 municipalityId, bytes32 typeId)",
];
export const CATEGORIES_ABI = [
  "function category(uint32 municipalityId, bytes32 categoryId) view returns (tuple(uint32 slaSeconds, bool active))",
  "function setCategory(uint32 municipalityId, bytes32 categoryId, uint32 slaSeconds, bool active)",
];

/** The contracts a town's admin calls, by the names of deployment.json. */
export type TownContract = "directory" | "permitRegistry" | "complaintLedger";
export const TOWN_INTERFACES: Record<TownContract, Interface> = {
  directory: new Interface(TOWN_ADMIN_ABI),
  permitRegistry: new Interface(PERMIT_TYPES_ABI),
  complaintLedger: new Interface(CATEGORIES_ABI),
};
/**
 * The functions a town's admin may be asked to sign: the API relays nothing else for the console. Plans
 * call all but markKeyCompromised, which the console's officers part sends by itself (a lost key).
 */
export const TOWN_ADMIN_METHODS: Record<TownContract, readonly string[]> = {
  directory: ["grantRole", "revokeRole", "setOfficerName", "publishProfile", "markKeyCompromised"],
  permitRegistry: ["definePermitType", "retirePermitType"],
  complaintLedger: ["setCategory"],
};

export interface PlannedCall {
  contract: TownContract;
  to: string;
  method: string;
  args: unknown[];
  /** The calldata, for a wallet. */
  data: string;
  /** What it does, in English words, e.g. "grant ENGINEER to 0x… (วิศวกร สมศักดิ์)": planReasonText(reason). */
  why: string;
  /** What it does, as data, for a reader in another language. */
  reason: PlanReason;
}

export interface TownPlan {
  municipalityId: number;
  code: string;
  admin: string;
  suspended: boolean;
  calls: PlannedCall[];
  /** What cannot be applied; a plan with problems must not be sent. */
  problems: string[];
  profile: { sha256: string; cid: string; bytes: Uint8Array; publishedSha256: string | null };
}

export interface TownContracts {
  directory: string;
  permitRegistry: string;
  complaintLedger: string;
}

const DAY_SECONDS = 24 * 60 * 60;
/** The demo Open311 key of the embedded chain (public: it is in the README). */
const DEMO_API_KEY_SHA256 = "0xcbc66b32c79719d2595eae66119877109389227b068abc448b1c1d62984a1dab";
const EMBEDDED_CHAIN_ID = 31337;

/**
 * The SHA-256 (0x…) and CID of the bytes a profile is published as: one block (a profile is at most
 * TOWN_PROFILE_MAX_BYTES, 1 MiB), so the CID follows from the SHA-256 and the admin signs it before any
 * IPFS node has the bytes.
 */
export function profileDigest(profile: TownProfile): { bytes: Uint8Array; sha256: string; cid: string } {
  const bytes = townProfileBytes(profile);
  const digest = sha256(bytes);
  return { bytes, sha256: digest, cid: singleBlockCid(digest) };
}

/**
 * Reads what the chain holds for the town of `profile` and answers the calls that make it match.
 * `chainId` guards the demo: a file that still carries the demo's public Open311 key is refused anywhere
 * but the embedded chain.
 */
export async function planTown(provider: Provider, contracts: TownContracts, chainId: number, profile: TownProfile): Promise<TownPlan> {
  const directory = new Contract(contracts.directory, TOWN_ADMIN_ABI, provider);
  const permits = new Contract(contracts.permitRegistry, PERMIT_TYPES_ABI, provider);
  const categories = new Contract(contracts.complaintLedger, CATEGORIES_ABI, provider);
  const problems: string[] = [];
  const calls: PlannedCall[] = [];
  const published = profileDigest(profile);
  const municipalityId = Number(await directory.municipalityIdOf(profile.code));
  if (municipalityId === 0) {
    problems.push(`no municipality ${profile.code} in the Directory: the national admin adds it first (ledger municipality add)`);
    return { municipalityId, code: profile.code, admin: "", suspended: false, calls, problems, profile: { ...published, publishedSha256: null } };
  }
  const [, , admin, suspended] = await directory.municipality(municipalityId);
  if (suspended) problems.push(`${profile.code} is suspended: the national admin reinstates it first`);
  if (chainId !== EMBEDDED_CHAIN_ID && profile.open311.apiKeys.some((key) => key.sha256 === DEMO_API_KEY_SHA256)) {
    problems.push("open311.apiKeys holds the demo's public key (maehia-demo-open311-key): remove it, then make the town's own keys");
  }
  const call = (contract: TownContract, method: string, args: unknown[], reason: PlanReason) => {
    const to = contracts[contract];
    calls.push({ contract, to, method, args, data: TOWN_INTERFACES[contract].encodeFunctionData(method, args), why: planReasonText(reason), reason });
  };
  const nameOf = new Map(profile.officers.map((officer) => [getAddress(officer.address), officer.name]));

  // Roles: every role this file or the ledger knows, held by exactly the officers the file lists.
  const roles = new Set<string>([
    ...ROLE_NAMES,
    ...profile.roles.map((role) => role.code),
    ...profile.officers.flatMap((officer) => officer.roles),
    ...profile.permitTypes.flatMap((type) => type.approvalRoles),
  ]);
  const leaving = new Set<string>();
  const revocations: Array<() => void> = [];
  for (const role of roles) {
    const held = new Set<string>((await directory.roleMembers(municipalityId, id(role))).map((account: string) => getAddress(account)));
    const wanted = new Set(profile.officers.filter((officer) => officer.roles.includes(role)).map((officer) => getAddress(officer.address)));
    for (const account of wanted) {
      if (!held.has(account)) call("directory", "grantRole", [municipalityId, id(role), account], { kind: "grantRole", role, account, name: nameOf.get(account)! });
    }
    for (const account of held) {
      if (wanted.has(account)) continue;
      if (!nameOf.has(account)) leaving.add(account);
      // Revocations go after the grants, so that a rotated key's successor holds the role first.
      revocations.push(() => call("directory", "revokeRole", [municipalityId, id(role), account], { kind: "revokeRole", role, account }));
    }
  }
  for (const officer of profile.officers) {
    const account = getAddress(officer.address);
    if ((await directory.officerName(municipalityId, account)) !== officer.name) {
      call("directory", "setOfficerName", [municipalityId, account, officer.name], { kind: "publishName", account, name: officer.name });
    }
  }

  for (const type of profile.permitTypes) {
    const typeId = id(type.code);
    const [onChainRoles, validityDays, retired] = await permits.permitType(municipalityId, typeId);
    const wantedRoles = type.approvalRoles.map((role) => id(role));
    if (onChainRoles.length === 0) {
      if (!type.retired) {
        call("permitRegistry", "definePermitType", [municipalityId, typeId, wantedRoles, type.validityDays], {
          kind: "definePermitType",
          code: type.code,
          approvalRoles: type.approvalRoles,
          validityDays: type.validityDays,
        });
      }
      continue;
    }
    const same = onChainRoles.length === wantedRoles.length && onChainRoles.every((role: string, i: number) => role.toLowerCase() === wantedRoles[i]);
    if (!same || Number(validityDays) !== type.validityDays) {
      problems.push(
        `permit type ${type.code} is already defined with another approval chain or validity; a type never changes (so no permit's chain changes under it): give the new one another code and retire ${type.code}`,
      );
    }
    if (type.retired && !retired) call("permitRegistry", "retirePermitType", [municipalityId, typeId], { kind: "retirePermitType", code: type.code });
    if (!type.retired && retired) problems.push(`permit type ${type.code} is retired on the chain and cannot come back: give it another code`);
  }

  for (const category of profile.complaintCategories) {
    const categoryId = id(category.code);
    const slaSeconds = Math.round(category.slaDays * DAY_SECONDS);
    const current = await categories.category(municipalityId, categoryId);
    if (Number(current.slaSeconds) !== slaSeconds || Boolean(current.active) !== category.active) {
      call("complaintLedger", "setCategory", [municipalityId, categoryId, slaSeconds, category.active], {
        kind: "setCategory",
        code: category.code,
        slaDays: category.slaDays,
        active: category.active,
      });
    }
  }

  for (const revoke of revocations) revoke();
  for (const account of leaving) {
    if ((await directory.officerName(municipalityId, account)) !== "") {
      call("directory", "setOfficerName", [municipalityId, account, ""], { kind: "withdrawName", account });
    }
  }

  const [publishedSha256] = await directory.profileOf(municipalityId);
  const current = publishedSha256 === `0x${"0".repeat(64)}` ? null : String(publishedSha256).toLowerCase();
  if (current !== published.sha256) {
    call("directory", "publishProfile", [municipalityId, published.sha256, published.cid], { kind: "publishProfile", cid: published.cid });
  }
  return { municipalityId, code: profile.code, admin: getAddress(admin), suspended, calls, problems, profile: { ...published, publishedSha256: current } };
}
