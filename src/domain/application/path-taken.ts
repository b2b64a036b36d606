import {
  nodeByKey,
  startNode,
  type NodeKind,
  type ProcessDefinition,
} from '../process-definition/process-definition.js';
import type { HistoryEntry } from './application-state.js';
import type { Task } from './task.js';

/*
 * The path an application has taken (已办节点): the steps it passed, was rejected or returned at, or
 * passed by, in the order the history recorded them, each with who acted, how and when. Pure: derived
 * from the history and the tasks alone.
 */

export interface PathActor {
  person: string;
  outcome: 'submitted' | 'approved' | 'rejected' | 'returned';
  at: string | null;
}

export interface PathStep {
  node: string;
  name: string;
  kind: NodeKind;
  /** submitted: the applicant's start; joined: every branch reached a join; skipped: see `reason`. */
  outcome: 'submitted' | 'approved' | 'rejected' | 'returned' | 'skipped' | 'joined';
  at: string;
  /** The handlers who decided this step (a countersign: each signer), or the applicant who submitted. */
  actors: PathActor[];
  /** Why a step was skipped, as the engine recorded it. */
  reason?: string;
  /** Where a return sent the application ('applicant' or a node key). */
  target?: string;
}

export function pathTaken(
  def: ProcessDefinition,
  history: readonly HistoryEntry[],
  tasks: readonly Task[],
): PathStep[] {
  const activation = new Map<string, number>();
  let lastRejected: HistoryEntry | undefined;
  const steps: PathStep[] = [];
  const step = (key: string, s: Omit<PathStep, 'node' | 'name' | 'kind'>): void => {
    const node = nodeByKey(def, key);
    if (node) steps.push({ node: key, name: node.name, kind: node.kind, ...s });
  };
  /** Who decided one activation of a step (opinions asked by a signer are not decisions of the step). */
  const deciders = (key: string): PathActor[] =>
    tasks
      .filter(
        (t) =>
          t.nodeKey === key &&
          t.activation === (activation.get(key) ?? 1) &&
          t.outcome !== null &&
          t.actedBy !== null &&
          !t.beforeOf,
      )
      .sort((a, b) => (a.actedAt ?? '').localeCompare(b.actedAt ?? '') || a.order - b.order)
      .map((t) => ({ person: t.actedBy!, outcome: t.outcome!, at: t.actedAt }));

  for (const h of history) {
    const n = h.node;
    switch (h.action) {
      case 'submitted': {
        const start = startNode(def).key;
        step(start, { outcome: 'submitted', at: h.at, actors: [{ person: h.actor, outcome: 'submitted', at: h.at }] });
        break;
      }
      case 'node-activated': {
        const a = (h.detail as { activation?: unknown } | undefined)?.activation;
        if (n && typeof a === 'number') activation.set(n, a);
        break;
      }
      case 'node-passed':
        if (n) step(n, { outcome: 'approved', at: h.at, actors: deciders(n) });
        break;
      case 'rejected':
        lastRejected = h;
        break;
      case 'application-rejected':
        if (lastRejected?.node)
          step(lastRejected.node, { outcome: 'rejected', at: h.at, actors: deciders(lastRejected.node) });
        break;
      case 'returned': {
        const target = (h.detail as { target?: unknown } | undefined)?.target;
        if (n)
          step(n, {
            outcome: 'returned',
            at: h.at,
            actors: [{ person: h.actor, outcome: 'returned', at: h.at }],
            ...(typeof target === 'string' ? { target } : {}),
          });
        break;
      }
      case 'node-skipped': {
        const reason = (h.detail as { reason?: unknown } | undefined)?.reason;
        if (n) step(n, { outcome: 'skipped', at: h.at, actors: [], ...(typeof reason === 'string' ? { reason } : {}) });
        break;
      }
      case 'branches-joined':
        if (n) step(n, { outcome: 'joined', at: h.at, actors: [] });
        break;
      default:
        break;
    }
  }
  return steps;
}
