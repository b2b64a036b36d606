import type { SignMode } from '../process-definition/process-definition.js';
import type { Task } from './task.js';

export type NodeOutcome = 'pending' | 'passed' | 'rejected';

/**
 * How a node stands after its tasks' outcomes (会签/或签/依次/比例). Cancelled tasks do not count.
 * In a ratio node a rejection ends the process only once the ratio can no longer be met.
 */
export function nodeOutcome(mode: SignMode, passRatio: number | undefined, tasks: readonly Task[]): NodeOutcome {
  // signers added before someone give an opinion; they do not count towards the node's outcome
  const counted = tasks.filter((t) => t.status !== 'cancelled' && !t.beforeOf);
  const approved = counted.filter((t) => t.outcome === 'approved').length;
  const rejected = counted.filter((t) => t.outcome === 'rejected').length;
  switch (mode) {
    case 'any':
      if (approved > 0) return 'passed';
      if (rejected > 0) return 'rejected';
      return 'pending';
    case 'all':
    case 'sequential':
      if (rejected > 0) return 'rejected';
      return approved === counted.length && counted.length > 0 ? 'passed' : 'pending';
    case 'ratio': {
      const needed = Math.max(1, Math.ceil((passRatio ?? 1) * counted.length - 1e-9));
      if (approved >= needed) return 'passed';
      if (counted.length - rejected < needed) return 'rejected';
      return 'pending';
    }
  }
}
