/**
 * Merkle tree hashing of RFC 6962 / RFC 9162 (section 2.1): leaf = H(0x00 || data), node =
 * H(0x01 || left || right); a tree of n leaves splits at the largest power of two below n. The hash
 * function is given (SHA-256 in the hall): the domain imports no crypto.
 */
export type HashFn = (data: Uint8Array) => Uint8Array;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function leafHash(h: HashFn, data: Uint8Array): Uint8Array {
  return h(concat(LEAF, data));
}

export function nodeHash(h: HashFn, left: Uint8Array, right: Uint8Array): Uint8Array {
  return h(concat(NODE, left, right));
}

/** A perfect subtree of a frontier: its number of leaves (a power of two) and its root. */
export interface FrontierNode {
  size: number;
  hash: Uint8Array;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/**
 * The perfect, aligned subtrees that cover leaves [from, to) (0-based), left to right: pushed in
 * order with `pushSubtree` onto a tree of `from` leaves, they make the tree of `to` leaves.
 */
export function alignedSubtrees(from: number, to: number): Array<{ start: number; size: number }> {
  const out: Array<{ start: number; size: number }> = [];
  let at = from;
  while (at < to) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= to) size *= 2;
    out.push({ start: at, size });
    at += size;
  }
  return out;
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The root of a growing tree, one leaf at a time, keeping only the roots of its perfect subtrees
 * (O(log n) memory): the root of every prefix is available on the way (`root()`).
 */
export class TreeBuilder {
  /** Perfect subtree roots, largest (leftmost) first, with their sizes. */
  private readonly stack: Array<{ size: number; hash: Uint8Array }> = [];
  private count = 0;

  constructor(private readonly h: HashFn) {}

  /**
   * A tree that continues from a frontier (what `frontier()` returned at some size): the leaves
   * before it are not needed. Throws on a frontier whose sizes are not those of a tree.
   */
  static fromFrontier(h: HashFn, frontier: readonly FrontierNode[]): TreeBuilder {
    const b = new TreeBuilder(h);
    for (const [i, n] of frontier.entries())
      if (!isPowerOfTwo(n.size) || (i > 0 && n.size >= frontier[i - 1]!.size))
        throw new RangeError('not a frontier: the subtree sizes must be powers of two, largest first');
    for (const n of frontier) b.pushSubtree(n.hash, n.size);
    return b;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a leaf by its leaf hash. */
  push(leaf: Uint8Array): void {
    this.pushSubtree(leaf, 1);
  }

  /**
   * Adds a perfect subtree of `size` leaves (a power of two) by its root: the tree's size must be a
   * multiple of it (the subtree is aligned), as it is for each node of `alignedSubtrees`.
   */
  pushSubtree(hash: Uint8Array, size: number): void {
    if (!isPowerOfTwo(size) || this.count % size !== 0)
      throw new RangeError(`a subtree of ${size} leaves cannot follow ${this.count} leaves`);
    let node = { size, hash };
    while (this.stack.length && this.stack[this.stack.length - 1]!.size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, hash: nodeHash(this.h, left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count += size;
  }

  /**
   * The roots of the perfect subtrees the leaves so far make, largest (leftmost) first: all that is
   * needed to go on building the tree (and its root) without the leaves.
   */
  frontier(): FrontierNode[] {
    return this.stack.map((n) => ({ size: n.size, hash: n.hash }));
  }

  /** The root of the leaves so far (the hash of the empty string for none, as RFC 6962 says). */
  root(): Uint8Array {
    if (!this.stack.length) return this.h(new Uint8Array());
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.h, this.stack[i]!.hash, hash);
    return hash;
  }
}

/** The root of the tree of these leaf hashes. */
export function treeRoot(h: HashFn, leaves: readonly Uint8Array[]): Uint8Array {
  const b = new TreeBuilder(h);
  for (const l of leaves) b.push(l);
  return b.root();
}

/**
 * Inclusion proofs (audit paths, RFC 9162 2.1.3.1) of many leaves in the tree of `leaves`: subtree
 * hashes are computed once and shared between the proofs.
 */
export class ProofBuilder {
  private readonly memo = new Map<string, Uint8Array>();
  private readonly size: number;
  private readonly base: number;

  /**
   * `leaves` are those after the frontier `base` (by default none: they are all the leaves). With a
   * frontier, the proofs of those leaves and the root are available, not the proofs of the leaves
   * the frontier stands for (every node these need is one of the frontier's, or is built on it).
   */
  constructor(
    private readonly h: HashFn,
    private readonly leaves: readonly Uint8Array[],
    base: readonly FrontierNode[] = [],
  ) {
    let at = 0;
    for (const n of base) {
      this.memo.set(`${at}:${n.size}`, n.hash);
      at += n.size;
    }
    this.base = at;
    this.size = at + leaves.length;
  }

  private hashOf(lo: number, n: number): Uint8Array {
    const key = `${lo}:${n}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (lo + n <= this.base) throw new RangeError(`the leaves ${lo}..${lo + n - 1} are behind the frontier`);
    if (n === 1) return this.leaves[lo - this.base]!;
    const k = split(n);
    const hash = nodeHash(this.h, this.hashOf(lo, k), this.hashOf(lo + k, n - k));
    this.memo.set(key, hash);
    return hash;
  }

  root(): Uint8Array {
    return this.size ? this.hashOf(0, this.size) : this.h(new Uint8Array());
  }

  /** The audit path of leaf `index` (0-based), nearest the leaf first. */
  proof(index: number): Uint8Array[] {
    const path: Uint8Array[] = [];
    let lo = 0;
    let n = this.size;
    let m = index;
    if (m < this.base || m >= n) throw new RangeError(`leaf ${index} is not in a tree of ${n}`);
    // top-down, then reversed: PATH(m, D[n]) lists the sibling nearest the leaf first
    while (n > 1) {
      const k = split(n);
      if (m < k) {
        path.push(this.hashOf(lo + k, n - k));
        n = k;
      } else {
        path.push(this.hashOf(lo, k));
        lo += k;
        m -= k;
        n -= k;
      }
    }
    return path.reverse();
  }

  /**
   * The consistency proof (RFC 9162 2.1.4.1) that the tree of the first `n` leaves (all of them by
   * default) extends the tree of its first `m`: SUBPROOF(m, D[n], true), empty for m = 0 and m = n.
   * With a frontier, `m` is at least the frontier's size: every node such a proof needs is then a
   * frontier node or built on one.
   * Uses the same memoised subtree hashes as the inclusion proofs, so the proofs between many pairs
   * of sizes share their work.
   */
  consistencyProof(m: number, n: number = this.size): Uint8Array[] {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.size)
      throw new RangeError(`a tree of ${this.size} leaves has no prefix of ${n} leaves`);
    // with a frontier, the old tree must not end behind it (its nodes there are not all known)
    if (!Number.isSafeInteger(m) || m < 0 || m > n || (m > 0 && m < this.base))
      throw new RangeError(`a tree of ${n} leaves has no prefix of ${m} leaves to prove from`);
    if (m === 0 || m === n) return [];
    // top-down, then reversed: SUBPROOF lists the innermost hash first, each sibling after it
    const path: Uint8Array[] = [];
    let lo = 0;
    let size = n;
    let k0 = m;
    let whole = true;
    while (k0 !== size) {
      const k = split(size);
      if (k0 <= k) {
        path.push(this.hashOf(lo + k, size - k));
        size = k;
      } else {
        path.push(this.hashOf(lo, k));
        lo += k;
        k0 -= k;
        size -= k;
        whole = false;
      }
    }
    // SUBPROOF(m, D[m], b): nothing when the old tree is this subtree itself, else its hash
    if (!whole) path.push(this.hashOf(lo, size));
    return path.reverse();
  }
}

/**
 * The root an inclusion proof leads to (RFC 9162 2.1.3.2), or null when the proof cannot be one of
 * leaf `index` in a tree of `size` (too long, too short).
 */
export function rootFromInclusionProof(
  h: HashFn,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(h, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(h, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/**
 * Whether `proof` shows that the tree of `m` leaves with root `oldRoot` is a prefix of the tree of
 * `n` leaves with root `newRoot` (RFC 9162 2.1.4.2). The proof of m = n is empty (and the roots
 * equal); every tree extends the empty one (m = 0, whose root is the hash of the empty string).
 * Anything else (sizes out of order, hashes of another length, a proof too short or too long)
 * is false: it never throws.
 */
export function verifyConsistency(
  h: HashFn,
  m: number,
  n: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (!Array.isArray(proof)) return false;
  const size = h(new Uint8Array()).length;
  const isHash = (x: unknown): x is Uint8Array => x instanceof Uint8Array && x.length === size;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (m === 0) return proof.length === 0 && equalBytes(oldRoot, h(new Uint8Array()));
  if (m === n) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0) return false;
  // a complete old tree is a node of the new one: its root is where the path starts
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(h, c, fr);
      sr = nodeHash(h, c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(h, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
