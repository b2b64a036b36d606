/**
 * Whole-definition checks over the node facts gathered by the shape checks: start/complete
 * counts, key uniqueness, `next` references, dead ends, reachability and cycles.
 *
 * To keep one bad node from causing a cascade of noise:
 * - reachability follows every edge that could exist (any node bearing the named key, the
 *   implicit next-in-order of a node whose `next` is unusable), and reports only nodes whose keys
 *   are well-formed and unique ("graph nodes");
 * - cycles are searched among graph nodes only.
 */
import type { FieldProblem } from '../shared/errors.js';
import { at, type NodeFacts } from './process-definition.shape.js';

const label = (f: NodeFacts): string => (f.key !== undefined ? `'${f.key}'` : `#${f.index}`);

export function checkGraph(facts: readonly NodeFacts[], problems: FieldProblem[]): void {
  const nodePath = (index: number): string => at('/nodes', index);

  // Exactly one start node, at least one complete node.
  const starts = facts.filter((f) => f.kind === 'start');
  if (starts.length === 0) problems.push({ path: '/nodes', message: 'must have a start node' });
  for (const extra of starts.slice(1)) {
    problems.push({ path: at(nodePath(extra.index), 'kind'), message: 'only one start node is allowed' });
  }
  if (!facts.some((f) => f.kind === 'complete')) {
    problems.push({ path: '/nodes', message: 'must have at least one complete node' });
  }

  // Keys: every string key (for matching `next` entries), and the well-formed unique ones.
  const byKey = new Map<string, number[]>();
  for (const f of facts) {
    if (f.key !== undefined) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f.index]);
  }
  const graphNodes = new Map<string, number>();
  for (const f of facts) {
    if (f.key === undefined || !f.keyWellFormed) continue;
    const holders = byKey.get(f.key) ?? [];
    if (holders.length === 1) graphNodes.set(f.key, f.index);
    else if (holders[0] !== f.index) {
      problems.push({ path: at(nodePath(f.index), 'key'), message: `duplicate key '${f.key}'` });
    }
  }

  // `next` entries name other existing nodes, once each.
  for (const f of facts) {
    const seen = new Set<string>();
    f.next?.forEach((entry, j) => {
      if (typeof entry !== 'string') return; // reported by the shape checks
      const path = at(at(nodePath(f.index), 'next'), j);
      if (entry === f.key) problems.push({ path, message: 'a node cannot follow itself' });
      else if (seen.has(entry)) problems.push({ path, message: `duplicate successor '${entry}'` });
      else if (!byKey.has(entry)) problems.push({ path, message: `no node has key '${entry}'` });
      seen.add(entry);
    });
  }

  // Dead ends: a non-complete node must have a successor.
  for (const f of facts) {
    if (f.kind === undefined || f.kind === 'complete') continue;
    const deadEnd = f.next ? f.next.length === 0 : !f.hasNext && f.index === facts.length - 1;
    if (deadEnd) {
      problems.push({
        path: nodePath(f.index),
        message: `node ${label(f)} has no successor: only a complete node may end the process`,
      });
    }
  }

  // Reachability from the start node(s), over every edge that could exist.
  if (starts.length > 0) {
    const looseSuccessors = (f: NodeFacts): number[] => {
      if (f.kind === 'complete') return [];
      if (f.next) {
        return f.next.flatMap((e) => (typeof e === 'string' ? (byKey.get(e) ?? []) : [])).filter((i) => i !== f.index);
      }
      return f.index + 1 < facts.length ? [f.index + 1] : [];
    };
    const reached = new Set(starts.map((f) => f.index));
    const queue = [...reached];
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const f = facts[i];
      if (!f) continue;
      for (const s of looseSuccessors(f)) {
        if (!reached.has(s)) {
          reached.add(s);
          queue.push(s);
        }
      }
    }
    for (const index of graphNodes.values()) {
      const f = facts[index];
      if (f && !reached.has(index)) {
        problems.push({ path: nodePath(index), message: `node ${label(f)} is not reachable from the start node` });
      }
    }
  }

  for (const cycle of findCycles(facts, graphNodes)) {
    const keys = [...cycle.path, cycle.path[0]].map((i) => facts[i ?? -1]?.key ?? '?');
    problems.push({
      path: at(nodePath(cycle.reportAt), 'next'),
      message: `the nodes form a cycle: ${keys.join(' -> ')}`,
    });
  }
}

interface Cycle {
  /** Node indexes along the cycle, starting with the target of the backward edge. */
  readonly path: number[];
  /** The node whose explicit `next` closes the cycle. */
  readonly reportAt: number;
}

/** One cycle per strongly connected component (of more than one node) among graph nodes. */
function findCycles(facts: readonly NodeFacts[], graphNodes: ReadonlyMap<string, number>): Cycle[] {
  const isGraphNode = new Set(graphNodes.values());
  // Strict edges: only between graph nodes; self-loops are reported elsewhere.
  const explicitEdges = (f: NodeFacts): number[] =>
    (f.next ?? []).flatMap((e) => {
      const target = typeof e === 'string' ? graphNodes.get(e) : undefined;
      return target !== undefined && target !== f.index ? [target] : [];
    });
  const edges = new Map<number, number[]>();
  for (const index of isGraphNode) {
    const f = facts[index];
    if (!f || f.kind === 'complete') edges.set(index, []);
    else if (f.next) edges.set(index, explicitEdges(f));
    else edges.set(index, isGraphNode.has(index + 1) ? [index + 1] : []);
  }

  // Tarjan's strongly connected components.
  const order = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const onStack = new Set<number>();
  const components: number[][] = [];
  const visit = (v: number): void => {
    order.set(v, order.size);
    low.set(v, order.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, order.get(w) ?? 0));
      }
    }
    if (low.get(v) === order.get(v)) {
      const component: number[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
        onStack.delete(w);
        component.push(w);
      }
      components.push(component);
    }
  };
  for (const v of [...isGraphNode].sort((a, b) => a - b)) if (!order.has(v)) visit(v);

  const cycles: Cycle[] = [];
  for (const component of components) {
    if (component.length < 2) continue;
    const members = new Set(component);
    // Implicit edges only go forward, so every cycle has an explicit backward edge u -> v.
    let closing: [number, number] | undefined;
    for (const u of [...component].sort((a, b) => a - b)) {
      const f = facts[u];
      const v = f ? explicitEdges(f).find((t) => members.has(t) && t < u) : undefined;
      if (v !== undefined) {
        closing = [u, v];
        break;
      }
    }
    if (!closing) continue;
    const [u, v] = closing;
    // Shortest path v ~> u inside the component closes the cycle.
    const previous = new Map<number, number>([[v, v]]);
    const queue = [v];
    for (let x = queue.shift(); x !== undefined && !previous.has(u); x = queue.shift()) {
      for (const y of edges.get(x) ?? []) {
        if (members.has(y) && !previous.has(y)) {
          previous.set(y, x);
          queue.push(y);
        }
      }
    }
    const path = [u];
    for (let x = u; x !== v;) {
      x = previous.get(x) ?? v;
      path.unshift(x);
    }
    cycles.push({ path, reportAt: u });
  }
  return cycles.sort((a, b) => a.reportAt - b.reportAt);
}
