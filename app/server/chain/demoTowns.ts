import { readFileSync } from "node:fs";
import { NonceManager } from "ethers";
import { planTown } from "../../shared/townPlan.js";
import { parseTownProfile, type TownProfile } from "../../shared/townProfile.js";
import { createProvider } from "./client.js";
import type { LedgerDeployment } from "./deploy.js";
import { DEMO_TOWNS, devWalletAt } from "./devAccounts.js";

/**
 * The demo towns' profiles as the embedded chain publishes them: the example files, with Mae Hia's
 * campaigns taking the demo token the seed deployed (its address is known only after deploying).
 */
export function demoTownProfiles(deployment: LedgerDeployment): TownProfile[] {
  return DEMO_TOWNS.map(([code, , , townFile]) => {
    const file = JSON.parse(readFileSync(new URL(`../../../scripts/towns/${townFile}`, import.meta.url), "utf8"));
    if (code === "TH-50-MAEHIA" && deployment.demoToken) file.fund = { token: deployment.demoToken, symbol: "THBT", decimals: 2 };
    return parseTownProfile(file);
  });
}

/**
 * Each demo town's admin applies its town file, as `ledger town apply` would: the same plan, signed with
 * the admin's (public, development) key, until the town's profile is published: a crash halfway is
 * finished on the next start, and what a demo user changed afterwards is kept.
 */
export async function applyDemoTowns(rpcUrl: string, deployment: LedgerDeployment): Promise<void> {
  const provider = createProvider(rpcUrl, deployment.chainId);
  try {
    const profiles = demoTownProfiles(deployment);
    for (const [index, [, , adminAccount]] of DEMO_TOWNS.entries()) {
      const plan = await planTown(provider, deployment.contracts, deployment.chainId, profiles[index]);
      // Applied once: a town that published its profile is the demo user's to change (console, CLI) from then on.
      if (plan.profile.publishedSha256 !== null) continue;
      if (plan.problems.length > 0) throw new Error(`the demo town ${plan.code} cannot be applied: ${plan.problems.join("; ")}`);
      const admin = new NonceManager(devWalletAt(adminAccount).connect(provider));
      const sent = [];
      for (const call of plan.calls) sent.push(await admin.sendTransaction({ to: call.to, data: call.data }));
      for (const tx of sent) await tx.wait(1, 60_000);
    }
  } finally {
    provider.destroy();
  }
}
