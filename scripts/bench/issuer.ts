import { Wallet } from "ethers";
import { devAccounts } from "../../app/server/chain/devAccounts.js";
import { documentsTree, signIssuance } from "../../app/shared/issuance.js";
import type { Document } from "./upload.js";

/**
 * The `issuance` field of each upload request, signed as the demo's document issuer (dev account 3, which
 * holds DOCUMENT_ISSUER in municipality 1) signs: one upload per document is a clerk who signed the day's
 * list once and sends each file with its proof into it; a bulk upload carries its own signature. Signed
 * before the clock starts, as the bodies are built.
 */
export async function issuanceFields(baseUrl: string, documents: Document[], filesPerRequest: number): Promise<string[]> {
  const health = (await (await fetch(new URL("/api/health", baseUrl))).json()) as { chain: { chainId: number; contracts: { batchAnchor: string } } };
  const issuer = new Wallet(devAccounts().find((account) => account.role === "permitOfficer")!.privateKey);
  const sign = (slice: Document[]) =>
    signIssuance(issuer, {
      chainId: health.chain.chainId,
      batchAnchor: health.chain.contracts.batchAnchor,
      municipalityId: 1,
      sha256s: slice.map((document) => document.sha256),
      validSeconds: 6 * 3600,
    });
  if (filesPerRequest === 1) {
    const statement = await sign(documents);
    const tree = documentsTree(documents.map((document) => document.sha256));
    return documents.map((document) => JSON.stringify({ ...statement, proofs: [tree.proofOf(document.sha256)] }));
  }
  const fields: string[] = [];
  for (let i = 0; i < documents.length; i += filesPerRequest) fields.push(JSON.stringify(await sign(documents.slice(i, i + filesPerRequest))));
  return fields;
}
