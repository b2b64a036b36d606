import {
  isGateway,
  nodeByKey,
  startNode,
  successors,
  type NodeKind,
  type ProcessDefinition,
  type ProcessNodeDefinition,
} from '../process-definition/process-definition.js';
import { isTerminal, type ApplicationState } from './application-state.js';

/*
 * The road ahead of an application (后续节点): the steps still to come from where it waits now, as the
 * engine (process-run.ts) would take them if every step still to come were approved. Pure: what
 * applies to this application comes in through two callbacks, as the engine's context gives it.
 */

/** Why a step still to come will be skipped (the reasons the engine records in `node-skipped`). */
export const SKIP_REASONS = {
  condition: 'condition not met',
  applicant: 'the applicant is an approver of this step',
} as const;

export interface RoadNode {
  node: string;
  name: string;
  kind: NodeKind;
  /**
   * ahead: the application will wait here; skipped: it will pass by (see `reason`); waiting: a join
   * some branch has reached, waiting for the others.
   */
  status: 'ahead' | 'skipped' | 'waiting';
  reason?: string;
  /** The nodes the road comes from into this one (active steps, waiting joins, or nodes ahead). */
  from: string[];
}

export interface Road {
  /** In flow order: a node comes after every node on the road that leads to it. */
  nodes: RoadNode[];
  /** The flows the road takes, from the steps waiting now onwards. */
  flows: Array<{ from: string; to: string }>;
}

export interface RoadChecks {
  /** Whether a step's `condition` holds for this application (absent: it applies). */
  applies(nodeKey: string): boolean;
  /** Whether the condition of a gateway's flow to `target` holds for this application. */
  flowHolds(gatewayKey: string, target: string): boolean;
  /** Whether a step set to 'skip-node' would be skipped because the applicant is among its approvers. */
  applicantSkips?(nodeKey: string): boolean;
}

/**
 * The road from where the application stands: out of every step waiting now (`activeNodes`) and every
 * waiting join; a draft or an application returned to its applicant starts again after the start
 * node; an ended application has no road ahead. Gateways route as the engine routes them (parallel:
 * every flow; inclusive: every flow whose condition holds; exclusive: the first; the default when
 * none holds); a step with several successors takes the first that applies; a step whose condition
 * does not hold is skipped and the road goes on past it. Each node appears once.
 */
export function roadAhead(
  def: ProcessDefinition,
  at: { state: ApplicationState; activeNodes: readonly string[]; waitingJoins: readonly string[] },
  checks: RoadChecks,
): Road {
  if (isTerminal(at.state)) return { nodes: [], flows: [] };
  const restart = at.state === 'draft' || at.state === 'returned';
  const origins = restart ? [startNode(def).key] : [...at.activeNodes];
  const reached = new Map<string, RoadNode>();
  const flows: Array<{ from: string; to: string }> = [];
  const seen = new Set<string>(origins);
  const queue: Array<{ out: string } | { into: string; from: string }> = origins.map((out) => ({ out }));
  if (!restart)
    for (const join of at.waitingJoins) {
      const node = nodeByKey(def, join);
      if (!node) continue;
      seen.add(join);
      reached.set(join, { node: join, name: node.name, kind: node.kind, status: 'waiting', from: [] });
      queue.push({ out: join });
    }
  const skips = (node: ProcessNodeDefinition): string | undefined =>
    !checks.applies(node.key)
      ? SKIP_REASONS.condition
      : checks.applicantSkips?.(node.key)
        ? SKIP_REASONS.applicant
        : undefined;
  const flow = (from: string, to: string): void => {
    if (!flows.some((f) => f.from === from && f.to === to)) flows.push({ from, to });
    const known = reached.get(to);
    if (known && !known.from.includes(from)) known.from.push(from);
  };

  /** The road reaches a node; true when it is new to the road. */
  const reach = (from: string, key: string): boolean => {
    flow(from, key);
    if (seen.has(key)) return false; // a node the road already reaches, or where the application waits
    seen.add(key);
    const node = nodeByKey(def, key)!;
    const reason = isGateway(node) ? undefined : skips(node);
    reached.set(key, {
      node: key,
      name: node.name,
      kind: node.kind,
      status: reason ? 'skipped' : 'ahead',
      ...(reason ? { reason } : {}),
      from: [from],
    });
    return true;
  };

  for (let m = queue.shift(); m; m = queue.shift()) {
    if ('into' in m) {
      if (reach(m.from, m.into)) queue.push({ out: m.into });
      continue;
    }
    const node = nodeByKey(def, m.out)!;
    const next = successors(def, node.key);
    if (isGateway(node)) {
      for (const to of routes(node, next, checks)) queue.push({ into: to, from: node.key });
    } else if (next.length <= 1) {
      for (const to of next) queue.push({ into: to, from: node.key });
    } else {
      // a step with several successors takes the first that applies; when none does, all are skipped
      const chosen = next.find((k) => {
        const n = nodeByKey(def, k)!;
        return isGateway(n) || !skips(n);
      });
      if (chosen) queue.push({ into: chosen, from: node.key });
      else {
        // as the engine does: every one is skipped, and the road goes on past the first
        for (const k of next) reach(node.key, k);
        queue.push({ out: next[0]! });
      }
    }
  }
  const order = flowOrder(def);
  const nodes = [...reached.values()].sort((a, b) => order.get(a.node)! - order.get(b.node)!);
  return { nodes, flows };
}

/** The flows a gateway takes, as the engine takes them. */
function routes(gateway: ProcessNodeDefinition, next: string[], checks: RoadChecks): string[] {
  if (gateway.kind === 'parallel') return next;
  const holds = (to: string): boolean =>
    to !== gateway.default && (!gateway.conditions?.[to] || checks.flowHolds(gateway.key, to));
  const taken = gateway.kind === 'exclusive' ? next.filter(holds).slice(0, 1) : next.filter(holds);
  return taken.length || !gateway.default ? taken : [gateway.default];
}

/** Each node's place in a topological order of the definition (definition order among equals). */
export function flowOrder(def: ProcessDefinition): Map<string, number> {
  const index = new Map(def.nodes.map((n, i) => [n.key, i]));
  const incoming = new Map(def.nodes.map((n) => [n.key, 0]));
  for (const n of def.nodes) for (const s of successors(def, n.key)) incoming.set(s, (incoming.get(s) ?? 0) + 1);
  const ready = def.nodes.filter((n) => incoming.get(n.key) === 0).map((n) => n.key);
  const order = new Map<string, number>();
  while (ready.length) {
    ready.sort((a, b) => index.get(a)! - index.get(b)!);
    const key = ready.shift()!;
    order.set(key, order.size);
    for (const s of successors(def, key)) {
      incoming.set(s, incoming.get(s)! - 1);
      if (incoming.get(s) === 0) ready.push(s);
    }
  }
  // a cycle (never in a valid definition) keeps definition order for what it holds
  for (const n of def.nodes) if (!order.has(n.key)) order.set(n.key, def.nodes.length + index.get(n.key)!);
  return order;
}
