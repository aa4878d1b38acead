import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Interface, type Provider } from "ethers";
import { IssuanceAuthority } from "../../app/server/services/issuance.js";
import { documentsTree, inDocumentsTree, type IssuanceStatement } from "../../app/shared/issuance.js";
import { DIRECTORY_ABI } from "../../app/shared/verifyBundle.js";
import { DocumentIssuer } from "./support/issuer.js";
import { sha256Of } from "./support/testLedger.js";

/**
 * The check that a file sent with its proof is one of the signed list's (IssuanceAuthority, the rule of
 * both upload paths), in this process: a list's files sent one a request share the upper part of their
 * proofs, which the authority follows from the nodes it already proved instead of hashing them again.
 * Whatever it remembers, a proof is accepted only if it leads from the file to the signed root, and the
 * proof it hands on for the bundle is that one.
 */
const CHAIN = { chainId: 31337, batchAnchor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" };

/** A Directory that says the signer holds DOCUMENT_ISSUER and no key is compromised: only the list is tested here. */
function directoryThatSaysYes(): Provider {
  const directory = new Interface(DIRECTORY_ABI);
  const hasRole = directory.getFunction("hasRole")!.selector;
  return {
    call: async ({ data }: { data: string }) =>
      data.startsWith(hasRole) ? directory.encodeFunctionResult("hasRole", [true]) : directory.encodeFunctionResult("compromisedSince", [0]),
  } as unknown as Provider;
}

describe("a file's proof into its signed list (app/server/services/issuance.ts)", () => {
  const issuer = new DocumentIssuer(CHAIN);
  const list = Array.from({ length: 37 }, () => sha256Of(randomBytes(64)));
  const tree = documentsTree(list);
  let statement: IssuanceStatement;
  let authority: IssuanceAuthority;
  const field = (proofs: string[][]) => JSON.stringify({ ...statement, proofs });
  const refusal = async (sha256: string, proof: string[]) => {
    try {
      await authority.authorise(field([proof]), [sha256], undefined);
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return "accepted";
  };

  before(async () => {
    statement = await issuer.sign(list);
  });
  beforeEach(() => {
    authority = new IssuanceAuthority({ ...CHAIN, directory: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", provider: directoryThatSaysYes() });
  });

  it("accepts every file of the list with its proof, in any order, and hands on the proof that was sent", async () => {
    const order = [...list].sort(() => Math.random() - 0.5);
    for (const sha256 of order) {
      const { proofs } = await authority.authorise(field([tree.proofOf(sha256)]), [sha256], undefined);
      expect(proofs.get(sha256)).to.deep.equal(tree.proofOf(sha256));
      expect(inDocumentsTree(statement.documentsRoot, sha256, proofs.get(sha256)!)).to.equal(true);
    }
  });

  it("refuses a proof whose upper part differs from the way already proved, or that is longer or shorter", async () => {
    for (const sha256 of list) await authority.authorise(field([tree.proofOf(sha256)]), [sha256], undefined);
    const target = list[5];
    const proof = tree.proofOf(target);
    const other = `0x${randomBytes(32).toString("hex")}`;
    for (let level = 0; level < proof.length; level++) {
      const changed = proof.map((hash, i) => (i === level ? other : hash));
      expect(await refusal(target, changed), `level ${level} changed`).to.equal("ISSUANCE_SIGNATURE_INVALID");
    }
    expect(await refusal(target, [...proof, other])).to.equal("ISSUANCE_SIGNATURE_INVALID");
    expect(await refusal(target, proof.slice(0, -1))).to.equal("ISSUANCE_SIGNATURE_INVALID");
    // The same upper part, reached from a file that is not in the list.
    expect(await refusal(sha256Of(randomBytes(64)), proof)).to.equal("ISSUANCE_SIGNATURE_INVALID");
    expect(await refusal(target, proof)).to.equal("accepted");
  });

  it("refuses a file of another list sent with a proof into this one, before and after this list's files", async () => {
    const stranger = sha256Of(randomBytes(64));
    expect(await refusal(stranger, tree.proofOf(list[0]))).to.equal("ISSUANCE_SIGNATURE_INVALID");
    for (const sha256 of list) await authority.authorise(field([tree.proofOf(sha256)]), [sha256], undefined);
    expect(await refusal(stranger, tree.proofOf(list[0]))).to.equal("ISSUANCE_SIGNATURE_INVALID");
    expect(await refusal(stranger, [])).to.equal("ISSUANCE_SIGNATURE_INVALID");
  });

  it("accepts the only file of a list of one, whose proof is empty, and nothing with it", async () => {
    const only = sha256Of(randomBytes(64));
    statement = await issuer.sign([only]);
    expect(await refusal(only, [])).to.equal("accepted");
    expect(await refusal(only, [`0x${randomBytes(32).toString("hex")}`])).to.equal("ISSUANCE_SIGNATURE_INVALID");
    statement = await issuer.sign(list);
  });
});
