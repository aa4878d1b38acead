import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { hexlify, randomBytes } from "ethers";
import { LEAF_ENCODING, buildBatch, leafOf, newSalt, verifyMembership } from "../../app/server/anchoring/batcher.js";

/** buildBatch reads proofs from the tree's nodes: they must be the library's own proofs, salt or not. */
describe("Merkle batches (app/server/anchoring/batcher.ts)", () => {
  for (const size of [1, 2, 3, 7, 64, 257, 1000]) {
    for (const salted of [false, true]) {
      it(`gives every record of a batch of ${size}${salted ? " with a salt leaf" : ""} the library's proof`, () => {
        const sha256s = Array.from({ length: size }, () => hexlify(randomBytes(32)));
        const salt = salted ? newSalt() : null;
        const batch = buildBatch(sha256s, salt);
        const tree = StandardMerkleTree.of([...sha256s, ...(salt ? [salt] : [])].map((v) => [v]), LEAF_ENCODING);
        expect(batch.root).to.equal(tree.root);
        expect([...batch.proofs.keys()].sort()).to.deep.equal([...sha256s].sort());
        for (const sha256 of sha256s) {
          expect(batch.proofs.get(sha256)).to.deep.equal(tree.getProof([sha256]));
          expect(verifyMembership(batch.root, sha256, batch.proofs.get(sha256)!)).to.equal(true);
        }
        // The same batch from the leaves the queue stored.
        expect(buildBatch(sha256s, salt, sha256s.map(leafOf))).to.deep.equal(batch);
      });
    }
  }
});
