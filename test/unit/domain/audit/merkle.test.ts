import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  alignedSubtrees,
  leafHash,
  nodeHash,
  ProofBuilder,
  rootFromInclusionProof,
  TreeBuilder,
  treeRoot,
  type HashFn,
} from '../../../../src/domain/audit/merkle.js';

const sha: HashFn = (d) => new Uint8Array(createHash('sha256').update(d).digest());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** MTH of RFC 6962 section 2.1, written the way the RFC states it. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha(new Uint8Array());
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(sha, mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => leafHash(sha, new TextEncoder().encode(`entry ${i}`)));

describe('Merkle tree hashing (RFC 6962 / 9162)', () => {
  it('leaf and node hashes carry their domain-separation byte', () => {
    const data = new TextEncoder().encode('x');
    expect(hex(leafHash(sha, data))).to.equal(hex(sha(new Uint8Array([0, ...data]))));
    const [a, b] = leaves(2) as [Uint8Array, Uint8Array];
    expect(hex(nodeHash(sha, a, b))).to.equal(hex(sha(new Uint8Array([1, ...a, ...b]))));
  });

  it('the empty tree is the hash of the empty string', () => {
    expect(hex(treeRoot(sha, []))).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the root of every size up to 70 is the RFC shape (largest power of two on the left), and so is every prefix on the way', () => {
    const all = leaves(70);
    const growing = new TreeBuilder(sha);
    for (let n = 1; n <= all.length; n++) {
      growing.push(all[n - 1]!);
      const expected = hex(mth(all.slice(0, n)));
      expect(hex(treeRoot(sha, all.slice(0, n))), `size ${n}`).to.equal(expected);
      expect(hex(growing.root()), `prefix ${n}`).to.equal(expected);
      expect(hex(new ProofBuilder(sha, all.slice(0, n)).root())).to.equal(expected);
    }
  });

  it('every inclusion proof in trees of 1..33 leads to the root; another leaf, index or size does not', () => {
    const all = leaves(33);
    for (let n = 1; n <= all.length; n++) {
      const tree = all.slice(0, n);
      const proofs = new ProofBuilder(sha, tree);
      const root = hex(proofs.root());
      for (let m = 0; m < n; m++) {
        const proof = proofs.proof(m);
        expect(hex(rootFromInclusionProof(sha, m, n, tree[m]!, proof) ?? new Uint8Array()), `${m} of ${n}`).to.equal(
          root,
        );
        const other = tree[(m + 1) % n]!;
        if (n > 1) {
          expect(hex(rootFromInclusionProof(sha, m, n, other, proof) ?? new Uint8Array())).to.not.equal(root);
          const wrongIndex = rootFromInclusionProof(sha, (m + 1) % n, n, tree[m]!, proof);
          expect(wrongIndex && hex(wrongIndex)).to.not.equal(root);
        }
        expect(rootFromInclusionProof(sha, m, n, tree[m]!, [...proof, tree[0]!])).to.equal(null);
      }
    }
  });

  it('a tree continued from its frontier at any size has the same roots, and aligned subtrees complete it', () => {
    const all = leaves(40);
    for (let b = 0; b <= 40; b++) {
      const head = new TreeBuilder(sha);
      for (const l of all.slice(0, b)) head.push(l);
      const frontier = head.frontier();
      expect(frontier.reduce((n, f) => n + f.size, 0)).to.equal(b);
      const tail = TreeBuilder.fromFrontier(sha, frontier);
      for (let n = b + 1; n <= 40; n++) {
        tail.push(all[n - 1]!);
        expect(hex(tail.root()), `${b} then ${n}`).to.equal(hex(mth(all.slice(0, n))));
      }
      for (const to of [b, b + 1, 33, 40].filter((t) => t >= b && t <= 40)) {
        const done = TreeBuilder.fromFrontier(sha, frontier);
        for (const s of alignedSubtrees(b, to)) done.pushSubtree(mth(all.slice(s.start, s.start + s.size)), s.size);
        expect(done.size).to.equal(to);
        expect(hex(done.root()), `${b} completed to ${to}`).to.equal(hex(mth(all.slice(0, to))));
      }
    }
    expect(() => TreeBuilder.fromFrontier(sha, [{ size: 3, hash: all[0]! }])).to.throw(RangeError);
  });

  it('from a frontier, the proofs of the leaves after it are those of the whole tree', () => {
    const all = leaves(37);
    for (const b of [0, 1, 5, 8, 16, 20, 36]) {
      const head = new TreeBuilder(sha);
      for (const l of all.slice(0, b)) head.push(l);
      const whole = new ProofBuilder(sha, all);
      const part = new ProofBuilder(sha, all.slice(b), head.frontier());
      expect(hex(part.root())).to.equal(hex(whole.root()));
      for (let i = b; i < 37; i++)
        expect(part.proof(i).map(hex), `${b}: leaf ${i}`).to.deep.equal(whole.proof(i).map(hex));
      if (b > 0) expect(() => part.proof(b - 1)).to.throw(RangeError);
    }
  });
});
