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

  get size(): number {
    return this.count;
  }

  /** Adds a leaf by its leaf hash. */
  push(leaf: Uint8Array): void {
    let node = { size: 1, hash: leaf };
    while (this.stack.length && this.stack[this.stack.length - 1]!.size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, hash: nodeHash(this.h, left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
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

  constructor(
    private readonly h: HashFn,
    private readonly leaves: readonly Uint8Array[],
  ) {}

  private hashOf(lo: number, n: number): Uint8Array {
    if (n === 1) return this.leaves[lo]!;
    const key = `${lo}:${n}`;
    const known = this.memo.get(key);
    if (known) return known;
    const k = split(n);
    const hash = nodeHash(this.h, this.hashOf(lo, k), this.hashOf(lo + k, n - k));
    this.memo.set(key, hash);
    return hash;
  }

  root(): Uint8Array {
    return this.leaves.length ? this.hashOf(0, this.leaves.length) : this.h(new Uint8Array());
  }

  /** The audit path of leaf `index` (0-based), nearest the leaf first. */
  proof(index: number): Uint8Array[] {
    const path: Uint8Array[] = [];
    let lo = 0;
    let n = this.leaves.length;
    let m = index;
    if (m < 0 || m >= n) throw new RangeError(`leaf ${index} is not in a tree of ${n}`);
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
   * Uses the same memoised subtree hashes as the inclusion proofs, so the proofs between many pairs
   * of sizes share their work.
   */
  consistencyProof(m: number, n: number = this.leaves.length): Uint8Array[] {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.leaves.length)
      throw new RangeError(`a tree of ${this.leaves.length} leaves has no prefix of ${n} leaves`);
    if (!Number.isSafeInteger(m) || m < 0 || m > n)
      throw new RangeError(`a tree of ${n} leaves has no prefix of ${m} leaves`);
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

function isPowerOfTwo(x: number): boolean {
  let k = 1;
  while (k < x) k *= 2;
  return k === x;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
