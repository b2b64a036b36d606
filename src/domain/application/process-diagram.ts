import {
  isGateway,
  isGatewayKind,
  predecessors,
  successors,
  type NodeKind,
  type ProcessDefinition,
} from '../process-definition/process-definition.js';
import { layoutGraph, type Point } from '../process-definition/process-layout.js';
import type { ApplicationState, HistoryEntry } from './application-state.js';
import type { Road } from './road-ahead.js';

/*
 * The diagram of one application's process (流程图): every node of its definition placed by
 * `layoutGraph`, each with where the application stands with it, and every flow with whether it was
 * taken or lies on the road ahead. Pure.
 */

export const DIAGRAM_NODE_STATES = [
  'passed',
  'active',
  'waiting',
  'skipped',
  'ahead',
  'not-taken',
  'rejected',
] as const;
export type DiagramNodeState = (typeof DIAGRAM_NODE_STATES)[number];

export interface DiagramNode {
  key: string;
  name: string;
  kind: NodeKind;
  x: number;
  y: number;
  width: number;
  height: number;
  state: DiagramNodeState;
}
export interface DiagramEdge {
  from: string;
  to: string;
  waypoints: Point[];
  /** The flow carries a condition (a gateway's flow condition). */
  condition: boolean;
  /** The gateway's default flow. */
  default: boolean;
  /** The application went along this flow in its current run. */
  taken: boolean;
  /** The flow lies on the road ahead. */
  ahead: boolean;
}
export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/** Sizes as drawn: the start event a circle, gateways diamonds, steps boxes. */
export const DIAGRAM_SIZES = {
  start: { width: 40, height: 40 },
  gateway: { width: 50, height: 50 },
  step: { width: 120, height: 60 },
} as const;

const sizeOf = (kind: NodeKind) =>
  kind === 'start' ? DIAGRAM_SIZES.start : isGatewayKind(kind) ? DIAGRAM_SIZES.gateway : DIAGRAM_SIZES.step;

export function processDiagram(
  def: ProcessDefinition,
  run: {
    state: ApplicationState;
    activeNodes: readonly string[];
    waitingJoins: readonly string[];
    passedNodes: readonly string[];
  },
  history: readonly HistoryEntry[],
  road: Road,
): Diagram {
  const states = nodeStates(def, run, history, road);
  const edges = def.nodes.flatMap((n) => successors(def, n.key).map((to) => ({ from: n.key, to })));
  const layout = layoutGraph(
    def.nodes.map((n) => ({ id: n.key, ...sizeOf(n.kind) })),
    edges,
  );
  const done = new Set([...states].filter(([, s]) => s === 'passed' || s === 'skipped').map(([k]) => k));
  const reached = new Set(
    [...states]
      .filter(([k, s]) => done.has(k) || s === 'active' || s === 'rejected' || s === 'waiting')
      .map(([k]) => k),
  );
  const aheadFlows = new Set(road.flows.map((f) => `${f.from}\n${f.to}`));
  return {
    width: layout.width,
    height: layout.height,
    nodes: def.nodes.map((n) => ({
      key: n.key,
      name: n.name,
      kind: n.kind,
      ...layout.nodes.get(n.key)!,
      state: states.get(n.key)!,
    })),
    edges: layout.edges.map((e) => {
      const from = def.nodes.find((n) => n.key === e.from)!;
      return {
        from: e.from,
        to: e.to,
        waypoints: e.waypoints,
        condition: !!from.conditions?.[e.to],
        default: from.default === e.to,
        taken: done.has(e.from) && reached.has(e.to),
        ahead: aheadFlows.has(`${e.from}\n${e.to}`),
      };
    }),
  };
}

/**
 * Where the application stands with each node. The road ahead comes first (a node a return rewound
 * is ahead again), then the steps waiting now, the joins waiting, the steps passed in this run, the
 * step that rejected it, the steps passed by; a gateway counts as passed when the run went through
 * it (something before it was passed and something after it reached); everything else is not taken.
 */
function nodeStates(
  def: ProcessDefinition,
  run: {
    state: ApplicationState;
    activeNodes: readonly string[];
    waitingJoins: readonly string[];
    passedNodes: readonly string[];
  },
  history: readonly HistoryEntry[],
  road: Road,
): Map<string, DiagramNodeState> {
  // this run: since the last submission (a return to the applicant starts the run again)
  const lastSubmit = history.findLastIndex((h) => h.action === 'submitted');
  const run_ = lastSubmit < 0 ? [] : history.slice(lastSubmit);
  const skippedInRun = new Set<string>();
  for (const h of run_) {
    if (!h.node) continue;
    if (h.action === 'node-skipped') skippedInRun.add(h.node);
    else if (h.action === 'node-activated') skippedInRun.delete(h.node);
  }
  const rejectedAt =
    run.state === 'rejected' ? run_.findLast((h) => h.action === 'rejected' && h.node)?.node : undefined;
  const draftLike = run.state === 'draft' || run.state === 'returned';
  const states = new Map<string, DiagramNodeState>();
  for (const n of def.nodes) {
    const onRoad = road.nodes.find((r) => r.node === n.key);
    let s: DiagramNodeState = 'not-taken';
    if (onRoad) s = onRoad.status;
    else if (run.activeNodes.includes(n.key) || (draftLike && n.kind === 'start')) s = 'active';
    else if (run.waitingJoins.includes(n.key)) s = 'waiting';
    else if (!draftLike && run.passedNodes.includes(n.key)) s = 'passed';
    else if (n.key === rejectedAt) s = 'rejected';
    else if (!draftLike && skippedInRun.has(n.key)) s = 'skipped';
    states.set(n.key, s);
  }
  // gateways the run went through: something before passed, something after reached (fixpoint)
  const isReached = (k: string) => ['passed', 'skipped', 'active', 'waiting', 'rejected'].includes(states.get(k)!);
  const leadsOn = new Map<string, boolean>();
  const leads = (k: string): boolean => {
    const known = leadsOn.get(k);
    if (known !== undefined) return known;
    leadsOn.set(k, false);
    const value = successors(def, k).some((s) => isReached(s) || (isGateway(nodeOf(def, s)) && leads(s)));
    leadsOn.set(k, value);
    return value;
  };
  for (let changed = true; changed;) {
    changed = false;
    leadsOn.clear();
    for (const n of def.nodes) {
      if (!isGateway(n) || states.get(n.key) !== 'not-taken') continue;
      const from = predecessors(def, n.key).some((p) => states.get(p) === 'passed' || states.get(p) === 'skipped');
      if (from && leads(n.key)) {
        states.set(n.key, 'passed');
        changed = true;
      }
    }
  }
  return states;
}

const nodeOf = (def: ProcessDefinition, key: string) => def.nodes.find((n) => n.key === key)!;
