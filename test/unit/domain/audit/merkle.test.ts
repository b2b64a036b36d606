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
  verifyConsistency,
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

  describe('consistency proofs (RFC 9162 2.1.4)', () => {
    const all = leaves(70);
    const roots = Array.from({ length: all.length + 1 }, (_, n) => treeRoot(sha, all.slice(0, n)));
    const builders = Array.from({ length: all.length + 1 }, (_, n) => new ProofBuilder(sha, all.slice(0, n)));
    /** The byte at `at` of `bytes` changed. */
    const flipped = (bytes: Uint8Array, at: number) => {
      const copy = bytes.slice();
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };

    it('the vectors of the RFC 6962 reference implementation (certificate-transparency)', () => {
      const inputs = [
        '',
        '00',
        '10',
        '2021',
        '3031',
        '40414243',
        '5051525354555657',
        '606162636465666768696a6b6c6d6e6f',
      ];
      const tree = inputs.map((x) => leafHash(sha, Buffer.from(x, 'hex')));
      const proofs = new ProofBuilder(sha, tree);
      expect(hex(proofs.root())).to.equal('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
      const vectors: Array<[number, number, string[]]> = [
        [1, 1, []],
        [
          1,
          8,
          [
            '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
            '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
            '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
          ],
        ],
        [
          6,
          8,
          [
            '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
            'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
            'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
          ],
        ],
        [
          2,
          5,
          [
            '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
            'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
          ],
        ],
      ];
      for (const [m, n, expected] of vectors) {
        const proof = new ProofBuilder(sha, tree.slice(0, n)).consistencyProof(m);
        expect(proof.map(hex), `${m} -> ${n}`).to.deep.equal(expected);
        const [a, b] = [treeRoot(sha, tree.slice(0, m)), treeRoot(sha, tree.slice(0, n))];
        expect(verifyConsistency(sha, m, n, a, b, proof), `${m} -> ${n}`).to.equal(true);
      }
    });

    it('for every 1 <= m <= n <= 70 the proof leads from the root of m leaves to the root of n', () => {
      for (let n = 1; n <= all.length; n++) {
        for (let m = 1; m <= n; m++) {
          const proof = builders[n]!.consistencyProof(m);
          expect(verifyConsistency(sha, m, n, roots[m]!, roots[n]!, proof), `${m} -> ${n}`).to.equal(true);
          if (m === n) expect(proof).to.deep.equal([]);
          // the same proof from a larger tree, asked for its prefix of n
          expect(builders[all.length]!.consistencyProof(m, n).map(hex), `${m} -> ${n} in 70`).to.deep.equal(
            proof.map(hex),
          );
        }
      }
    });

    it('a flipped byte, another size, a truncated or extended proof, or swapped roots fail', () => {
      for (let n = 1; n <= all.length; n++) {
        for (let m = 1; m <= n; m++) {
          const proof = builders[n]!.consistencyProof(m);
          const [a, b] = [roots[m]!, roots[n]!];
          const at = `${m} -> ${n}`;
          for (const [i, p] of proof.entries()) {
            const changed = proof.map((q, j) => (j === i ? flipped(p, (i * 7 + m) % 32) : q));
            expect(verifyConsistency(sha, m, n, a, b, changed), `${at}: hash ${i}`).to.equal(false);
          }
          expect(verifyConsistency(sha, m, n, flipped(a, n % 32), b, proof), `${at}: old root`).to.equal(false);
          expect(verifyConsistency(sha, m, n, a, flipped(b, m % 32), proof), `${at}: new root`).to.equal(false);
          if (proof.length)
            expect(verifyConsistency(sha, m, n, a, b, proof.slice(0, -1)), `${at}: truncated`).to.equal(false);
          expect(verifyConsistency(sha, m, n, a, b, [...proof, all[0]!]), `${at}: extended`).to.equal(false);
          expect(verifyConsistency(sha, m, n, a, b, [all[0]!, ...proof]), `${at}: extended first`).to.equal(false);
          if (m < n) {
            expect(verifyConsistency(sha, m, n, b, a, proof), `${at}: swapped roots`).to.equal(false);
            expect(verifyConsistency(sha, n, m, b, a, proof), `${at}: swapped sizes`).to.equal(false);
            expect(verifyConsistency(sha, m, n - 1, a, roots[n - 1]!, proof), `${at}: n - 1`).to.equal(false);
          }
          if (n < all.length)
            expect(verifyConsistency(sha, m, n + 1, a, roots[n + 1]!, proof), `${at}: n + 1`).to.equal(false);
          if (m > 1) expect(verifyConsistency(sha, m - 1, n, roots[m - 1]!, b, proof), `${at}: m - 1`).to.equal(false);
          if (m < n) expect(verifyConsistency(sha, m + 1, n, roots[m + 1]!, b, proof), `${at}: m + 1`).to.equal(false);
        }
      }
    });

    it('the empty tree, equal sizes, and garbage', () => {
      const empty = sha(new Uint8Array());
      expect(builders[5]!.consistencyProof(0)).to.deep.equal([]);
      expect(verifyConsistency(sha, 0, 5, empty, roots[5]!, [])).to.equal(true);
      expect(verifyConsistency(sha, 0, 0, empty, empty, [])).to.equal(true);
      expect(verifyConsistency(sha, 0, 5, roots[1]!, roots[5]!, [])).to.equal(false);
      expect(verifyConsistency(sha, 0, 5, empty, roots[5]!, [roots[1]!])).to.equal(false);
      expect(verifyConsistency(sha, 5, 5, roots[5]!, roots[5]!, [])).to.equal(true);
      expect(verifyConsistency(sha, 5, 5, roots[5]!, roots[4]!, [])).to.equal(false);
      expect(verifyConsistency(sha, 5, 5, roots[5]!, roots[5]!, [roots[5]!])).to.equal(false);
      expect(verifyConsistency(sha, 3, 5, roots[3]!, roots[5]!, [])).to.equal(false);
      const proof = builders[9]!.consistencyProof(3);
      expect(verifyConsistency(sha, 3, 9, roots[3]!, roots[9]!, proof)).to.equal(true);
      const garbage: unknown[] = [
        [3, 9, roots[3], roots[9], [...proof.slice(0, -1), proof.at(-1)!.slice(0, 31)]],
        [3, 9, roots[3]!.slice(1), roots[9], proof],
        [3, 9, roots[3], new Uint8Array(), proof],
        [3, 9, roots[3], roots[9], [...proof.slice(0, -1), 'not bytes']],
        [3, 9, roots[3], roots[9], null],
        [3, 9, null, roots[9], proof],
        [-1, 9, roots[3], roots[9], proof],
        [3.5, 9, roots[3], roots[9], proof],
        [3, Number.NaN, roots[3], roots[9], proof],
        [3, 2 ** 60, roots[3], roots[9], proof],
        [10, 9, roots[3], roots[9], proof],
      ];
      for (const args of garbage) {
        const [m, n, a, b, p] = args as [number, number, Uint8Array, Uint8Array, Uint8Array[]];
        expect(verifyConsistency(sha, m, n, a, b, p), JSON.stringify([m, n])).to.equal(false);
      }
      expect(() => builders[5]!.consistencyProof(6)).to.throw(RangeError);
      expect(() => builders[5]!.consistencyProof(-1)).to.throw(RangeError);
      expect(() => builders[5]!.consistencyProof(3, 6)).to.throw(RangeError);
      expect(() => builders[5]!.consistencyProof(4, 3)).to.throw(RangeError);
    });

    it('from a frontier, the proofs from any size at or after it are those of the whole tree', () => {
      for (const b of [1, 5, 8, 20, 36]) {
        const head = new TreeBuilder(sha);
        for (const l of all.slice(0, b)) head.push(l);
        const part = new ProofBuilder(sha, all.slice(b, 45), head.frontier());
        for (let m = b; m <= 45; m++)
          for (const n of [m, m + 1, 45].filter((x) => x <= 45))
            expect(part.consistencyProof(m, n).map(hex), `${b}: ${m} to ${n}`).to.deep.equal(
              builders[45]!.consistencyProof(m, n).map(hex),
            );
        if (b > 1) expect(() => part.consistencyProof(b - 1, 45)).to.throw(RangeError);
      }
    });
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
